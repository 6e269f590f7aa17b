import { createHash, createHmac, pbkdf2Sync, timingSafeEqual } from 'node:crypto';
import { connect, createServer, type Socket } from 'node:net';
import pg from 'pg';
import { inject } from 'vitest';

// A proxy of a test's own on 127.0.0.1 in front of this machine's real Postgres, which trusts
// local connections: it can act as a Postgres still starting (57P03, as the postmaster answers
// then), or as one that asks for a password (cleartext, so the proxy reads it) and checks it
// against the role's real password in pg_authid before letting the connection through.

/** Backend protocol message: type, int32 length, body. */
function message(type: string, body: Buffer): Buffer {
  const head = Buffer.alloc(5);
  head.write(type, 0, 'latin1');
  head.writeInt32BE(body.length + 4, 1);
  return Buffer.concat([head, body]);
}

/** A FATAL ErrorResponse with SQLSTATE `code`, as Postgres sends one before closing the connection. */
function fatal(code: string, text: string): Buffer {
  const field = (tag: string, value: string) => Buffer.from(`${tag}${value}\0`);
  return message('E', Buffer.concat([field('S', 'FATAL'), field('V', 'FATAL'), field('C', code), field('M', text), Buffer.from([0])]));
}

const SSL_REQUEST = 80877103;
const GSSENC_REQUEST = 80877104;

export interface ProxyOptions {
  /** Listen on this port (one the test reserved; nothing listens there until the proxy starts). */
  port?: number;
  /** Connections answered "the database system is starting up" (57P03) before any is let through. */
  startingUp?: number;
  /** Ask every connection for a password and let through only those this accepts. */
  checkPassword?: (role: string, password: string) => Promise<boolean>;
}

export interface PostgresProxy {
  port: number;
  /** Passwords the clients sent, in order. */
  passwords: string[];
  /** Connections answered 57P03 so far. */
  refusedAsStarting: number;
  close: () => Promise<void>;
}

export async function postgresProxy(options: ProxyOptions = {}): Promise<PostgresProxy> {
  const target = new URL(inject('pgServer'));
  const sockets = new Set<Socket>();
  const state: PostgresProxy = { port: 0, passwords: [], refusedAsStarting: 0, close: async () => {} };
  const server = createServer((client) => {
    sockets.add(client);
    client.on('error', () => {});
    client.on('close', () => sockets.delete(client));
    let pending = Buffer.alloc(0);
    let startup: Buffer | null = null;
    let role = '';
    const through = (rest: Buffer) => {
      client.removeAllListeners('data');
      client.pause();
      const upstream = connect(Number(target.port || 5432), target.hostname);
      sockets.add(upstream);
      upstream.on('error', () => client.destroy());
      upstream.on('close', () => sockets.delete(upstream));
      client.on('error', () => upstream.destroy());
      upstream.write(Buffer.concat([startup!, rest]));
      client.pipe(upstream).pipe(client);
    };
    client.on('data', (chunk: Buffer) => {
      pending = Buffer.concat([pending, chunk]);
      for (;;) {
        if (!startup) {
          if (pending.length < 8) return;
          const length = pending.readInt32BE(0);
          if (pending.length < length) return;
          const packet = pending.subarray(0, length);
          pending = pending.subarray(length);
          const code = packet.readInt32BE(4);
          if (code === SSL_REQUEST || code === GSSENC_REQUEST) {
            client.write('N');
            continue;
          }
          startup = Buffer.from(packet);
          const fields = packet.subarray(8).toString('utf8').split('\0');
          role = fields[fields.indexOf('user') + 1] ?? '';
          if (state.refusedAsStarting < (options.startingUp ?? 0)) {
            state.refusedAsStarting++;
            client.removeAllListeners('data');
            client.end(fatal('57P03', 'the database system is starting up'));
            return;
          }
          if (!options.checkPassword) return through(pending);
          client.write(message('R', Buffer.from([0, 0, 0, 3]))); // AuthenticationCleartextPassword
          continue;
        }
        // The PasswordMessage: 'p', int32 length, the password and a NUL.
        if (pending.length < 5) return;
        const length = pending.readInt32BE(1);
        if (pending.length < 1 + length) return;
        const password = pending.subarray(5, 1 + length).toString('utf8').replace(/\0$/, '');
        pending = pending.subarray(1 + length);
        state.passwords.push(password);
        const checked = options.checkPassword!(role, password);
        client.removeAllListeners('data');
        client.pause();
        const rest = pending;
        void checked.then((ok) => (ok ? through(rest) : client.end(fatal('28P01', `password authentication failed for user "${role}"`))));
        return;
      }
    });
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 0, '127.0.0.1', () => resolve());
  });
  state.port = (server.address() as { port: number }).port;
  state.close = async () => {
    for (const socket of sockets) socket.destroy();
    await new Promise((resolve) => server.close(resolve));
  };
  return state;
}

/**
 * Checks a password as Postgres would for a role with a SCRAM-SHA-256 password: against the
 * verifier pg_authid keeps (StoredKey = H(HMAC(PBKDF2(password, salt, i), "Client Key"))). Read as
 * this machine's superuser, so the proxy's check is the role's real password, set by ALTER ROLE.
 */
export async function checkAgainstPgAuthid(role: string, password: string): Promise<boolean> {
  const admin = new pg.Client({ connectionString: inject('pgServer') });
  await admin.connect();
  try {
    const { rows } = await admin.query<{ secret: string | null }>('select rolpassword as secret from pg_authid where rolname = $1', [role]);
    const found = /^SCRAM-SHA-256\$(\d+):([^$]+)\$([^:]+):/.exec(rows[0]?.secret ?? '');
    if (!found) return false;
    const salted = pbkdf2Sync(password.normalize('NFKC'), Buffer.from(found[2]!, 'base64'), Number(found[1]), 32, 'sha256');
    const stored = createHash('sha256').update(createHmac('sha256', salted).update('Client Key').digest()).digest();
    const expected = Buffer.from(found[3]!, 'base64');
    return stored.length === expected.length && timingSafeEqual(stored, expected);
  } finally {
    await admin.end();
  }
}
