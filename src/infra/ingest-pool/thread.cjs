// The file each pool thread loads when Earshot runs from its TypeScript sources (tests, the demo;
// `earshot` itself runs dist/ingest-thread.mjs). On Node 20 a worker thread cannot take tsx's ESM
// loader (nodejs/node#47747: loaders given in a Worker's execArgv are not applied), so the thread
// reads the sources through tsx's require hook instead; they have no top-level await.
require('tsx/cjs');
module.exports = require('./thread.ts');
