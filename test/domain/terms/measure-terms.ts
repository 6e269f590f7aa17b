// Throughput of extractTerms over the hand-written sentiment fixtures in all their languages.
// `npx tsx test/domain/terms/measure-terms.ts [seconds]`; shaped as a bench module (main(args)) so
// it can move to bench/terms.bench.ts unchanged.
import { readFileSync, readdirSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { extractTerms } from '../../../src/domain/text/terms.js';

const fixtures = path.join(path.dirname(fileURLToPath(import.meta.url)), '..', '..', 'fixtures', 'sentiment');

function corpus(): Array<{ text: string; lang: string }> {
  return readdirSync(fixtures).filter((f) => f.endsWith('.tsv')).flatMap((file) => {
    const lang = file.slice(0, 2);
    return readFileSync(path.join(fixtures, file), 'utf8').split('\n')
      .filter((line) => line && !line.startsWith('#'))
      .map((line) => ({ text: line.split('\t').slice(1).join(' '), lang }));
  });
}

export async function main(args: string[]): Promise<void> {
  const seconds = Number(args[0] ?? 3);
  const items = corpus();
  const exclude = new Set(['acme', 'acme corp', 'beta*']);
  for (const item of items) extractTerms(item.text, { lang: item.lang, exclude }); // warm stemmer caches and the JIT
  let texts = 0;
  let terms = 0;
  let chars = 0;
  const start = process.hrtime.bigint();
  const deadline = start + BigInt(seconds * 1e9);
  while (process.hrtime.bigint() < deadline) {
    for (const item of items) {
      terms += extractTerms(item.text, { lang: item.lang, exclude }).length;
      chars += item.text.length;
      texts++;
    }
  }
  const elapsed = Number(process.hrtime.bigint() - start) / 1e9;
  const langs = [...new Set(items.map((i) => i.lang))].join(',');
  console.log(`extractTerms: ${items.length} texts (${langs}), mean ${Math.round(chars / texts)} chars`);
  console.log(`  ${Math.round(texts / elapsed).toLocaleString('en')} texts/s, ${Math.round(terms / elapsed).toLocaleString('en')} terms/s, ${(terms / texts).toFixed(1)} terms/text`);
}

if (import.meta.url === `file://${process.argv[1]}`) await main(process.argv.slice(2));
