import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';

/** A webhook receiver on 127.0.0.1 that answers 200 and keeps every JSON body it is sent, in order. */
export interface JsonReceiver<T> {
  url: string;
  bodies: T[];
  close(): Promise<void>;
}

export async function startJsonReceiver<T = { type: string; data: Record<string, any> }>(path = '/digest'): Promise<JsonReceiver<T>> {
  const bodies: T[] = [];
  const server: Server = createServer((req, res) => {
    let body = '';
    req.on('data', (d: Buffer) => (body += d.toString()));
    req.on('end', () => {
      bodies.push(JSON.parse(body) as T);
      res.writeHead(200).end();
    });
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}${path}`,
    bodies,
    close: () => new Promise<void>((r) => server.close(() => r())),
  };
}
