// `npm run bench -- sentiment [--quick]`: the English engine against VADER's human-rated sets and
// the UCI sentences, next to vader-sentiment and the sentiment package measured in the same run.
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import Sentiment from 'sentiment';
import { createScorer } from '../src/domain/scoring/scorer.js';
import { createSentimentAnalyser } from '../src/domain/sentiment/sentiment.analyser.js';
import { binaryAccuracy, classify3, macroF1, pearson, timeDocsPerSecond, type Label3 } from './sentiment.metrics.js';
import { reportOtherLanguages } from './sentiment.languages.js';

const require = createRequire(import.meta.url);
const repo = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const DATA = path.resolve(repo, '../shared/data/sentiment');
const VADER_SETS = ['movie', 'amazon', 'nyt'] as const;
const FILES = { movie: 'movieReviewSnippets', amazon: 'amazonReviewSnippets', nyt: 'nytEditorialSnippets' };

interface Rated { text: string; rating: number }
interface Binary { text: string; positive: boolean }
type ScoreFn = (text: string) => number;

function readVaderSet(name: (typeof VADER_SETS)[number]): Rated[] {
  const rows = readFileSync(path.join(DATA, `${FILES[name]}_GroundTruth.tsv`), 'utf8').split('\n');
  return rows.filter(Boolean).map((row) => {
    const [, rating, ...text] = row.split('\t');
    return { text: text.join('\t'), rating: Number(rating) };
  });
}

function readUci(name: string): Binary[] {
  const rows = require(`sentiment/test/fixtures/${name}.json`) as Array<{ text: string; class: number }>;
  return rows.map((r) => ({ text: r.text, positive: r.class === 1 }));
}

// The paper's rule: gold label from rating/4 with a ±0.05 band.
const gold = (rating: number): Label3 => classify3(rating / 4, 0.05);

function main_(quick: boolean): void {
  const analyser = createSentimentAnalyser();
  const scorer = createScorer({ analyser });
  const afinn = new Sentiment();
  const vader = require('vader-sentiment') as { SentimentIntensityAnalyzer: { polarity_scores(t: string): { compound: number } } };
  const scorers: Array<{ name: string; fn: ScoreFn; band: number }> = [
    { name: 'earshot (en engine)', fn: (t) => analyser.analyse(t, 'en')!.score, band: 0.05 },
    { name: 'vader-sentiment 1.1.3', fn: (t) => vader.SentimentIntensityAnalyzer.polarity_scores(t).compound, band: 0.05 },
    // The package has no neutral band: any non-zero score is a polarity.
    { name: 'sentiment 5 (AFINN)', fn: (t) => afinn.analyze(t).score, band: 1e-9 },
  ];

  console.log('English, VADER sets: Pearson r / 3-class accuracy / macro-F1');
  const sets = VADER_SETS.map((name) => ({ name, rows: readVaderSet(name) }));
  for (const s of scorers) {
    const cells = sets.map(({ rows }) => {
      const scores = rows.map((r) => s.fn(r.text));
      const predicted = scores.map((x) => classify3(x, s.band));
      const truth = rows.map((r) => gold(r.rating));
      const accuracy = predicted.filter((p, i) => p === truth[i]).length / rows.length;
      return `${pearson(scores, rows.map((r) => r.rating)).toFixed(3)} / ${accuracy.toFixed(3)} / ${macroF1(truth, predicted).toFixed(3)}`;
    });
    console.log(`  ${s.name.padEnd(24)} ${sets.map((x, i) => `${x.name} ${cells[i]}`).join('   ')}`);
  }

  console.log('English, UCI sentences (sentiment package fixtures): binary accuracy, score >= 0 → positive');
  const uci = ['amazon', 'imdb', 'yelp'].map((name) => ({ name, rows: readUci(name) }));
  for (const s of scorers) {
    const cells = uci.map(({ name, rows }) => `${name} ${binaryAccuracy(rows, s.fn).toFixed(3)}`);
    console.log(`  ${s.name.padEnd(24)} ${cells.join('   ')}`);
  }

  const texts = sets.flatMap((s) => s.rows.map((r) => r.text));
  console.log(`Speed, one core, ${texts.length} English snippets (mean ${Math.round(texts.join(' ').length / texts.length)} chars):`);
  const timed: Array<[string, ScoreFn]> = [
    ['earshot (en engine)', scorers[0]!.fn],
    ['earshot scorer (detect + score)', (t) => scorer.score({ title: null, text: t }).sentiment.score],
    ['earshot scorer (langHint en)', (t) => scorer.score({ title: null, text: t, langHint: 'en' }).sentiment.score],
    ['sentiment 5 (AFINN)', scorers[2]!.fn],
  ];
  if (!quick) timed.push(['vader-sentiment 1.1.3', scorers[1]!.fn]);
  for (const [name, fn] of timed) console.log(`  ${name.padEnd(34)} ${Math.round(timeDocsPerSecond(texts, fn)).toLocaleString('en')} docs/s`);

  reportOtherLanguages(analyser);
}

export async function main(args: string[]): Promise<void> {
  main_(args.includes('--quick'));
}
