import { afterEach, describe, expect, it } from 'vitest';
import { SMTPServer } from 'smtp-server';
import type { AddressInfo } from 'node:net';
import { asciiAddress, createMailer } from '../../src/infra/mail.js';

// Recipients are stored as written (jan@příklad.cz); a server without SMTPUTF8 takes only the
// ASCII form of the domain, so the mailer sends to that.

const stops: Array<() => Promise<void> | void> = [];
afterEach(async () => {
  while (stops.length) await stops.pop()!();
});

/**
 * A real SMTP server on 127.0.0.1 that does not offer SMTPUTF8 and records each RCPT command as
 * the client sent it (the envelope it hands on has the domain turned back into Unicode).
 */
async function startPlainSmtp() {
  const rcptTo: string[] = [];
  const ignore = () => {};
  const logger = {
    debug: (meta: { command?: string }, _format: string, line?: string) => {
      if (meta.command === 'RCPT' && line) rcptTo.push(line);
    },
    info: ignore,
    warn: ignore,
    error: ignore,
    trace: ignore,
    fatal: ignore,
    child: () => logger,
  };
  const server = new SMTPServer({
    disabledCommands: ['STARTTLS'],
    authOptional: true,
    logger: logger as never,
    hideSMTPUTF8: true,
    onData(stream, _session, callback) {
      stream.resume();
      stream.on('end', () => callback());
    },
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  stops.push(() => new Promise<void>((resolve) => server.close(() => resolve())));
  return { port: (server.server.address() as AddressInfo).port, rcptTo };
}

describe('international domain names', () => {
  it('asciiAddress converts the domain only, and leaves an address without one as written', () => {
    expect(asciiAddress('jan@příklad.cz')).toBe('jan@xn--pklad-zsa96e.cz');
    expect(asciiAddress('ram@उदाहरण.भारत')).toBe('ram@xn--p1b6ci4b4b3a.xn--h2brj9c');
    expect(asciiAddress('Ana@Example.com')).toBe('Ana@example.com');
    expect(asciiAddress('jan@xn--pklad-zsa96e.cz')).toBe('jan@xn--pklad-zsa96e.cz');
    expect(asciiAddress('not-an-address')).toBe('not-an-address');
  });

  it('a recipient at jan@příklad.cz is mailed at the ASCII form of its domain', async () => {
    const smtp = await startPlainSmtp();
    const mailer = createMailer({ smtpUrl: `smtp://127.0.0.1:${smtp.port}`, from: 'Earshot <digest@earshot.test>' });
    stops.push(() => mailer.close());
    for (const to of ['jan@příklad.cz', 'ram@उदाहरण.भारत']) await mailer.send({ to, subject: 'Digest', html: '<p>Digest</p>', text: 'Digest' });
    expect(smtp.rcptTo).toEqual(['RCPT TO:<jan@xn--pklad-zsa96e.cz>', 'RCPT TO:<ram@xn--p1b6ci4b4b3a.xn--h2brj9c>']);
  });

  it('a recipient with a name is mailed at its address alone, the domain in its ASCII form, whatever the name holds', async () => {
    const smtp = await startPlainSmtp();
    const mailer = createMailer({ smtpUrl: `smtp://127.0.0.1:${smtp.port}`, from: 'Earshot <digest@earshot.test>' });
    stops.push(() => mailer.close());
    // The last one read as a list of addresses would be two recipients; `to` is always one.
    for (const to of ['Jan Novák <jan@příklad.cz>', 'Novák, Jan <jan@příklad.cz>', 'jan@old.example, Jan <jan@příklad.cz>']) {
      await mailer.send({ to, subject: 'Digest', html: '<p>Digest</p>', text: 'Digest' });
    }
    expect(smtp.rcptTo).toEqual(Array.from({ length: 3 }, () => 'RCPT TO:<jan@xn--pklad-zsa96e.cz>'));
  });
});
