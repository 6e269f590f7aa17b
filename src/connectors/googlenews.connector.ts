import { z } from 'zod';
import type { Connector } from './connector.types.js';
import { apiUrl, baseUrlField, searchQueryField } from './api.request.js';
import { pollFeedPreset } from './preset.feed.js';

const GOOGLE_NEWS = 'https://news.google.com';

export const GoogleNewsConfig = z.strictObject({
  query: searchQueryField(500).describe('Google News search terms.'),
  lang: z
    .string()
    .trim()
    .regex(/^[a-z]{2,3}(?:-[A-Za-z0-9]{2,4})?$/, 'lang must be a language code such as en, cs or pt-BR')
    .default('en')
    .describe('The edition\'s language: a language code such as en, cs or pt-BR.'),
  country: z
    .string()
    .trim()
    .toUpperCase()
    .regex(/^[A-Z]{2}$/, 'country must be a two-letter country code such as US or CZ')
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

export const googlenewsConnector: Connector<GoogleNewsConfig> = {
  type: 'googlenews',
  config: GoogleNewsConfig,
  endpoint: googleNewsUrl,
  poll: (ctx) => pollFeedPreset(googleNewsUrl(ctx.config), ctx),
};
