import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { pollSource } from '../../src/domain/sources/poll.usecases.js';
import { createSecretBox } from '../../src/infra/secrets.js';
import { fixtureJson, startApi } from '../connectors/api-server.js';
import { createTestStack, type TestStack } from '../support/stack.js';
import { cleanupList, getSource, pollDepsOf } from './support.js';

// A server started without its SECRET_KEY (or with another one) cannot open stored credentials.
// That is the operator's configuration, not the source's fault: the source backs off and says
// why, and polls again by itself once the key is back, rather than staying disabled.

const cleanup = cleanupList();
const SECRET_KEY = randomBytes(32).toString('hex');
const credentials = { identifier: 'earshot.bsky.social', appPassword: 'abcd-efgh-ijkl-mnop' };
let s: TestStack;
let key: string;
let baseUrl: string;

beforeAll(async () => {
  const session = fixtureJson('bluesky/createSession.json');
  const api = await startApi((req) => (req.path.endsWith('createSession') ? { body: session } : { body: { posts: [] } }));
  cleanup.add(() => api.close());
  baseUrl = api.origin;
  s = await createTestStack({ config: { SECRET_KEY } });
  cleanup.add(() => s.close());
  await s.stopWorkers();
  key = (await s.workspace('Key lost')).key;
});
afterAll(() => cleanup.run());

describe('stored credentials when the server lacks their SECRET_KEY', () => {
  it.each([
    ['no SECRET_KEY', null],
    ['another SECRET_KEY', createSecretBox(randomBytes(32).toString('hex')).open],
  ])('with %s the source backs off, enabled, saying why; with the key back it polls again by itself', async (_, openCredentials) => {
    const created = await s.request('POST', '/v1/sources', { key, body: { type: 'bluesky', query: `key lost ${_}`, baseUrl, credentials } });
    expect(created.status, created.text).toBe(201);
    const id = created.json.id as string;

    const lost = await pollSource({ ...pollDepsOf(s, { openCredentials }), sourceId: id, now: new Date() });
    expect(lost).toMatchObject({ outcome: 'failed', disabled: false });
    const failing = await getSource(s, key, id);
    expect(failing).toMatchObject({ enabled: true, disabledReason: null, consecutiveFailures: 1 });
    expect(failing.lastError).toMatch(/^stored credentials cannot be opened: .*; polling resumes once the server has the SECRET_KEY they were sealed with/);
    expect(new Date(failing.nextFetchAt).getTime()).toBeGreaterThan(Date.now());

    // The operator restores the key: the next scheduled poll works, and the health record clears.
    const restored = await pollSource({ ...pollDepsOf(s, { openCredentials: createSecretBox(SECRET_KEY).open }), sourceId: id, now: new Date() });
    expect(restored).toMatchObject({ outcome: 'polled' });
    expect(await getSource(s, key, id)).toMatchObject({ enabled: true, consecutiveFailures: 0, lastError: null, lastStatus: 200 });
  });
});
