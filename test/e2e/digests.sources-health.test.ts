import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { addSource, fetchNow } from '../reliability/support.js';
import { startApi, type ApiServer, type Received, type Reply } from '../connectors/api-server.js';
import { rss } from '../support/feed-server.js';
import { createTestStack, type TestStack } from '../support/stack.js';

// "No mentions of Acme this week" must tell "nothing was said" from "we could not read the
// source". Every digest lists, at its top, the sources it could not read in full when it was made
// (failing, switched off after failing, partly failing) with the reason, whether or not the period
// had mentions; a digest whose sources all read says nothing of them. The sources are real, polled
// through the stack from a server on 127.0.0.1 that fails them.

const HOUR = 3_600_000;
const posted = (hoursAgo: number) => new Date(Date.now() - hoursAgo * HOUR);

function route(req: Received): Reply {
  if (req.path === '/news.xml') {
    return {
      headers: { 'content-type': 'application/rss+xml; charset=utf-8' },
      body: rss([
        { guid: 'n1', title: 'Acme opens in Brno', description: 'Acme opened its first café in Brno.', link: 'https://news.example/acme-brno', pubDate: posted(5).toUTCString() },
        { guid: 'n2', title: 'Acme menu', description: 'Acme has a new menu.', link: 'https://news.example/acme-menu', pubDate: posted(4).toUTCString() },
      ]),
    };
  }
  if (req.path === '/down.xml') return { status: 503, body: 'Service Unavailable' };
  if (req.path === '/gone.xml') return { status: 410, body: 'Gone' };
  // A subreddit whose posts listing reads and whose comments listing fails: read in part.
  if (req.path === '/r/halfread/new.json') {
    const post = {
      kind: 't3',
      data: {
        id: 'p0st001', name: 't3_p0st001', author: 'acme_watcher', created_utc: Math.floor(posted(3).getTime() / 1000), title: 'Acme in Brno',
        selftext: 'Tried Acme today', permalink: '/r/halfread/comments/p0st001/', url: 'https://www.reddit.com/r/halfread/comments/p0st001/',
        subreddit_name_prefixed: 'r/halfread', score: 3, num_comments: 0,
      },
    };
    return { body: { kind: 'Listing', data: { after: null, dist: 1, modhash: '', children: [post], before: null } } };
  }
  if (req.path === '/r/halfread/comments.json') return { status: 500, headers: { 'content-type': 'text/html' }, body: '<html><body><h1>500 Internal Server Error</h1></body></html>' };
  return { status: 500, body: 'unexpected request' };
}

let s: TestStack;
let api: ApiServer;

beforeAll(async () => {
  s = await createTestStack({ config: { INGEST_THREADS: '0' } });
  api = await startApi(route);
});
afterAll(async () => {
  await s?.close();
  await api?.close();
});

/** A workspace with the brand Acme and these sources, each polled once. */
async function workspace(name: string, sources: Array<Record<string, unknown>>) {
  const { key } = await s.workspace(name);
  expect((await s.request('POST', '/v1/brands', { key, body: { name: 'Acme', role: 'own', query: 'acme' } })).status).toBe(201);
  const ids: string[] = [];
  for (const body of sources) {
    const { id } = await addSource(s, key, body);
    await fetchNow(s, key, id);
    ids.push(id);
  }
  return { key, ids };
}

const digest = async (key: string) => {
  const made = await s.ok('POST', '/v1/digests', key, { deliver: false });
  const id = made.json.id as string;
  const render = async (format: string) => (await s.ok('GET', `/v1/digests/${id}?format=${format}`, key)).text;
  return { document: made.json.document, text: await render('text'), html: await render('html'), markdown: await render('markdown') };
};

