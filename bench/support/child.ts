// One `npm start`-equivalent Earshot process (`node bin/earshot.js start`), its memory watched
// through /proc the way an operator's monitoring would see it.
import { spawn } from 'node:child_process';
import { appendFileSync, readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');

/** VmRSS and VmHWM (peak resident set) of a process, in MB; null once it is gone. */
export function memoryOf(pid: number): { rssMb: number; hwmMb: number } | null {
  try {
    const status = readFileSync(`/proc/${pid}/status`, 'utf8');
    const kb = (field: string) => Number(new RegExp(`^${field}:\\s+(\\d+) kB`, 'm').exec(status)?.[1] ?? NaN);
    return { rssMb: kb('VmRSS') / 1024, hwmMb: kb('VmHWM') / 1024 };
  } catch {
    return null;
  }
}

/** utime and stime of a /proc stat file, in seconds (/proc counts in 1/100 s); throws when it is gone. */
function statCpu(file: string): { user: number; system: number } {
  // Fields after the parenthesised command name; utime and stime are the 12th and 13th of them.
  const fields = readFileSync(file, 'utf8').split(') ')[1]!.split(' ');
  return { user: Number(fields[11]) / 100, system: Number(fields[12]) / 100 };
}

/** CPU seconds (all threads) a process has used so far, user and system. */
export function cpuTimesOf(pid: number): { user: number; system: number } {
  try {
    return statCpu(`/proc/${pid}/stat`);
  } catch {
    return { user: NaN, system: NaN };
  }
}

/** CPU seconds (user + system) each thread of a process has used so far, by thread id. */
export function threadCpuOf(pid: number): Map<number, number> {
  const byThread = new Map<number, number>();
  try {
    for (const tid of readdirSync(`/proc/${pid}/task`)) {
      const { user, system } = statCpu(`/proc/${pid}/task/${tid}/stat`);
      byThread.set(Number(tid), user + system);
    }
  } catch {
    // The process is gone: no figures.
  }
  return byThread;
}

/**
 * How a span's CPU split between the main thread (the event loop), the busiest other thread (an
 * ingest pool thread, when there is one) and the rest (more pool threads, V8's compiler and GC
 * helpers, libuv), from two threadCpuOf readings.
 */
export function threadCpuSplit(pid: number, before: Map<number, number>, after: Map<number, number>): { main: number; busiest: number; rest: number } {
  let main = 0;
  const others: number[] = [];
  for (const [tid, seconds] of after) {
    const used = seconds - (before.get(tid) ?? 0);
    if (tid === pid) main = used;
    else others.push(used);
  }
  others.sort((a, b) => b - a);
  const busiest = others[0] ?? 0;
  return { main, busiest, rest: others.slice(1).reduce((a, b) => a + b, 0) };
}

/**
 * CPU seconds the whole machine has been busy so far (all cores; everything but idle and I/O
 * wait), from /proc/stat's first line. Two readings over a span give how many cores were busy.
 */
export function machineBusySeconds(): number {
  const [, ...fields] = readFileSync('/proc/stat', 'utf8').split('\n', 1)[0]!.trim().split(/\s+/);
  // user nice system idle iowait irq softirq steal, in 1/100 s: all but the 4th and 5th are busy.
  const IDLE = 3;
  const IOWAIT = 4;
  return fields.slice(0, 8).reduce((busy, ticks, i) => (i === IDLE || i === IOWAIT ? busy : busy + Number(ticks)), 0) / 100;
}

export function cpuSecondsOf(pid: number): number {
  const { user, system } = cpuTimesOf(pid);
  return user + system;
}

/**
 * Waits until the process has used less than `share` of one core over the last `windowMs`: done
 * starting (an ingest thread's warm-up, a previous round's last jobs), so nothing of that lands in
 * what is measured next. Returns how long it waited; throws after `timeoutMs`.
 */
export async function waitUntilIdle(pid: number, { windowMs = 500, share = 0.05, timeoutMs = 60_000 } = {}): Promise<number> {
  const started = Date.now();
  for (;;) {
    const before = cpuSecondsOf(pid);
    await new Promise((resolve) => setTimeout(resolve, windowMs));
    const used = cpuSecondsOf(pid) - before;
    if (used < (share * windowMs) / 1000) return Date.now() - started;
    if (Date.now() - started > timeoutMs) throw new Error(`process ${pid} still busy after ${timeoutMs / 1000} s (${used.toFixed(2)} s of CPU in the last ${windowMs} ms)`);
  }
}

export interface StartedEarshot {
  pid: number;
  baseUrl: string;
  /** Lines the process wrote (LOG_LEVEL=warn, so warnings and errors). */
  output: string[];
  /** Samples VmRSS every `everyMs` until stopped; returns the highest sample. */
  watchMemory(everyMs: number): { stop(): { peakRssMb: number; samples: number } };
  /** SIGTERM, as an orchestrator would; SIGKILL if it has not exited in time. */
  stop(timeoutMs?: number): Promise<number | null>;
}

export async function startEarshot({
  env,
  port,
  nodeArgs = [],
  outputFile,
}: {
  env: Record<string, string>;
  port: number;
  nodeArgs?: string[];
  /** Where to append everything the process prints (e.g. V8's --trace-opt lines). */
  outputFile?: string | undefined;
}): Promise<StartedEarshot> {
  const child = spawn(process.execPath, [...nodeArgs, 'bin/earshot.js', 'start'], {
    cwd: ROOT,
    env: { PATH: process.env.PATH ?? '', HOST: '127.0.0.1', PORT: String(port), ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const output: string[] = [];
  for (const stream of [child.stdout, child.stderr]) {
    stream.setEncoding('utf8');
    stream.on('data', (chunk: string) => {
      output.push(...chunk.split('\n').filter(Boolean));
      if (outputFile) appendFileSync(outputFile, chunk);
    });
  }
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  const baseUrl = `http://127.0.0.1:${port}`;

  const deadline = Date.now() + 60_000;
  for (;;) {
    if (child.exitCode !== null) throw new Error(`earshot exited with ${child.exitCode} during start-up:\n${output.join('\n')}`);
    const ready = await fetch(`${baseUrl}/readyz`).then((r) => r.ok, () => false);
    if (ready) break;
    if (Date.now() > deadline) {
      child.kill('SIGKILL');
      throw new Error(`earshot was not ready within 60 s:\n${output.join('\n')}`);
    }
    await new Promise((r) => setTimeout(r, 200));
  }

  return {
    pid: child.pid!,
    baseUrl,
    output,
    watchMemory(everyMs) {
      let peakRssMb = 0;
      let samples = 0;
      const timer = setInterval(() => {
        const m = memoryOf(child.pid!);
        if (!m) return;
        samples += 1;
        peakRssMb = Math.max(peakRssMb, m.rssMb);
      }, everyMs);
      return {
        stop() {
          clearInterval(timer);
          return { peakRssMb, samples };
        },
      };
    },
    async stop(timeoutMs = 30_000) {
      if (child.exitCode !== null) return child.exitCode;
      child.kill('SIGTERM');
      const timer = setTimeout(() => child.kill('SIGKILL'), timeoutMs);
      const code = await exited;
      clearTimeout(timer);
      return code;
    },
  };
}
