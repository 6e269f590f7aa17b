import { Writable } from 'node:stream';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createLogger } from '../../src/logger.js';
import { startFeedServer, type FeedServer } from '../support/feed-server.js';
import { createTestStack, type TestStack } from '../support/stack.js';
import { addSource, cleanupList, fetchNow, getSource } from './support.js';

// The commonest lying charset: the web server labels every response `charset=utf-8`, while the
// feed is written in a single-byte code page its own prolog names correctly. It is read as the
// prolog says, so Czech or Persian text (and the brands in it) survives. A body labelled UTF-8
// that is not, and names nothing else, is kept with U+FFFD as before, and the log says which
// source it was. (Persian in windows-1256 is written with the Arabic yeh, the code page has no other.)

const cleanup = cleanupList();
let s: TestStack;
let feeds: FeedServer;
let key: string;
let logs = '';

/** Real single-byte bytes: the code page's own decoder, inverted. */
function encodeSingleByte(text: string, encoding: string): Buffer {
  const decoder = new TextDecoder(encoding);
  const byteOf = new Map<string, number>();
  for (let b = 0; b < 256; b++) byteOf.set(decoder.decode(Uint8Array.of(b)), b);
  return Buffer.from(
    [...text].map((char) => {
      const byte = byteOf.get(char);
      if (byte === undefined) throw new Error(`${encoding} has no ${char}`);
      return byte;
    }),
  );
}

const feed = (prolog: string, guid: string, title: string, description: string) =>
  `${prolog}<rss version="2.0"><channel><title>t</title><link>https://zpravy.example.cz/</link>` +
  `<item><guid isPermaLink="false">${guid}</guid><title>${title}</title><description>${description}</description></item></channel></rss>`;

const CZECH_TITLE = 'Škoda a Acme: příliš žluťoučký kůň úpěl ďábelské ódy';
const CZECH_TEXT = 'Společnost Acme oznámila růst';

beforeAll(async () => {
  feeds = await startFeedServer();
  cleanup.add(() => feeds.close());
  const destination = new Writable({ write: (chunk, _e, done) => ((logs += chunk.toString()), done()) });
  s = await createTestStack({ log: createLogger({ level: 'warn', destination }) });
  cleanup.add(() => s.close());
  key = (await s.workspace('Charsets')).key;
  await s.request('POST', '/v1/brands', { key, body: { name: 'Škoda', role: 'own', query: 'škoda' } });
  await s.request('POST', '/v1/brands', { key, body: { name: 'Pars', role: 'competitor', query: 'پارس' } });
});
afterAll(() => cleanup.run());

const rowsOf = (sourceId: string) => s.db.selectFrom('mentions').select(['title', 'text', 'matched']).where('source_id', '=', sourceId).execute();

describe('a feed labelled charset=utf-8 that is not UTF-8', () => {
  it.each([
    ['windows-1250 (Czech)', 'windows-1250', CZECH_TITLE, CZECH_TEXT],
    ['ISO-8859-2 (Czech)', 'iso-8859-2', CZECH_TITLE, CZECH_TEXT],
    ['windows-1256 (Persian)', 'windows-1256', 'خبرگزاري پارس: کتاب‌خواني؟', 'گزارش ژوئن درباره چاي'],
  ])('in %s is read as its prolog says, and its brand is found', async (_why, encoding, title, text) => {
    const path = `/lying-${encoding}`;
    const body = encodeSingleByte(feed(`<?xml version="1.0" encoding="${encoding}"?>`, `${encoding}-1`, title, text), encoding);
    feeds.routes.set(path, { headers: { 'content-type': 'application/rss+xml; charset=utf-8' }, body });
    const { id } = await addSource(s, key, { url: feeds.url(path) });
    await fetchNow(s, key, id);
    expect(await rowsOf(id)).toEqual([{ title, text, matched: true }]);
  });

  it('and names no other encoding is stored with U+FFFD, and the log names the source', async () => {
    const body = encodeSingleByte(feed('', 'undeclared-1', CZECH_TITLE, CZECH_TEXT), 'windows-1250');
    feeds.routes.set('/undeclared', { headers: { 'content-type': 'application/rss+xml; charset=utf-8' }, body });
    const { id } = await addSource(s, key, { url: feeds.url('/undeclared') });
    await fetchNow(s, key, id);
    const [row] = await rowsOf(id);
    expect(row!.text).toBe('Spole\uFFFDnost Acme ozn\uFFFDmila r\uFFFDst');
    expect(await getSource(s, key, id)).toMatchObject({ lastStatus: 200, lastError: null, consecutiveFailures: 0 });
    const warning = logs
      .split('\n')
      .filter(Boolean)
      .map((line) => JSON.parse(line) as { msg: string; sourceId?: string; warning?: string })
      .find((entry) => entry.sourceId === id);
    expect(warning).toMatchObject({ msg: 'source feed read with replacement characters', warning: expect.stringMatching(/labelled UTF-8 but is not/) });
  });
});
