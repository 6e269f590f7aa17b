// `npm run bench -- alerts [--seeds N]`: false alarms of the spike detector over seeded quiet
// histories at each sensitivity, detection of 5× spikes, evaluation speed, and the time from an
// evaluation that fires to a verified webhook on a local receiver (the pure parts only: no
// rollups, queue or database).
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { performance } from 'node:perf_hooks';
import { Webhook } from 'standardwebhooks';
import { FALSE_ALARM_PROBABILITY, SENSITIVITIES, type HourlyCounts } from '../src/domain/alerts/alerts.types.js';
import { backtestRule } from '../src/domain/alerts/backtest.js';
import { detectSpike } from '../src/domain/alerts/detection.js';
import { decideIncident } from '../src/domain/alerts/incidents.js';
import { buildAlertPayload, deliverWebhook, generateSecret } from '../src/domain/webhooks/index.js';
import { createHttpClient } from '../src/infra/http/index.js';
import { lowVolumeSeries, SEASONAL_NOISE, seasonalSeries, SERIES_START, WEEK } from '../test/domain/alerts/synthetic.js';

const HOUR_MS = 3_600_000;
const HISTORY_WEEKS = 4;
const HOURS = (HISTORY_WEEKS + 1) * WEEK;
const heldOut = { since: new Date(SERIES_START.getTime() + (HISTORY_WEEKS * WEEK + 1) * HOUR_MS), until: new Date(SERIES_START.getTime() + (HOURS + 1) * HOUR_MS) };
const baseRule = { id: 'rule_bench', windowMinutes: 60, minMentions: 5, cooldownMinutes: 60 };

const histories: Record<string, (seed: number) => HourlyCounts[]> = {
  'seasonal noise': (seed) => seasonalSeries({ seed, hours: HOURS, ...SEASONAL_NOISE }),
  'seasonal noise, +3 %/day drift': (seed) => seasonalSeries({ seed, hours: HOURS, ...SEASONAL_NOISE, driftPerDay: 0.03 }),
  'low volume (0–3 negatives/h)': (seed) => lowVolumeSeries(seed, HOURS),
};

function falseAlarms(seeds: number) {
  console.log(`False alarms: every hour of a held-out fifth week after four weeks of history, ${seeds} seeds, minMentions 5`);
  console.log('history                           sensitivity  p-threshold  evaluations  fired  opened  nominal');
  for (const [name, make] of Object.entries(histories)) {
    const series = Array.from({ length: seeds }, (_, i) => make(1000 + i));
    for (const sensitivity of SENSITIVITIES) {
      let evaluations = 0;
      let fired = 0;
      let opened = 0;
      for (const s of series) {
        const result = backtestRule({ rule: { ...baseRule, sensitivity }, series: s, ...heldOut });
        evaluations += result.evaluations;
        fired += result.fired;
        opened += result.events.filter((e) => e.kind === 'open').length;
      }
      const threshold = FALSE_ALARM_PROBABILITY[sensitivity];
      console.log(
        `${name.padEnd(33)} ${sensitivity.padEnd(12)} ${threshold.toExponential(0).padEnd(12)} ${String(evaluations).padEnd(12)} ${String(fired).padEnd(6)} ${String(opened).padEnd(7)} ${(threshold * evaluations).toFixed(3)}`,
      );
    }
  }
}

/** Share of held-out count-test p-values at or below each level: a calibrated model gives the level itself. */
function calibration(seeds: number) {
  const levels = [0.1, 0.01, 1e-3, 1e-4];
  const below = levels.map(() => 0);
  let n = 0;
  for (let i = 0; i < seeds; i++) {
    const series = histories['seasonal noise']!(3000 + i);
    for (let t = HISTORY_WEEKS * WEEK; t < HOURS; t++) {
      const { negative, total } = series[t]!;
      const detection = detectSpike({ observed: { negative, total }, history: series.slice(0, t), windowStart: series[t]!.start, windowMinutes: 60, sensitivity: 'medium', minMentions: 0 });
      n++;
      levels.forEach((level, j) => {
        if (detection.baseline.countPValue <= level) below[j]!++;
      });
    }
  }
  console.log(`\nCalibration of the count test over ${n} held-out seasonal-noise hours: ${levels.map((l, j) => `P(p ≤ ${l}) = ${(below[j]! / n).toExponential(1)}`).join(', ')}`);
}

