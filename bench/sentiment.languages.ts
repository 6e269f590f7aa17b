import { readFileSync, readdirSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { loadNlpjsLexicon } from '../src/domain/sentiment/profile.lexicon.js';
import type { SentimentAnalyser } from '../src/domain/sentiment/sentiment.analyser.js';
import { labelFor } from '../src/domain/sentiment/sentiment.label.js';
import { classify3, macroF1, type Label3 } from './sentiment.metrics.js';

const FIXTURES = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../test/fixtures/sentiment');
const LABELS: Label3[] = ['positive', 'neutral', 'negative'];

function readCheckSet(dir: string, lang: string): Array<{ label: Label3; text: string }> {
  return readFileSync(path.join(dir, `${lang}.tsv`), 'utf8').split('\n')
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

function report(analyser: SentimentAnalyser, dir: string, title: string): void {
  const langs = readdirSync(dir).filter((f) => f.endsWith('.tsv')).map((f) => f.slice(0, 2)).sort();
  console.log(`\n${title}: accuracy / macro-F1`);
  console.log(`  ${'lang'.padEnd(6)}${'n'.padStart(4)}   ${'earshot'.padEnd(16)}naive lexicon sum`);
  for (const lang of langs) {
    const rows = readCheckSet(dir, lang);
    const truth = rows.map((r) => r.label);
    const ours = rows.map((r) => analyser.analyse(r.text, lang));
    if (ours.some((o) => o === null)) {
      console.log(`  ${lang.padEnd(6)}${String(rows.length).padStart(4)}   unscored (no adequate lexicon)`);
      continue;
    }
    const predicted = ours.map((o) => labelFor(o!.score));
    const cell = (p: Label3[]) => `${(p.filter((x, i) => x === truth[i]).length / rows.length).toFixed(3)} / ${macroF1(truth, p, LABELS).toFixed(3)}`;
    let naive = '-';
    if (lang !== 'en') {
      const score = naiveScorer(lang);
      naive = cell(rows.map((r) => classify3(score(r.text), 1e-9)));
    }
    console.log(`  ${lang.padEnd(6)}${String(rows.length).padStart(4)}   ${cell(predicted).padEnd(16)}${naive}`);
  }
}

export function reportOtherLanguages(analyser: SentimentAnalyser): void {
  report(analyser, FIXTURES, 'Check sets per language (hand-written development sets, the rules were tuned on them)');
  report(analyser, path.join(FIXTURES, 'holdout'), 'Fresh sets per language (hand-written after tuning, scored once, not tuned on)');
}
