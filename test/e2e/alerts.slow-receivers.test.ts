import { createServer, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { evaluateRule } from '../../src/domain/alerts/alerts.usecases.js';
import { workerConcurrency } from '../../src/runtime.js';
import { quietWeeksThenNegativeSpike, seed } from '../support/seed.js';
import { createTestStack, type TestStack } from '../support/stack.js';

/**
 * Webhook receivers that never answer hold a delivery slot each for the whole attempt (20 s).
 * With the worker's production concurrency, a healthy receiver's alert is not queued behind them.
 */
const DEAD_RECEIVERS = 16;
let server: Server;
let base: string;
let hanging = true;
const held: ServerResponse[] = [];
const arrivals = new Map<string, number>();
let s: TestStack;
let key: string;
let brand: string;

beforeAll(async () => {
  server = createServer((req, res) => {
    req.resume();
    req.on('end', () => {
      arrivals.set(req.url ?? '/', Date.now());
      if (req.url?.startsWith('/dead') && hanging) held.push(res);
      else res.writeHead(200).end('ok');
    });
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  s = await createTestStack({ concurrency: workerConcurrency({ WORKER_CONCURRENCY: 8 }) });
  const ws = await s.workspace('Slow receivers');
  key = ws.key;
  brand = (await s.request('POST', '/v1/brands', { key, body: { name: 'Acme', role: 'own', query: 'acme' } })).json.id;
  const sourceId = (await s.request('POST', '/v1/sources', { key, body: { type: 'rss', url: 'http://127.0.0.1:9/slow.xml' } })).json.id;
  // Every rule of the brand opens an incident at its first evaluation.
  await seed(s.deps, { workspaceId: ws.id, sourceId, mentions: quietWeeksThenNegativeSpike(brand) });
});
afterAll(async () => {
  // The dead receivers answer at last, so the attempts still waiting on them end.
  hanging = false;
  for (const res of held) res.writeHead(200).end('late');
  await s.drain(30_000).catch(() => {});
  await s.close();
  server.closeAllConnections();
  server.close();
});

async function openedAlert(path: string): Promise<string> {
  const rule = await s.request('POST', '/v1/alert-rules', { key, body: { brandId: brand, webhookUrl: `${base}${path}`, windowMinutes: 30 } });
  expect(rule.status, rule.text).toBe(201);
  const result = await evaluateRule({ ...s.deps, ruleId: rule.json.id, now: new Date() });
  expect(result.action).toBe('open');
  return result.toDeliver!;
}

describe('webhook deliveries and receivers that never answer', () => {
  it(`a healthy receiver gets its alert at once while ${DEAD_RECEIVERS} others hang`, async () => {
    const dead = [];
    for (let i = 0; i < DEAD_RECEIVERS; i++) dead.push(await openedAlert(`/dead/${i}`));
    const healthy = await openedAlert('/healthy');
    for (const alertId of dead) await s.services.queues.add('alerts.deliver', { alertId }, { jobId: `deliver-${alertId}` });
    const queued = Date.now();
    await s.services.queues.add('alerts.deliver', { alertId: healthy }, { jobId: `deliver-${healthy}` });

    // Well inside the 20 s a dead receiver holds an attempt: the healthy alert, and every dead
    // receiver holding one attempt at the same time.
    const deadline = queued + 5_000;
    while ((!arrivals.has('/healthy') || held.length < DEAD_RECEIVERS) && Date.now() < deadline) await new Promise((r) => setTimeout(r, 50));
    expect(arrivals.get('/healthy'), 'the healthy receiver waited behind the dead ones').toBeDefined();
    expect(held).toHaveLength(DEAD_RECEIVERS);
  });
});
