import { describe, expect, it } from 'vitest';
import { pickSamples, sampleKey } from '../../src/domain/alerts/samples.js';

const c = (text: string, lang: string | null, sourceId: string | null = 's1') => ({ text, lang, sourceId });

describe('the samples of a negative spike', () => {
  it('tell reposts apart from posts: case, numbers of any script, links, punctuation and ZWNJ do not count', () => {
    expect(sampleKey('وکسا عالی است ولی کوفی افتضاح است. (13)')).toBe(sampleKey('وکسا عالی است ولی کوفی افتضاح است. (۸)'));
    expect(sampleKey('می‌خواهم Acme را پس بدهم')).toBe(sampleKey('میخواهم acme را پس بدهم!'));
    expect(sampleKey('ACME ate my order https://t.co/abc123')).toBe(sampleKey('Acme  ate my order… https://t.co/zzz'));
    expect(sampleKey('Acme ate my order')).not.toBe(sampleKey('Acme ate my parcel'));
  });

  it('tell retweets from posts: "RT", "RT:" and "RT @author:" before, or "RT" after, are a copy', () => {
    const post = 'Tiny Widgets broke after one day, terrible quality, total waste of money.';
    for (const copy of [`${post} RT`, `RT: ${post}`, `RT ${post}`, `RT @widget_fan: ${post}`, `rt @widget_fan ${post} https://t.co/x1`, `${post} RT https://t.co/abc`]) {
      expect(sampleKey(copy), copy).toBe(sampleKey(post));
    }
    // Only the marks go: a word that starts with the letters, or RT inside the text, stays.
    expect(sampleKey('RTL says Acme ate my order')).not.toBe(sampleKey('says Acme ate my order'));
    expect(sampleKey('Acme RT support never answers')).not.toBe(sampleKey('Acme support never answers'));
    const picked = pickSamples([c(post, 'en'), c(`${post} RT`, 'en', 's2'), c(`RT: ${post}`, 'en', 's3'), c('Tiny Widgets support never answers', 'en')], 5);
    expect(picked.map((p) => p.text)).toEqual([post, 'Tiny Widgets support never answers']);
  });

  it('keep the most negative of each set of copies, then take each language in turn, the most negative language first', () => {
    const picked = pickSamples([c('fa (13)', 'fa'), c('fa (8)', 'fa'), c('ta x', 'ta'), c('fa (3)', 'fa'), c('fa other', 'fa'), c('cs z', 'cs'), c('en w', 'en')], 5);
    expect(picked.map((p) => p.text)).toEqual(['fa (13)', 'ta x', 'cs z', 'en w', 'fa other']);
  });

  it('within a language take each source in turn, and never pad with copies', () => {
    const picked = pickSamples([c('a', 'en', 's1'), c('b', 'en', 's1'), c('c', 'en', 's1'), c('d', 'en', 's2'), c('e', null, null), c('A!', 'en', 's2')], 5);
    expect(picked.map((p) => p.text)).toEqual(['a', 'e', 'd', 'b', 'c']);
    expect(pickSamples([c('same 1', 'en'), c('same 2', 'en')], 5).map((p) => p.text)).toEqual(['same 1']);
  });
});
