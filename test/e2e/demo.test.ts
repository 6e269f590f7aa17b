import { randomBytes } from 'node:crypto';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { dropRedisPrefix } from '../support/app.js';
import { run, type Child } from '../support/process.js';

// `npm run demo` as a newcomer runs it: the script itself in its own process, with its own
// database and queue prefix, and then the curl commands it prints.
const DEMO_LANGS = ['en', 'cs', 'fa', 'hi', 'ta'];
const prefix = `tdemo${randomBytes(4).toString('hex')}`;
const dbName = `earshot_t_${inject('runId')}_demo_${randomBytes(4).toString('hex')}`;
const dbUrl = Object.assign(new URL(inject('pgServer')), { pathname: `/${dbName}` }).toString();

interface Printed {
  base: string;
  key: string;
  ownBrand: string;
  commands: Array<{ flag: string; url: string }>;
}
interface MentionJson {
  lang: string | null;
  brandIds: string[];
  hashtags: string[];
  sentiment: { label: string };
}

let demo: Child;
let printed: Printed;

async function get(path: string): Promise<{ items: MentionJson[] }> {
  const res = await fetch(`${printed.base}${path}`, { headers: { authorization: `Bearer ${printed.key}` } });
  expect(res.status, path).toBe(200);
  return (await res.json()) as { items: MentionJson[] };
}

beforeAll(async () => {
  demo = run('node', ['--import', 'tsx', 'scripts/demo.ts'], { PORT: '0', DEMO_DATABASE_URL: dbUrl, DEMO_QUEUE_PREFIX: prefix, LOG_LEVEL: 'warn' });
  await demo.waitFor(/Press Ctrl-C to stop\./, 90_000);
  const out = demo.output();
  const commands = [...out.matchAll(/curl (-s|-N) -H "Authorization: Bearer [^"]+" "([^"]+)"/g)].map((m) => ({ flag: m[1]!, url: m[2]! }));
  printed = {
    base: /Earshot demo is running at (http:\/\/127\.0\.0\.1:\d+)/.exec(out)![1]!,
    key: /API key: +(\S+)/.exec(out)![1]!,
    ownBrand: /brand=([0-9a-f-]{36})/.exec(out)![1]!,
    commands,
  };
});

afterAll(async () => {
  if (demo?.proc.exitCode === null) {
    demo.proc.kill('SIGKILL');
    await demo.exited;
  }
  const admin = new pg.Client({ connectionString: inject('pgServer') });
  await admin.connect();
  await admin.query(`drop database if exists "${dbName}" with (force)`);
  await admin.end();
  await dropRedisPrefix(prefix);
});

describe('npm run demo', () => {
  it('shows scored mentions in all five languages within a minute', async () => {
    const seen = new Map<string, MentionJson[]>();
    const deadline = Date.now() + 60_000;
    while (seen.size < DEMO_LANGS.length && Date.now() < deadline) {
      for (const lang of DEMO_LANGS) {
        if (seen.has(lang)) continue;
        const { items } = await get(`/v1/mentions?lang=${lang}&limit=100`);
        if (items.length) seen.set(lang, items);
      }
      if (seen.size < DEMO_LANGS.length) await new Promise((r) => setTimeout(r, 500));
    }
    expect([...seen.keys()].sort()).toEqual([...DEMO_LANGS].sort());
    for (const [lang, items] of seen) {
      expect(items.every((m) => m.lang === lang && m.brandIds.length > 0), lang).toBe(true);
      // Sentiment is not English-only: every language shows opinions, not just "neutral".
      expect(items.some((m) => m.sentiment.label === 'positive' || m.sentiment.label === 'negative'), lang).toBe(true);
    }
    const labels = new Set([...seen.values()].flat().map((m) => m.sentiment.label));
    expect(labels.has('positive') && labels.has('negative'), [...labels].join(', ')).toBe(true);
  }, 75_000);

  it('every curl command it prints answers, and the filters they show filter', async () => {
    expect(printed.commands.length).toBeGreaterThanOrEqual(5);
    for (const { flag, url } of printed.commands) {
      const controller = new AbortController();
      const res = await fetch(url, { headers: { authorization: `Bearer ${printed.key}` }, signal: controller.signal });
      expect(res.status, url).toBe(200);
      if (flag === '-N') {
        expect(res.headers.get('content-type'), url).toMatch(/^text\/event-stream/);
        controller.abort();
        await res.body?.cancel().catch(() => {});
      } else {
        await res.arrayBuffer();
      }
    }
    const negative = await get(`/v1/mentions?brand=${printed.ownBrand}&sentiment=negative`);
    expect(negative.items.length).toBeGreaterThan(0);
    expect(negative.items.every((m) => m.sentiment.label === 'negative' && m.brandIds.includes(printed.ownBrand))).toBe(true);
    const tagged = await get('/v1/mentions?hashtag=aromacoffee');
    expect(tagged.items.length).toBeGreaterThan(0);
    expect(tagged.items.every((m) => m.hashtags.includes('aromacoffee'))).toBe(true);
  });

  it('stops cleanly on Ctrl-C', async () => {
    demo.proc.kill('SIGINT');
    const exit = await Promise.race([demo.exited, new Promise<null>((r) => setTimeout(() => r(null), 20_000))]);
    expect(exit).toEqual({ code: 0, signal: null });
  });
});
