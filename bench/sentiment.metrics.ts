export type Label3 = 'positive' | 'neutral' | 'negative';

export function classify3(score: number, band: number): Label3 {
  return score >= band ? 'positive' : score <= -band ? 'negative' : 'neutral';
}

export function pearson(xs: number[], ys: number[]): number {
  const n = xs.length;
  const mx = xs.reduce((a, b) => a + b, 0) / n;
  const my = ys.reduce((a, b) => a + b, 0) / n;
  let sxy = 0, sxx = 0, syy = 0;
  for (let i = 0; i < n; i++) {
    const dx = xs[i]! - mx, dy = ys[i]! - my;
    sxy += dx * dy; sxx += dx * dx; syy += dy * dy;
  }
  return sxx && syy ? sxy / Math.sqrt(sxx * syy) : 0;
}

export function macroF1<L extends string>(truth: L[], predicted: L[], labels: readonly L[] = [...new Set(truth)]): number {
  let total = 0;
  for (const label of labels) {
    let tp = 0, fp = 0, fn = 0;
    truth.forEach((t, i) => {
      const p = predicted[i];
      if (p === label && t === label) tp++;
      else if (p === label) fp++;
      else if (t === label) fn++;
    });
    total += tp ? (2 * tp) / (2 * tp + fp + fn) : 0;
  }
  return total / labels.length;
}

export function binaryAccuracy(rows: Array<{ text: string; positive: boolean }>, fn: (t: string) => number): number {
  return rows.filter((r) => (fn(r.text) >= 0) === r.positive).length / rows.length;
}

/** Best of three passes after a warm-up, so JIT and first-use profile building are not counted. */
export function timeDocsPerSecond(texts: string[], fn: (t: string) => unknown): number {
  for (const t of texts.slice(0, 2000)) fn(t);
  let best = 0;
  for (let pass = 0; pass < 3; pass++) {
    const start = process.hrtime.bigint();
    for (const t of texts) fn(t);
    const seconds = Number(process.hrtime.bigint() - start) / 1e9;
    best = Math.max(best, texts.length / seconds);
  }
  return best;
}
