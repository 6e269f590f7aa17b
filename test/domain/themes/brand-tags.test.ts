import { describe, expect, it } from 'vitest';
import { createScorer } from '../../../src/domain/scoring/scorer.js';
import { createBrandReader, readingOf } from '../../../src/domain/themes/brand-readings.js';

// A post praising one brand and attacking another, with the praised brand's tag at its end: the tag
// is the post's, not a word of its last clause. Before, the tag put the praised brand into the
// attacking clause, or handed it that clause, and it read as the whole post (negative). Found by an
// audit of the API sources (Hacker News, Mastodon, Bluesky posts in five languages).

const scorer = createScorer();
const BRANDS = [
  { id: 'lumo', name: 'Lumo', query: 'lumo OR #lumocoffee OR @lumocoffee' },
  { id: 'brew', name: 'Brewtopia', query: 'brewtopia OR #brewtopia' },
];
const reader = createBrandReader(BRANDS, scorer);
const IGNORE = ['lumo', '#lumocoffee', '@lumocoffee', 'brewtopia', '#brewtopia'];

function labels(text: string, lang: string) {
  const { lang: detected, sentiment } = scorer.score({ title: null, text, langHint: lang, ignore: IGNORE });
  const post = { label: sentiment.label, score: sentiment.score };
  const readings = reader.read({ title: null, text, lang: detected, ...post }, ['lumo', 'brew']);
  return { lumo: readingOf(readings, 'lumo', post).label, brew: readingOf(readings, 'brew', post).label };
}

const PRAISE_LUMO_ATTACK_BREW: Array<[lang: string, text: string]> = [
  ['en', 'Lumo is great, but Brewtopia is awful.'],
  ['cs', 'Lumo je skvělé, ale Brewtopia je hrozná.'],
  ['hi', 'Lumo बहुत अच्छा है, लेकिन Brewtopia बहुत खराब है।'],
  ['ta', 'Lumo நல்லது ஆனால் Brewtopia மோசமானது.'],
  ['fa', 'قهوه‌ساز Lumo عالی است ولی Brewtopia افتضاح است.'],
];

describe('a brand’s tags at the end of a post naming two brands', () => {
  for (const [lang, text] of PRAISE_LUMO_ATTACK_BREW) {
    const bare = text.replace(/[.।]$/u, '');
    for (const tagged of [`${text} #lumocoffee`, `${bare} #lumocoffee`, `${text}\n\n#lumocoffee #coffee`, `${bare} @lumocoffee #lumocoffee`]) {
      it(`${lang}: ${JSON.stringify(tagged)} is praise of Lumo and criticism of Brewtopia`, () => {
        expect(labels(text, lang)).toEqual({ lumo: 'positive', brew: 'negative' });
        expect(labels(tagged, lang)).toEqual({ lumo: 'positive', brew: 'negative' });
      });
    }
  }

  it('the attacked brand’s own tag at the end changes nothing either', () => {
    expect(labels('Lumo is great, but Brewtopia is awful #brewtopia', 'en')).toEqual({ lumo: 'positive', brew: 'negative' });
  });

  it('a brand named only by a tag at the end still shares the clause before it', () => {
    // Nothing else says anything of Lumo: it reads as the clause it is tagged on, as before.
    expect(labels('Brewtopia is awful #lumocoffee', 'en').lumo).toBe('negative');
  });

  it('a tag that is a word of its sentence stays in it', () => {
    // "I love #lumocoffee": without the tag the clause names no brand, so it is not the post's tags.
    expect(labels('Brewtopia is awful. I love #lumocoffee', 'en')).toEqual({ lumo: 'positive', brew: 'negative' });
  });
});
