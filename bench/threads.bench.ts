// `npm run bench -- threads [--thread A.mjs,B.mjs] [--young 24,96] [--cycles 8] [--feeds 50] [--items 200]`
//
// Ingest pool threads of different builds or heap sizes, side by side in one process: each gets
// the same feeds (parsed, scored, matched and serialised, as a poll's `prepare`), one thread at a
// time, taking turns in a rotating order for several cycles. Only one thread works at any moment,
// so the process's CPU over a turn (that thread, its GC helpers and the hand-off on the event
// loop) is that variant's. This machine's speed drifts by up to 40 % within minutes (see
// docs/benchmarks.md), which swamps a few per cent between two runs of `ingest`; turns a few
// seconds apart see the same host, so the comparison survives the drift.
//
// To compare a change: `npm run build && cp dist/ingest-thread.mjs dist/ingest-thread.base.mjs`
// before it, build again after it, then `--thread dist/ingest-thread.base.mjs,dist/ingest-thread.mjs`
// (the copy must stay in dist/ so that its imports resolve to node_modules).
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { createIngestPool } from '../src/infra/ingest-pool/index.js';
import { generateFeeds, prepareRequestFor } from './support/feeds.js';
import { PLACEHOLDER_BRAND_SET } from './support/corpus.js';
import { positiveInteger } from './support/stack.js';
// @ts-expect-error: a plain ES module without types, run by bin/earshot.js before any TypeScript loads
import { ensureBuilt } from '../scripts/build.mjs';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');

interface Variant {
  label: string;
  pool: ReturnType<typeof createIngestPool>;
  cpuPerItem: number[];
}

const median = (values: number[]) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)]!;

export async function main(args: string[]): Promise<void> {
  const { values } = parseArgs({
    args,
    options: {
      thread: { type: 'string', default: 'dist/ingest-thread.mjs' },
      young: { type: 'string', default: '' },
      cycles: { type: 'string', default: '8' },
      feeds: { type: 'string', default: '50' },
      items: { type: 'string', default: '200' },
      seed: { type: 'string', default: '42' },
    },
  });
  const threads = values.thread.split(',').filter(Boolean);
  const count = positiveInteger('--feeds', values.feeds);
  const items = positiveInteger('--items', values.items);
  const cycles = positiveInteger('--cycles', values.cycles);
  const youngSizes = values.young ? values.young.split(',').map((mb) => positiveInteger('--young', mb)) : [undefined];
  // The current sources' thread, built if the build is older than they are.
  if (threads.includes('dist/ingest-thread.mjs')) await ensureBuilt();

  const now = new Date();
  const variants: Variant[] = threads.flatMap((thread) =>
    youngSizes.map((young) => ({
      label: `${thread}${young === undefined ? '' : `, young generation ${young} MB`}`,
      pool: createIngestPool({ threads: 1, filename: path.resolve(ROOT, thread), ...(young === undefined ? {} : { youngGenerationMb: young }) }),
      cpuPerItem: [],
    })),
  );
  for (const v of variants) v.pool.start();

  console.log(`${variants.length} pool threads of one each, ${count} feeds × ${items} items per turn, ${cycles} cycles after an untimed one`);

  const turn = async (variant: Variant, round: number) => {
    const feeds = generateFeeds({ count, items, seed: Number(values.seed), now, round });
    const cpuBefore = process.cpuUsage();
    const started = performance.now();
    const batches = await Promise.all(feeds.map((f) => variant.pool.prepare(prepareRequestFor(f, { now, brands: PLACEHOLDER_BRAND_SET }))));
    const cpu = process.cpuUsage(cpuBefore);
    const stored = batches.reduce((n, b) => n + b.size, 0);
    if (stored !== count * items) throw new Error(`${variant.label}: ${stored} of ${count * items} items prepared`);
    return { cpuPerItem: (cpu.user + cpu.system) / stored, ms: performance.now() - started };
  };

  try {
    // Cycle 0 (untimed) waits out each thread's start and warm-up and compiles the hot code.
    for (let cycle = 0; cycle <= cycles; cycle++) {
      // Each cycle starts with the next variant, so none always runs first (or after the same one).
      const order = variants.map((_, i) => variants[(i + cycle) % variants.length]!);
      const line: string[] = [];
      for (const variant of order) {
        // Every variant gets the same new items within a cycle; each cycle brings new ones.
        const result = await turn(variant, cycle + 1);
        if (cycle > 0) variant.cpuPerItem.push(result.cpuPerItem);
        line.push(`${variants.indexOf(variant) + 1}: ${result.cpuPerItem.toFixed(0)} µs`);
      }
      if (cycle > 0) console.log(`  cycle ${cycle}: ${line.join('  ')}`);
    }
    console.log('\nprocess CPU per item (the thread, its GC helpers and the hand-off), per variant:');
    const first = variants[0]!;
    for (const [i, v] of variants.entries()) {
      const lower = v === first ? '' : `; lower than 1 in ${v.cpuPerItem.filter((x, c) => x < first.cpuPerItem[c]!).length} of ${cycles} cycles`;
      console.log(
        `  ${i + 1}. ${v.label}: median ${median(v.cpuPerItem).toFixed(0)} µs, ${Math.min(...v.cpuPerItem).toFixed(0)}–${Math.max(...v.cpuPerItem).toFixed(0)}${lower}`,
      );
    }
  } finally {
    await Promise.all(variants.map((v) => v.pool.close()));
  }
}
