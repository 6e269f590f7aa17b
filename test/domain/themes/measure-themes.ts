// Time of extractThemes and buildSwot over a synthetic window: the fixture texts of 12 languages
// cycled into N mentions (default 100,000) across 20 brands, plus a previous window of the same size.
// `npx tsx test/domain/themes/measure-themes.ts [mentions]`; shaped as a bench module (main(args)).
import { readFileSync, readdirSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { buildSwot } from '../../../src/domain/swot/index.js';
import { extractThemes, type ThemeBrand, type ThemeMention } from '../../../src/domain/themes/index.js';

const fixtures = path.join(path.dirname(fileURLToPath(import.meta.url)), '..', '..', 'fixtures', 'sentiment');

function texts(): Array<{ text: string; lang: string; label: string }> {
  return readdirSync(fixtures).filter((f) => f.endsWith('.tsv')).flatMap((file) =>
    readFileSync(path.join(fixtures, file), 'utf8').split('\n').filter((l) => l && !l.startsWith('#')).map((line) => {
      const [label, ...rest] = line.split('\t');
      return { text: rest.join(' '), lang: file.slice(0, 2), label: label! };
    }));
}

function window(n: number, offset: number, brands: ThemeBrand[]): ThemeMention[] {
  const source = texts();
  return Array.from({ length: n }, (_, i) => {
    const t = source[(i * 7 + offset) % source.length]!;
    const score = t.label === 'positive' ? 0.6 : t.label === 'negative' ? -0.6 : 0;
    return {
      id: `m${offset}-${i}`, brandIds: [brands[i % brands.length]!.id], title: null, text: t.text, lang: t.lang,
      sentimentScore: score, label: t.label, occurredAt: new Date(Date.UTC(2026, 10, 1) + i * 1000),
    };
  });
}

export async function main(args: string[]): Promise<void> {
  const n = Number(args[0] ?? 100_000);
  const brands: ThemeBrand[] = Array.from({ length: 20 }, (_, i) => ({ id: `b${i}`, name: `Brand${i}`, role: i === 0 ? 'own' : 'competitor', query: `brand${i} OR "brand ${i}"` }));
  const current = window(n, 0, brands);
  const previous = window(n, 3, brands);
  extractThemes({ mentions: current.slice(0, 2000), previous: [], brands }); // warm up
  const t0 = performance.now();
  const themes = extractThemes({ mentions: current, previous, brands });
  const t1 = performance.now();
  const share = Object.fromEntries(brands.map((b) => [b.id, 1 / brands.length]));
  const trend = Object.fromEntries(brands.map((b) => [b.id, { current: { mentions: n / 20, scored: n / 20, netSentiment: 0 }, previous: { mentions: n / 20, scored: n / 20, netSentiment: 0 } }]));
  const swot = buildSwot({ ownBrandId: 'b0', brands, themes, shareOfVoice: { current: share, previous: share, mentions: { current: n, previous: n } }, sentimentTrend: trend, since: '', until: '' });
  const t2 = performance.now();
  const themeCount = themes.reduce((total, b) => total + b.themes.length, 0);
  console.log(`extractThemes: ${n.toLocaleString('en')} + ${n.toLocaleString('en')} previous mentions, 20 brands: ${(t1 - t0).toFixed(0)} ms (${Math.round((2 * n) / ((t1 - t0) / 1000)).toLocaleString('en')} mentions/s), ${themeCount} themes`);
  console.log(`buildSwot: ${(t2 - t1).toFixed(1)} ms, ${swot.strengths.length + swot.weaknesses.length + swot.opportunities.length + swot.threats.length} items`);
  console.log(`peak RSS ${(process.memoryUsage().rss / 2 ** 20).toFixed(0)} MiB`);
}

if (import.meta.url === `file://${process.argv[1]}`) await main(process.argv.slice(2));
