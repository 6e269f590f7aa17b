export { brandExclusions, extractThemes, extractThemesAsync, innerKeys, THEME_DEFAULTS, type ExtractThemesInput } from './themes.extract.js';
export * from './themes.types.js';
