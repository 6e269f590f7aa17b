// `npm run bench -- language`: accuracy per language on labelled short texts, docs/s, memory.
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

const here = path.dirname(fileURLToPath(import.meta.url));

// The detectors compared, each loaded on demand so that a fresh process can measure what
// loading one costs in memory.
type Detect = (text: string) => string | null;

const FRANC_TO_ISO1: Record<string, string> = {
  eng: 'en', ces: 'cs', pes: 'fa', hin: 'hi', npi: 'ne', guj: 'gu', tam: 'ta', spa: 'es', deu: 'de', fra: 'fr', por: 'pt', arb: 'ar',
};

const DETECTORS: Record<string, () => Promise<Detect>> = {
  earshot: async () => {
    const { detectLanguage } = await import('../src/domain/language/language.detect.js');
    return (t) => detectLanguage(t).lang;
  },
  'franc-min': async () => {
    const { franc } = await import('franc-min');
    return (t) => {
      const code = franc(t, { minLength: 3 });
      return code === 'und' ? null : (FRANC_TO_ISO1[code] ?? code);
    };
  },
  'franc-min (12 langs)': async () => {
    const { franc } = await import('franc-min');
    const only = Object.keys(FRANC_TO_ISO1);
    return (t) => {
      const code = franc(t, { minLength: 3, only });
      return code === 'und' ? null : FRANC_TO_ISO1[code]!;
    };
  },
  tinyld: async () => {
    const { detect } = await import('tinyld');
    return (t) => detect(t) || null;
  },
};

/** Run as a child process: prints the RSS growth from loading one detector and using it. */
async function measureMemory(name: string, texts: string[]): Promise<{ loadMb: number; useMb: number }> {
  globalThis.gc?.();
  const before = process.memoryUsage().rss;
  const detect = await DETECTORS[name]!();
  globalThis.gc?.();
  const loaded = process.memoryUsage().rss;
  for (const t of texts) detect(t);
  globalThis.gc?.();
  const used = process.memoryUsage().rss;
  return { loadMb: (loaded - before) / 2 ** 20, useMb: (used - before) / 2 ** 20 };
}

const FIXTURES = path.resolve(here, '../test/fixtures');
const LANGS = ['en', 'cs', 'fa', 'hi', 'ne', 'gu', 'ta', 'es', 'de', 'fr', 'pt', 'ar', 'und'];

interface Labelled { lang: string; text: string }

function readTsv(file: string, lang?: string): Labelled[] {
  return readFileSync(file, 'utf8').split('\n').filter((l) => l && !l.startsWith('#')).map((l) => {
    const [first, text] = l.split('\t');
    return { lang: lang ?? first!, text: text! };
  });
}

// 'und' rows (gibberish, emoji only, a link) are right when the detector says nothing.
function accuracyByLanguage(rows: Labelled[], detect: (t: string) => string | null): Map<string, number> {
  const out = new Map<string, number>();
  for (const lang of [...LANGS, 'all']) {
    const subset = lang === 'all' ? rows : rows.filter((r) => r.lang === lang);
    if (!subset.length) continue;
    const right = subset.filter((r) => (detect(r.text) ?? 'und') === r.lang).length;
    out.set(lang, right / subset.length);
  }
  return out;
}

function memoryOf(name: string, texts: string[]): string {
  const dir = mkdtempSync(path.join(tmpdir(), 'earshot-lang-'));
  const file = path.join(dir, 'texts.txt');
  writeFileSync(file, texts.map((t) => t.replaceAll('\n', ' ')).join('\n'));
  const out = execFileSync(process.execPath, ['--expose-gc', '--import', 'tsx', fileURLToPath(import.meta.url), '--memory', name, file], { encoding: 'utf8' });
  const { loadMb, useMb } = JSON.parse(out) as { loadMb: number; useMb: number };
  return `${loadMb.toFixed(1)} MB load, ${useMb.toFixed(1)} MB after use`;
}

export async function main(): Promise<void> {
  // Imported here, not at the top: the --memory child must start with no detector loaded.
  const { timeDocsPerSecond } = await import('./sentiment.bench.js');
  const heldOut = readTsv(path.join(FIXTURES, 'lang/short-texts.tsv'));
  const sentimentDir = path.join(FIXTURES, 'sentiment');
  const dev = readdirSync(sentimentDir).filter((f) => f.endsWith('.tsv')).flatMap((f) => readTsv(path.join(sentimentDir, f), f.slice(0, 2)));
  console.log(`short-texts.tsv: ${heldOut.length} posts written after the detector, never tuned on (includes ${heldOut.filter((r) => r.lang === 'und').length} gibberish/emoji/link-only → must be null)`);
  console.log(`sentiment check sets: ${dev.length} posts, the detector's development set`);
  const header = [...LANGS, 'all'].map((l) => l.padStart(5)).join('');
  for (const [setName, rows] of [['short-texts', heldOut], ['sentiment sets', dev]] as const) {
    console.log(`\naccuracy, ${setName}:\n${''.padEnd(22)}${header}`);
    for (const [name, load] of Object.entries(DETECTORS)) {
      const detect = await load();
      const acc = accuracyByLanguage(rows, detect);
      console.log(`${name.padEnd(22)}${[...LANGS, 'all'].map((l) => (acc.has(l) ? acc.get(l)!.toFixed(2) : '-').padStart(5)).join('')}`);
    }
  }
  const texts = [...heldOut, ...dev].map((r) => r.text);
  console.log('\nspeed (one core) and memory (RSS growth in a fresh process):');
  for (const [name, load] of Object.entries(DETECTORS)) {
    const detect = await load();
    console.log(`  ${name.padEnd(22)} ${Math.round(timeDocsPerSecond(texts, detect)).toLocaleString('en').padStart(8)} docs/s   ${memoryOf(name, texts)}`);
  }
}

// Child-process mode for memoryOf: `language.bench.ts --memory <detector> <texts file>`.
if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href && process.argv[2] === '--memory') {
  const [, , , name, file] = process.argv;
  const texts = readFileSync(file!, 'utf8').split('\n').filter(Boolean);
  console.log(JSON.stringify(await measureMemory(name!, texts)));
}
