import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestStack, type TestStack } from '../support/stack.js';
import { mention, seed } from '../support/seed.js';
import { BRANDS, PERIOD, currentWindow, previousWindow } from '../domain/swot/scenario.js';
import { startMailbox } from '../support/smtp.js';

// A workspace's digests in its language: the setting, the digest that records it, the renderings,
// `?lang=`, the e-mail (subject, both parts, Content-Language) and the webhook's data.

let s: TestStack;
let key: string;
let smtp: Awaited<ReturnType<typeof startMailbox>>;
let hooks: Server;
let hookUrl: string;
const hookBodies: string[] = [];

beforeAll(async () => {
  smtp = await startMailbox();
  hooks = createServer((req, res) => {
    let body = '';
    req.on('data', (d: Buffer) => (body += d.toString()));
    req.on('end', () => {
      hookBodies.push(body);
      res.writeHead(200).end();
    });
  });
  await new Promise<void>((r) => hooks.listen(0, '127.0.0.1', r));
  hookUrl = `http://127.0.0.1:${(hooks.address() as AddressInfo).port}/digest`;
  s = await createTestStack({ config: { SMTP_URL: smtp.url, MAIL_FROM: 'Earshot <digest@example.test>' } });
  let workspaceId: string;
  ({ key, id: workspaceId } = await s.workspace('Kavárny Praha'));
  const ids: Record<string, string> = {};
  for (const b of BRANDS) ids[b.id] = (await s.request('POST', '/v1/brands', { key, body: { name: b.name, role: b.role, query: b.query } })).json.id;
  const sourceId = (await s.request('POST', '/v1/sources', { key, body: { type: 'rss', url: 'http://127.0.0.1:9/d.xml' } })).json.id;
  await seed(s.deps, {
    workspaceId,
    sourceId,
    mentions: [...currentWindow(), ...previousWindow()].map((m) =>
      mention({ at: m.occurredAt, brands: m.brandIds.map((b) => ids[b]!), label: m.label as 'positive', score: m.sentimentScore ?? 0, text: m.text ?? '', key: m.id })),
  });
});
afterAll(async () => {
  await s.close();
  await smtp.close();
  hooks.close();
});

const PERSIAN = /[\u0600-\u06FF]/u;

describe('the workspace setting digestLanguage', () => {
  it('is English until set, takes a supported language, and refuses any other naming the supported ones', async () => {
    expect((await s.request('GET', '/v1/workspace', { key })).json.digestLanguage).toBe('en');
    for (const digestLanguage of ['de', 'xx', 'persian', 7, null]) {
      const bad = await s.request('PATCH', '/v1/workspace', { key, body: { digestLanguage } });
      expect(bad.status, JSON.stringify(digestLanguage)).toBe(400);
      expect(bad.json.error.code).toBe('validation.failed');
      expect(bad.json.error.fields).toEqual([{ field: 'digestLanguage', message: expect.stringContaining('en, cs, fa, hi, ne, gu or ta') }]);
    }
    expect((await s.request('GET', '/v1/workspace', { key })).json.digestLanguage).toBe('en');
    const ok = await s.request('PATCH', '/v1/workspace', { key, body: { digestLanguage: 'cs' } });
    expect(ok.status, ok.text).toBe(200);
    expect(ok.json.digestLanguage).toBe('cs');
    expect((await s.request('GET', '/v1/workspace', { key })).json.digestLanguage).toBe('cs');
  });
});

