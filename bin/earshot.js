#!/usr/bin/env node
// The `earshot` command. It runs the bundle in dist/, built from src/ by scripts/build.mjs
// whenever a source file is newer than it (a few hundred milliseconds). Where dist/ cannot be
// written and is out of date, it runs the TypeScript sources through tsx's loader instead.
import { ensureBuilt } from '../scripts/build.mjs';

let entry;
try {
  entry = await ensureBuilt();
} catch (err) {
  console.error(`earshot: could not build dist/ (${err.message}); running the sources through tsx`);
  const { register } = await import('tsx/esm/api');
  register();
  entry = new URL('../src/cli.ts', import.meta.url).href;
}
await import(entry);
