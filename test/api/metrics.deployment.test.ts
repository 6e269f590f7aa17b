import type { Queue } from 'bullmq';
import { createServer, type Server } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type TestApp } from '../support/app.js';

// /metrics tells an operator the state of the whole deployment, whichever process does the work:
// jobs in each queue, sources by health, and how overdue the most overdue source is.

let t: TestApp;
let key: string;
beforeAll(async () => {
  t = await createTestApp();
  key = (await t.workspace('Deployment metrics')).key;
});
afterAll(async () => t.close());

/** The value of one series in Prometheus text, or undefined when the scrape has no such line. */
function sample(text: string, series: string): number | undefined {
  const line = text.split('\n').find((l) => l.startsWith(`${series} `));
  return line === undefined ? undefined : Number(line.slice(series.length + 1));
}

async function source(body: Record<string, unknown>) {
  const res = await t.request('POST', '/v1/sources', { key, body: { type: 'rss', ...body } });
  expect(res.status, res.text).toBe(201);
  return res.json.id as string;
}

describe('deployment state in /metrics', () => {
  it('counts sources by health, the most overdue one, and jobs by queue and state', async () => {
    let res = await t.request('GET', '/metrics');
    expect(sample(res.text, 'earshot_sources_overdue_seconds')).toBe(0);
    expect(sample(res.text, 'earshot_sources{state="healthy"}')).toBe(0);

    await source({ url: 'http://127.0.0.1:9/healthy.xml' });
    const failing = await source({ url: 'http://127.0.0.1:9/failing.xml' });
    await source({ url: 'http://127.0.0.1:9/paused.xml', enabled: false });
    await t.deps.sourceRepository.recordFailure(failing, { now: new Date(), status: 500, error: 'HTTP 500', nextFetchAt: new Date(Date.now() - 600_000), disable: false });
    const fetch = t.deps.queues.queues.get('fetch') as Queue;
    await fetch.add('sources.fetch', {}, { delay: 3_600_000, jobId: 'waiting-an-hour' });

    res = await t.request('GET', '/metrics');
    expect(res.status).toBe(200);
    expect({
      healthy: sample(res.text, 'earshot_sources{state="healthy"}'),
      failing: sample(res.text, 'earshot_sources{state="failing"}'),
      disabled: sample(res.text, 'earshot_sources{state="disabled"}'),
      delayed: sample(res.text, 'earshot_queue_jobs{queue="fetch",state="delayed"}'),
      waiting: sample(res.text, 'earshot_queue_jobs{queue="fetch",state="waiting"}'),
      digests: sample(res.text, 'earshot_queue_jobs{queue="digests",state="active"}'),
      redis: sample(res.text, 'earshot_deployment_read_ok{store="redis"}'),
      postgres: sample(res.text, 'earshot_deployment_read_ok{store="postgres"}'),
    }).toEqual({ healthy: 1, failing: 1, disabled: 1, delayed: 1, waiting: 0, digests: 0, redis: 1, postgres: 1 });
    // The failing source was due ten minutes ago; the disabled one does not count.
    const overdue = sample(res.text, 'earshot_sources_overdue_seconds')!;
    expect(overdue).toBeGreaterThanOrEqual(600);
    expect(overdue).toBeLessThan(660);
    await fetch.remove('waiting-an-hour');
  });
});

describe('a store that does not answer', () => {
  let silent: Server;
  let cut: TestApp;
  beforeAll(async () => {
    // Accepts connections and never answers: a Redis that hangs rather than refuses.
    silent = createServer(() => {});
    await new Promise<void>((resolve) => silent.listen(0, '127.0.0.1', resolve));
    const port = (silent.address() as { port: number }).port;
    cut = await createTestApp({ config: { REDIS_URL: `redis://127.0.0.1:${port}` } });
  });
  afterAll(async () => {
    await cut.close();
    silent.close();
  });

  it('leaves its gauges out and says so, within the scrape timeout, while the rest is served', async () => {
    const started = Date.now();
    const res = await cut.request('GET', '/metrics');
    expect(Date.now() - started).toBeLessThan(3_000);
    expect(res.status).toBe(200);
    expect(sample(res.text, 'earshot_deployment_read_ok{store="redis"}')).toBe(0);
    expect(sample(res.text, 'earshot_deployment_read_ok{store="postgres"}')).toBe(1);
    expect(res.text).not.toContain('earshot_queue_jobs{');
    expect(sample(res.text, 'earshot_sources{state="healthy"}')).toBe(0);
    expect(res.text).toContain('earshot_process_cpu_seconds_total');
  });
});
