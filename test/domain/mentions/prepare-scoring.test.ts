import { describe, expect, it } from 'vitest';
import type { SourceItem } from '../../../src/connectors/connector.types.js';
import { keywordsOf, prepareMentions } from '../../../src/domain/mentions/ingest.js';
import { compileWorkspace, matchQuery, type QueryNode } from '../../../src/domain/query/index.js';
import { createScorer, declaredLanguage, NOT_SCORED, SENTIMENT_MODEL, type DetectedLanguage, type Scorer } from '../../../src/domain/scoring/scorer.js';
import { sourceItem } from '../../support/seed.js';

// Most of a feed matches no brand, and no one sees those items until a brand links them: a poll
// scores the items that matched and stores the rest unscored (the rematch that links one scores
// it). An item's language is detected only when a brand's `lang:` filter is reached for it.

const item = (itemKey: string, title: string, text: string, langHint: string | null = null): SourceItem =>
  sourceItem({ itemKey, url: `https://news.example.com/${itemKey}`, title, text, langHint });

const ITEMS = [
  item('en-match', 'Acme is wonderful', 'I love the new roast from Acme, truly excellent and delicious.'),
  item('cs-match', 'Káva od Acme', 'Acme: nejlepší káva ve městě, opravdu skvělá a výborná chuť.'),
  item('en-raw', 'Weather', 'The weather in Prague is terrible today, awful rain and cold wind.'),
  item('cs-raw', 'Počasí', 'V Praze je dnes hrozné počasí, celý den prší a fouká studený vítr.'),
  item('de-declared', 'Wetter', 'Das Wetter in Berlin ist heute schrecklich, es regnet den ganzen Tag.', 'de-AT'),
];

/** The real scorer, counting what it is asked: which texts were detected, and which scored with a detection handed over. */
function countingScorer() {
  const scorer = createScorer();
  const calls = { detect: 0, score: 0 };
  const detectedTexts: string[] = [];
  const answers = new Map<string, DetectedLanguage>();
  const scored: Array<{ text: string; reused: boolean }> = [];
  const counted: Scorer = {
    model: scorer.model,
    detect: (input) => {
      calls.detect++;
      detectedTexts.push(input.text);
      const answer = scorer.detect(input);
      answers.set(input.text, answer);
      return answer;
    },
    score: (input, detected) => {
      calls.score++;
      scored.push({ text: input.text, reused: detected !== undefined && detected === answers.get(input.text) });
      return scorer.score(input, detected);
    },
  };
  return { scorer: counted, calls, detectedTexts, scored };
}

async function prepare(queries: Array<string | QueryNode>, scorer: Scorer, items: readonly SourceItem[] = ITEMS) {
  const matcher = compileWorkspace(queries.map((query, i) => ({ id: `brand-${i}`, query })));
  const prepared = await prepareMentions({ items, sourceType: 'rss', fetchedAt: new Date(), isBacklog: false, scorer, matcher });
  return Object.fromEntries(prepared.map((m) => [m.itemKey, m]));
}

const textOf = (key: string) => ITEMS.find((i) => i.itemKey === key)!.text;

