import { parseDocument } from 'htmlparser2';
import type { ChildNode } from 'domhandler';
import { describe, expect, it } from 'vitest';
import { digestSubject, renderHtml, renderMarkdown, renderText, renderTrendSvg, type DigestDocument, type DigestSwotItem } from '../../src/domain/digests/index.js';
import { DIGEST_LANGUAGES, type DigestLanguage } from '../../src/domain/i18n/languages.js';
import { messagesOf } from '../../src/domain/i18n/messages.js';
import { digestDocument } from './digests/document.js';
import { fullDocument, quietDocuments, swotItems } from './digests/languages.js';

// Digests in the workspace's language: every word of the templates translated, plurals and
// figures as the language writes them, Persian right to left.

const OTHERS = DIGEST_LANGUAGES.filter((l) => l !== 'en');

/** What a reader of the HTML sees: its text, and the words of alt, aria-label and title attributes. */
function visibleText(html: string): string {
  const out: string[] = [];
  const walk = (nodes: ChildNode[]) => {
    for (const node of nodes) {
      if (node.type === 'text') out.push(node.data);
      if ('attribs' in node) {
        for (const name of ['alt', 'aria-label', 'title']) if (node.attribs[name]) out.push(node.attribs[name]);
        walk(node.children as ChildNode[]);
      }
    }
  };
  walk(parseDocument(html, { decodeEntities: true }).children as ChildNode[]);
  return out.join(' ');
}

const renderings = (doc: DigestDocument, lang?: DigestLanguage) => [
  renderText(doc, { lang }),
  renderMarkdown(doc, { lang }),
  visibleText(renderHtml(doc, { lang })),
  visibleText(renderHtml(doc, { lang, chart: { cid: 'trend' } })),
  visibleText(renderTrendSvg(doc, { lang, standalone: true })),
  digestSubject(doc, lang),
];

