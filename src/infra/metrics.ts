import { Counter, Gauge, Histogram, Registry, collectDefaultMetrics } from 'prom-client';

/**
 * Webhook delivery attempts, by kind (`alert`, `digest`) and outcome (`delivered`, `retry`,
 * `failed`: the last attempt failed too, `gone`: a 410, `refused`: an address Earshot must not
 * call). A `refused` or `gone` attempt ends its job normally, so the jobs counter shows it as
 * completed; this one shows it. Counted where every attempt is made (domain/webhooks), which
 * takes no Metrics, so it is the process's one counter, registered in each registry built here.
 */
export const webhookDeliveries = new Counter({
  name: 'earshot_webhook_deliveries_total',
  help: 'Webhook delivery attempts by kind (alert, digest) and outcome (delivered, retry, failed, gone, refused)',
  labelNames: ['kind', 'outcome'] as const,
  registers: [],
});
// Every series at 0 from the start, so rate() and alert rules on it see 0 rather than no series
// until the process's first delivery.
for (const kind of ['alert', 'digest']) {
  for (const outcome of ['delivered', 'retry', 'failed', 'gone', 'refused']) webhookDeliveries.inc({ kind, outcome }, 0);
}

/** One registry per process role set; tests build their own so runs never share counters. */
export function createMetrics() {
  const registry = new Registry();
  collectDefaultMetrics({ register: registry, prefix: 'earshot_' });
  registry.registerMetric(webhookDeliveries);
  return {
    registry,
    webhookDeliveries,
    httpRequests: new Counter({
      name: 'earshot_http_requests_total',
      help: 'HTTP requests by method, route pattern and status',
      labelNames: ['method', 'route', 'status'] as const,
      registers: [registry],
    }),
    httpDuration: new Histogram({
      name: 'earshot_http_request_duration_seconds',
      help: 'HTTP request duration by method and route pattern',
      labelNames: ['method', 'route'] as const,
      buckets: [0.002, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 10],
      registers: [registry],
    }),
    liveStreams: new Gauge({
      name: 'earshot_live_streams',
      help: 'Live mention streams (/v1/mentions/live) open in this process; the request duration histogram counts a stream only until its headers are sent',
      registers: [registry],
    }),
    liveStreamsCut: new Counter({
      name: 'earshot_live_streams_cut_total',
      help: 'Live streams this process cut, by reason: the key no longer valid, or a client that took no write for two heartbeats',
      labelNames: ['reason'] as const,
      registers: [registry],
    }),
    liveSweeps: new Counter({
      name: 'earshot_live_stream_catch_ups_total',
      help: 'Times a live stream found events stored but never published to it (their publisher died or lost Redis) and read them from Postgres',
      registers: [registry],
    }),
    jobs: new Counter({
      name: 'earshot_jobs_total',
      help: 'Jobs processed by queue, job name and outcome',
      labelNames: ['queue', 'name', 'outcome'] as const,
      registers: [registry],
    }),
  };
}

export type Metrics = ReturnType<typeof createMetrics>;
