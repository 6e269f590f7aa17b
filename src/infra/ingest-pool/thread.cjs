// The file each pool thread loads. On Node 20 a worker thread cannot take tsx's ESM loader
// (nodejs/node#47747: loaders given in a Worker's execArgv are not applied), so the thread reads
// the TypeScript sources through tsx's require hook instead; they have no top-level await.
// esbuild (behind tsx) would start one more thread of its own for its synchronous API; a thread
// that only compiles a few modules at start-up does without it (this thread's env is its own copy).
process.env.ESBUILD_WORKER_THREADS = '0';
require('tsx/cjs');
module.exports = require('./thread.ts');
