import { readdir, readFile } from 'node:fs/promises';
import path from 'node:path';

interface ProfileNode {
  id: number;
  callFrame: { functionName: string; url: string; lineNumber: number };
  children?: number[];
}
interface CpuProfile {
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

/**
 * Self time of a .cpuprofile by area and by function, over the profile's whole life (start-up
 * included; it is small next to a run). Prints the top entries of each.
 */
export async function summariseProfiles(dir: string, top = 20): Promise<void> {
  const files = (await readdir(dir)).filter((f) => f.endsWith('.cpuprofile'));
  for (const file of files) {
    const profile = JSON.parse(await readFile(path.join(dir, file), 'utf8')) as CpuProfile;
    const byId = new Map(profile.nodes.map((n) => [n.id, n]));
    const selfUs = new Map<number, number>();
    profile.samples.forEach((id, i) => selfUs.set(id, (selfUs.get(id) ?? 0) + (profile.timeDeltas[i] ?? 0)));
    const total = [...selfUs.values()].reduce((a, b) => a + b, 0);
    const areas = new Map<string, number>();
    const functions = new Map<string, number>();
    for (const [id, us] of selfUs) {
      const { functionName, url, lineNumber } = byId.get(id)!.callFrame;
      const area = areaOf(url, functionName);
      areas.set(area, (areas.get(area) ?? 0) + us);
      const fn = `${functionName || '(anonymous)'} ${area}:${lineNumber + 1}`;
      functions.set(fn, (functions.get(fn) ?? 0) + us);
    }
    const idle = (areas.get('(idle)') ?? 0) + (areas.get('(program)') ?? 0);
    console.log(`\nCPU profile ${file}: ${(total / 1e6).toFixed(1)} s sampled, ${((total - idle) / 1e6).toFixed(1)} s busy (idle and (program) excluded below)`);
    const show = (label: string, m: Map<string, number>) => {
      console.log(`  self time by ${label}:`);
      const busy = total - idle;
      for (const [k, us] of [...m].filter(([k]) => k !== '(idle)' && k !== '(program)').sort((a, b) => b[1] - a[1]).slice(0, top)) {
        console.log(`    ${((100 * us) / busy).toFixed(1).padStart(5)}%  ${(us / 1e3).toFixed(0).padStart(6)} ms  ${k}`);
      }
    };
    show('area', areas);
    show('function', functions);
  }
}
