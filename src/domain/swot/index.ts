export { buildSwot, SWOT_THRESHOLDS } from './swot.build.js';
export * from './swot.types.js';
export { createSwotCache, type SwotCache, type SwotCacheKey } from './swot.cache.js';
