import { readdir, readFile } from 'node:fs/promises';
import path from 'node:path';

interface ProfileNode {
  id: number;
  callFrame: { functionName: string; url: string; lineNumber: number };
  children?: number[];
}
interface CpuProfile {
  endTime: number;
  nodes: ProfileNode[];
  samples: number[];
  timeDeltas: number[];
}

/** Which part of the system a frame belongs to: a package, one of our files, or Node itself. */
function areaOf(url: string, name: string): string {
  if (!url) return name.startsWith('(') ? name : '(native)';
  const pkg = /node_modules\/((?:@[^/]+\/)?[^/]+)/.exec(url);
  if (pkg) return pkg[1]!;
  const ours = /\/(src\/.+|bin\/.+)$/.exec(url);
  if (ours) return ours[1]!;
  if (url.startsWith('node:')) return url;
  return path.basename(url);
}

/** Areas grouped into the ingest path's stages; the first pattern that matches wins. */
const STAGES: Array<[string, RegExp]> = [
  ['feed parsing', /^(sax|xml2js|rss-parser|entities|src\/domain\/feeds\/|src\/connectors\/rss)/],
  ['language detection', /^(src\/domain\/language\/|franc|tinyld|trigram)/],
  ['sentiment', /^(src\/domain\/sentiment\/|src\/domain\/scoring\/|@nlpjs|sentiment$|vader)/],
  ['brand matching', /^src\/domain\/(query|brands)\//],
  ['text tokens', /^src\/domain\/text\//],
  ['prepare + canonical URL', /^src\/domain\/mentions\/(ingest|canonical)/],
  ['postgres client (kysely, pg)', /^(kysely|pg|pg-protocol|pg-types|pg-pool|postgres-|src\/domain\/mentions\/mentions\.repository|src\/domain\/sources\/sources\.repository)/],
  ['queue + redis (bullmq, ioredis)', /^(bullmq|ioredis|msgpackr|cron-parser|redis-|src\/workers\/|src\/infra\/(host-slots|mention-events))/],
  ['http client (undici)', /^(undici|src\/infra\/http\/)/],
  ['garbage collector', /^\(garbage collector\)$/],
  ['zod', /^zod$/],
  ['logging', /^(pino|src\/logger)/],
];
const stageOf = (area: string) => STAGES.find(([, re]) => re.test(area))?.[0] ?? `other: ${area.startsWith('node:') ? 'node internals' : area}`;

/**
 * Self time of each .cpuprofile in `dir` by area and by function, over its last `lastSeconds`
 * (the run and the shutdown, not start-up's module loading). Prints the top entries of each.
 */
export async function summariseProfiles(dir: string, { lastSeconds, top = 20 }: { lastSeconds: number; top?: number }): Promise<void> {
  const files = (await readdir(dir)).filter((f) => f.endsWith('.cpuprofile'));
  for (const file of files) {
    const profile = JSON.parse(await readFile(path.join(dir, file), 'utf8')) as CpuProfile;
    const byId = new Map(profile.nodes.map((n) => [n.id, n]));
    const parent = new Map<number, number>();
    for (const n of profile.nodes) for (const c of n.children ?? []) parent.set(c, n.id);
    // Native frames (a RegExp, a write) are charged to the nearest JavaScript caller's file.
    const frameOf = (id: number) => {
      let node = byId.get(id)!;
      const own = node.callFrame;
      if (own.url || own.functionName.startsWith('(')) return { ...own, area: areaOf(own.url, own.functionName) };
      while (!node.callFrame.url && parent.has(node.id)) node = byId.get(parent.get(node.id)!)!;
      return { ...own, area: node.callFrame.url ? areaOf(node.callFrame.url, '') : '(native)' };
    };
    const selfUs = new Map<number, number>();
    // timeDeltas run back from the end: sample i happened at endTime minus the deltas after it.
    let at = profile.endTime;
    for (let i = profile.samples.length - 1; i >= 0 && at >= profile.endTime - lastSeconds * 1e6; i--) {
      const delta = profile.timeDeltas[i] ?? 0;
      selfUs.set(profile.samples[i]!, (selfUs.get(profile.samples[i]!) ?? 0) + delta);
      at -= delta;
    }
    const total = [...selfUs.values()].reduce((a, b) => a + b, 0);
    const areas = new Map<string, number>();
    const functions = new Map<string, number>();
    let idle = 0;
    for (const [id, us] of selfUs) {
      const { functionName, lineNumber, area } = frameOf(id);
      if (area === '(idle)' || area === '(program)') {
        idle += us;
        continue;
      }
      areas.set(area, (areas.get(area) ?? 0) + us);
      const fn = `${functionName || '(anonymous)'} ${area}:${lineNumber + 1}`;
      functions.set(fn, (functions.get(fn) ?? 0) + us);
    }
    const busy = total - idle;
    if (busy < 0.01 * total) continue; // a thread that only waited (tsx's loader), nothing to show
    console.log(`\nCPU profile ${file}: ${(total / 1e6).toFixed(1)} s sampled, ${(busy / 1e6).toFixed(1)} s busy (idle and (program) left out below)`);
    const show = (label: string, m: Map<string, number>) => {
      console.log(`  self time by ${label}:`);
      for (const [k, us] of [...m].sort((a, b) => b[1] - a[1]).slice(0, top)) {
        console.log(`    ${((100 * us) / busy).toFixed(1).padStart(5)}%  ${(us / 1e3).toFixed(0).padStart(6)} ms  ${k}`);
      }
    };
    const stages = new Map<string, number>();
    for (const [area, us] of areas) stages.set(stageOf(area), (stages.get(stageOf(area)) ?? 0) + us);
    show('stage', stages);
    show('area', areas);
    show('function', functions);
  }
}
