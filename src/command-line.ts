import { parseArgs } from 'node:util';
import type { Role } from './runtime.js';

// The command line read on its own, importing nothing of Earshot: bin/earshot.js answers --help
// and a mistake in the command line with it before loading the bundle (a second or more on a
// busy host), and src/cli.ts reads the command it runs with it.

export const USAGE = `usage: earshot <command>

  start                     API, workers and scheduler in one process (the default deployment)
  api | worker | scheduler  one role per process, to scale across machines
  migrate                   create the database if needed and apply migrations
  workspace create <name>   create a workspace; prints {id, name, apiKey} as the API does
  api-key create <workspace id> [name]
                            issue a new key for a workspace (when its keys are lost); prints it once
  rescore [--since <time>]  rescore stored mentions with the current sentiment model (batched jobs)
  rematch                   match again the history of brands an older matcher went over (queued by the tick)

Configuration comes from the environment; see README.md.`;

/** Each role by name (a type error here when src/runtime.ts has one more or one fewer). */
const ROLES: Record<Role, true> = { api: true, worker: true, scheduler: true };

/** The commands that take `--since`; any other that is given it says so rather than ignoring it. */
const TAKES_SINCE = new Set(['rescore']);

/** The command line as read: an answer to print with its exit code (the usage, or a mistake in it: exit 2), or the command to run. */
export type CommandLine =
  | { answer: { code: number; stdout?: string; stderr?: string } }
  | { command: string; rest: string[]; since: Date | undefined; isRole: boolean };

/** A mistake in the command line itself: said in one line with the usage, exit 2. */
const usageError = (problem: string): CommandLine => ({ answer: { code: 2, stderr: `earshot: ${problem}\n\n${USAGE}` } });

export function readCommandLine(argv: string[]): CommandLine {
  if (argv.some((arg) => arg === '--help' || arg === '-h')) return { answer: { code: 0, stdout: USAGE } };
  let parsed;
  try {
    parsed = parseArgs({ args: argv, allowPositionals: true, strict: true, options: { since: { type: 'string' } } });
  } catch (err) {
    // node:util's message for an unknown option or a missing value, without its stack.
    return usageError((err as Error).message.split('. ')[0]!.replace(/\.$/, ''));
  }
  const { positionals, values } = parsed;
  const [command, ...rest] = positionals;
  if (!command || command === 'help') return { answer: { code: command ? 0 : 2, stdout: USAGE } };
  if (values.since !== undefined && !TAKES_SINCE.has(command)) return usageError(`--since is an option of rescore, not of ${command}`);
  const isRole = command === 'start' || Object.hasOwn(ROLES, command);
  if ((isRole || command === 'migrate' || command === 'rematch') && rest.length) return usageError(`${command} takes no arguments (got ${rest.map((a) => JSON.stringify(a)).join(' ')})`);
  if (command === 'workspace' && rest[0] === 'create' && !rest.slice(1).join('').trim()) return usageError('workspace create: give the workspace a name');
  if (command === 'api-key' && rest[0] === 'create' && !rest[1]) return usageError('api-key create: give the id of the workspace the key is for');
  const since = values.since !== undefined ? new Date(values.since) : undefined;
  if (since && Number.isNaN(since.getTime())) return usageError(`--since: expected an ISO-8601 time such as 2026-12-01T00:00:00Z, got ${JSON.stringify(values.since)}`);
  return { command, rest, since, isRole };
}

/** Prints an answer of readCommandLine; its exit code. */
export function printAnswer({ code, stdout, stderr }: { code: number; stdout?: string; stderr?: string }): number {
  if (stdout !== undefined) console.log(stdout);
  if (stderr !== undefined) console.error(stderr);
  return code;
}
