import { readFileSync, readdirSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { loadNlpjsLexicon } from '../src/domain/sentiment/profile.lexicon.js';
import type { SentimentAnalyser } from '../src/domain/sentiment/sentiment.analyser.js';
import { labelFor } from '../src/domain/sentiment/sentiment.label.js';
import { classify3, macroF1, type Label3 } from './sentiment.metrics.js';

const FIXTURES = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../test/fixtures/sentiment');
const LABELS: Label3[] = ['positive', 'neutral', 'negative'];

export function readCheckSet(lang: string): Array<{ label: Label3; text: string }> {
  return readFileSync(path.join(FIXTURES, `${lang}.tsv`), 'utf8').split('\n')
    .filter((l) => l && !l.startsWith('#'))
    .map((l) => {
      const [label, text] = l.split('\t');
      return { label: label as Label3, text: text! };
    });
}

// The naive baseline the issue names: sum the package lexicon's raw values over whitespace words.
function naiveScorer(lang: string): (text: string) => number {
  const { words } = loadNlpjsLexicon(lang, (w) => w, { keepStopwords: true });
  return (text) => {
    let sum = 0;
    for (const w of text.toLowerCase().split(/[\s,.!?;:()"“”«»¿¡]+/u)) sum += words.get(w) ?? 0;
    return sum;
  };
}

export function reportOtherLanguages(analyser: SentimentAnalyser): void {
  const langs = readdirSync(FIXTURES).filter((f) => f.endsWith('.tsv')).map((f) => f.slice(0, 2)).sort();
  console.log('\nCheck sets per language (hand-written, development sets — see docs/sentiment.md): accuracy / macro-F1');
  console.log(`  ${'lang'.padEnd(6)}${'n'.padStart(4)}   ${'earshot'.padEnd(15)}${'naive lexicon sum'.padEnd(18)}`);
  for (const lang of langs) {
    const rows = readCheckSet(lang);
    const truth = rows.map((r) => r.label);
    const ours = rows.map((r) => analyser.analyse(r.text, lang));
    if (ours.some((o) => o === null)) {
      console.log(`  ${lang.padEnd(6)}${String(rows.length).padStart(4)}   unscored (no adequate lexicon)`);
      continue;
    }
    const predicted = ours.map((o) => labelFor(o!.score));
    const acc = (p: Label3[]) => p.filter((x, i) => x === truth[i]).length / rows.length;
    let naive = '-';
    if (lang !== 'en') {
      const score = naiveScorer(lang);
      const base = rows.map((r) => classify3(score(r.text), 1e-9));
      naive = `${acc(base).toFixed(3)} / ${macroF1(truth, base, LABELS).toFixed(3)}`;
    }
    console.log(`  ${lang.padEnd(6)}${String(rows.length).padStart(4)}   ${`${acc(predicted).toFixed(3)} / ${macroF1(truth, predicted, LABELS).toFixed(3)}`.padEnd(15)}${naive}`);
  }
}
