import { createServer, connect, type Server } from 'node:net';
import type { AddressInfo } from 'node:net';
import { SMTPServer } from 'smtp-server';
import { afterEach, describe, expect, it } from 'vitest';
import { createMailer, MailError } from '../../src/infra/mail.js';

const USER = 'digest';
const PASSWORD = 'Heslo-přes-TLS-7';

const message = { to: 'ana@example.test', subject: 'Přehled', html: '<p>ok</p>', text: 'ok' };

/**
 * A real SMTP server that offers AUTH PLAIN LOGIN and no STARTTLS, and would take the password
 * unencrypted (allowInsecureAuth), behind a TCP relay that keeps every byte the client sends.
 */
async function startPlaintextServer({ authOptional = false } = {}) {
  const logins: string[] = [];
  const smtp = new SMTPServer({
    disabledCommands: ['STARTTLS'],
    allowInsecureAuth: true,
    authOptional,
    authMethods: ['PLAIN', 'LOGIN'],
    logger: false,
    onAuth(auth, _session, callback) {
      logins.push(auth.username ?? '');
      if (auth.username === USER && auth.password === PASSWORD) callback(null, { user: USER });
      else callback(new Error('Invalid username or password'));
    },
    onData(stream, _session, callback) {
      stream.resume();
      stream.on('end', () => callback());
    },
  });
  await new Promise<void>((r) => smtp.listen(0, '127.0.0.1', r));
  const smtpPort = (smtp.server.address() as AddressInfo).port;
  let sent = '';
  const relay: Server = createServer((client) => {
    const upstream = connect(smtpPort, '127.0.0.1');
    client.on('data', (chunk: Buffer) => (sent += chunk.toString('latin1')));
    client.pipe(upstream).pipe(client);
    client.on('error', () => upstream.destroy());
    upstream.on('error', () => client.destroy());
  });
  await new Promise<void>((r) => relay.listen(0, '127.0.0.1', r));
  return {
    port: (relay.address() as AddressInfo).port,
    logins,
    sent: () => sent,
    close: async () => {
      await new Promise<void>((r) => relay.close(() => r()));
      await new Promise<void>((r) => smtp.close(() => r()));
    },
  };
}

const stops: Array<() => Promise<void> | void> = [];
afterEach(async () => {
  while (stops.length) await stops.pop()!();
});

/** Every spelling of the password a client could put on the wire: as is, and in AUTH PLAIN or LOGIN. */
const passwordSpellings = [
  PASSWORD,
  Buffer.from(PASSWORD).toString('latin1'),
  Buffer.from(PASSWORD).toString('base64'),
  Buffer.from(`\u0000${USER}\u0000${PASSWORD}`).toString('base64'),
];

describe('SMTP credentials and TLS', () => {
  it('with a user and password in an smtp:// URL and a server without STARTTLS, the password is never sent and the delivery fails with a clear, redacted reason', async () => {
    const server = await startPlaintextServer();
    stops.push(server.close);
    const mailer = createMailer({ smtpUrl: `smtp://${USER}:${encodeURIComponent(PASSWORD)}@127.0.0.1:${server.port}`, from: 'digest@earshot.test' });
    stops.push(() => mailer.close());

    const error = await mailer.send(message).catch((e: unknown) => e);

    expect(error).toBeInstanceOf(MailError);
    expect(error).toMatchObject({ permanent: true, smtpCode: 'ETLS' });
    const text = (error as Error).message;
    expect(text).toMatch(/^mail delivery failed: the SMTP server does not take STARTTLS, and the user name and password in SMTP_URL are sent only encrypted/);
    expect(text).toContain('smtps://');
    expect(text).not.toContain(PASSWORD);
    expect(text).not.toContain(encodeURIComponent(PASSWORD));
    // The client asked for STARTTLS, and on its refusal said nothing more: no AUTH, no MAIL.
    expect(server.sent()).toMatch(/^EHLO [^\r]*\r\nSTARTTLS\r\n/);
    expect(server.sent()).not.toMatch(/AUTH|MAIL FROM/i);
    for (const spelling of passwordSpellings) expect(server.sent()).not.toContain(spelling);
    expect(server.logins).toEqual([]);
  });

  it('?plaintext_auth=loopback lets a relay on this machine take the password unencrypted', async () => {
    const server = await startPlaintextServer();
    stops.push(server.close);
    const mailer = createMailer({ smtpUrl: `smtp://${USER}:${encodeURIComponent(PASSWORD)}@127.0.0.1:${server.port}/?plaintext_auth=loopback`, from: 'digest@earshot.test' });
    stops.push(() => mailer.close());

    await expect(mailer.send(message)).resolves.toMatchObject({ messageId: expect.any(String), responseCode: 250 });
    expect(server.logins).toEqual([USER]);
  });

  it('without credentials nothing is required: a server without STARTTLS still gets the mail', async () => {
    const server = await startPlaintextServer({ authOptional: true });
    stops.push(server.close);
    const mailer = createMailer({ smtpUrl: `smtp://127.0.0.1:${server.port}`, from: 'digest@earshot.test' });
    stops.push(() => mailer.close());

    await expect(mailer.send(message)).resolves.toMatchObject({ messageId: expect.any(String), responseCode: 250 });
    expect(server.sent()).not.toMatch(/STARTTLS|AUTH/);
  });

  it.each([
    ['smtp://u:p@mail.example.com:587/?plaintext_auth=loopback', 'SMTP_URL: plaintext_auth=loopback is for a relay on this machine (localhost, 127.0.0.1, [::1]), not mail.example.com'],
    ['smtp://u:p@10.0.0.5:25/?plaintext_auth=loopback', 'SMTP_URL: plaintext_auth=loopback is for a relay on this machine (localhost, 127.0.0.1, [::1]), not 10.0.0.5'],
    ['smtp://u:p@127.0.0.1:25/?plaintext_auth=yes', 'SMTP_URL: plaintext_auth takes one value, loopback'],
  ])('%s is refused when the mailer is made', (smtpUrl, expected) => {
    expect(() => createMailer({ smtpUrl, from: 'digest@earshot.test' })).toThrow(expected);
  });

  it.each(['smtp://u:p@localhost:25/?plaintext_auth=loopback', 'smtp://u:p@127.0.0.2:25/?plaintext_auth=loopback', 'smtp://u:p@[::1]:25/?plaintext_auth=loopback'])(
    '%s is a loopback relay, allowed',
    (smtpUrl) => {
      const mailer = createMailer({ smtpUrl, from: 'digest@earshot.test' });
      mailer.close();
    },
  );
});
