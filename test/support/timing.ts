/** The fastest of `attempts` runs, in ms: a slow case is slow every time, a busy machine only sometimes. */
export function fastestOf(attempts: number, run: () => unknown): number {
  let best = Infinity;
  for (let i = 0; i < attempts; i += 1) {
    const started = performance.now();
    run();
    best = Math.min(best, performance.now() - started);
  }
  return best;
}

/**
 * How much longer `run` takes on an input `factor` times larger, the fastest of three runs each:
 * about `factor` when the work is linear, `factor`² when it is quadratic. A ratio rather than a
 * time limit, so a test holding it holds on a loaded machine too, where a fixed limit in
 * milliseconds fails a linear reader and a fast machine can hide a quadratic one.
 */
export function growth(run: (size: number) => unknown, size: number, factor = 8): { small: number; large: number; ratio: number } {
  run(size); // compiled once before timing
  const small = fastestOf(3, () => run(size));
  const large = fastestOf(3, () => run(size * factor));
  // A floor of 2 ms keeps timer resolution on a tiny input from making the ratio meaningless.
  return { small, large, ratio: large / Math.max(small, 2) };
}
