import type { Logger } from './logger.js';

type Closer = { name: string; close: () => Promise<unknown> | unknown };

/**
 * The one place that knows how to stop the process. Closers run in reverse order of
 * registration (HTTP first, then workers, queues, Redis, Postgres), raced against a timeout.
 */
export function createShutdown({ log, timeoutMs }: { log: Logger; timeoutMs: number }) {
  const closers: Closer[] = [];
  let stopping: Promise<boolean> | null = null;

  async function closeAll(): Promise<boolean> {
    let clean = true;
    for (const closer of [...closers].reverse()) {
      try {
        await closer.close();
        log.debug({ component: closer.name }, 'closed');
      } catch (err) {
        clean = false;
        log.error({ err, component: closer.name }, 'error while closing');
      }
    }
    return clean;
  }

  return {
    register(name: string, close: Closer['close']): void {
      closers.push({ name, close });
    },
    /** Resolves true when everything closed cleanly within the timeout. Idempotent. */
    shutdown(reason: string): Promise<boolean> {
      if (stopping) return stopping;
      log.info({ reason }, 'shutting down');
      let timer: NodeJS.Timeout | undefined;
      const timeout = new Promise<boolean>((resolve) => {
        timer = setTimeout(() => {
          log.error({ timeoutMs }, 'shutdown timed out');
          resolve(false);
        }, timeoutMs);
        timer.unref();
      });
      stopping = Promise.race([closeAll(), timeout]).finally(() => clearTimeout(timer));
      return stopping;
    },
    get stopping(): boolean {
      return stopping !== null;
    },
  };
}

export type Shutdown = ReturnType<typeof createShutdown>;
