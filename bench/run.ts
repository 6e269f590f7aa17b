// `npm run bench -- <name> [args…]` runs bench/<name>.bench.ts; with no name, lists them.
import { readdir } from 'node:fs/promises';
import { fileURLToPath, pathToFileURL } from 'node:url';
import path from 'node:path';

const here = path.dirname(fileURLToPath(import.meta.url));
const available = (await readdir(here)).filter((f) => f.endsWith('.bench.ts')).map((f) => f.slice(0, -'.bench.ts'.length));
const [name, ...args] = process.argv.slice(2);

if (!name || !available.includes(name)) {
  console.error(`usage: npm run bench -- <${available.join('|')}> [args…]`);
  process.exit(name ? 2 : 0);
}
const mod = (await import(pathToFileURL(path.join(here, `${name}.bench.ts`)).href)) as { main: (args: string[]) => Promise<void> };
await mod.main(args);
