import { domainToASCII } from 'node:url';
import nodemailer from 'nodemailer';

export interface MailAttachment {
  filename: string;
  content: Buffer;
  contentType: string;
  /** Set to show the attachment inline: the HTML refers to it as `cid:<cid>`. */
  cid?: string;
}

export interface MailMessage {
  /**
   * One recipient, a bare address or `Name <address>` (splitMailbox): each gets a message of their
   * own, so no one sees the other addresses, and a refusal of one address is that address's
   * outcome alone.
   */
  to: string;
  subject: string;
  html: string;
  text: string;
  attachments?: MailAttachment[];
  /** Extra header fields, e.g. `Auto-Submitted`; never From, To or Subject, which are set above. */
  headers?: Record<string, string>;
}

/** What the server said when it took a message. */
export interface MailSent {
  messageId: string;
  /** The SMTP reply code to the end of the message (250), when the server's reply has one. */
  responseCode: number | null;
}

export interface Mailer {
  /**
   * Sends one message with an HTML and a plain-text part; resolves to its Message-ID and the
   * server's reply code, and rejects with a MailError when the server refuses the recipient or the
   * message, or cannot be reached.
   */
  send(message: MailMessage): Promise<MailSent>;
  close(): void;
}

/**
 * A delivery that failed. `permanent` is true when retrying cannot help (the server refused the
 * sender, the recipients or the credentials with a 5xx), so a job can stop instead of retrying.
 * The message never carries the SMTP URL, which may hold a password.
 */
export class MailError extends Error {
  constructor(message: string, readonly permanent: boolean, readonly responseCode?: number, readonly smtpCode?: string) {
    super(message);
    this.name = 'MailError';
  }
}

const PERMANENT_CODES = new Set(['EENVELOPE', 'EAUTH', 'EMESSAGE']);

/**
 * `redact` takes out what the SMTP URL's credentials may have put in a message. Without a reply
 * from the server the reason is the underlying error's ("ESOCKET: connect ECONNREFUSED
 * 127.0.0.1:2525"), not only its code.
 */
function mailError(error: unknown, { redact, tlsRequired }: { redact: (text: string) => string; tlsRequired: boolean }): MailError {
  const e = error as { responseCode?: number; code?: string; command?: string; response?: string; message?: string };
  // The server's reply decides when there is one (4xx: try later, 5xx: refused); without one,
  // only a bad envelope, message or login is permanent, never a network failure.
  const permanent = e.responseCode !== undefined ? e.responseCode >= 500 : PERMANENT_CODES.has(e.code ?? '');
  const reason = e.message && e.message !== e.code ? e.message : undefined;
  let detail = e.response ?? ([e.code, reason].filter(Boolean).join(': ') || 'unknown error');
  if (tlsRequired && e.code === 'ETLS' && e.command === 'STARTTLS' && e.response) detail = `${NO_STARTTLS} (its answer: ${e.response})`;
  return new MailError(redact(`mail delivery failed: ${detail}`), permanent, e.responseCode, e.code);
}

const NO_STARTTLS =
  'the SMTP server does not take STARTTLS, and the user name and password in SMTP_URL are sent only encrypted; ' +
  'use a server that offers STARTTLS or smtps://, or for a relay on this machine add ?plaintext_auth=loopback';

/** The hosts that reach this machine only: plaintext there crosses no network. */
const LOOPBACK = /^(localhost|127(\.\d{1,3}){3}|\[::1\])$/i;

/**
 * Whether the SMTP_URL lets its credentials go unencrypted: only `?plaintext_auth=loopback` on a
 * loopback host. Anything else with that parameter is a mistake, refused at start-up.
 */
function allowsPlaintextAuth(url: URL): boolean {
  const asked = url.searchParams.get('plaintext_auth');
  if (asked === null) return false;
  if (asked !== 'loopback') throw new Error('SMTP_URL: plaintext_auth takes one value, loopback');
  if (!LOOPBACK.test(url.hostname)) throw new Error(`SMTP_URL: plaintext_auth=loopback is for a relay on this machine (localhost, 127.0.0.1, [::1]), not ${url.hostname}`);
  return true;
}

/** Replaces every spelling of the URL's user name and password in a text with `***`. */
function redactor(url: URL): (text: string) => string {
  const decoded = (part: string) => {
    try {
      return decodeURIComponent(part);
    } catch {
      return part;
    }
  };
  const secrets = [url.password, decoded(url.password), url.username, decoded(url.username)]
    .filter((secret) => secret.length > 0)
    .sort((a, b) => b.length - a.length);
  return (text) => secrets.reduce((out, secret) => out.split(secret).join('***'), text);
}

