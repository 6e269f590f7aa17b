export { buildSwot, SWOT_THRESHOLDS } from './swot.build.js';
export * from './swot.types.js';
