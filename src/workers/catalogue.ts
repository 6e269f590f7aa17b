import type { JobDefinition } from './runtime.js';

/**
 * Every job Earshot runs: name → queue and payload schema. Handlers live beside their queue
 * in src/workers/<queue>.worker.ts and are gathered in src/workers/index.ts.
 */
export const catalogue = {} satisfies Record<string, JobDefinition>;

export type Catalogue = typeof catalogue;
