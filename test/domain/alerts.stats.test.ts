import { describe, expect, it } from 'vitest';
import {
  binomialUpperTail,
  logGamma,
  negativeBinomialUpperTail,
  poissonUpperTail,
} from '../../src/domain/alerts/stats.js';

/** An independent reference: the upper tail as 1 − Σ pmf below k, each pmf term in log space. */
function nbTailBySum(k: number, mean: number, dispersion: number): number {
  const size = 1 / dispersion;
  const p = size / (size + mean);
  let below = 0;
  for (let j = 0; j < k; j++) {
    below += Math.exp(logGamma(j + size) - logGamma(size) - logGamma(j + 1) + size * Math.log(p) + j * Math.log1p(-p));
  }
  return 1 - below;
}

describe('count tail probabilities', () => {
  it('log-gamma matches factorials', () => {
    expect(logGamma(10)).toBeCloseTo(Math.log(362_880), 12);
    expect(logGamma(0.5)).toBeCloseTo(0.5 * Math.log(Math.PI), 12);
  });

  it('Poisson tails match closed forms and a published value', () => {
    expect(poissonUpperTail(3, 2)).toBeCloseTo(1 - 5 * Math.exp(-2), 14);
    expect(poissonUpperTail(1, 0.3)).toBeCloseTo(1 - Math.exp(-0.3), 14);
    // R: ppois(19, 10, lower.tail = FALSE)
    expect(poissonUpperTail(20, 10)).toBeCloseTo(0.003454342, 9);
    expect(poissonUpperTail(0, 5)).toBe(1);
  });

  it('binomial tails match exact counting', () => {
    expect(binomialUpperTail(8, 10, 0.5)).toBeCloseTo(56 / 1024, 14);
    expect(binomialUpperTail(10, 10, 0.3)).toBeCloseTo(0.3 ** 10, 16);
    expect(binomialUpperTail(11, 10, 0.3)).toBe(0);
  });

  it('a geometric negative binomial (size 1) has tail (m/(1+m))^k', () => {
    expect(negativeBinomialUpperTail(7, 3, 1)).toBeCloseTo((3 / 4) ** 7, 14);
  });

  it('negative binomial tails agree with a pmf sum and tend to Poisson', () => {
    for (const [k, mean, dispersion] of [
      [12, 4, 0.2],
      [60, 30, 0.05],
      [3, 0.8, 0.5],
    ] as const) {
      expect(negativeBinomialUpperTail(k, mean, dispersion)).toBeCloseTo(nbTailBySum(k, mean, dispersion), 10);
    }
    expect(negativeBinomialUpperTail(5300, 5000, 1e-9)).toBeCloseTo(poissonUpperTail(5300, 5000), 6);
  });

  it('over-dispersion makes the same count less surprising', () => {
    expect(negativeBinomialUpperTail(40, 20, 0.1)).toBeGreaterThan(poissonUpperTail(40, 20) * 100);
  });
});
