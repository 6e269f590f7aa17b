import { existsSync } from 'node:fs';
import { readdir, readFile } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { DEFAULT_MIGRATION_TABLE, Migrator, sql, type Kysely, type Migration, type MigrationProvider } from 'kysely';

/** The project's migrations/ folder, found upwards from this module: it runs from src/ and from the bundle in dist/. */
function findMigrationsDir(): string {
  const from = path.dirname(fileURLToPath(import.meta.url));
  for (let dir = from; ; dir = path.dirname(dir)) {
    if (existsSync(path.join(dir, 'package.json')) && existsSync(path.join(dir, 'migrations'))) return path.join(dir, 'migrations');
    if (path.dirname(dir) === dir) throw new Error(`no migrations/ folder beside a package.json above ${from}`);
  }
}

export const MIGRATIONS_DIR = findMigrationsDir();

/**
 * Migrations are plain SQL files, frozen in time: they never import application code.
 * Each file runs whole; Kysely's Postgres adapter holds an advisory lock and runs the batch in
 * one transaction, so two processes starting at once apply each migration exactly once.
 */
class SqlFileMigrationProvider implements MigrationProvider {
  constructor(private readonly dir: string) {}

  async getMigrations(): Promise<Record<string, Migration>> {
    const files = (await readdir(this.dir)).filter((f) => f.endsWith('.sql')).sort();
    const migrations: Record<string, Migration> = {};
    for (const file of files) {
      const text = await readFile(path.join(this.dir, file), 'utf8');
      migrations[file.slice(0, -'.sql'.length)] = {
        up: async (db: Kysely<unknown>) => {
          await sql.raw(text).execute(db);
        },
      };
    }
    return migrations;
  }
}

/**
 * The database has migrations this release does not have: a newer release applied them, and this
 * one is older (a rollback). Migrations only go forward, so the way back is that newer release or
 * a backup taken before the upgrade. A start-up error, said in one line.
 */
export class UnknownMigrationsError extends Error {
  constructor(readonly migrations: string[]) {
    super(
      `this database was migrated by a newer release of Earshot: it has ${migrations.length === 1 ? 'a migration' : 'migrations'} this release does not know ` +
        `(${migrations.join(', ')}). Migrations only go forward: run the release that applied ${migrations.length === 1 ? 'it' : 'them'} (or a later one), ` +
        'or restore the backup of the database taken before upgrading',
    );
    this.name = 'UnknownMigrationsError';
  }
}

/**
 * The role may not create in the schema the migrations create their tables in (42501, no CREATE
 * on it): PostgreSQL 15 and later give CREATE on `public` to the database's owner alone, so a
 * database a superuser made without `-O <role>` refuses the first migration. Nothing new of the
 * batch was applied; `applied` is what the database has (null when the role may not read it).
 * `schemaOwner` is `pg_database_owner` where the schema follows the database's owner.
 */
export class SchemaCreateDeniedError extends Error {
  readonly role: string;
  readonly database: string;
  readonly schema: string;
  readonly databaseOwner: string;
  readonly schemaOwner: string;
  readonly applied: string[] | null;
  constructor(
    { role, database, schema, databaseOwner, schemaOwner, applied }: { role: string; database: string; schema: string; databaseOwner: string; schemaOwner: string; applied: string[] | null },
    options?: ErrorOptions,
  ) {
    super(`role "${role}" may not create in schema ${schema} of database "${database}"`, options);
    this.name = 'SchemaCreateDeniedError';
    this.role = role;
    this.database = database;
    this.schema = schema;
    this.databaseOwner = databaseOwner;
    this.schemaOwner = schemaOwner;
    this.applied = applied;
  }
}

/**
 * Who owns a migrated database's tables, read from the server: `tables` is how many `owner` has
 * in `schema`; `canCreate`, whether `role` may create there; `applied`, the migrations the
 * database has (null when `role` may not read them).
 */
export interface TablesOwnership {
  role: string;
  owner: string;
  ownerIsSuperuser: boolean;
  database: string;
  schema: string;
  tables: number;
  databaseOwner: string;
  schemaOwner: string;
  canCreate: boolean;
  applied: string[] | null;
}

/**
 * The database was migrated by another role (`owner`), which owns its tables, and the role
 * Earshot runs as is not a member of it (42501: it may not read kysely_migration_lock, or a
 * migration may not ALTER a table it does not own). Neither CREATE on the schema nor owning the
 * database helps: the tables must become the role's, or Earshot run as their owner. Nothing new
 * was applied.
 */
export class TablesOwnedByOtherRoleError extends Error {
  readonly facts: Readonly<TablesOwnership>;
  constructor(facts: TablesOwnership, options?: ErrorOptions) {
    super(`the tables of database "${facts.database}" belong to role "${facts.owner}", not to role "${facts.role}"`, options);
    this.name = 'TablesOwnedByOtherRoleError';
    this.facts = facts;
  }
}

