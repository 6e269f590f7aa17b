export { parseQuery } from './query.parser.js';
export { HASHTAG_HOLDS, hashtagBodyProblem, phraseInQuotes } from './query.lexer.js';
export { compileWorkspace, matchQuery, queryTerms, type BrandMatch, type WorkspaceMatcher } from './query.matcher.js';
export { MATCHER_VERSION } from './query.version.js';
export * from './query.types.js';
