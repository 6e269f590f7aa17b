import { describe, expect, it } from 'vitest';
import { detectLanguage } from '../../../src/domain/language/language.detect.js';
import { createScorer } from '../../../src/domain/scoring/scorer.js';
import { createTokeniser } from '../../../src/domain/sentiment/sentiment.tokens.js';

// A link or an e-mail address in a post is no word of it: "http://evil.example" says nothing of what
// the post thinks (an audit's `=HYPERLINK("http://evil.example","Acme Coffee")` read negative, −0.66).
const scorer = createScorer();
const tokenise = createTokeniser({ clauses: true });
const words = (text: string) => tokenise(text).tokens.map((t) => t.norm);

describe('links and e-mail addresses', () => {
  it('are cut out by the tokeniser, with the tags and marks inside them, in any case', () => {
    expect(words('see http://evil.example/bad?x=1#awful now :)')).toEqual(['see', 'now', ':)']);
    expect(tokenise('HTTPS://Acme.example/?q=hate! ok').questions).toBe(0);
    expect(words('menu at www.acme.example/awful-deals.')).toEqual(['menu', 'at']);
    expect(words('write to angry.customers+hate@acme-coffee.example, thanks')).toEqual(['write', 'to', 'thanks']);
    expect(words('=HYPERLINK("http://evil.example","Acme Coffee")')).toEqual(['hyperlink', 'acme', 'coffee']);
    // What is no link stays: a handle, "Awww.", an address without a domain.
    expect(words('@evil Awww. Great support@acme')).toEqual(['evil', 'awww', 'great', 'support', 'acme']);
  });

  it('are looked for in time that grows with the text, not its square, in hostile text', () => {
    // A run of an address's characters with no @ in it: each of its dots once began a new try.
    for (const run of ['a.'.repeat(50_000), 'a-'.repeat(50_000), 'x_'.repeat(50_000)]) {
      const text = `@acme ${run} mail me@x`;
      const started = performance.now();
      tokenise(text);
      detectLanguage(text);
      // Before: about 4 s each on a 2-core machine; now about 25 ms.
      expect(performance.now() - started).toBeLessThan(1_000);
    }
  });

  it('keep the punctuation that ends them: a clause still ends after a link', () => {
    const { tokens } = tokenise('Not https://acme.example. Great coffee');
    expect(tokens.map((t) => [t.norm, t.clauseEnd])).toEqual([['not', 1], ['great', 0], ['coffee', 0]]);
  });

  it('carry no sentiment into the score', () => {
    const hyperlink = scorer.score({ title: null, text: '=HYPERLINK("http://evil.example","Acme Coffee")', ignore: ['acme coffee'] });
    expect(hyperlink.sentiment.label).not.toBe('negative');
    expect(scorer.score({ title: null, text: 'Great coffee at Acme, menu at https://acme.example/awful-deals' }).sentiment.score)
      .toBeCloseTo(scorer.score({ title: null, text: 'Great coffee at Acme, menu at' }).sentiment.score, 6);
    expect(scorer.score({ title: null, text: 'Reklamace pište na hate.the.worst@kofola.cz' })).toMatchObject({ lang: 'cs', sentiment: { label: 'neutral' } });
  });

  it('do not sway language detection', () => {
    expect(detectLanguage('Reklamace pište na the.best.love@acme.example')).toEqual(detectLanguage('Reklamace pište na'));
    expect(detectLanguage('Pište na the.best@acme.example nebo volejte').lang).toBe('cs');
  });
});
