import { userInfo } from 'node:os';
import { ConfigError, withoutPasswords } from './config.js';
import { DatabaseCreateDeniedError, DatabaseEncodingError, MIN_POSTGRES_VERSION, PostgresTooOldError } from './infra/db/database.js';
import { SchemaCreateDeniedError, TablesOwnedByOtherRoleError, type TablesOwnership } from './infra/db/migrator.js';
import { PostgresHostNameError, PostgresUnreachableError } from './infra/db/postgres-wait.js';
import { IngestThreadLoadError } from './infra/ingest-pool/index.js';
import { asSeconds, RedisPolicyError, RedisUnreachableError, RedisWrongServiceError } from './infra/redis.js';
import { ListenError, PortInUseError } from './runtime.js';

const NETWORK_CODES = new Set(['ECONNREFUSED', 'ENOTFOUND', 'EAI_AGAIN', 'ETIMEDOUT', 'ECONNRESET', 'EHOSTUNREACH']);

/** Where Earshot was pointed, and how the operator points it elsewhere (the variables differ for the demo). */
export interface StartUpContext {
  databaseUrl: string;
  redisUrl: string;
  databaseVariable: string;
  /** The database name to show in that variable's example: the demo's own is not the installation's. */
  databaseName?: string;
  /** How to start again with a free port, e.g. `PORT=3001 npm start`. */
  portHint: string;
}

/**
 * What stopped Earshot from starting, as an operator can act on it: which service, where (without
 * passwords) and the variable to change. Null for an error that is not about the setup: a defect,
 * to be shown with its stack.
 */
