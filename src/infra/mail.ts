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
   * One recipient: each gets a message of their own, so no one sees the other addresses, and a
   * refusal of one address is that address's outcome alone.
   */
  to: string;
  subject: string;
  html: string;
  text: string;
  attachments?: MailAttachment[];
}

export interface Mailer {
  /**
   * Sends one message with an HTML and a plain-text part; resolves to its Message-ID, and rejects
   * with a MailError when the server refuses the recipient or the message, or cannot be reached.
   */
  send(message: MailMessage): Promise<string>;
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
function mailError(error: unknown, redact: (text: string) => string): MailError {
  const e = error as { responseCode?: number; code?: string; response?: string; message?: string };
  // The server's reply decides when there is one (4xx: try later, 5xx: refused); without one,
  // only a bad envelope, message or login is permanent, never a network failure.
  const permanent = e.responseCode !== undefined ? e.responseCode >= 500 : PERMANENT_CODES.has(e.code ?? '');
  const reason = e.message && e.message !== e.code ? e.message : undefined;
  const detail = e.response ?? ([e.code, reason].filter(Boolean).join(': ') || 'unknown error');
  return new MailError(redact(`mail delivery failed: ${detail}`), permanent, e.responseCode, e.code);
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

export interface MailerOptions {
  /** smtp://user:pass@host:port (STARTTLS when offered) or smtps://… (TLS from the start). */
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
  const transport = nodemailer.createTransport({
    host: url.hostname,
    port: url.port ? Number(url.port) : url.protocol === 'smtps:' ? 465 : 587,
    secure: url.protocol === 'smtps:',
    auth: url.username ? { user: decodeURIComponent(url.username), pass: decodeURIComponent(url.password) } : undefined,
    connectionTimeout: timeoutMs,
    greetingTimeout: timeoutMs,
    socketTimeout: timeoutMs * 3,
  });

  return {
    async send({ to, subject, html, text, attachments = [] }) {
      if (!to) throw new MailError('mail delivery failed: no recipient', true);
      const info = await transport.sendMail({ from, to, subject, html, text, attachments }).catch((error: unknown) => {
        throw mailError(error, redact);
      });
      // nodemailer resolves when the server accepted at least one recipient; with one recipient
      // this is a guard, so that a refusal can never be reported as delivered.
      if (info.rejected.length) throw mailError(info.rejectedErrors?.[0] ?? { code: 'EENVELOPE', message: `recipient refused: ${to}` }, redact);
      return info.messageId;
    },
    close() {
      transport.close();
    },
  };
}
