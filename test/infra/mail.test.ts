import type { AddressInfo } from 'node:net';
import { simpleParser, type ParsedMail } from 'mailparser';
import { SMTPServer, type SMTPServerOptions } from 'smtp-server';
import { afterEach, describe, expect, it } from 'vitest';
import { digestSubject, renderHtml, renderText, renderTrendPngBytes } from '../../src/domain/digests/index.js';
import { createMailer, MailError } from '../../src/infra/mail.js';
import { digestDocument } from '../domain/digests/document.js';

interface Received { from: string; to: string[]; mail: ParsedMail; user?: string }

/** A real SMTP server on 127.0.0.1 that parses what it receives. */
async function startSmtp(options: Partial<SMTPServerOptions> = {}) {
  const received: Received[] = [];
  const server = new SMTPServer({
    disabledCommands: ['STARTTLS'],
    authOptional: true,
    logger: false,
    onData(stream, session, callback) {
      simpleParser(stream)
        .then((mail) => {
          received.push({
            from: session.envelope.mailFrom ? session.envelope.mailFrom.address : '',
            to: session.envelope.rcptTo.map((r) => r.address),
            mail,
            user: session.user as string | undefined,
          });
          callback();
        })
        .catch(callback);
    },
    ...options,
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.server.address() as AddressInfo).port;
  return { port, received, close: () => new Promise<void>((resolve) => server.close(() => resolve())) };
}

const stops: Array<() => Promise<void> | void> = [];
afterEach(async () => {
  while (stops.length) await stops.pop()!();
});

const message = {
  to: 'ana@example.test',
  subject: 'Earshot digest for Acme: 2026-11-09 – 2026-11-16 — přehled ✓',
  html: '<!DOCTYPE html><html><body><h1>Digest</h1><p dir="auto">خدمات مشتری عالی است</p></body></html>',
  text: 'Digest\n\nخدمات مشتری عالی است\n',
};

describe('createMailer', () => {
  it('delivers one message with an HTML and a plain-text part to its one recipient', async () => {
    const smtp = await startSmtp();
    stops.push(smtp.close);
    const mailer = createMailer({ smtpUrl: `smtp://127.0.0.1:${smtp.port}`, from: 'Earshot <digest@earshot.test>' });
    stops.push(() => mailer.close());

    const sent = await mailer.send(message);

    expect(smtp.received).toHaveLength(1);
    const [{ from, to, mail }] = smtp.received as [Received];
    expect(from).toBe('digest@earshot.test');
    expect(to).toEqual([message.to]);
    expect(mail.to).toMatchObject({ value: [{ address: 'ana@example.test' }] });
    expect(mail.messageId).toBe(sent.messageId);
    // The server's reply to the message, which a digest's delivery records as its status.
    expect(sent.responseCode).toBe(250);
    expect(mail.subject).toBe(message.subject);
    expect(mail.html).toBe(message.html);
    expect(mail.text).toBe(message.text);
    expect(mail.from?.value).toEqual([{ name: 'Earshot', address: 'digest@earshot.test' }]);
  });

  it('delivers a rendered digest whole: HTML, the text part and the chart as an inline PNG', async () => {
    const smtp = await startSmtp();
    stops.push(smtp.close);
    const mailer = createMailer({ smtpUrl: `smtp://127.0.0.1:${smtp.port}`, from: 'Earshot <digest@earshot.test>' });
    stops.push(() => mailer.close());
    const doc = digestDocument();
    const html = renderHtml(doc, { chart: { cid: 'trend@earshot' } });
    const png = renderTrendPngBytes(doc);
    await mailer.send({
      to: 'ana@example.test', subject: digestSubject(doc), html, text: renderText(doc),
      attachments: [{ filename: 'trend.png', content: png, contentType: 'image/png', cid: 'trend@earshot' }],
    });

    const [{ mail }] = smtp.received as [Received];
    expect(mail.subject).toBe('Earshot digest for Acme <Marketing> & Co: 2026-11-09 – 2026-11-16 (Europe/Prague)');
    expect(mail.text).toBe(renderText(doc));
    expect(mail.attachments).toHaveLength(1);
    expect(mail.attachments[0]).toMatchObject({ contentType: 'image/png', cid: 'trend@earshot', related: true });
    expect(Buffer.compare(mail.attachments[0]!.content, png)).toBe(0);
    // mailparser inlines cid: images as data: URIs; the rest of the HTML arrives as sent.
    expect(mail.html).toBe(html.replace('cid:trend@earshot', `data:image/png;base64,${png.toString('base64')}`));
  });

  it('authenticates with the credentials in the SMTP URL, percent-decoded', async () => {
    const smtp = await startSmtp({
      authOptional: false,
      allowInsecureAuth: true,
      onAuth(auth, _session, callback) {
        if (auth.username === 'digest' && auth.password === 'p@ss:word') callback(null, { user: 'digest' });
        else callback(new Error('Invalid username or password'));
      },
    });
    stops.push(smtp.close);
    // This server offers no STARTTLS: a password goes to it unencrypted only when allowed (mail.tls.test.ts).
    const mailer = createMailer({ smtpUrl: `smtp://digest:${encodeURIComponent('p@ss:word')}@127.0.0.1:${smtp.port}/?plaintext_auth=loopback`, from: 'digest@earshot.test' });
    stops.push(() => mailer.close());
    await mailer.send(message);
    expect(smtp.received.map((r) => r.user)).toEqual(['digest']);

    const wrong = createMailer({ smtpUrl: `smtp://digest:nope@127.0.0.1:${smtp.port}/?plaintext_auth=loopback`, from: 'digest@earshot.test' });
    stops.push(() => wrong.close());
    const error = await wrong.send(message).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(MailError);
    expect(error).toMatchObject({ permanent: true, responseCode: 535 });
    expect((error as Error).message).not.toContain('nope');
  });

  it('a recipient the server refuses is a permanent failure', async () => {
    const smtp = await startSmtp({
      onRcptTo(address, _session, callback) {
        if (address.address.endsWith('@example.test')) callback(Object.assign(new Error('no such user'), { responseCode: 550 }));
        else callback();
      },
    });
    stops.push(smtp.close);
    const mailer = createMailer({ smtpUrl: `smtp://127.0.0.1:${smtp.port}`, from: 'digest@earshot.test' });
    stops.push(() => mailer.close());
    const error = await mailer.send(message).catch((e: unknown) => e);
    expect(error).toMatchObject({ name: 'MailError', permanent: true });
    expect(smtp.received).toEqual([]);
  });

  it('a temporary refusal and a closed port are retryable failures', async () => {
    const smtp = await startSmtp({
      onMailFrom(_address, _session, callback) {
        callback(Object.assign(new Error('try again later'), { responseCode: 451 }));
      },
    });
    stops.push(smtp.close);
    const busy = createMailer({ smtpUrl: `smtp://127.0.0.1:${smtp.port}`, from: 'digest@earshot.test' });
    stops.push(() => busy.close());
    expect(await busy.send(message).catch((e: unknown) => e)).toMatchObject({ permanent: false, responseCode: 451 });

    const closed = await startSmtp();
    await closed.close();
    const down = createMailer({ smtpUrl: `smtp://127.0.0.1:${closed.port}`, from: 'digest@earshot.test', timeoutMs: 2_000 });
    stops.push(() => down.close());
    expect(await down.send(message).catch((e: unknown) => e)).toMatchObject({ name: 'MailError', permanent: false });
  });

  it('a recipient refused with 550 is a permanent failure and with 450 a retryable one, each carrying the server reply', async () => {
    const smtp = await startSmtp({
      onRcptTo(address, _session, callback) {
        if (address.address.startsWith('refuse')) callback(Object.assign(new Error('5.1.1 no such mailbox'), { responseCode: 550 }));
        else if (address.address.startsWith('tempfail')) callback(Object.assign(new Error('4.2.1 mailbox busy'), { responseCode: 450 }));
        else callback();
      },
    });
    stops.push(smtp.close);
    const mailer = createMailer({ smtpUrl: `smtp://127.0.0.1:${smtp.port}`, from: 'digest@earshot.test' });
    stops.push(() => mailer.close());
    const refused = await mailer.send({ ...message, to: 'refuse-me@example.com' }).catch((e: unknown) => e);
    expect(refused).toMatchObject({ name: 'MailError', permanent: true, responseCode: 550, message: expect.stringContaining('no such mailbox') });
    const deferred = await mailer.send({ ...message, to: 'tempfail@example.com' }).catch((e: unknown) => e);
    expect(deferred).toMatchObject({ name: 'MailError', permanent: false, responseCode: 450, message: expect.stringContaining('mailbox busy') });
    await mailer.send({ ...message, to: 'good@example.com' });
    expect(smtp.received.map((r) => r.to)).toEqual([['good@example.com']]);
  });

  it('when the server cannot be reached, the error keeps the reason (connect ECONNREFUSED host:port) but not the credentials of SMTP_URL', async () => {
    const closed = await startSmtp();
    await closed.close();
    const mailer = createMailer({ smtpUrl: `smtp://digest-user:${encodeURIComponent('s3cr:t@pw')}@127.0.0.1:${closed.port}`, from: 'digest@earshot.test', timeoutMs: 2_000 });
    stops.push(() => mailer.close());
    const error = (await mailer.send(message).catch((e: unknown) => e)) as Error;
    expect(error).toMatchObject({ name: 'MailError', permanent: false });
    expect(error.message).toContain(`connect ECONNREFUSED 127.0.0.1:${closed.port}`);
    for (const secret of ['s3cr', 'digest-user', encodeURIComponent('s3cr:t@pw')]) expect(error.message).not.toContain(secret);
  });

  it('refuses a URL that is not SMTP and a message without recipients', async () => {
    expect(() => createMailer({ smtpUrl: 'http://127.0.0.1:25', from: 'a@b.test' })).toThrow(/smtp/);
    const mailer = createMailer({ smtpUrl: 'smtp://127.0.0.1:1', from: 'a@b.test' });
    stops.push(() => mailer.close());
    await expect(mailer.send({ ...message, to: '' })).rejects.toMatchObject({ permanent: true });
  });
});