export function startUpMessage(err: unknown, context: StartUpContext): string | null {
  if (err instanceof ConfigError || err instanceof RedisPolicyError || err instanceof IngestThreadLoadError) return err.message;
  if (err instanceof PortInUseError) return `${err.message}.\n  For example: ${context.portHint}`;
  if (err instanceof ListenError) return err.message;
  if (err instanceof RedisWrongServiceError) {
    return `REDIS_URL=${withoutPasswords(context.redisUrl)} does not lead to Redis: ${err.reason}.\n  Point REDIS_URL at Redis (redis://host:6379), or use rediss:// if that Redis takes only TLS`;
  }
  if (err instanceof RedisUnreachableError) {
    const waited = err.waitedMs === undefined ? '' : ` in ${asSeconds(err.waitedMs)} s`;
    const waitLonger = err.waitedMs === undefined ? '' : `; to wait longer for a Redis that is still starting, raise REDIS_STARTUP_WAIT_MS (now ${err.waitedMs})`;
    return `could not reach Redis at ${withoutPasswords(context.redisUrl)}${waited} (${err.reason}).\n  Start Redis there, or point Earshot at one with REDIS_URL=redis://host:6379${waitLonger}`;
  }
  const e = err as Error & { code?: string; severity?: string };
  const message = e?.message ?? '';
  const database = withoutPasswords(context.databaseUrl);
  const example = `${context.databaseVariable}=postgres://user@host:5432/${context.databaseName ?? 'earshot'}`;
  // pg asks for SSL whenever the URL has an sslmode other than disable (an unknown one too).
  if (/does not support SSL/i.test(message)) {
    const sslmode = sslModeOf(context.databaseUrl);
    return (
      `Postgres at ${hostPort(context.databaseUrl)} does not support SSL, but ${context.databaseVariable} asks for it${sslmode ? ` (sslmode=${sslmode})` : ''}.\n` +
      `  Remove sslmode from ${context.databaseVariable} (or set sslmode=disable), or enable SSL on the server (ssl = on in postgresql.conf)`
    );
  }
  // A connection the server end closed, or that nothing answered, before Postgres said a word:
  // not a crash of Postgres, but nothing (or something else) answering at that address.
  if (/^Connection terminated unexpectedly$/i.test(message) || /timeout/i.test(message)) {
    const what = /timeout/i.test(message) ? 'did not answer in time' : 'closed the connection before answering';
    return (
      `could not use Postgres at ${database}: ${hostPort(context.databaseUrl)} ${what} (${message}); no Postgres answers there, or a firewall or route drops the connection.\n` +
      `  Check the host and port, or point Earshot at a Postgres with ${example}`
    );
  }
  if (err instanceof PostgresTooOldError) {
    return (
      `Postgres at ${hostPort(context.databaseUrl)} is PostgreSQL ${err.version}; Earshot needs ${MIN_POSTGRES_VERSION} or newer (its schema uses gen_random_uuid() and normalize()), and nothing was created or migrated.\n` +
      `  Upgrade that server, or point Earshot at a newer one with ${example}`
    );
  }
  if (err instanceof PostgresHostNameError) {
    return (
      `the Postgres host name ${JSON.stringify(err.host)} in ${context.databaseVariable} can never resolve: ${err.problem}; it was not waited for.\n` +
      `  Correct the host in ${example}`
    );
  }
  if (err instanceof PostgresUnreachableError) {
    const waited = `${asSeconds(err.waitedMs)} s`;
    const waitLonger = `raise DATABASE_STARTUP_WAIT_MS (now ${err.waitedMs})`;
    // 57P03: Postgres answered, saying it is starting up (crash recovery can take a while), in recovery or shutting down.
    if (err.lastCode === '57P03') {
      return (
        `Postgres at ${hostPort(context.databaseUrl)} still did not accept connections after ${waited} (${err.reason}).\n` +
        `  To wait longer for it to finish starting, ${waitLonger}; or point Earshot at another Postgres with ${example}`
      );
    }
    const check = err.lastCode === 'ENOTFOUND' || err.lastCode === 'EAI_AGAIN' ? `Check the host name in ${context.databaseVariable}, start Postgres there,` : 'Start Postgres there,';
    return (
      `could not reach Postgres at ${database} in ${waited} (${err.reason}).\n` +
      `  ${check} or point Earshot at one with ${example}; to wait longer for a Postgres that is still starting, ${waitLonger}`
    );
  }
  if (err instanceof DatabaseCreateDeniedError) {
    const owner = shellWord(err.role);
    const locale = err.locale ? ` --lc-collate=${shellWord(err.locale)} --lc-ctype=${shellWord(err.locale)}` : '';
    return (
      `database "${err.database}" does not exist at ${hostPort(context.databaseUrl)}, and role "${err.role}" may not create it (${(err.cause as Error | undefined)?.message ?? err.message}).\n` +
      `  Create it as a superuser, owned by that role (on Debian or Ubuntu: sudo -u postgres createdb -E UTF8 -T template0${locale} -O ${owner} ${shellWord(err.database)}), ` +
      `or let the role create databases (sudo -u postgres psql -c "ALTER ROLE ${sqlNameInShell(err.role)} CREATEDB"), and start again`
    );
  }
  if (err instanceof DatabaseEncodingError) {
    return (
      `database "${err.database}" at ${hostPort(context.databaseUrl)} is encoded in ${err.encoding}; Earshot needs UTF8 (mentions come in every script), and nothing was migrated.\n` +
      `  Create it in UTF8 (if it holds nothing yet: dropdb ${shellWord(err.database)} && createdb -E UTF8 -T template0 ${shellWord(err.database)}; Earshot creates a missing one in UTF8), or point Earshot at a UTF8 database with ${example}`
    );
  }
  if (err instanceof SchemaCreateDeniedError) {
    const grant = `sudo -u postgres psql -d ${shellWord(err.database)} -c "GRANT CREATE ON SCHEMA ${sqlNameInShell(err.schema)} TO ${sqlNameInShell(err.role)}"`;
    // Where the schema follows the database's owner (PostgreSQL 15's public), owning the database gives CREATE.
    const makeOwner =
      err.schemaOwner === 'pg_database_owner'
        ? `Make the role the database's owner (on Debian or Ubuntu: sudo -u postgres psql -c "ALTER DATABASE ${sqlNameInShell(err.database)} OWNER TO ${sqlNameInShell(err.role)}"), or let it create in that schema (${grant})`
        : `Let the role create in that schema (on Debian or Ubuntu: ${grant})`;
    return (
      `role "${err.role}" may not create tables in schema ${err.schema} of database "${err.database}" at ${hostPort(context.databaseUrl)} (${(err.cause as Error | undefined)?.message ?? err.message}); ` +
      `since PostgreSQL 15 only the database's owner (here "${err.databaseOwner}") may by default, and ${err.applied?.length ? nothingNew(err.applied) : 'no migration was applied'}.\n` +
      `  ${makeOwner}, and start again`
    );
  }
  if (err instanceof TablesOwnedByOtherRoleError) return tablesOwnedMessage(err.facts, (err.cause as Error | undefined)?.message ?? err.message, context);
  const refused = refusedLoginMessage(e, context);
  if (refused) return refused;
  // pg's errors: a refused or lost connection, a server's error (severity).
  if (NETWORK_CODES.has(e?.code ?? '') || e?.severity || /terminated/i.test(message)) {
    return `could not use Postgres at ${database}: ${message || e.code}.\n  Start Postgres there, or point Earshot at one with ${example}`;
  }
  return null;
}

