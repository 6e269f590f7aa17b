import { describe, expect, it } from 'vitest';
import { firstOfEachText, textFingerprint } from '../../../src/domain/text/fingerprint.js';

describe('textFingerprint: the key copies of one post share', () => {
  it('is the same for copies that differ in links, @handles, case, spacing and Unicode composition', () => {
    const key = textFingerprint('Moka Lux adds oat milk', 'Moka Lux offers oat milk at no extra charge.');
    const copies: Array<[string | null, string]> = [
      ['MOKA LUX adds oat milk', 'Moka Lux offers oat milk  at no\textra charge.'],
      ['Moka Lux adds oat milk', 'Moka Lux offers oat milk at no extra charge. https://t.co/abc123?x=1 @mokalux'],
      ['Moka Lux adds oat milk', '@mokalux@mastodon.social Moka Lux offers oat milk at no extra charge. www.example.com/oat'],
      [' Moka Lux adds oat milk\n', '\u00A0Moka Lux offers oat milk at no extra charge.\r\n'],
    ];
    for (const [title, text] of copies) expect(textFingerprint(title, text), `${title} | ${text}`).toBe(key);
  });

  it('folds every script as stored terms are folded: NFC, then lower case', () => {
    // Š as S + combining caron, and as one character.
    expect(textFingerprint(null, 'S\u030Ckoda je SUPER')).toBe(textFingerprint(null, '\u0160koda je super'));
    expect(textFingerprint(null, 'ΚΑΦΈΣ')).toBe(textFingerprint(null, 'καφές'));
    // Scripts without case are kept as written, ZWNJ included (Persian spelling).
    expect(textFingerprint(null, 'قهوه  می‌خواهم @kafe')).toBe('قهوه می‌خواهم');
    expect(textFingerprint(null, 'कॉफ़ी अच्छी है https://x.in')).toBe('कॉफ़ी अच्छी है');
    expect(textFingerprint(null, 'காபி மிகவும் அருமை')).toBe('காபி மிகவும் அருமை');
  });

  it('tells apart what differs in words, hashtags or punctuation, and keeps e-mail addresses', () => {
    const base = textFingerprint(null, 'Oat milk at no extra charge');
    expect(textFingerprint(null, 'Oat milk at no extra charge #oatmilk')).not.toBe(base);
    expect(textFingerprint(null, 'Soy milk at no extra charge')).not.toBe(base);
    expect(textFingerprint(null, 'Oat milk at no extra charge?')).not.toBe(base);
    expect(textFingerprint(null, 'write to help@aroma.cz')).toBe('write to help@aroma.cz');
  });

  it('reads the title and the text as one text: a post whose title repeats elsewhere as text is the same post', () => {
    expect(textFingerprint('Oat milk', 'at no extra charge')).toBe(textFingerprint(null, 'Oat milk at no extra charge'));
    expect(textFingerprint(undefined, 'only links: https://a.example/ @someone')).toBe('only links:');
    expect(textFingerprint(null, 'https://a.example/')).toBe('');
  });
});

describe('firstOfEachText: one item per text, the rule keywords, the word cloud and the SWOT share', () => {
  it('keeps the first copy of each text in order, shows it each later copy, and lets a text of links alone stand for itself', async () => {
    const rows = [
      { id: 1, title: null, text: 'Oat milk at no extra charge https://a.example/1' },
      { id: 2, title: null, text: 'Links only: https://a.example/' },
      { id: 3, title: null, text: 'OAT  milk at no extra charge @aroma' },
      { id: 4, title: null, text: 'https://b.example/' },
      { id: 5, title: null, text: 'https://c.example/' },
      { id: 6, title: null, text: 'Soy milk costs extra' },
    ];
    const copies: Array<[number, number]> = [];
    const kept = await firstOfEachText(rows, (r) => r, (held, copy) => copies.push([held.id, copy.id]));
    expect(kept.map((r) => r.id)).toEqual([1, 2, 4, 5, 6]);
    expect(copies).toEqual([[1, 3]]);
  });
});
