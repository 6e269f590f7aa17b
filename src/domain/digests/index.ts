export { renderTrendSvg } from './digest.chart.js';
export { cleanText, escapeHtml, excerpt, safeUrl } from './digest.escape.js';
export { digestSubject } from './digest.format.js';
export { CHART_ALT, renderHtml, type ChartOption } from './digest.html.js';
export { renderMarkdown } from './digest.markdown.js';
export { encodePng, renderTrendPng, renderTrendPngBytes } from './digest.png.js';
export { renderText } from './digest.text.js';
export * from './digest.types.js';