/** What a refused migration did not do to a database that has `applied`. */
function nothingNew(applied: string[] | null): string {
  if (!applied?.length) return 'nothing new was applied';
  return `nothing new was applied to the ${applied.length === 1 ? 'one migration' : `${applied.length} migrations`} it has (up to ${applied.at(-1)})`;
}

/**
 * The tables belong to the role that migrated the database: Earshot runs as that role, or the
 * tables become the running role's. REASSIGN OWNED hands over all the owner has in the database,
 * and the databases it owns: right for an application role, wrong for a superuser (it would
 * give away the superuser's databases, and the bootstrap superuser's objects cannot change hands),
 * whose tables and functions in the schema are handed over one by one instead. CREATE on the
 * schema is added where the role would not have it afterwards (migrations to come create tables).
 */
function tablesOwnedMessage(f: Readonly<TablesOwnership>, reason: string, context: StartUpContext): string {
  const owner = `role "${f.owner}"${f.ownerIsSuperuser ? ', a superuser,' : ','}`;
  const said =
    `database "${f.database}" at ${hostPort(context.databaseUrl)} was migrated by ${owner} which owns its ${f.tables} tables in schema ${f.schema}; ` +
    `Earshot runs as role "${f.role}", which may not use them (${reason}), and ${nothingNew(f.applied)}.\n`;
  const database = shellWord(f.database);
  const grant = ` -c "GRANT CREATE ON SCHEMA ${sqlNameInShell(f.schema)} TO ${sqlNameInShell(f.role)}"`;
  if (f.ownerIsSuperuser) {
    const [schema, from, to] = [sqlLiteral(sqlName(f.schema)), sqlLiteral(sqlName(f.owner)), sqlLiteral(f.role)];
    const statements =
      `SELECT format('ALTER TABLE %s OWNER TO %I;', oid::regclass, ${to}) FROM pg_class WHERE relnamespace = ${schema}::regnamespace AND relowner = ${from}::regrole AND relkind IN ('r', 'p', 'v', 'm') ` +
      `UNION ALL SELECT format('ALTER ROUTINE %s OWNER TO %I;', oid::regprocedure, ${to}) FROM pg_proc WHERE pronamespace = ${schema}::regnamespace AND proowner = ${from}::regrole`;
    const command = `sudo -u postgres psql -d ${database} -Atc "${inShellDoubleQuotes(statements)}" | sudo -u postgres psql -d ${database} -f -${f.canCreate ? '' : grant}`;
    return (
      said +
      `  Give role "${f.role}" the tables and functions "${f.owner}" owns in schema ${f.schema}, one by one, as REASSIGN OWNED would give it all a superuser owns (on Debian or Ubuntu: ${command}), and start again`
    );
  }
  // REASSIGN gives the role the schema, or the database whose owner the schema follows, when the owner had them.
  const keepsCreate = f.canCreate || f.schemaOwner === f.owner || (f.schemaOwner === 'pg_database_owner' && f.databaseOwner === f.owner);
  const reassign = `sudo -u postgres psql -d ${database} -c "REASSIGN OWNED BY ${sqlNameInShell(f.owner)} TO ${sqlNameInShell(f.role)}"${keepsCreate ? '' : grant}`;
  return (
    said +
    `  Run Earshot as role "${f.owner}" (${context.databaseVariable}=${urlAs(context.databaseUrl, f.owner)}), or give role "${f.role}" what "${f.owner}" owns in that database (on Debian or Ubuntu: ${reassign}), and start again`
  );
}

/** The connection URL for `role`, with PASSWORD in place of any password it had. */
function urlAs(databaseUrl: string, role: string): string {
  try {
    const url = new URL(databaseUrl);
    url.username = role;
    if (url.password) url.password = 'PASSWORD';
    if (url.searchParams.has('password')) url.searchParams.set('password', 'PASSWORD');
    return url.toString();
  } catch {
    return withoutPasswords(databaseUrl);
  }
}

/**
 * Postgres answered but did not let the role in, said by what to change: no password where the
 * server asks for one (pg says so itself for SCRAM; a server asking for md5 or a cleartext
 * password answers 28P01 to the empty one pg sends), a wrong password (28P01), a role that does
 * not exist or that pg_hba.conf does not admit (28000). Told apart by codes, as the server's own
 * words are in its language.
 */