/**
 * The address as a server without SMTPUTF8 takes it: an international domain name
 * (jan@příklad.cz) in its ASCII form (jan@xn--pklad-zsa96e.cz), so that two spellings of one
 * mailbox are one recipient. Sending needs no conversion here: nodemailer writes the envelope's
 * domain in that form itself (test/infra/mail.idn.test.ts watches the RCPT it sends). A domain
 * with no ASCII form is left as written.
 */
export function asciiAddress(address: string): string {
  const at = address.lastIndexOf('@');
  const domain = at < 0 ? '' : domainToASCII(address.slice(at + 1));
  return domain ? `${address.slice(0, at)}@${domain}` : address;
}

/** A recipient: the address the envelope goes to, and the name its To header shows, if any. */
export interface Mailbox {
  name: string | null;
  address: string;
}

/**
 * A recipient as people write it: `Jana Nováková <jana@example.cz>` (the name in any script, in
 * quotes when it holds a comma: `"Novák, Jana" <jana@example.cz>`), or a bare address, returned
 * as given. Only the address is checked and mailed to; nodemailer writes the name in the To
 * header, encoded (RFC 2047) when it is not ASCII, so no server on the way needs SMTPUTF8 for it.
 */
export function splitMailbox(value: string): Mailbox {
  const text = value.trim();
  const open = text.lastIndexOf('<');
  if (open < 0 || !text.endsWith('>')) return { name: null, address: value };
  let name = text.slice(0, open).trim();
  if (name.length >= 2 && name.startsWith('"') && name.endsWith('"')) name = name.slice(1, -1).replace(/\\(.)/g, '$1');
  return { name: name || null, address: text.slice(open + 1, -1).trim() };
}

export interface MailerOptions {
  /**
   * smtp://host:port (STARTTLS when offered), smtp://user:pass@host:port (STARTTLS required: the
   * password never goes unencrypted, unless `?plaintext_auth=loopback` on a loopback host) or
   * smtps://… (TLS from the start).
   */
  smtpUrl: string;
  /** The From header, e.g. `Earshot <digest@example.com>`. */
  from: string;
  /** Milliseconds to connect and to wait for the greeting; a whole send waits at most 3×. */
  timeoutMs?: number;
}

export function createMailer({ smtpUrl, from, timeoutMs = 10_000 }: MailerOptions): Mailer {
  const url = new URL(smtpUrl);
  if (url.protocol !== 'smtp:' && url.protocol !== 'smtps:') throw new Error('SMTP_URL must start with smtp:// or smtps://');
  const redact = redactor(url);
  const secure = url.protocol === 'smtps:';
  const plaintextAuth = allowsPlaintextAuth(url);
  // Without it nodemailer logs in unencrypted when the EHLO reply lists no STARTTLS, which an
  // attacker on the path can strip from it.
  const tlsRequired = !secure && !plaintextAuth && Boolean(url.username || url.password);
  const transport = nodemailer.createTransport({
    host: url.hostname,
    port: url.port ? Number(url.port) : secure ? 465 : 587,
    secure,
    requireTLS: tlsRequired,
    auth: url.username ? { user: decodeURIComponent(url.username), pass: decodeURIComponent(url.password) } : undefined,
    connectionTimeout: timeoutMs,
    greetingTimeout: timeoutMs,
    socketTimeout: timeoutMs * 3,
  });

  return {
    async send({ to, subject, html, text, attachments = [], headers }) {
      if (!to) throw new MailError('mail delivery failed: no recipient', true);
      // As name and address, not as text nodemailer would parse again: a name with a comma is not two recipients.
      const { name, address } = splitMailbox(to);
      const recipient = name === null ? address : { name, address };
      const info = await transport.sendMail({ from, to: recipient, subject, html, text, attachments, ...(headers ? { headers } : {}) }).catch((error: unknown) => {
        throw mailError(error, { redact, tlsRequired });
      });
      // nodemailer resolves when the server accepted at least one recipient; with one recipient
      // this is a guard, so that a refusal can never be reported as delivered.
      if (info.rejected.length) throw mailError(info.rejectedErrors?.[0] ?? { code: 'EENVELOPE', message: `recipient refused: ${to}` }, { redact, tlsRequired });
      // nodemailer gives the server's last reply as a line, "250 2.0.0 Ok: queued as 4F1D".
      const code = /^([2-5]\d\d)\b/u.exec(info.response ?? '')?.[1];
      return { messageId: info.messageId, responseCode: code ? Number(code) : null };
    },
    close() {
      transport.close();
    },
  };
}
