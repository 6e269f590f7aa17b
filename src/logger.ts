import { pino, type Logger } from 'pino';

export type { Logger };

/** Paths that may hold secrets anywhere in a logged object; pino replaces their values. */
const REDACT = [
  'authorization',
  '*.authorization',
  'headers.authorization',
  'req.headers.authorization',
  'apiKey',
  '*.apiKey',
  'secret',
  '*.secret',
  'password',
  '*.password',
  'token',
  '*.token',
];

export function createLogger(options: { level: string; name?: string; destination?: pino.DestinationStream }): Logger {
  const settings = {
    name: options.name ?? 'earshot',
    level: options.level,
    redact: { paths: REDACT, censor: '[redacted]' },
    base: { pid: process.pid },
    timestamp: pino.stdTimeFunctions.isoTime,
  };
  return options.destination ? pino(settings, options.destination) : pino(settings);
}
