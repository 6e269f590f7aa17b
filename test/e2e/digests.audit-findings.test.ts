import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { createTestStack, type TestStack } from '../support/stack.js';
import { mention, seed } from '../support/seed.js';
import { startMailbox } from '../support/smtp.js';

// The digest as a marketer read it (audit of the competitor SWOT and digest): a post reposted four
// times filled four of the five top negative mentions; the e-mail of a period without mentions
// carried a trend chart its HTML never showed; and a period before the workspace had any source
// was said to be empty because "nothing fetched named a brand".

let s: TestStack;
let smtp: Awaited<ReturnType<typeof startMailbox>>;

beforeAll(async () => {
  smtp = await startMailbox();
  s = await createTestStack({ config: { SMTP_URL: smtp.url, MAIL_FROM: 'Earshot <digest@example.test>', RATE_LIMIT_PER_MINUTE: '1000000' } });
});
afterAll(async () => {
  await s.close();
  await smtp.close();
});
beforeEach(() => {
  smtp.mails.length = 0;
});

/** A workspace with Sunbean (own), Mocha Mill and a feed, e-mailing its digests to Ana. */
async function workspace(name: string) {
  const { id: workspaceId, key } = await s.workspace(name);
  const own = (await s.ok('POST', '/v1/brands', key, { name: 'Sunbean', role: 'own', query: 'sunbean OR #sunbean' })).json.id as string;
  const rival = (await s.ok('POST', '/v1/brands', key, { name: 'Mocha Mill', role: 'competitor', query: '"mocha mill"' })).json.id as string;
  const sourceId = (await s.ok('POST', '/v1/sources', key, { type: 'rss', url: `http://127.0.0.1:9/${encodeURIComponent(name)}.xml` })).json.id as string;
  await s.drain();
  await s.ok('PATCH', '/v1/workspace', key, { digestTimeZone: 'Europe/Prague', digestRecipients: ['ana@example.test'] });
  return { workspaceId, key, own, rival, sourceId };
}

describe('the top mentions of a digest', () => {
  it('count copies of one text once: a post reposted four times is one row, and four other complaints are shown', async () => {
    const w = await workspace('Reposts');
    const at = (hour: number) => new Date(Date.parse('2026-11-10T00:00:00Z') + hour * 3_600_000);
    const poisoning = 'AVOID Sunbean!!! Got food poisoning from the chicken wrap #sunbean';
    await seed(s.deps, {
      workspaceId: w.workspaceId,
      sourceId: w.sourceId,
      mentions: [
        // Reposted under four links, its case and a handle changed: one text.
        ...[poisoning, poisoning, poisoning.toUpperCase(), `${poisoning} @foodwatch`].map((text, i) =>
          mention({ at: at(i * 20), brands: [w.own], label: 'negative', score: -0.97, text, url: `https://social.example.test/p/160?repost=${i}` })),
        mention({ at: at(5), brands: [w.own], label: 'negative', score: -0.89, text: 'Sunbean app crashed at checkout three times' }),
        mention({ at: at(6), brands: [w.own], label: 'negative', score: -0.8, text: 'Waited 30 minutes at Sunbean, terrible waiting times' }),
        mention({ at: at(7), brands: [w.rival], label: 'negative', score: -0.75, text: 'Mocha Mill prices are outrageous' }),
        mention({ at: at(8), brands: [w.rival], label: 'negative', score: -0.7, text: 'Mocha Mill customer service ignored me' }),
        mention({ at: at(9), brands: [w.own], label: 'negative', score: -0.5, text: 'Sunbean queue out the door again' }),
        mention({ at: at(10), brands: [w.own], label: 'positive', score: 0.8, text: 'Sunbean baristas are so friendly' }),
      ],
    });
    const made = await s.ok('POST', '/v1/digests', w.key, { since: '2026-11-09T00:00:00Z', until: '2026-11-16T00:00:00Z', deliver: false });
    const texts = (made.json.document.topNegative as Array<{ text: string }>).map((m) => m.text);
    expect(texts).toEqual([
      poisoning,
      'Sunbean app crashed at checkout three times',
      'Waited 30 minutes at Sunbean, terrible waiting times',
      'Mocha Mill prices are outrageous',
      'Mocha Mill customer service ignored me',
    ]);
    const text = (await s.ok('GET', `/v1/digests/${made.json.id}?format=text`, w.key)).text;
    expect(text.split('food poisoning')).toHaveLength(2);
  });
});

describe('a digest of a period without mentions', () => {
  it('e-mails no chart its HTML does not show', async () => {
    const w = await workspace('Empty mail');
    await s.ok('POST', '/v1/digests', w.key, { since: '2026-10-01T00:00:00Z', until: '2026-10-08T00:00:00Z' });
    await s.drain();
    expect(smtp.mails).toHaveLength(1);
    const { mail } = smtp.mails[0]!;
    expect(mail.text).toContain('No mentions of any brand in this period.');
    expect(mail.html).not.toContain('cid:');
    expect(mail.attachments).toEqual([]);
  });

  it('before the workspace had a source, says that no source was watching it', async () => {
    const w = await workspace('Before sources');
    const added = (await s.db.selectFrom('sources').select('created_at').where('id', '=', w.sourceId).executeTakeFirstOrThrow()).created_at;
    const made = await s.ok('POST', '/v1/digests', w.key, { since: '2026-10-01T00:00:00Z', until: '2026-10-08T00:00:00Z', deliver: false });
    expect(made.json.document.sources).toMatchObject({ total: 1, failing: 0, firstAddedAt: added.toISOString() });
    const text = (await s.ok('GET', `/v1/digests/${made.json.id}?format=text`, w.key)).text;
    expect(text).toContain("No source was watching this period: the workspace's first was added on ");
    expect(text).not.toContain('nothing fetched named a brand');

    // A source added before the period ended: its health is what the digest reports, as before.
    await s.db.updateTable('sources').set({ created_at: new Date('2026-09-01T00:00:00Z') }).where('id', '=', w.sourceId).execute();
    const watched = await s.ok('POST', '/v1/digests', w.key, { since: '2026-10-01T00:00:00Z', until: '2026-10-08T00:00:00Z', deliver: false });
    const watchedText = (await s.ok('GET', `/v1/digests/${watched.json.id}?format=text`, w.key)).text;
    expect(watchedText).toContain("The workspace's enabled source fetches without errors: nothing fetched named a brand.");
  });
});
