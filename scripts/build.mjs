// Builds what `earshot` runs: the TypeScript sources bundled into plain ES modules,
// dist/cli.mjs, dist/command-line.mjs (the command line, read before cli.mjs loads) and
// dist/ingest-thread.mjs (the ingest pool's threads), dependencies left as imports from
// node_modules. Running built code instead of compiling on the fly keeps tsx's loader thread
// and its transform caches out of the process (~50 MB) and gives the hot paths direct calls
// instead of getters. `node scripts/build.mjs` builds; bin/earshot.js calls
// `ensureBuilt()`, which rebuilds only when a file under src/ is newer than the build.
import { build } from 'esbuild';
import { mkdir, readdir, rename, stat, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
export const DIST = path.join(ROOT, 'dist');
const ENTRIES = { cli: 'src/cli.ts', 'command-line': 'src/command-line.ts', 'ingest-thread': 'src/infra/ingest-pool/thread.ts' };

/** Bundles the entries; each file is written under a temporary name and renamed, so a process starting meanwhile never reads half a file. */
export async function buildDist() {
  const result = await build({
    absWorkingDir: ROOT,
    entryPoints: ENTRIES,
    outdir: DIST,
    outExtension: { '.js': '.mjs' },
    bundle: true,
    platform: 'node',
    format: 'esm',
    target: 'node20',
    packages: 'external',
    sourcemap: 'linked',
    write: false,
    logLevel: 'warning',
  });
  await mkdir(DIST, { recursive: true });
  await Promise.all(
    result.outputFiles.map(async (file) => {
      const temp = `${file.path}.${process.pid}.tmp`;
      await writeFile(temp, file.contents);
      await rename(temp, file.path);
    }),
  );
}

async function newestUnder(dir) {
  let newest = 0;
  for (const entry of await readdir(dir, { withFileTypes: true, recursive: true })) {
    if (entry.isFile()) newest = Math.max(newest, (await stat(path.join(entry.parentPath ?? entry.path, entry.name))).mtimeMs);
  }
  return newest;
}

/** Whether every built entry exists and is newer than every file under src/ and this script. */
export async function isBuilt() {
  const builtAt = await Promise.all(Object.keys(ENTRIES).map((name) => stat(path.join(DIST, `${name}.mjs`)).then((s) => s.mtimeMs, () => 0)));
  const sources = Math.max(await newestUnder(path.join(ROOT, 'src')), (await stat(fileURLToPath(import.meta.url))).mtimeMs);
  return Math.min(...builtAt) > sources;
}

/** Builds when the build is missing or older than the sources; returns the entry to import. */
export async function ensureBuilt() {
  if (!(await isBuilt())) await buildDist();
  return pathToFileURL(path.join(DIST, 'cli.mjs')).href;
}

if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) await buildDist();
