import { loadConfig, withoutPasswords, type Config } from './config.js';
import { createLogger, type Logger } from './logger.js';
import { ALL_ROLES, openDatabase, PortInUseError, prepareDatabase, startEarshot, StartInterruptedError, type Role, type Running } from './runtime.js';
import { freePortNear } from './infra/free-port.js';
import { createRedis, RedisAuthError, waitForRedis } from './infra/redis.js';
import { startUpMessage, type StartUpContext } from './startup-errors.js';
import { printAnswer, readCommandLine, USAGE } from './command-line.js';
import { UnknownMigrationsError } from './infra/db/migrator.js';
import { createServices } from './services.js';
import { Name, createApiKey, createWorkspace } from './domain/workspaces/workspaces.usecases.js';
import { createWorkspaceRepository } from './domain/workspaces/workspaces.repository.js';
import { queueRescore } from './workers/maintenance.worker.js';
import { rematchOlderMatches } from './domain/brands/rematch.usecases.js';
import { createBrandRepository } from './domain/brands/brands.repository.js';

/** A name checked as the API checks it; null (after saying why) when it is not one. */
function validName(given: string): string | null {
  const parsed = Name.safeParse(given);
  if (parsed.success) return parsed.data;
  console.error(`earshot: name: ${parsed.error.issues[0]?.message ?? 'is not valid'}`);
  return null;
}

/** The configuration once read, so a start-up error can say where Earshot was pointed. */
let loaded: Config | undefined;

async function main(argv: string[]): Promise<number> {
  const line = readCommandLine(argv);
  if ('answer' in line) return printAnswer(line.answer);
  const { command, rest, since, isRole } = line;
  const config = (loaded = loadConfig());
  const log = createLogger({ level: config.LOG_LEVEL });
  sslModeWarningAsLogLine(log);

  if (isRole) {
    const roles = command === 'start' ? ALL_ROLES : [command as Role];
    // Installed before start-up, so that a signal while starting (migrating, waiting for Redis)
    // stops what has started so far, as any shutdown does, instead of killing the process.
    const stop = new AbortController();
    let running: Running | undefined;
    // bin/earshot.js's own handler, for while it was loading this bundle, hands over to these.
    const loadingStop = (globalThis as Record<symbol, unknown>)[Symbol.for('earshot.loadingStop')] as ((signal: NodeJS.Signals) => void) | undefined;
    for (const signal of ['SIGTERM', 'SIGINT'] as const) {
      process.once(signal, () => {
        if (!running) return stop.abort(signal);
        void running.shutdown.shutdown(signal).then((clean) => process.exit(clean ? 0 : 1));
      });
      // Only once this one listens: a signal that came while the bundle was loading waits for the
      // event loop, and with no listener left in between, Node closes the signal's watcher and the
      // signal is lost (the process neither stops nor dies: it starts as if never asked to stop).
      if (loadingStop) process.off(signal, loadingStop);
    }
    try {
      running = await startEarshot({ roles, config, log, stop: stop.signal });
    } catch (err) {
      if (err instanceof StartInterruptedError) return err.clean ? 0 : 1;
      throw err;
    }
    return -1; // keep running
  }

  if (command === 'migrate') {
    const { db, created, applied } = await prepareDatabase(config, log);
    await db.destroy();
    // Said whatever LOG_LEVEL hides, and "created" only when it was.
    const done = created
      ? `created the database and applied its ${applied.length} migrations`
      : applied.length
        ? `applied the migrations ${applied.join(', ')}`
        : 'the database is up to date: no migration to apply';
    console.log(`earshot: ${done}`);
    return 0;
  }

  if (command === 'workspace' && rest[0] === 'create' && rest[1]) {
    const name = validName(rest.slice(1).join(' '));
    if (name === null) return 2;
    const db = await openDatabase(config, createLogger({ level: 'warn' }));
    try {
      const workspace = await createWorkspace({ name, db, workspaceRepository: createWorkspaceRepository({ db }) });
      console.log(JSON.stringify(workspace, null, 2));
    } finally {
      await db.destroy();
    }
    return 0;
  }

  if (command === 'api-key' && rest[0] === 'create' && rest[1]) {
    const workspaceId = rest[1];
    const name = rest.length > 2 ? validName(rest.slice(2).join(' ')) : 'issued by the command line';
    if (name === null) return 2;
    const db = await openDatabase(config, createLogger({ level: 'warn' }));
    try {
      const workspaceRepository = createWorkspaceRepository({ db });
      if (!(await workspaceRepository.getWorkspace(workspaceId))) {
        console.error(`earshot: no workspace has the id ${JSON.stringify(workspaceId)}`);
        return 1;
      }
      const key = await createApiKey({ workspaceId, name, db, workspaceRepository, capped: false });
      // As POST /v1/api-keys answers: `apiKey`, as `workspace create` prints, and the deprecated `key`.
      console.log(JSON.stringify({ ...key, apiKey: key.key }, null, 2));
    } finally {
      await db.destroy();
    }
    return 0;
  }

  if (command === 'rescore') {
    const db = await openDatabase(config, createLogger({ level: 'warn' }));
    const redis = createRedis(config.REDIS_URL, { role: 'producer', log });
    try {
      await waitForRedis(redis, config.REDIS_STARTUP_WAIT_MS);
      const services = createServices({ config, db, redis, log });
      // One id per run: a run an hour after the last (old processes of a rolling upgrade stored
      // older scores meanwhile) must not be taken for the finished jobs BullMQ still keeps.
      const planned = await queueRescore({ db, queues: services.queues, model: services.scorer.model, run: Date.now().toString(36), since });
      console.log(JSON.stringify(planned));
      await services.close();
    } finally {
      redis.disconnect();
      await db.destroy();
    }
    return 0;
  }

  if (command === 'rematch') {
    const db = await openDatabase(config, createLogger({ level: 'warn' }));
    try {
      // The brands' query versions go up; the running deployment's tick queues their rematch jobs.
      const requested = await rematchOlderMatches({ brandRepository: createBrandRepository({ db }) });
      console.log(JSON.stringify(requested));
    } finally {
      await db.destroy();
    }
    return 0;
  }

  console.error(`unknown command: ${[command, ...rest].join(' ')}\n\n${USAGE}`);
  return 2;
}

