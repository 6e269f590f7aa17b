import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { pollSource } from '../../src/domain/sources/poll.usecases.js';
import { createTestStack, type TestStack } from '../support/stack.js';
import { cleanupList, pollDepsOf, startUpstream, type Upstream } from './support.js';

// A source saved with credentials and an http:// URL before saving refused that (an older
// release, or a deployment that allowed private networks then) must not send them at poll time.

const cleanup = cleanupList();
let s: TestStack;
let upstream: Upstream;

beforeAll(async () => {
  upstream = await startUpstream();
  cleanup.add(() => upstream.close());
  s = await createTestStack({ config: { SECRET_KEY: randomBytes(32).toString('hex') } });
  cleanup.add(() => s.close());
});
afterAll(() => cleanup.run());

describe('credentials over http at poll time', () => {
  it('are not sent where private networks are not allowed: the poll fails saying which field to change', async () => {
    const { key } = await s.workspace('Plain http');
    const base = upstream.url('').replace(/\/$/, '');
    const created = await s.request('POST', '/v1/sources', {
      key,
      body: { type: 'bluesky', query: 'acme', baseUrl: base, credentials: { identifier: 'acme.bsky.social', appPassword: 'abcd-efgh-ijkl-mnop' }, enabled: false },
    });
    expect(created.status, created.text).toBe(201);
    await s.request('PATCH', `/v1/sources/${created.json.id}`, { key, body: { enabled: true } });
    const before = upstream.requests.length;
    const deps = pollDepsOf(s, { plainHttpCredentials: false, openCredentials: (sealed) => s.services.secretBox!.open(sealed) });
    const outcome = await pollSource({ ...deps, sourceId: created.json.id, now: new Date() });
    expect(outcome).toMatchObject({ outcome: 'failed', error: expect.stringContaining('change baseUrl to an https:// URL') });
    expect(upstream.requests.length).toBe(before);
    const source = (await s.request('GET', `/v1/sources/${created.json.id}`, { key })).json;
    expect(source.lastError).toMatch(/sent only over https/);
  });
});