/** Words of three Latin letters or more, Markdown's escapes, HTML's entities and URLs' percent-escapes taken out first. */
const latinWords = (text: string) => {
  const plain = text.replace(/\\(.)/gu, '$1').replace(/&(?:amp|lt|gt|quot|#39);|%[0-9A-F]{2}/giu, ' ');
  return new Set((plain.match(/[A-Za-z]{3,}/gu) ?? []).map((w) => w.toLowerCase()));
};

/**
 * Every string of the document that is data (names, posts, terms, targets, errors, ids, the zone),
 * whose words are no template's: `has(word)` when a data string holds it (a long word is cut into
 * pieces by the renderings).
 */
function dataWords(doc: DigestDocument): { has(word: string): boolean } {
  const strings: string[] = [];
  const collect = (value: unknown, key = '') => {
    if (typeof value === 'string' && !['language', 'sentence', 'state', 'status', 'reason', 'rule', 'role'].includes(key)) strings.push(value);
    else if (Array.isArray(value)) value.forEach((v) => collect(v));
    else if (value && typeof value === 'object') for (const [k, v] of Object.entries(value)) if (k !== 'summary') collect(v, k);
  };
  collect(doc);
  const all = strings.join(' ').toLowerCase();
  return { has: (word) => all.includes(word) };
}

/** Words every language writes as English does: the product's name, the SWOT acronym. */
const SHARED = new Set(['earshot', 'swot']);
/**
 * Words that are the language's own as well as English: in Czech "sentiment", "min" (minutes) and
 * "webhook", which Czech has no word of its own for (and the setting's name).
 */
const ALSO_THEIRS: Partial<Record<DigestLanguage, string[]>> = { cs: ['sentiment', 'min', 'webhook'] };

async function allDocuments(lang: DigestLanguage) {
  return [await fullDocument(lang), ...(await quietDocuments(lang))];
}

describe('a digest in each language', () => {
  it.each(OTHERS)('%s: no word of the English templates is left, in any rendering or the subject', async (lang) => {
    const leftovers = new Set<string>();
    for (const doc of await allDocuments(lang)) {
      const english = new Set<string>();
      for (const out of renderings(doc, 'en')) for (const w of latinWords(out)) english.add(w);
      const data = dataWords(doc);
      for (const out of renderings(doc)) {
        for (const w of latinWords(out)) {
          if (english.has(w) && !data.has(w) && !SHARED.has(w) && !ALSO_THEIRS[lang]?.includes(w)) leftovers.add(w);
        }
      }
    }
    expect([...leftovers]).toEqual([]);
  });

  it.each(OTHERS)('%s: says everything the English digest says, section by section and sentence by sentence', async (lang) => {
    const doc = await fullDocument(lang);
    const m = messagesOf(lang);
    const text = renderText(doc);
    for (const title of [...Object.values(m.sections), ...Object.values(m.quadrants)]) expect(text).toContain(title);
    // Every SWOT sentence written from its facts, none of them the stored English one.
    for (const item of swotItems(doc)) expect(text).not.toContain(item.summary.slice(0, 20));
    expect(swotItems(doc).every((item) => item.summaryFacts)).toBe(true);
    expect(text.split('\n').filter((line) => line.startsWith('  * ')).length).toBe(swotItems(doc).length);
  });

  const SWOT_HEADINGS: Record<Exclude<DigestLanguage, 'en'>, string> = {
    cs: 'SWOT analýza', fa: 'تحلیل SWOT', hi: 'SWOT विश्लेषण', ne: 'SWOT विश्लेषण', gu: 'SWOT વિશ્લેષણ', ta: 'SWOT பகுப்பாய்வு',
  };

  it.each(OTHERS)('%s: heads the SWOT section in the language, the acronym inside a phrase of its own', async (lang) => {
    const doc = await fullDocument(lang);
    expect(messagesOf(lang).sections.swot).toBe(SWOT_HEADINGS[lang]);
    expect(renderText(doc)).toContain(`\n${SWOT_HEADINGS[lang]}\n`);
    expect(renderMarkdown(doc)).toContain(`\n## ${SWOT_HEADINGS[lang]}\n`);
    expect(renderHtml(doc)).toContain(`>${SWOT_HEADINGS[lang]}</h2>`);
  });

  it('writes the English digest as it always did: the stored SWOT sentences, the English words', async () => {
    const doc = await fullDocument('en');
    const text = renderText(doc);
    for (const item of swotItems(doc)) expect(text).toContain(item.summary);
    expect(text).toContain("12 of the workspace's 15 sources are not read in full (8 failing, 2 switched off, 1 partly failing, 1 not read for part of the period), so this digest may miss mentions from them:");
    expect(renderHtml(doc)).toContain('<html lang="en" dir="ltr">');
  });
});

describe('Czech plurals', () => {
  const brandsWith = (counts: number[]): DigestDocument => {
    const base = digestDocument();
    return { ...base, language: 'cs', brands: counts.map((mentions, i) => ({ ...base.brands[0]!, brandId: `b${i}`, name: `Značka${i}`, mentions, previousMentions: 0 })) };
  };

  it('one, few and many: 1 zmínka, 2–4 zmínky, 0 and 5+ zmínek', () => {
    const text = renderText(brandsWith([1, 2, 3, 4, 5, 0, 11, 22]));
    for (const [n, word] of [[1, 'zmínka'], [2, 'zmínky'], [3, 'zmínky'], [4, 'zmínky'], [5, 'zmínek'], [0, 'zmínek'], [11, 'zmínek'], [22, 'zmínek']] as const) {
      expect(text).toContain(`: ${n} ${word} (dříve 0,`);
    }
  });

  it('counts sources and "more" the same way', async () => {
    const m = messagesOf('cs');
    expect([1, 3, 7].map((n) => m.sources.more(n))).toEqual(['a 1 další', 'a 3 další', 'a 7 dalších']);
    expect([2, 5].map((n) => m.sources.allFetching(n))).toEqual([
      '2 zapnuté zdroje pracovního prostoru stahují bez chyb: nic staženého nezmínilo žádnou značku.',
      '5 zapnutých zdrojů pracovního prostoru stahuje bez chyb: nic staženého nezmínilo žádnou značku.',
    ]);
    expect(m.swot.reason({ reason: 'own_too_few', own: 'Acme', mentions: 3, needed: 20 })).toBe('značka Acme má v období 3 zmínky; potřeba je alespoň 20');
  });

  it('writes numbers, percentages and dates the Czech way', async () => {
    const text = renderText(await fullDocument('cs'));
    expect(text).toMatch(/podíl hlasu \d+,\d\u00A0%/u);
    expect(text).toContain('Spočítáno v 20\u00A0000 nejnovějších zmínkách');
    // Kathmandu is UTC+5:45: the period's first day starts at 23:15 there.
    expect(text).toContain('Dny v časovém pásmu Asia/Kathmandu: 9. 11. od 23:15, 15. 11. do 23:15.');
  });
});

describe('Hindi and Tamil: the verb and postposition agree with the count', () => {
  it('one mention takes the singular, more the plural', () => {
    const hi = messagesOf('hi');
    expect(hi.swot.reason({ reason: 'own_too_few', own: 'Acme', mentions: 1, needed: 20 })).toBe('इस अवधि में Acme का 1 उल्लेख है; कम से कम 20 चाहिए');
    expect(hi.swot.reason({ reason: 'own_too_few', own: 'Acme', mentions: 3, needed: 20 })).toBe('इस अवधि में Acme के 3 उल्लेख हैं; कम से कम 20 चाहिए');
    // Before में से the plural noun is oblique: उल्लेखों.
    expect(hi.swotSample({ period: { read: 10, of: 40 }, before: null })).toContain('इस अवधि के 40 उल्लेखों में से सबसे नए 10');
    const ta = messagesOf('ta');
    expect(ta.swot.reason({ reason: 'own_too_few', own: 'Acme', mentions: 1, needed: 20 })).toContain('Acme க்கு 1 குறிப்பு உள்ளது;');
    expect(ta.swot.reason({ reason: 'competitors_too_few', mentions: 3, needed: 20 })).toContain('போட்டியாளர்களுக்கு 3 குறிப்புகள் உள்ளன;');
  });
});

describe('Persian, right to left', () => {
  const RLM = '\u200F';
  const FSI = '\u2068';
  const PDI = '\u2069';

  it('is an HTML page lang="fa" dir="rtl", its sentences and lists right to left, the Latin names isolated', async () => {
    const html = renderHtml(await fullDocument('fa'));
    expect(html).toContain('<html lang="fa" dir="rtl">');
    expect(html).toMatch(/<h1 dir="rtl" [^>]*>گزارش Earshot: <bdi>Acme &lt;Marketing&gt; &amp; Co<\/bdi><\/h1>/u);
    expect(html).not.toContain('dir="ltr"');
    expect(html).toContain('<li dir="rtl" style="font-family:Arial,Helvetica,sans-serif;font-size:14px;color:#333;margin:0 0 8px;"><bdi>Acme</bdi> به خاطر «<bdi>customer service</bdi>» تحسین می‌شود');
    // Headers and figures on the page's own sides: a header at the right, a figure at the left.
    expect(html).toContain('text-align:right;color:#555;');
    expect(html).toContain('padding-right:20px;');
    // The chart keeps time running left to right.
    expect(html).toContain('direction="ltr"');
  });

  it('marks plain text and Markdown for a right-to-left reader: RLM before a line that starts with a Latin name, the name isolated', async () => {
    const doc = await fullDocument('fa');
    const text = renderText(doc);
    expect(text).toContain(`\n  * ${RLM}${FSI}Acme${PDI} به خاطر «${FSI}customer service${PDI}» تحسین می‌شود`);
    // A line that starts in Persian needs no mark.
    expect(text).toContain('\nروند احساسات\n');
    expect(text).toContain('\nتحلیل SWOT\n');
    const markdown = renderMarkdown(doc);
    expect(markdown).toContain(`\n- ${RLM}${FSI}Acme${PDI} به خاطر «${FSI}customer service${PDI}»`);
    expect(markdown).toContain('\n## روند احساسات\n');
    // Persian figures and the subject, right to left from its first word.
    expect(text).toContain('۱۲ اشاره');
    expect(digestSubject(doc)).toMatch(new RegExp(`^گزارش Earshot برای Acme <Marketing> & Co${RLM}: `, 'u'));
  });

  it('joins a date and its time with the Persian comma, never a Latin one', async () => {
    const doc = await fullDocument('fa');
    for (const out of [renderText(doc), renderMarkdown(doc), visibleText(renderHtml(doc)), digestSubject(doc)]) {
      expect(out).not.toMatch(/[\u06F0-\u06F9],/u);
    }
    // The top mention, the alert, a source's last success: day, Arabic comma, time.
    const text = renderText(doc);
    for (const dateTime of ['۲۰۲۶/۱۱/۱۱، ۱۴:۴۵', '۲۰۲۶/۱۱/۱۲، ۱۹:۴۵', '۲۰۲۶/۱۱/۲، ۱۵:۰۰']) expect(text).toContain(dateTime);
    expect(visibleText(renderHtml(doc))).toContain('۲۰۲۶/۱۱/۱۱، ۱۴:۴۵');
  });

  it('keeps a Persian name as it is inside a Persian sentence, and isolates it inside an English one', async () => {
    const doc = { ...(await fullDocument('fa')), brands: digestDocument().brands.map((b) => (b.brandId === 'acme' ? { ...b, name: 'کافه آروما' } : b)) };
    const text = renderText(doc);
    expect(text).toContain('\nکافه آروما (برند خودی): ');
    expect(renderText(doc, { lang: 'en' })).toContain(`\n\u200E${FSI}کافه آروما${PDI} (own): `);
  });
});

describe('a date with its time', () => {
  // The top Persian mention, at 09:00 UTC, on the digest's clock (Asia/Kathmandu, UTC+5:45).
  const FORMS: Record<DigestLanguage, string> = {
    en: '2026-11-11 14:45',
    cs: '11. 11. 2026 14:45',
    fa: '۲۰۲۶/۱۱/۱۱، ۱۴:۴۵',
    hi: '11/11/2026, 14:45',
    ne: '२०२६-११-११, १४:४५',
    gu: '11/11/2026 14:45',
    ta: '11/11/2026, 14:45',
  };

  it.each(DIGEST_LANGUAGES)('%s: is joined as the language writes it, with a comma of its own script or none', async (lang) => {
    const doc = await fullDocument(lang);
    for (const out of [renderText(doc), renderMarkdown(doc), visibleText(renderHtml(doc))]) expect(out).toContain(FORMS[lang]);
  });
});

describe('the e-mail subject, a plain-text header', () => {
  const LRM = '\u200E';
  const RLM = '\u200F';
  const BIDI_CONTROLS = /[\u200E\u200F\u061C\u202A-\u202E\u2066-\u2069]/u;
  const ISOLATES = /[\u2066-\u2069]/u;
  const named = async (lang: DigestLanguage, name: string) => ({ ...(await fullDocument(lang)), workspace: { ...digestDocument().workspace, name } });

  it('in English, with an English workspace name, holds no bidi control', async () => {
    const subject = digestSubject(await named('en', 'Acme Coffee Ltd.'));
    expect(subject).toBe('Earshot digest for Acme Coffee Ltd.: 2026-11-09 – 2026-11-16 (Asia/Kathmandu)');
    expect(subject).not.toMatch(BIDI_CONTROLS);
  });

  it('in Persian, with a Latin workspace name: no isolates, an RLM after the name so the colon and dates stay right to left', async () => {
    const subject = digestSubject(await named('fa', 'Kavárny Praha'));
    expect(subject).toBe(`گزارش Earshot برای Kavárny Praha${RLM}: ۲۰۲۶/۱۱/۹ تا ۲۰۲۶/۱۱/۱۶ (Asia/Kathmandu)`);
    expect(subject).not.toMatch(ISOLATES);
    // A name that ends (or starts) in punctuation keeps it on its own side with an LRM.
    expect(digestSubject(await named('fa', '"Acme" Inc.'))).toBe(`گزارش Earshot برای ${LRM}"Acme" Inc.${LRM}${RLM}: ۲۰۲۶/۱۱/۹ تا ۲۰۲۶/۱۱/۱۶ (Asia/Kathmandu)`);
  });

  it('in Persian, with a Persian workspace name, holds no bidi control', async () => {
    expect(digestSubject(await named('fa', 'کافه آروما'))).toBe('گزارش Earshot برای کافه آروما: ۲۰۲۶/۱۱/۹ تا ۲۰۲۶/۱۱/۱۶ (Asia/Kathmandu)');
  });

  it('in a left-to-right language, with a Persian workspace name: an LRM after the name, and first where the name opens the line', async () => {
    expect(digestSubject(await named('en', 'کافه آروما'))).toBe(`Earshot digest for کافه آروما${LRM}: 2026-11-09 – 2026-11-16 (Asia/Kathmandu)`);
    expect(digestSubject(await named('hi', 'کافه آروما'))).toBe(`${LRM}کافه آروما${LRM} के लिए Earshot सारांश: 9/11/2026 – 16/11/2026 (Asia/Kathmandu)`);
    for (const lang of DIGEST_LANGUAGES) expect(digestSubject(await named(lang, 'کافه آروما'))).not.toMatch(ISOLATES);
  });
});

describe('the language a digest is read in', () => {
  it('is its own, or the one asked for; a digest made before the language was recorded is read in English', async () => {
    const czech = await fullDocument('cs');
    expect(renderText(czech)).toContain('\nZnačky\n======\n');
    expect(renderText(czech, { lang: 'ta' })).toContain('\nபிராண்டுகள்\n');
    expect(digestSubject(czech, 'en')).toMatch(/^Earshot digest for /u);
    const { language: _language, ...old } = czech;
    expect(renderText(old)).toContain('\nBrands\n======\n');
    expect(renderMarkdown(old)).toContain('\n## Brands\n');
    expect(renderHtml(old)).toContain('<html lang="en" dir="ltr">');
  });

  it('shows the stored English SWOT sentence where a digest kept no facts for it', async () => {
    const doc = digestDocument();
    // As a digest stored before the SWOT kept its facts: the items without them.
    const old = (items: DigestSwotItem[]) => items.map(({ summaryFacts: _facts, ...rest }) => rest);
    const swot = doc.swot!;
    const stored = { ...swot, strengths: old(swot.strengths), weaknesses: old(swot.weaknesses), opportunities: old(swot.opportunities), threats: old(swot.threats) };
    const text = renderText({ ...doc, swot: stored, language: 'cs' });
    expect(text).toContain('\nSilné stránky:\n  * Acme is praised for "customer service"');
  });

  it('writes the SWOT\'s "not enough data" reason in the language, and as stored when it cannot be told again', async () => {
    const [, , , , , , own] = await quietDocuments('cs');
    expect(renderText(own!)).toContain('Nedostatek dat: značka Acme má v období 1 zmínka; potřeba je alespoň 20');
    const other = { ...own!, swot: { ...own!.swot!, reason: 'some reason written by another version' } };
    expect(renderText(other)).toContain('Nedostatek dat: some reason written by another version');
  });
});
