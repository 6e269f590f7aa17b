/**
 * The version of how queries match. Bump it with every change that alters which posts a query
 * matches or which terms it reports as keywords: a scheduler starting with a newer version than
 * a brand's history was matched with (brands.matcher_version) queues that history to be matched
 * again (AUTO_REMATCH), so stored mentions follow the release as new ones do.
 *
 * 1: the matcher of 2026-12-07 (a prefix ending in a virama, `ஆவின்*`, finds `ஆவினின்`; `@name`
 *    finds `@name.bsky.social`; the typography and emoji rules before them). No release before
 *    it recorded a version: their brands hold 0.
 */
export const MATCHER_VERSION = 1;
