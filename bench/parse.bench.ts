// `npm run bench -- parse [--seconds N]`: feed parsing on one core.
// Throughput for 200-item RSS 2.0 feeds (the shape ingest sees most), and the longest event-loop
// block while a 16 MiB feed is parsed (what decides whether a BullMQ job lock survives).
import RssParser from 'rss-parser';
import { parseFeed } from '../src/domain/feeds/feed.parser.js';
import { watchEventLoop } from '../test/domain/feeds/support.js';

const opts = { feedUrl: 'https://bench.example.com/feed.xml', fetchedAt: new Date('2026-11-22T12:00:00Z') };

function rssFeed(count: number, bodyChars: number): string {
  const body = 'Acme launches the <b>Rocket 3</b> &amp; more, says <a href="/x">@acme</a>. Lorem ipsum dolor sit amet. '.repeat(Math.ceil(bodyChars / 100));
  const items = Array.from(
    { length: count },
    (_, i) =>
      `<item><title>Item ${i}: news about #acme &amp; rockets</title><link>https://bench.example.com/p/${i}</link>` +
      `<guid isPermaLink="false">bench-${i}</guid><pubDate>Sat, 21 Nov 2026 10:${String(i % 60).padStart(2, '0')}:00 +0000</pubDate>` +
      `<dc:creator>Writer ${i % 7}</dc:creator><category>News</category>` +
      `<description><![CDATA[<p>${body} #tag${i % 13}</p>]]></description></item>`,
  );
  return `<?xml version="1.0"?><rss version="2.0" xmlns:dc="http://purl.org/dc/elements/1.1/"><channel><title>Bench</title><link>https://bench.example.com/</link>${items.join('')}</channel></rss>`;
}

async function throughput(label: string, seconds: number, once: () => Promise<number>): Promise<void> {
  for (let i = 0; i < 20; i++) await once(); // warm-up
  let feeds = 0;
  let items = 0;
  const started = performance.now();
  while (performance.now() - started < seconds * 1000) {
    items += await once();
    feeds += 1;
  }
  const elapsed = (performance.now() - started) / 1000;
  console.log(`${label}: ${(feeds / elapsed).toFixed(1)} feeds/s, ${Math.round(items / elapsed)} items/s (${feeds} feeds in ${elapsed.toFixed(1)} s)`);
}

async function largestBlock(label: string, text: string, items: number): Promise<void> {
  const started = performance.now();
  const { result: feed, maxBlockMs, longestGapMs } = await watchEventLoop(() => parseFeed(text, opts));
  const elapsed = performance.now() - started;
  console.log(
    `${label} (${(text.length / 1024 / 1024).toFixed(1)} MiB, ${items} items, ${feed.items.length} kept): ` +
      `parsed in ${Math.round(elapsed)} ms, max event-loop block ${maxBlockMs.toFixed(0)} ms ` +
      `(longest 5 ms-timer gap ${longestGapMs.toFixed(0)} ms), RSS ${Math.round(process.memoryUsage().rss / 1024 / 1024)} MB`,
  );
}

export async function main(args: string[]): Promise<void> {
  const at = args.indexOf('--seconds');
  const seconds = at >= 0 ? Number(args[at + 1]) : 5;
  const feed200 = rssFeed(200, 1200);
  console.log(`200-item RSS feed: ${(feed200.length / 1024).toFixed(0)} KiB`);
  await throughput('parseFeed (rss-parser + dates + HTML to text + tokens)', seconds, async () => (await parseFeed(feed200, opts)).items.length);
  await throughput('rss-parser parseString alone (anchor)', seconds, async () => (await new RssParser().parseString(feed200)).items.length);

  let big = rssFeed(10_000, 1400);
  while (big.length > 16 * 1024 * 1024) big = rssFeed(Math.floor((10_000 * 16 * 1024 * 1024) / big.length) - 10, 1400);
  await largestBlock('16 MiB RSS feed', big, big.split('<item>').length - 1);

  const html = `<p>${'Lorem ipsum <b>dolor</b> sit amet. '.repeat(45)}</p>`;
  const jsonItems = Array.from({ length: 9_500 }, (_, i) => ({ id: `j${i}`, url: `/p/${i}`, title: `Item ${i} #json`, content_html: html, date_published: '2026-11-21T10:00:00Z' }));
  const json = JSON.stringify({ version: 'https://jsonfeed.org/version/1.1', title: 'J', home_page_url: 'https://j.example/', items: jsonItems });
  await largestBlock('16 MiB JSON Feed', json, jsonItems.length);
}