describe('a digest in the workspace language', () => {
  let digestId: string;

  beforeAll(async () => {
    const set = await s.request('PATCH', '/v1/workspace', { key, body: { digestLanguage: 'fa', digestRecipients: ['Jana Nováková <jana@example.test>'], digestWebhookUrl: hookUrl } });
    expect(set.status, set.text).toBe(200);
    const made = await s.request('POST', '/v1/digests', { key, body: PERIOD });
    expect(made.status, made.text).toBe(201);
    digestId = made.json.id;
    await s.drain();
  });

  it('records the language it was composed in; its JSON stays data, the SWOT sentences English with their facts beside them', async () => {
    const got = await s.request('GET', `/v1/digests/${digestId}`, { key });
    expect(got.status).toBe(200);
    const { document } = got.json;
    expect(document.language).toBe('fa');
    const items = [...document.swot.strengths, ...document.swot.weaknesses, ...document.swot.opportunities, ...document.swot.threats];
    expect(items.length).toBeGreaterThan(0);
    for (const item of items) {
      expect(item.summary).not.toMatch(PERSIAN);
      expect(item.summaryFacts.sentence).toMatch(/^[a-z_]+$/u);
    }
  });

  it('is e-mailed in Persian: the subject, the right-to-left HTML and the text, with Content-Language', async () => {
    expect(smtp.mails).toHaveLength(1);
    const { mail } = smtp.mails[0]!;
    // The Latin workspace name ended by an RLM in the right-to-left line, so the colon and the dates
    // after it stay right to left; no isolates, which older mail clients show as boxes.
    expect(mail.subject).toBe('گزارش Earshot برای Kavárny Praha\u200F: ۲۰۲۶/۱۱/۹ تا ۲۰۲۶/۱۱/۱۵ (UTC)');
    expect(mail.headers.get('content-language')).toBe('fa');
    const html = String(mail.html);
    expect(html).toContain('<html lang="fa" dir="rtl">');
    expect(html).toContain('<h2 style="font-family:Arial,Helvetica,sans-serif;font-size:17px;margin:24px 0 8px;color:#111;border-bottom:1px solid #ddd;padding-bottom:4px;">برندها</h2>');
    expect(html).toContain('تحسین می‌شود');
    expect(mail.text).toContain('\nروند احساسات\n');
    expect(mail.text).toContain('نقاط قوت:');
    // A mention's date and time joined by the Persian comma, in both parts; no Latin comma after a Persian digit.
    const dateTime = /[۰-۹]{4}\/[۰-۹]{1,2}\/[۰-۹]{1,2}، [۰-۹]{2}:[۰-۹]{2}/u;
    expect(mail.text).toMatch(dateTime);
    expect(html).toMatch(dateTime);
    for (const part of [html, mail.text ?? '', mail.subject ?? '']) expect(part).not.toMatch(/[۰-۹],/u);
    // None of the English headings or sentences.
    for (const part of [html, mail.text ?? '', mail.subject ?? '']) expect(part).not.toMatch(/\b(Brands|Sentiment trend|Strengths|is praised for|mentions|digest)\b/u);
  });

  it('posts the webhook its data with the language, the same document as the API answers', async () => {
    const body = JSON.parse(hookBodies.at(-1)!);
    expect(body.data.id).toBe(digestId);
    expect(body.data.language).toBe('fa');
    expect(JSON.stringify(body.data)).not.toMatch(PERSIAN);
  });

  it('renders in its language, or in the one ?lang= names, saying which in Content-Language', async () => {
    const html = await s.request('GET', `/v1/digests/${digestId}?format=html`, { key });
    expect(html.status).toBe(200);
    expect(html.headers.get('content-language')).toBe('fa');
    expect(html.text).toContain('<html lang="fa" dir="rtl">');
    const czech = await s.request('GET', `/v1/digests/${digestId}?format=markdown&lang=cs`, { key });
    expect(czech.status).toBe(200);
    expect(czech.headers.get('content-language')).toBe('cs');
    expect(czech.text).toContain('\n## Značky\n');
    expect(czech.text).toContain('sklízí chválu za „customer service“');
    const english = await s.request('GET', `/v1/digests/${digestId}?format=text&lang=EN`, { key });
    expect(english.text).toContain('\nBrands\n======\n');
    expect(english.text).toContain('is praised for "customer service"');
    const accepted = await s.request('GET', `/v1/digests/${digestId}?lang=ta`, { key, headers: { accept: 'text/plain' } });
    expect(accepted.text).toContain('பிராண்டுகள்');
  });

  it('refuses a language it does not write, naming the supported ones', async () => {
    for (const lang of ['de', 'xx', 'cs,fa']) {
      const bad = await s.request('GET', `/v1/digests/${digestId}?format=html&lang=${lang}`, { key });
      expect(bad.status, lang).toBe(400);
      expect(bad.json.error.code).toBe('validation.failed');
      expect(bad.json.error.fields[0].field).toBe('lang');
      expect(bad.json.error.fields[0].message).toContain('en, cs, fa, hi, ne, gu or ta');
    }
  });

  it('reads a digest made before the language was recorded in English, whatever the workspace language is now', async () => {
    await s.db.updateTable('digests').set({ document: sql`document - 'language'` }).where('id', '=', digestId).execute();
    const old = await s.request('GET', `/v1/digests/${digestId}?format=markdown`, { key });
    expect(old.headers.get('content-language')).toBe('en');
    expect(old.text).toContain('\n## Brands\n');
    expect(old.text).not.toMatch(PERSIAN);
    expect((await s.request('GET', `/v1/digests/${digestId}?format=markdown&lang=fa`, { key })).text).toContain('\n## برندها\n');
  });
});
