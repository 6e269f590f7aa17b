// `npm run bench -- language`: accuracy per language on labelled short texts, docs/s, memory.
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { DETECTORS } from './language.detectors.js';
import { timeDocsPerSecond } from './sentiment.metrics.js';

const here = path.dirname(fileURLToPath(import.meta.url));
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
  const out = execFileSync(process.execPath, ['--expose-gc', '--import', 'tsx', path.join(here, 'language.memory.ts'), name, file], { encoding: 'utf8' });
  const { loadMb, useMb } = JSON.parse(out) as { loadMb: number; useMb: number };
  return `${loadMb.toFixed(1)} MB load, ${useMb.toFixed(1)} MB after use`;
}

export async function main(): Promise<void> {
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