describe('the sources a digest could not read in full', () => {
  it('are listed at the top of a digest with mentions, with their state and reason, in JSON, text, HTML and Markdown', async () => {
    const w = await workspace('Zdroje s potížemi', [
      { type: 'rss', url: `${api.origin}/news.xml` },
      { type: 'rss', url: `${api.origin}/down.xml` },
      { type: 'rss', url: `${api.origin}/gone.xml` },
      { type: 'reddit', subreddit: 'halfread', baseUrl: api.origin },
    ]);
    const [, down, gone, reddit] = w.ids;
    const { document, text, html, markdown } = await digest(w.key);

    // The period has mentions: the news feed's two posts and the subreddit's one.
    expect(document.brands[0]).toMatchObject({ name: 'Acme', mentions: 3 });
    expect(document.sources).toMatchObject({ total: 4, enabled: 3, failing: 3, disabled: 1, partlyFailing: 1 });
    const listed = document.sources.failingSources as Array<{ id: string; state: string; enabled: boolean; lastError: string; target: string }>;
    // The failing and the disabled first, the partly failing last.
    expect(listed.map((f) => f.id).slice(0, 2).sort()).toEqual([down, gone].sort());
    expect(listed.map((f) => [f.id, f.state, f.enabled])).toEqual(expect.arrayContaining([[down, 'failing', true], [gone, 'disabled', false], [reddit, 'partly_failing', true]]));
    const halfRead = `comments listing: HTTP 500 from ${api.origin}/r/halfread/comments.json: 500 Internal Server Error; the posts listing was read`;
    expect(listed[2]).toMatchObject({ id: reddit, target: 'r/halfread', lastError: halfRead });
    expect(listed.find((f) => f.id === down)!.lastError).toMatch(/503/u);
    expect(listed.find((f) => f.id === gone)!.lastError).toMatch(/410/u);

    const line = "3 of the workspace's 4 sources are not read in full (1 failing, 1 switched off, 1 partly failing), so this digest may miss mentions from them:";
    const top = text.slice(0, text.indexOf('\nBrands\n'));
    expect(top).toContain(`\n\n${line}\n`);
    expect(top).toMatch(/\n {2}- rss http:\/\/127\.0\.0\.1:\d+\/…: 1 failure in a row \(HTTP 503\)\n/u);
    expect(top).toMatch(/\n {2}- rss http:\/\/127\.0\.0\.1:\d+\/…: switched off after 1 failure in a row \(the source is gone \(HTTP 410\): Gone\)\n/u);
    expect(top).toContain(`\n  - reddit r/halfread: read in part at its last poll (${halfRead})\n`);
    // The figures follow as usual.
    expect(text).toContain('Acme (own): 3 mentions');

    expect(html).toContain(`<p style="font-family:Arial,Helvetica,sans-serif;font-size:14px;color:#333;margin:0 0 8px;">${line.replaceAll("'", '&#39;')}</p>`);
    // (Long words get <wbr> break points.)
    expect(html.replaceAll('<wbr>', '')).toContain(`reddit <bdi>r/halfread</bdi>: read in part at its last poll (<bdi>${halfRead}</bdi>)</li>`);
    expect(html.indexOf('read in part')).toBeLessThan(html.indexOf('>Brands</h2>'));
    // (A URL is kept from turning into a link: http\\://.)
    expect(markdown).toContain(`- reddit r/halfread: read in part at its last poll \\(${halfRead.replace('http://', 'http\\://')}\\)`);
    expect(markdown.indexOf('read in part')).toBeLessThan(markdown.indexOf('## Brands'));
  });

  it('names the one kind when all are alike, and says nothing of sources when every one reads', async () => {
    const one = await workspace('Jeden výpadek', [{ type: 'rss', url: `${api.origin}/news.xml` }, { type: 'rss', url: `${api.origin}/down.xml` }]);
    expect((await digest(one.key)).text).toContain("\n\n1 of the workspace's 2 sources is failing, so this digest may miss mentions from it:\n  - rss http://127.0.0.1:");

    const fine = await workspace('Vše v pořádku', [{ type: 'rss', url: `${api.origin}/news.xml` }]);
    const { document, text, html, markdown } = await digest(fine.key);
    expect(document.brands[0]).toMatchObject({ mentions: 2 });
    expect(document.sources).toMatchObject({ total: 1, enabled: 1, failing: 0, disabled: 0, partlyFailing: 0, failingSources: [] });
    for (const out of [text, html, markdown]) expect(out).not.toMatch(/not read in full|failing|switched off|may miss/u);
  });
});
