import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { parse } from './feeds/support.js';
import { csvCell } from '../../src/domain/mentions/csv.js';
import { compileWorkspace, matchQuery, parseQuery } from '../../src/domain/query/index.js';
import { extractTerms } from '../../src/domain/text/terms.js';
import { extractHashtags, searchForm } from '../../src/domain/text/tokens.js';

const item = (text: string, extra: { title?: string; author?: string; hashtags?: string[] } = {}) => ({
  title: extra.title ?? null,
  text,
  url: null,
  author: extra.author ?? null,
  lang: null,
  sourceType: 'rss' as const,
  hashtags: extra.hashtags ?? [],
  handles: [],
});
const matches = (query: string, text: string, extra?: Parameters<typeof item>[1]) => matchQuery(query, item(text, extra)) !== null;

describe('the soft hyphen (&shy;) is a line-breaking hint, not a word break', () => {
  it('a feed item loses it, so what is stored is the word, and keeps the key it had', async () => {
    const feed = (title: string) =>
      `<?xml version="1.0"?><rss version="2.0"><channel><title>t</title><link>https://example.com/</link>` +
      `<item><title>${title}</title><description>&lt;p&gt;Ško&amp;shy;da Auto&amp;shy;mobilka&lt;/p&gt;</description></item></channel></rss>`;
    const [withHyphens] = (await parse(feed('Ško&#173;da'))).items;
    expect(withHyphens).toMatchObject({ title: 'Škoda', text: 'Škoda Automobilka' });
    // An item with neither id nor link is keyed by a hash of what it says: the hyphens count, as they did.
    const [without] = (await parse(feed('Škoda'))).items;
    expect(withHyphens!.itemKey).not.toBe(without!.itemKey);
    expect(withHyphens!.itemKey).toBe('sha256:' + createHash('sha256').update('Ško\u00ADda\nŠko\u00ADda Auto\u00ADmobilka\n').digest('hex'));
  });

  it('a hashtag with one inside is the whole tag', () => {
    expect(extractHashtags('#Ško\u00ADdaAuto')).toEqual(['škodaauto']);
  });

  it('a query finds the word in text stored with it', () => {
    expect(matches('škoda', 'Ško\u00ADda je nejlepší')).toBe(true);
    expect(matches('"škoda auto"', 'Ško\u00ADda Au\u00ADto')).toBe(true);
  });

  it('terms count the word, not its halves', () => {
    expect(extractTerms('Ško\u00ADda vyrábí auta', { lang: 'cs' }).map((t) => t.term)).toContain('škoda');
  });
});

describe('Hindi with and without the nukta', () => {
  it('कॉफ़ी and कॉफी are one word to every query, either way round, composed or not', () => {
    expect(matches('कॉफी', 'आज की कॉफ़ी अच्छी थी')).toBe(true);
    expect(matches('कॉफ़ी', 'आज की कॉफी अच्छी थी')).toBe(true);
    // क़ written as one character (U+0958) is क and the nukta once normalised.
    expect(matches('किस्सा', 'एक \u0958िस्सा')).toBe(true);
    expect(matches('"ज़रूर पीजिए"', 'जरूर पीजिए')).toBe(true);
    const workspace = compileWorkspace([{ id: 'b', query: 'कॉफ़ी* OR #ज़ायका' }]);
    expect(workspace.match(item('कॉफीहाउस में #जायका'))).toEqual([{ brandId: 'b', keywords: ['कॉफ़ी*', '#ज़ायका'] }]);
  });

  it('leaves other scripts and marks alone', () => {
    expect(searchForm('कॉफ़ी')).toBe('कॉफी');
    expect(matches('कोफी', 'कॉफ़ी')).toBe(false);
  });
});