describe('scoring a poll', () => {
  it('scores the items a brand matched and stores the others unscored, without detecting their language', async () => {
    const { scorer, calls } = countingScorer();
    const byKey = await prepare(['acme'], scorer);
    const reference = createScorer();
    for (const key of ['en-match', 'cs-match']) {
      const { title, text } = ITEMS.find((i) => i.itemKey === key)!;
      expect(byKey[key], key).toMatchObject({ brands: [{ brandId: 'brand-0' }], ...reference.score({ title, text, ignore: ['acme'] }) });
    }
    expect(byKey['en-match']).toMatchObject({ lang: 'en', sentiment: { label: 'positive', model: reference.model } });
    expect(byKey['cs-match']).toMatchObject({ lang: 'cs', sentiment: { label: 'positive' } });
    for (const key of ['en-raw', 'cs-raw']) {
      expect(byKey[key], key).toMatchObject({ brands: [], lang: null, langConfidence: 0, sentiment: { score: 0, label: 'unscored', model: NOT_SCORED } });
    }
    // A language the source declares costs nothing and is kept.
    expect(byKey['de-declared']).toMatchObject({ brands: [], lang: 'de', langConfidence: 1, sentiment: { model: NOT_SCORED } });
    expect(calls).toEqual({ detect: 0, score: 2 });
  });

  it('detects the language only of the items whose words leave a brand’s `lang:` filter to decide, and still scores only the matched ones', async () => {
    const { scorer, calls, detectedTexts } = countingScorer();
    const byKey = await prepare(['acme', 'prague lang:cs OR praze lang:cs'], scorer);
    expect(byKey['cs-raw']).toMatchObject({ brands: [{ brandId: 'brand-1' }], lang: 'cs', sentiment: { label: 'negative', model: scorer.model } });
    // Prague in English is not what the Czech filter wants: its language was detected, and is kept; its sentiment left.
    expect(byKey['en-raw']).toMatchObject({ brands: [], lang: 'en', sentiment: { label: 'unscored', model: NOT_SCORED } });
    expect(byKey['en-raw']!.langConfidence).toBeGreaterThan(0);
    // The items that mention neither city are matched (or not) without their language.
    expect(detectedTexts.sort()).toEqual([textOf('cs-raw'), textOf('en-raw')].sort());
    expect(byKey['de-declared']).toMatchObject({ brands: [], lang: 'de', langConfidence: 1 });
    expect(calls).toEqual({ detect: 2, score: 3 });
  });

  it('with a brand `acme lang:en`, detects only the items that mention acme, each once, and scores the match with that detection', async () => {
    const { scorer, calls, detectedTexts, scored } = countingScorer();
    const byKey = await prepare(['acme lang:en'], scorer);
    const reference = createScorer();
    const { title, text } = ITEMS.find((i) => i.itemKey === 'en-match')!;
    expect(byKey['en-match']).toMatchObject({ brands: [{ brandId: 'brand-0', keywords: ['acme'] }], ...reference.score({ title, text, ignore: ['acme'] }) });
    expect(scored).toEqual([{ text: textOf('en-match'), reused: true }]);
    // Czech acme is not what the filter wants: detected to find that out, its language is kept.
    expect(byKey['cs-match']).toMatchObject({ brands: [], lang: 'cs', sentiment: { model: NOT_SCORED } });
    expect(detectedTexts.sort()).toEqual([textOf('cs-match'), textOf('en-match')].sort());
    for (const key of ['en-raw', 'cs-raw']) expect(byKey[key], key).toMatchObject({ brands: [], lang: null, langConfidence: 0, sentiment: { model: NOT_SCORED } });
    expect(byKey['de-declared']).toMatchObject({ brands: [], lang: 'de', langConfidence: 1 });
    expect(calls).toEqual({ detect: 2, score: 1 });
  });
});

describe('a brand filtered on lang:hi', () => {
  // Romanised Hindi was detected as no language or English, so `lang:hi` never found it.
  const HINDI_ITEMS = [
    item('hi-romanised', '', 'Acme ka phone bahut accha hai yaar, camera bhi mast hai'),
    item('hi-romanised-lukewarm', '', 'Acme theek hai, kuch khaas nahi'),
    item('hi-devanagari', '', 'मुझे Acme की कॉफ़ी बहुत पसंद है'),
    item('en-loanwords', '', 'Acme masala chai is great, thanks bhai'),
    item('id-hai', '', 'hai kak, Acme ini masih ada?'),
  ];

  it('finds romanised Hindi posts as it finds Devanagari ones, stores them as hi, and scores them', async () => {
    const byKey = await prepare(['acme lang:hi'], createScorer(), HINDI_ITEMS);
    expect(byKey['hi-romanised']).toMatchObject({ brands: [{ brandId: 'brand-0', keywords: ['acme'] }], lang: 'hi', sentiment: { label: 'positive', model: SENTIMENT_MODEL } });
    expect(byKey['hi-romanised-lukewarm']).toMatchObject({ brands: [{ brandId: 'brand-0' }], lang: 'hi', sentiment: { label: 'negative' } });
    expect(byKey['hi-devanagari']).toMatchObject({ brands: [{ brandId: 'brand-0' }], lang: 'hi', sentiment: { label: 'positive' } });
    // English with a Hindi loanword, and Indonesian "hai" (hi), are no Hindi.
    expect(byKey['en-loanwords']).toMatchObject({ brands: [], lang: 'en', sentiment: { model: NOT_SCORED } });
    expect(byKey['id-hai']!.brands).toEqual([]);
    expect(byKey['id-hai']!.lang).not.toBe('hi');
  });
});

const CORPUS: SourceItem[] = [
  item('en-acme', 'Acme is wonderful', 'I love the new roast from Acme, truly excellent and delicious.'),
  item('en-acme-bad', 'Acme disappoints', 'The Acme delivery was late again and the coffee was cold, terrible service.'),
  item('en-other', 'Weather', 'The weather in Prague is terrible today, awful rain and cold wind.'),
  item('cs-acme', 'Káva od Acme', 'Acme: nejlepší káva ve městě, opravdu skvělá a výborná chuť.'),
  item('cs-acme-bad', 'Acme zklamala', 'Doručení od Acme bylo zase pozdě a káva byla studená, hrozná služba.'),
  item('cs-other', 'Počasí', 'V Praze je dnes hrozné počasí, celý den prší a fouká studený vítr.'),
  item('hi-acme', '', 'मुझे Acme की कॉफ़ी बहुत पसंद है, यह सच में शानदार और स्वादिष्ट है।'),
  item('hi-other', '', 'आज मौसम बहुत खराब है और पूरे दिन बारिश हो रही है।'),
  item('fa-acme', '', 'قهوه Acme واقعا عالی است و من آن را خیلی دوست دارم.'),
  item('fa-other', '', 'امروز هوا خیلی بد است و تمام روز باران می‌بارد.'),
  item('ta-acme', '', 'Acme காபி மிகவும் நன்றாக இருக்கிறது, எனக்கு மிகவும் பிடிக்கும்.'),
  item('ta-other', '', 'இன்று வானிலை மிகவும் மோசமாக உள்ளது, நாள் முழுவதும் மழை பெய்கிறது.'),
  item('de-acme-declared', 'Acme Kaffee', 'Der Kaffee von Acme ist wirklich ausgezeichnet und lecker.', 'de-AT'),
  item('de-other-declared', 'Wetter', 'Das Wetter in Berlin ist heute schrecklich, es regnet den ganzen Tag.', 'de'),
  item('unknown-acme', '', 'acme 42 ok'),
];

