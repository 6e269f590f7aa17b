import { describe, expect, it } from 'vitest';
import { createScorer } from '../../src/domain/scoring/scorer.js';

describe('createScorer', () => {
  const scorer = createScorer();

  it('labels a clearly positive English text positive, with the model version attached', () => {
    const result = scorer.score({ title: null, text: 'I love this phone, the camera is great' });
    expect(result.lang).toBe('en');
    expect(result.sentiment.label).toBe('positive');
    expect(result.sentiment.score).toBeGreaterThan(0);
    expect(result.sentiment.model).toBe(scorer.model);
  });

  it('labels a clearly negative English text negative', () => {
    const result = scorer.score({ title: 'Awful support', text: 'this is terrible and I hate it' });
    expect(result.sentiment.label).toBe('negative');
    expect(result.sentiment.score).toBeLessThan(0);
  });
});