function spikes(seeds: number) {
  let detected = 0;
  let withinTwo = 0;
  let before = 0;
  for (let i = 0; i < seeds; i++) {
    const from = HISTORY_WEEKS * WEEK + 24 * (i % 7) + (i * 5) % 24;
    const series = seasonalSeries({ seed: 2000 + i, hours: HOURS, ...SEASONAL_NOISE, spike: { from, hours: 2, factor: 5 } });
    const spikeStart = SERIES_START.getTime() + from * HOUR_MS;
    const opens = backtestRule({ rule: { ...baseRule, sensitivity: 'medium' }, series, ...heldOut }).events.filter((e) => e.kind === 'open');
    before += opens.filter((e) => e.at.getTime() <= spikeStart).length;
    const open = opens.find((e) => e.at.getTime() > spikeStart);
    if (!open) continue;
    detected++;
    const ticks = (open.at.getTime() - spikeStart) / HOUR_MS;
    if (ticks >= 1 && ticks <= 2) withinTwo++;
  }
  console.log(`\n5× spikes (2 h, at varied hours and weekdays, medium): ${detected}/${seeds} detected, ${withinTwo}/${seeds} within two hourly ticks; ${before} false alarm(s) before the spikes in these weeks`);
}

function speed() {
  for (const weeks of [4, 8]) {
    const series = seasonalSeries({ seed: 7, hours: (weeks + 1) * WEEK, ...SEASONAL_NOISE });
    const history = series.slice(0, weeks * WEEK);
    const window = series[weeks * WEEK]!;
    const n = 2_000;
    const started = performance.now();
    for (let i = 0; i < n; i++) {
      detectSpike({ observed: window, history, windowStart: window.start, windowMinutes: 60, sensitivity: 'medium', minMentions: 5 });
    }
    const perSecond = n / ((performance.now() - started) / 1000);
    console.log(`detectSpike with ${weeks} weeks of hourly history: ${Math.round(perSecond).toLocaleString('en')} evaluations/s`);
  }
}

async function fireToWebhook(rounds: number) {
  const secret = generateSecret();
  const verifier = new Webhook(secret);
  let verified = 0;
  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      verifier.verify(Buffer.concat(chunks).toString('utf8'), req.headers as Record<string, string>);
      verified++;
      res.writeHead(204).end();
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/hook`;
  const http = createHttpClient({ allowPrivateNetworks: true });
  const from = HISTORY_WEEKS * WEEK + 50;
  const series = seasonalSeries({ seed: 3, hours: HOURS, ...SEASONAL_NOISE, spike: { from, hours: 1, factor: 5 } });
  const times: number[] = [];
  for (let i = 0; i < rounds; i++) {
    const started = performance.now();
    const window = series[from]!;
    const detection = detectSpike({ observed: window, history: series.slice(0, from), windowStart: window.start, windowMinutes: 60, sensitivity: 'medium', minMentions: 5 });
    const action = decideIncident({ rule: { id: `rule_${i}`, cooldownMinutes: 60 }, incident: null, lastResolvedAt: null, detection, now: new Date() });
    if (action.kind !== 'open') throw new Error('the spike did not open an incident');
    const body = JSON.stringify(
      buildAlertPayload({ ruleId: `rule_${i}`, brand: { id: 'brd', name: 'Bench' }, ...detection, reason: detection.reason!, sampleMentions: [], timestamp: new Date() }),
    );
    const attempt = await deliverWebhook({ http, url, secret, id: action.eventId, body, now: new Date() });
    if (attempt.outcome !== 'delivered') throw new Error(`delivery failed: ${attempt.outcome}`);
    times.push(performance.now() - started);
  }
  await http.close();
  await new Promise<void>((resolve) => server.close(() => resolve()));
  times.sort((a, b) => a - b);
  const q = (p: number) => times[Math.min(times.length - 1, Math.floor(p * times.length))]!.toFixed(2);
  console.log(`\nEvaluation that fires → verified webhook on 127.0.0.1 (${verified}/${rounds} verified): p50 ${q(0.5)} ms, p95 ${q(0.95)} ms, max ${q(1)} ms`);
}

export async function main(args: string[]) {
  const seedsAt = args.indexOf('--seeds');
  const seeds = seedsAt >= 0 ? Number(args[seedsAt + 1]) : 20;
  falseAlarms(seeds);
  calibration(seeds);
  spikes(seeds);
  console.log('');
  speed();
  await fireToWebhook(50);
}