/** `NOT lang:en` alone: the parser refuses a query that only excludes, but a brand set may hold the node. */
const NOT_ENGLISH: QueryNode = { type: 'not', child: { type: 'filter', field: 'lang', value: 'en' } };

const eagerScorer = createScorer();

/** What a poll stored before detection was lazy: every item's language first, then the brands matched with it. */
function eagerly(queries: Array<string | QueryNode>, source: SourceItem) {
  const scorer = eagerScorer;
  const input = { title: source.title, text: source.text, langHint: source.langHint };
  const detected = scorer.detect(input);
  const fields = { title: source.title, text: source.text, url: source.url, author: source.author, lang: detected.lang, sourceType: 'rss' as const, hashtags: source.hashtags, handles: source.handles };
  const brands = queries.flatMap((query, i) => {
    const found = matchQuery(query, fields);
    return found ? [{ brandId: `brand-${i}`, keywords: found.keywords }] : [];
  });
  return { brands, detected, scored: brands.length > 0 ? scorer.score({ ...input, ignore: keywordsOf(brands) }, detected) : null };
}

const mentionsAcme = (i: SourceItem) => /acme/i.test(i.text);
const mentionsPrague = (i: SourceItem) => /prague|praze/i.test(i.text);

describe('lazy language detection over items in several languages and scripts', () => {
  // Each case names the items whose language matching needs: the rest are never detected.
  it.each<[string, Array<string | QueryNode>, (i: SourceItem) => boolean]>([
    ['acme lang:en', ['acme lang:en'], mentionsAcme],
    ['lang:cs OR acme', ['lang:cs OR acme'], (i) => !mentionsAcme(i)],
    ['acme -lang:en', ['acme -lang:en'], mentionsAcme],
    ['NOT lang:en alone', [NOT_ENGLISH], () => true],
    ['filters on the language of several scripts', ['acme lang:hi|fa|ta', 'acme lang:de', '(prague OR praze) -lang:en'], (i) => mentionsAcme(i) || mentionsPrague(i)],
    [
      'a workspace mixing them',
      ['acme', 'acme -lang:en', 'prague OR praze', '(weather OR počasí) NOT lang:cs', '(acme OR praze) lang:cs|ta'],
      (i) => mentionsAcme(i) || /weather|počasí/i.test(`${i.title} ${i.text}`),
    ],
  ])('%s: the same brands, language and sentiment as detecting every item first', async (_, queries, needsLanguage) => {
    const { scorer, detectedTexts, scored } = countingScorer();
    const byKey = await prepare(queries, scorer, CORPUS);
    expect([...detectedTexts].sort()).toEqual(CORPUS.filter(needsLanguage).map((i) => i.text).sort());
    for (const source of CORPUS) {
      const key = source.itemKey;
      const eager = eagerly(queries, source);
      const stored = byKey[key]!;
      expect(stored.brands, key).toEqual(eager.brands);
      const detectedHere = detectedTexts.filter((text) => text === source.text).length;
      expect(detectedHere, `${key} detected at most once`).toBeLessThanOrEqual(1);
      if (eager.scored) {
        expect({ lang: stored.lang, langConfidence: stored.langConfidence, sentiment: stored.sentiment }, key).toEqual(eager.scored);
        expect(scored.filter((s) => s.text === source.text), `${key} scored once`).toEqual([{ text: source.text, reused: detectedHere === 1 }]);
      } else {
        // Unmatched: the detected language if matching needed it, else only the one the source declares.
        const kept = detectedHere === 1 ? eager.detected : (declaredLanguage(source.langHint) ?? { lang: null, langConfidence: 0 });
        expect({ lang: stored.lang, langConfidence: stored.langConfidence, sentiment: stored.sentiment }, key).toEqual({
          ...kept,
          sentiment: { score: 0, label: 'unscored', model: NOT_SCORED },
        });
      }
    }
    // The corpus matches something and leaves something in each case, so both paths are compared.
    expect(Object.values(byKey).some((m) => m.brands.length > 0)).toBe(true);
    expect(Object.values(byKey).some((m) => m.brands.length === 0)).toBe(true);
  });
});
