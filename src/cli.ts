import { parseArgs } from 'node:util';
import { ConfigError, loadConfig } from './config.js';
import { createLogger } from './logger.js';
import { ALL_ROLES, openDatabase, startEarshot, type Role } from './runtime.js';
import { RedisPolicyError } from './infra/redis.js';
import { createWorkspace } from './domain/workspaces/workspaces.usecases.js';
import { createWorkspaceRepository } from './domain/workspaces/workspaces.repository.js';

const USAGE = `usage: earshot <command>

  start                     API, workers and scheduler in one process (the default deployment)
  api | worker | scheduler  one role per process, to scale across machines
  migrate                   create the database if needed and apply migrations
  workspace create <name>   create a workspace; prints {id, name, apiKey} as the API does

Configuration comes from the environment; see README.md.`;

async function main(argv: string[]): Promise<number> {
  const { positionals } = parseArgs({ args: argv, allowPositionals: true, strict: true });
  const [command, ...rest] = positionals;
  if (!command || command === 'help') {
    console.log(USAGE);
    return command ? 0 : 2;
  }
  const config = loadConfig();
  const log = createLogger({ level: config.LOG_LEVEL });

  if (command === 'start' || ALL_ROLES.includes(command as Role)) {
    const roles = command === 'start' ? ALL_ROLES : [command as Role];
    const running = await startEarshot({ roles, config, log });
    for (const signal of ['SIGTERM', 'SIGINT'] as const) {
      process.once(signal, () => {
        void running.shutdown.shutdown(signal).then((clean) => process.exit(clean ? 0 : 1));
      });
    }
    return -1; // keep running
  }

  if (command === 'migrate') {
    const db = await openDatabase(config, log);
    await db.destroy();
    return 0;
  }

  if (command === 'workspace' && rest[0] === 'create' && rest[1]) {
    const name = rest.slice(1).join(' ').trim();
    const db = await openDatabase(config, createLogger({ level: 'warn' }));
    try {
      const workspace = await createWorkspace({ name, db, workspaceRepository: createWorkspaceRepository({ db }) });
      console.log(JSON.stringify(workspace, null, 2));
    } finally {
      await db.destroy();
    }
    return 0;
  }

  console.error(`unknown command: ${positionals.join(' ')}\n\n${USAGE}`);
  return 2;
}

main(process.argv.slice(2)).then(
  (code) => {
    if (code >= 0) process.exit(code);
  },
  (err: unknown) => {
    if (err instanceof ConfigError || err instanceof RedisPolicyError) {
      console.error(`earshot: ${err.message}`);
    } else {
      console.error('earshot: failed to start:', err);
    }
    process.exit(1);
  },
);