function refusedLoginMessage(e: { message?: string; code?: string }, context: StartUpContext): string | null {
  const noPasswordForScram = /^SASL: SCRAM-SERVER-FIRST-MESSAGE: client password must be a (?:non-empty )?string$/.test(e?.message ?? '');
  if (!noPasswordForScram && e?.code !== '28P01' && e?.code !== '28000') return null;
  let url: URL;
  try {
    url = new URL(context.databaseUrl);
  } catch {
    return null;
  }
  const variable = context.databaseVariable;
  // pg's own choice of role when the URL names none.
  const role = decodeURIComponent(url.username) || process.env.PGUSER || process.env.USER || userInfo().username;
  const where = `Postgres at ${hostPort(context.databaseUrl)}`;
  const setPassword = `on Debian or Ubuntu: sudo -u postgres psql -c "ALTER USER ${sqlNameInShell(role)} PASSWORD '…'"`;
  const withPassword = (user: string) => {
    const example = new URL(url);
    example.username = user;
    example.password = 'PASSWORD';
    return `${variable}=${example.toString()}`;
  };
  if (e.code === '28000') {
    return (
      `${where} refused role "${role}": ${e.message}.\n` +
      `  Name a role that exists in ${withPassword('USER')} (on Homebrew, your own user name), or create this one (on Debian or Ubuntu: sudo -u postgres createuser --createdb --pwprompt ${shellWord(role)}); a role that exists needs a line admitting it in the server's pg_hba.conf`
    );
  }
  const sent = passwordSource(url);
  if (sent === 'PGPASSWORD') {
    return (
      `${where} refused the password in PGPASSWORD for role "${role}" (${e.message}); ${variable} has none, so pg sent PGPASSWORD's.\n` +
      `  Put the role's password in PGPASSWORD (or in ${withPassword(url.username || role)}, which comes first), or give the role a new one (${setPassword})`
    );
  }
  if (sent === null) {
    return (
      `${where} asked for the password of role "${role}", and ${variable} has none (nor has PGPASSWORD).\n` +
      `  Give the role a password (${setPassword}) and put it in ${withPassword(url.username || role)}, or in PGPASSWORD`
    );
  }
  return (
    `${where} refused the password in ${variable} for role "${role}" (${e.message}).\n` +
    `  Put the role's password in ${withPassword(url.username)}, or give the role a new one (${setPassword})`
  );
}

/**
 * Where the password pg sent came from, as pg chooses it: the connection URL's (as user:password@,
 * or ?password=), else libpq's PGPASSWORD, which pg reads too; null when neither has one. (pg then
 * looks in ~/.pgpass, which is not read here.)
 */
export function passwordSource(url: URL, env: NodeJS.ProcessEnv = process.env): 'url' | 'PGPASSWORD' | null {
  if (url.password || url.searchParams.get('password')) return 'url';
  return env.PGPASSWORD ? 'PGPASSWORD' : null;
}

/** A name (a role's, a database's, a schema's) in SQL, inside a shell's double quotes: bare when SQL reads it as written, else quoted for both. */
function sqlNameInShell(name: string): string {
  return inShellDoubleQuotes(sqlName(name));
}

/** A name in SQL: bare when SQL reads it as written, else quoted. */
function sqlName(name: string): string {
  return /^[a-z_][a-z0-9_]*$/.test(name) ? name : `"${name.replaceAll('"', '""')}"`;
}

function sqlLiteral(text: string): string {
  return `'${text.replaceAll("'", "''")}'`;
}

/** Text as a shell reads it back from inside double quotes. */
function inShellDoubleQuotes(text: string): string {
  return text.replace(/[\\$`"]/g, '\\$&');
}

/** A word for a shell command line: bare when it is plain, else single-quoted. */
function shellWord(word: string): string {
  return /^[A-Za-z0-9_.-]+$/.test(word) ? word : `'${word.replaceAll("'", "'\\''")}'`;
}

/** `host:port` of a connection URL, for saying what was tried; the URL as given (passwords masked) when it does not parse. */
function hostPort(url: string): string {
  try {
    const parsed = new URL(url);
    return `${parsed.hostname}:${parsed.port || '5432'}`;
  } catch {
    return withoutPasswords(url);
  }
}

function sslModeOf(url: string): string | null {
  try {
    return new URL(url).searchParams.get('sslmode');
  } catch {
    return null;
  }
}
