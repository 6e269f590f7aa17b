export { buildSwot, SWOT_THRESHOLDS } from './swot.build.js';
export * from './swot.types.js';
export { createSwotCache, type SwotCache, type SwotCacheKey } from './swot.cache.js';
export { reasonIn, summaryIn, swotIn } from './swot.summaries.js';