describe('Persian and Arabic letters people type for one another', () => {
  it('ي and ی, ك and ک, ى and ی are one letter to every query, either way round', () => {
    expect(matches('دیجیکالا', 'خرید از ديجيكالا')).toBe(true);
    expect(matches('ديجيكالا', 'خرید از دیجیکالا')).toBe(true);
    expect(matches('علی', 'سلام على')).toBe(true);
  });

  it('the ZWNJ may be there or not, and a tatweel changes nothing', () => {
    expect(matches('دیجی‌کالا', 'خرید از دیجیکالا')).toBe(true);
    expect(matches('دیجیکالا', 'خرید از دیجی‌کالا')).toBe(true);
    expect(matches('ایران', 'سفر به ایـران')).toBe(true);
    expect(matches('"می‌خواهم بخرم"', 'من میخواهم بخرم')).toBe(true);
  });

  it('a whole word is still whole, and a prefix finds the word with a suffix after the ZWNJ', () => {
    expect(matches('می', 'من می‌خواهم')).toBe(false);
    expect(matches('کتاب', 'این کتاب‌ها')).toBe(false);
    expect(matches('کتاب*', 'این کتاب‌ها')).toBe(true);
  });

  it('hashtags compare in the same form, and the keyword is the tag as the query wrote it', () => {
    expect(matchQuery('#دیجیکالا', item('سلام #ديجي‌كالا'))).toEqual({ keywords: ['#دیجیکالا'] });
    expect(matches('#ایران۱۴۰۲', 'سلام #ايران١٤٠٢')).toBe(true);
    const workspace = compileWorkspace([{ id: 'b', query: '#دیجیکالا' }]);
    expect(workspace.match(item('سلام #ديجيكالا'))).toEqual([{ brandId: 'b', keywords: ['#دیجیکالا'] }]);
  });

  it('the workspace matcher finds the brand through its anchors whatever the spelling', () => {
    const workspace = compileWorkspace([{ id: 'b', query: 'دیجی‌کالا NEAR/3 تهران' }]);
    expect(workspace.match(item('ديجيكالا در تهران'))).toEqual([{ brandId: 'b', keywords: ['دیجی‌کالا', 'تهران'] }]);
  });

  it('author: compares in the same form', () => {
    expect(matches('author:"علی رضایی" سلام', 'سلام', { author: 'علي رضايي' })).toBe(true);
  });

  it('native digits are digits', () => {
    expect(searchForm('۱۴۰۲ ١٤٠٢ २०२४ ૨૦૨૪ ௨௦௨௪')).toBe('1402 1402 2024 2024 2024');
    expect(matches('iphone 15', 'iphone ۱۵ رسید')).toBe(true);
  });

  it('text without any of those characters is returned as it is', () => {
    const text = 'नमस्ते दुनिया škoda தமிழ்';
    expect(searchForm(text)).toBe(text);
    expect(parseQuery('नमस्ते')).toEqual({ type: 'term', text: 'नमस्ते', words: ['नमस्ते'], prefix: false });
  });

  it("terms merge the spellings, and leave out the brand's name however it is spelt", () => {
    const terms = extractTerms('ديجيكالا ارسال سريع دارد. دیجی‌کالا ارسال سریع دارد.', { lang: 'fa', exclude: new Set(['دیجی‌کالا']) });
    expect(terms.map((t) => t.term).filter((t) => t.includes('کالا') || t.includes('كالا'))).toEqual([]);
    expect(new Set(extractTerms('ارسال سريع. ارسال سریع.', { lang: 'fa' }).map((t) => t.key)).size).toBe(
      extractTerms('ارسال سریع.', { lang: 'fa' }).length,
    );
  });
});

describe('CSV cells', () => {
  it('a formula behind invisible marks or spaces is neutralised too', () => {
    expect(csvCell('\u200F=HYPERLINK("x")')).toBe(`"'\u200F=HYPERLINK(""x"")"`);
    expect(csvCell('\u200E+1')).toBe("'\u200E+1");
    expect(csvCell('\u2067\u200F@SUM(A1)')).toBe("'\u2067\u200F@SUM(A1)");
    expect(csvCell(' =1+1')).toBe("' =1+1");
    expect(csvCell('\u200Fسلام = درود')).toBe('\u200Fسلام = درود');
  });

  it("a formula after a ';' is neutralised, for spreadsheets that cut cells at ';' (Czech, German, French settings)", () => {
    expect(csvCell("ok;=cmd|' /C calc'!A0;")).toBe("ok;'=cmd|' /C calc'!A0;");
    expect(csvCell('Škoda; \u200F+420 cena; -5 %; @acme')).toBe("Škoda;' \u200F+420 cena;' -5 %;' @acme");
    // A ';' before ordinary text changes nothing, and numbers are never guarded.
    expect(csvCell('cena; kvalita; 5 = 5')).toBe('cena; kvalita; 5 = 5');
    expect(csvCell(';=1', { text: false })).toBe(';=1');
  });
});
