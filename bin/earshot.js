#!/usr/bin/env node
// The `earshot` command. It runs the bundle in dist/, built from src/ by scripts/build.mjs
// whenever a source file is newer than it (a few hundred milliseconds). Where dist/ cannot be
// written and is out of date, it runs the TypeScript sources through tsx's loader instead.

// A stop asked for while the command is still loading (building dist/, importing the bundle:
// seconds on a busy host) ends it with exit 0 and the line a stop during start-up logs, as the
// README promises, rather than the default death by signal (143): nothing has started yet. A
// build under way is finished first, so dist/ is never left half written. src/cli.ts takes the
// signals over (Symbol.for('earshot.loadingStop')) once it runs.
let building = false;
let stopped = null;
const stopWhileLoading = (signal) => {
  stopped = signal;
  if (!building) exitStopped();
};
function exitStopped() {
  if (!['warn', 'error', 'fatal', 'silent'].includes(process.env.LOG_LEVEL ?? '')) {
    const line = { level: 30, time: new Date().toISOString(), pid: process.pid, name: 'earshot', signal: stopped, msg: 'stopped during start-up' };
    process.stdout.write(`${JSON.stringify(line)}\n`);
  }
  process.exit(0);
}
process.on('SIGTERM', stopWhileLoading);
process.on('SIGINT', stopWhileLoading);
globalThis[Symbol.for('earshot.loadingStop')] = stopWhileLoading;

const { ensureBuilt } = await import('../scripts/build.mjs');
let entry;
let commandLine;
try {
  building = true;
  entry = await ensureBuilt();
  commandLine = new URL('command-line.mjs', entry).href;
} catch (err) {
  console.error(`earshot: could not build dist/ (${err.message}); running the sources through tsx`);
  const { register } = await import('tsx/esm/api');
  register();
  entry = new URL('../src/cli.ts', import.meta.url).href;
  commandLine = new URL('../src/command-line.ts', import.meta.url).href;
} finally {
  building = false;
}
if (stopped) exitStopped();
// --help and a mistake in the command line are answered before the bundle loads.
const { readCommandLine, printAnswer } = await import(commandLine);
const line = readCommandLine(process.argv.slice(2));
if ('answer' in line) process.exit(printAnswer(line.answer));
await import(entry);