/**
 * A migration (or the migrator's own bookkeeping) refused with 42501, said as what to change:
 * TablesOwnedByOtherRoleError when the migration table belongs to a role whose privileges the
 * role lacks, else SchemaCreateDeniedError when the role lacks CREATE on the schema; null for any
 * other refusal.
 */
// eslint-disable-next-line @typescript-eslint/no-explicit-any -- see migrateToLatest
async function permissionDenied(db: Kysely<any>, error: unknown): Promise<TablesOwnedByOtherRoleError | SchemaCreateDeniedError | null> {
  if ((error as { code?: string } | null)?.code !== '42501') return null;
  const { rows } = await sql<{
    role: string;
    database: string;
    schema: string | null;
    database_owner: string;
    schema_owner: string | null;
    can_create: boolean | null;
    owner: string | null;
    owner_is_superuser: boolean | null;
    owner_schema: string | null;
    owner_schema_owner: string | null;
    owner_can_create: boolean | null;
    tables: number | null;
  }>`
    select current_user as role, current_database() as database, current_schema() as schema,
      pg_get_userbyid(d.datdba) as database_owner,
      (select pg_get_userbyid(nspowner) from pg_namespace where nspname = current_schema()) as schema_owner,
      has_schema_privilege(current_schema(), 'CREATE') as can_create,
      r.rolname as owner, r.rolsuper as owner_is_superuser,
      n.nspname as owner_schema, pg_get_userbyid(n.nspowner) as owner_schema_owner, has_schema_privilege(n.oid, 'CREATE') as owner_can_create,
      (select count(*)::int from pg_class t where t.relnamespace = c.relnamespace and t.relowner = c.relowner and t.relkind in ('r', 'p')) as tables
    from pg_database d
    left join pg_class c on c.oid = to_regclass(${DEFAULT_MIGRATION_TABLE}) and not pg_has_role(c.relowner, 'USAGE')
    left join pg_roles r on r.oid = c.relowner
    left join pg_namespace n on n.oid = c.relnamespace
    where d.datname = current_database()`
    .execute(db)
    .catch(() => ({ rows: [] }));
  const found = rows[0];
  if (!found) return null;
  if (found.owner !== null && found.owner_schema !== null) {
    return new TablesOwnedByOtherRoleError(
      {
        role: found.role,
        owner: found.owner,
        ownerIsSuperuser: found.owner_is_superuser === true,
        database: found.database,
        schema: found.owner_schema,
        tables: found.tables ?? 0,
        databaseOwner: found.database_owner,
        schemaOwner: found.owner_schema_owner ?? '',
        canCreate: found.owner_can_create === true,
        applied: await appliedMigrations(db),
      },
      { cause: error },
    );
  }
  if (found.schema === null || found.can_create !== false) return null;
  return new SchemaCreateDeniedError(
    {
      role: found.role,
      database: found.database,
      schema: found.schema,
      databaseOwner: found.database_owner,
      schemaOwner: found.schema_owner ?? '',
      applied: await appliedMigrations(db),
    },
    { cause: error },
  );
}

/** The migrations recorded as applied, by name; null when there is no record the role may read. */
// eslint-disable-next-line @typescript-eslint/no-explicit-any -- see migrateToLatest
async function appliedMigrations(db: Kysely<any>): Promise<string[] | null> {
  return db
    .selectFrom(DEFAULT_MIGRATION_TABLE)
    .select('name')
    .orderBy('name')
    .execute()
    .then((rows: Array<{ name: string }>) => rows.map((row) => row.name))
    .catch(() => null);
}

/** The migrations recorded as applied in the database that `dir` does not have. */
// eslint-disable-next-line @typescript-eslint/no-explicit-any -- see migrateToLatest
async function unknownMigrations(db: Kysely<any>, provider: MigrationProvider): Promise<string[]> {
  const known = new Set(Object.keys(await provider.getMigrations()));
  return ((await appliedMigrations(db)) ?? []).filter((name) => !known.has(name));
}

// eslint-disable-next-line @typescript-eslint/no-explicit-any -- migrations are frozen in time and see no generated types
export async function migrateToLatest(db: Kysely<any>, dir = MIGRATIONS_DIR): Promise<string[]> {
  const provider = new SqlFileMigrationProvider(dir);
  const migrator = new Migrator({ db, provider });
  const { error, results = [] } = await migrator.migrateToLatest();
  if (error) {
    // Kysely refuses a database with applied migrations it cannot find ("corrupted migrations:
    // previously executed migration … is missing") before it runs any.
    const unknown = results.length ? [] : await unknownMigrations(db, provider);
    if (unknown.length) throw new UnknownMigrationsError(unknown);
    const denied = await permissionDenied(db, error);
    if (denied) throw denied;
    const failed = results.find((r) => r.status === 'Error')?.migrationName;
    throw new Error(`migration ${failed ?? '(unknown)'} failed: ${error instanceof Error ? error.message : String(error)}`, {
      cause: error,
    });
  }
  return results.filter((r) => r.status === 'Success').map((r) => r.migrationName);
}