/**
 * pg warns on stderr, in eight lines, that sslmode=prefer, require or verify-ca in a connection
 * URL is read as verify-full: said once as a log line instead. Every other warning is Node's to print.
 */
function sslModeWarningAsLogLine(log: Logger): void {
  const emitWarning = process.emitWarning.bind(process) as (...args: unknown[]) => void;
  process.emitWarning = ((warning: string | Error, ...rest: unknown[]) => {
    const text = typeof warning === 'string' ? warning : warning.message;
    if (!text.startsWith("SECURITY WARNING: The SSL modes 'prefer', 'require', and 'verify-ca' are treated as aliases for 'verify-full'")) return emitWarning(warning, ...rest);
    log.warn(
      "DATABASE_URL's sslmode is read by pg as verify-full: the server's certificate must be valid for its host name. Write sslmode=verify-full to say so, or add uselibpqcompat=true for libpq's meaning of sslmode",
    );
  }) as typeof process.emitWarning;
}

/** A start-up error as the operator can act on it, or null for a defect (shown with its stack). */
function operatorMessage(err: unknown, context: StartUpContext): string | null {
  // A database migrated by a newer release (a rollback): one line saying what to run instead.
  if (err instanceof UnknownMigrationsError) return err.message;
  // Redis answered, so "could not reach it, start it" would send the operator the wrong way.
  if (err instanceof RedisAuthError) {
    return (
      `Redis at ${withoutPasswords(context.redisUrl)} refused the credentials in REDIS_URL (${err.reason}).\n` +
      '  Put the right password in REDIS_URL, e.g. REDIS_URL=redis://:password@host:6379 (or redis://user:password@host:6379 for an ACL user)'
    );
  }
  return startUpMessage(err, context);
}

main(process.argv.slice(2)).then(
  (code) => {
    if (code >= 0) process.exit(code);
  },
  async (err: unknown) => {
    // The command as it was run, with a port checked free: `PORT=3001 earshot api`, not always `npm start`.
    const command = process.argv[2] ?? 'start';
    const free = err instanceof PortInUseError && loaded ? await freePortNear(loaded.PORT, loaded.HOST) : undefined;
    const context = {
      databaseUrl: loaded?.DATABASE_URL ?? '',
      redisUrl: loaded?.REDIS_URL ?? '',
      databaseVariable: 'DATABASE_URL',
      portHint: `PORT=${free ?? 0} ${command === 'start' ? 'npm start' : `node bin/earshot.js ${command}`}`,
    };
    const message = operatorMessage(err, context);
    if (message) console.error(`earshot: ${message}`);
    else console.error('earshot: failed:', err);
    process.exit(1);
  },
);
