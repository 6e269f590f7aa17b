export { brandExclusions, dropSubsumed, extractThemes, extractThemesAsync, innerKeys, termsOfMention, THEME_DEFAULTS, type ExtractThemesInput } from './themes.extract.js';
export { languageFreeKeys, stemmedFirst } from './term-keys.js';
export * from './themes.types.js';
