export { brandExclusions, extractThemes, innerKeys, THEME_DEFAULTS, type ExtractThemesInput } from './themes.extract.js';
export * from './themes.types.js';
