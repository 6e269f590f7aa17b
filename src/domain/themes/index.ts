export { brandExclusions, extractThemes, extractThemesAsync, innerKeys, termsOfMention, THEME_DEFAULTS, type ExtractThemesInput } from './themes.extract.js';
export * from './themes.types.js';
