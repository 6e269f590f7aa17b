import { randomBytes } from 'node:crypto';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { dropRedisPrefix } from '../support/redis.js';
import { run, type Child } from '../support/process.js';

// Several `npm run demo` against one database, as when a newcomer starts a second one on another
// port while the first still runs: each keeps its own workspace, and only a demo that is really
// gone loses its own.
// One ingest thread each: this file runs up to three demos at once. Without the threads' warm-up
// (seconds of compiling through tsx, per demo): what is tested here is whose workspace is whose.
const DEMO_ENV = { PORT: '0', DEMO_PUBLISH_INTERVAL_MS: '1000', LOG_LEVEL: 'warn', INGEST_THREADS: '1', INGEST_WARM_UP: 'false' };
const prefix = `tdemoruns${randomBytes(4).toString('hex')}`;
const dbName = `earshot_t_${inject('runId')}_demoruns_${randomBytes(4).toString('hex')}`;
const dbUrl = Object.assign(new URL(inject('pgServer')), { pathname: `/${dbName}` }).toString();

interface Demo {
  child: Child;
  base: string;
  key: string;
}

const children: Child[] = [];

function launch(): Child {
  const child = run('node', ['--import', 'tsx', 'scripts/demo.ts'], { ...DEMO_ENV, DEMO_DATABASE_URL: dbUrl, DEMO_QUEUE_PREFIX: prefix });
  children.push(child);
  return child;
}

async function startDemo(): Promise<Demo> {
  const child = launch();
  await child.waitFor(/Press Ctrl-C to stop\./, 90_000);
  const out = child.output();
  return { child, base: /Earshot demo is running at (http:\/\/127\.0\.0\.1:\d+)/.exec(out)![1]!, key: /API key: +(\S+)/.exec(out)![1]! };
}

/** The status a demo's own key gets from its own server. */
async function keyStatus(demo: Demo): Promise<number> {
  const res = await fetch(`${demo.base}/v1/sources`, { headers: { authorization: `Bearer ${demo.key}` } });
  await res.arrayBuffer();
  return res.status;
}

async function sourceUrls(demo: Demo): Promise<string[]> {
  const res = await fetch(`${demo.base}/v1/sources`, { headers: { authorization: `Bearer ${demo.key}` } });
  expect(res.status).toBe(200);
  return ((await res.json()) as { items: Array<{ url: string }> }).items.map((s) => s.url);
}

async function query<T extends pg.QueryResultRow>(text: string, values: unknown[] = []): Promise<T[]> {
  const db = new pg.Client({ connectionString: dbUrl });
  await db.connect();
  try {
    return (await db.query<T>(text, values)).rows;
  } finally {
    await db.end();
  }
}

const workspaceCount = async () => Number((await query<{ n: string }>('select count(*) as n from workspaces'))[0]!.n);

let first: Demo;
let second: Demo;

beforeAll(async () => {
  first = await startDemo();
}, 120_000);

afterAll(async () => {
  for (const child of children) {
    if (child.proc.exitCode === null && child.proc.signalCode === null) {
      child.proc.kill('SIGKILL');
      await child.exited;
    }
  }
  const admin = new pg.Client({ connectionString: inject('pgServer') });
  await admin.connect();
  await admin.query(`drop database if exists "${dbName}" with (force)`);
  await admin.end();
  await dropRedisPrefix(prefix);
});

describe('npm run demo, several runs against one database', () => {
  it('a second demo started while the first runs leaves the first its workspace, key and feeds', async () => {
    second = await startDemo();
    expect(second.key).not.toBe(first.key);
    expect(await keyStatus(second)).toBe(200);
    expect(await keyStatus(first)).toBe(200);
    expect(await workspaceCount()).toBe(2);
    // The first demo's sources still poll feeds that answer, from its own feed server.
    for (const url of await sourceUrls(first)) expect((await fetch(url)).status, url).toBe(200);
  }, 120_000);

  it('a start that fails while creating its sources leaves the running demos alone and no workspace behind', async () => {
    // A 500 from POST /v1/sources, as a database fault would give.
    await query(`create function demo_test_refuse() returns trigger language plpgsql as $$ begin raise exception 'refused by the test'; end $$`);
    await query('create trigger demo_test_refuse before insert on sources for each row execute function demo_test_refuse()');
    try {
      const failing = launch();
      const exit = await Promise.race([failing.exited, new Promise<null>((r) => setTimeout(() => r(null), 90_000))]);
      const out = failing.output();
      expect(exit, out).toEqual({ code: 1, signal: null });
      expect(out).toMatch(/\/v1\/sources: 500/);
    } finally {
      await query('drop trigger demo_test_refuse on sources');
      await query('drop function demo_test_refuse()');
    }
    expect(await keyStatus(first)).toBe(200);
    expect(await keyStatus(second)).toBe(200);
    expect(await workspaceCount()).toBe(2);
  }, 120_000);

  it('a demo that is gone loses its workspace at the next start, while the one still running keeps its own', async () => {
    // Killed, not stopped: nothing of it can clean up, and its feed server's port is closed.
    first.child.proc.kill('SIGKILL');
    await first.child.exited;
    const third = await startDemo();
    expect(await keyStatus(third)).toBe(200);
    expect(await keyStatus(second)).toBe(200);
    const old = await fetch(`${third.base}/v1/sources`, { headers: { authorization: `Bearer ${first.key}` } });
    expect(old.status).toBe(401);
    expect(await workspaceCount()).toBe(2);
    // Both stopped at once, each with its own exit checked.
    await Promise.all(
      [second, third].map(async (demo) => {
        demo.child.proc.kill('SIGINT');
        expect(await demo.child.exited, demo.child.output()).toEqual({ code: 0, signal: null });
      }),
    );
  }, 150_000);
});
