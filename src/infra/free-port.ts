import { createServer, type AddressInfo } from 'node:net';

/**
 * A port free on `host` now, for a message about a taken one to suggest: one of the next ten,
 * else one the system picks; undefined if even that fails. Checked by listening and closing, so
 * the suggestion is one that was free a moment ago, not `port + 1` on faith.
 */
export async function freePortNear(port: number, host: string): Promise<number | undefined> {
  const candidates = Array.from({ length: 10 }, (_, i) => port + 1 + i).filter((p) => p <= 65535);
  for (const candidate of [...candidates, 0]) {
    const probe = createServer();
    const free = await new Promise<number | undefined>((resolve) => {
      probe.once('error', () => resolve(undefined));
      probe.listen(candidate, host, () => resolve((probe.address() as AddressInfo).port));
    });
    if (free !== undefined) {
      await new Promise((resolve) => probe.close(resolve));
      return free;
    }
  }
  return undefined;
}
