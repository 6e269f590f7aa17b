import { z } from 'zod';
import { extractHandles, extractHashtags } from '../domain/text/tokens.js';
import type { Connector, SourceItem } from './connector.types.js';
import { apiUrl, baseUrlField, isHttpUrl, searchQueryField } from './api.request.js';
import { pollFeedPreset } from './preset.feed.js';

const GOOGLE_NEWS = 'https://news.google.com';

export const GoogleNewsConfig = z.strictObject({
  query: searchQueryField(500).describe('Google News search terms.'),
  lang: z
    .string()
    .trim()
    .regex(/^[a-z]{2,3}(?:-[A-Za-z0-9]{2,4})?$/, 'must be a language code such as en, cs or pt-BR')
    .default('en')
    .describe('The edition\'s language: a language code such as en, cs or pt-BR.'),
  country: z
    .string()
    .trim()
    .toUpperCase()
    .regex(/^[A-Z]{2}$/, 'must be a two-letter country code such as US or CZ')
    .default('US')
    // Documented as it is accepted: in any case (it is stored in capitals).
    .meta({ description: 'The edition\'s country: a two-letter country code such as US or CZ, in any case.', pattern: '^[A-Za-z]{2}$' }),
  baseUrl: baseUrlField(GOOGLE_NEWS),
});
export type GoogleNewsConfig = z.infer<typeof GoogleNewsConfig>;

/**
 * Google News' RSS search: `hl` is the interface language (English gets its country, en-US),
 * `gl` the edition's country and `ceid` both, country:language, as the site builds them.
 */
export function googleNewsUrl(config: GoogleNewsConfig): string {
  const hl = config.lang === 'en' ? `en-${config.country}` : config.lang;
  return apiUrl(config.baseUrl ?? GOOGLE_NEWS, '/rss/search', { q: config.query, hl, gl: config.country, ceid: `${config.country}:${config.lang}` });
}

/** "Headline - Publisher": Google appends the publisher after the last " - ". */
const TITLE = /^(.*\S)\s+-\s+(\S.*)$/s;
const words = (s: string) => s.replace(/\s+/g, ' ').trim();

/**
 * The publisher's URL inside a Google News article id (`/rss/articles/<id>`) of the older kind:
 * base64 of a protobuf message whose field 4 is that URL (`08 13 22 <length> <url>`). Newer ids
 * hold an encrypted reference there instead (`AU_yqL…`), which only Google can resolve: null.
 */
function publisherUrl(link: string | null): string | null {
  const id = link ? /\/rss\/articles\/([A-Za-z0-9_-]+)/.exec(link)?.[1] : undefined;
  if (!id) return null;
  const bytes = Buffer.from(id, 'base64url');
  if (bytes[0] !== 0x08 || bytes[1] !== 0x13 || bytes[2] !== 0x22) return null;
  // A varint length: one byte below 128, else two.
  const [length, start] = bytes[3]! < 0x80 ? [bytes[3]!, 4] : [(bytes[3]! & 0x7f) | (bytes[4]! << 7), 5];
  const url = bytes.toString('utf8', start, start + length);
  return start + length <= bytes.length && isHttpUrl(url) ? url : null;
}

/**
 * A Google News item as the article it is. Its description lists headlines only: this article's
 * with its publisher and, for a story cluster, other outlets' articles, whose words are not this
 * item's. When the description is such a list, the item's text is its headline alone (the title
 * without " - Publisher"), the publisher is its author, and its URL is the publisher's article
 * where the id reveals it, so the publisher's own feed copy is the same mention.
 */
function asArticle(item: SourceItem): SourceItem {
  const title = item.title ? TITLE.exec(item.title) : null;
  if (!title) return item;
  const headline = title[1]!;
  const publisher = title[2]!;
  const lead = words(item.text.split('\n')[0] ?? '');
  if (!lead.startsWith(words(headline)) || !lead.endsWith(words(publisher))) return item;
  return {
    ...item,
    title: headline,
    text: '',
    author: item.author ?? publisher,
    url: publisherUrl(item.url) ?? item.url,
    hashtags: extractHashtags(headline),
    handles: extractHandles(headline),
  };
}

export const googlenewsConnector: Connector<GoogleNewsConfig> = {
  type: 'googlenews',
  config: GoogleNewsConfig,
  endpoint: googleNewsUrl,
  async poll(ctx) {
    const result = await pollFeedPreset(googleNewsUrl(ctx.config), ctx);
    return { ...result, items: result.items.map(asArticle) };
  },
};
