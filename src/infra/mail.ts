import nodemailer from 'nodemailer';

export interface MailAttachment {
  filename: string;
  content: Buffer;
  contentType: string;
  /** Set to show the attachment inline: the HTML refers to it as `cid:<cid>`. */
  cid?: string;
}

export interface MailMessage {
  to: string[];
  subject: string;
  html: string;
  text: string;
  attachments?: MailAttachment[];
}

export interface Mailer {
  /** Sends one message with an HTML and a plain-text part; resolves to its Message-ID. */
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

function mailError(error: unknown): MailError {
  const e = error as { responseCode?: number; code?: string; response?: string; message?: string };
  // The server's reply decides when there is one (4xx: try later, 5xx: refused); without one,
  // only a bad envelope, message or login is permanent, never a network failure.
  const permanent = e.responseCode !== undefined ? e.responseCode >= 500 : PERMANENT_CODES.has(e.code ?? '');
  const detail = e.response ?? e.code ?? 'unknown error';
  return new MailError(`mail delivery failed: ${detail}`, permanent, e.responseCode, e.code);
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
      if (to.length === 0) throw new MailError('mail delivery failed: no recipients', true);
      try {
        const info = await transport.sendMail({ from, to, subject, html, text, attachments });
        return info.messageId;
      } catch (error) {
        throw mailError(error);
      }
    },
    close() {
      transport.close();
    },
  };
}
