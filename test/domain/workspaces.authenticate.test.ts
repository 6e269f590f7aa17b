import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { authenticate, createWorkspace } from '../../src/domain/workspaces/workspaces.usecases.js';
import { createWorkspaceRepository } from '../../src/domain/workspaces/workspaces.repository.js';
import { createTestDatabase } from '../support/db.js';

describe('authenticate', () => {
  let database: Awaited<ReturnType<typeof createTestDatabase>>;
  beforeAll(async () => {
    database = await createTestDatabase();
  });
  afterAll(() => database.drop());

  it('records when a key was used at most once a minute, and does not even send the UPDATE in between', async () => {
    const repository = createWorkspaceRepository({ db: database.db });
    let updates = 0;
    const workspaceRepository = {
      ...repository,
      touchKey: (id: string, now: Date) => {
        updates += 1;
        return repository.touchKey(id, now);
      },
    };
    const { apiKey, apiKeyId } = await createWorkspace({ name: 'Touch', db: database.db, workspaceRepository });
    const lastUsed = async () =>
      (await database.db.selectFrom('api_keys').select('last_used_at').where('id', '=', apiKeyId).executeTakeFirstOrThrow()).last_used_at;
    const t0 = new Date('2026-11-22T12:00:00Z');
    const use = async (at: Date) => expect(await authenticate({ token: apiKey, now: at, workspaceRepository })).toMatchObject({ keyId: apiKeyId });

    expect(await lastUsed()).toBeNull();
    await use(t0);
    expect(await lastUsed()).toEqual(t0);
    expect(updates).toBe(1);

    // Within the minute the row just read is enough to know there is nothing to write.
    await use(new Date(t0.getTime() + 1_000));
    await use(new Date(t0.getTime() + 59_000));
    expect(await lastUsed()).toEqual(t0);
    expect(updates).toBe(1);

    const later = new Date(t0.getTime() + 61_000);
    await use(later);
    expect(await lastUsed()).toEqual(later);
    expect(updates).toBe(2);
  });
});
