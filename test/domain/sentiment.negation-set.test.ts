import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { createSentimentAnalyser } from '../../src/domain/sentiment/sentiment.analyser.js';
import { labelFor, type ScoredLabel } from '../../src/domain/sentiment/sentiment.label.js';
import { CHECK_SETS, readCheckSet } from '../fixtures/sentiment/check-sets.js';

// The post-position negation check set (test/fixtures/sentiment/negation/): its figures, printed
// by this file, are the ones docs/sentiment.md reports. The floors only catch a collapse; the set
// was read while the rules were written, so it is no evidence of quality on its own.
const DIR = path.join(CHECK_SETS, 'negation');
const LABELS: ScoredLabel[] = ['positive', 'neutral', 'negative'];
const FLOOR: Record<string, number> = { hi: 0.8, ne: 0.8, ta: 0.6, gu: 0.8 };

const rows = (lang: string) => readCheckSet(DIR, lang);

function macroF1(truth: ScoredLabel[], predicted: ScoredLabel[]): number {
  let total = 0;
  for (const label of LABELS) {
    let tp = 0, fp = 0, fn = 0;
    truth.forEach((t, i) => {
      if (predicted[i] === label && t === label) tp++;
      else if (predicted[i] === label) fp++;
      else if (t === label) fn++;
    });
    total += tp ? (2 * tp) / (2 * tp + fp + fn) : 0;
  }
  return total / LABELS.length;
}

const analyser = createSentimentAnalyser();

describe('post-position negation check set', () => {
  for (const lang of Object.keys(FLOOR)) {
    it(`${lang}: at least ${FLOOR[lang]} of the labelled posts come out right`, () => {
      const set = rows(lang);
      expect(set.length).toBeGreaterThanOrEqual(15);
      const predicted = set.map((r) => labelFor(analyser.analyse(r.text, lang)!.score));
      const truth = set.map((r) => r.label);
      const accuracy = predicted.filter((p, i) => p === truth[i]).length / set.length;
      console.log(`negation set ${lang} n=${set.length}: accuracy ${accuracy.toFixed(3)} / macro-F1 ${macroF1(truth, predicted).toFixed(3)}`);
      expect(accuracy).toBeGreaterThanOrEqual(FLOOR[lang]!);
    });
  }
});
