import type { Kysely } from 'kysely';
import type { DB } from '../../infra/db/schema.js';

/** Secrets an installation makes for itself once and all its processes share (migration 0033). */
export function createInstallationSecretRepository({ db }: { db: Kysely<DB> }) {
  return {
    /**
     * The secret stored under `name`, storing `candidate` first when there is none. Processes
     * that start at once may each offer one: the first stored is the one they all read.
     */
    async getOrCreate(name: string, candidate: Buffer): Promise<Buffer> {
      await db.insertInto('installation_secrets').values({ name, secret: candidate }).onConflict((oc) => oc.column('name').doNothing()).execute();
      const row = await db.selectFrom('installation_secrets').select('secret').where('name', '=', name).executeTakeFirstOrThrow();
      return row.secret;
    },
  };
}

export type InstallationSecretRepository = ReturnType<typeof createInstallationSecretRepository>;
