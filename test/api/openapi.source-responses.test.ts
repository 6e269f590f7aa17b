import { Ajv2020 } from 'ajv/dist/2020.js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { connectors } from '../../src/connectors/index.js';
import { SOURCE_TYPES } from '../../src/domain/items/item.types.js';
import { createTestApp, type TestApp } from '../support/app.js';

// /openapi.json's `Source` (what GET, POST and PATCH /v1/sources answer) describes each type's own
// fields (`url`, `query`, `subreddit`…) with their types, one schema per type chosen by `type`, so a
// generated client has a typed `url` for an RSS source. Every source the API answers with validates.

let t: TestApp;
let key: string;
let doc: any;

/** A new source of each type: nothing here is polled. */
const VALID: Record<string, Record<string, unknown>> = {
  rss: { url: 'http://127.0.0.1:9/documented.xml' },
  hackernews: { query: 'acme', baseUrl: 'http://127.0.0.1:9' },
  reddit: { subreddit: 'r/acme', baseUrl: 'http://127.0.0.1:9', oauthBaseUrl: 'http://127.0.0.1:9' },
  mastodon: { instance: 'mastodon.example', hashtag: '#Acme, acmecoffee', baseUrl: 'http://127.0.0.1:9' },
  bluesky: { query: 'acme' },
  googlenews: { query: 'acme', baseUrl: 'http://127.0.0.1:9' },
  youtube: { channelId: 'UC0123456789abcdefghijKL', baseUrl: 'http://127.0.0.1:9' },
};

beforeAll(async () => {
  t = await createTestApp({ config: { RATE_LIMIT_PER_MINUTE: '1000000' } });
  key = (await t.workspace('Typed sources')).key;
  doc = (await t.request('GET', '/openapi.json')).json;
});
afterAll(async () => t.close());

const resolve = (schema: { $ref?: string }) => (schema.$ref ? doc.components.schemas[schema.$ref.replace('#/components/schemas/', '')] : schema);

/** The schema of one type among Source's members. */
function variant(type: string) {
  const members = (doc.components.schemas.Source.oneOf as { $ref: string }[]).map(resolve);
  const found = members.filter((s) => s.properties?.type?.enum?.[0] === type || s.properties?.type?.const === type);
  expect(found, type).toHaveLength(1);
  return found[0];
}

function validator(schemaName: string) {
  const ajv = new Ajv2020({ strict: false, allErrors: true });
  ajv.addFormat('uri', true);
  ajv.addSchema({ $id: 'https://earshot.invalid/openapi.json', components: doc.components });
  return ajv.compile({ $ref: `https://earshot.invalid/openapi.json#/components/schemas/${schemaName}` });
}

describe('the Source response schema', () => {
  it('is one schema per source type, discriminated by type', () => {
    const source = doc.components.schemas.Source;
    expect(source.discriminator?.propertyName).toBe('type');
    expect(Object.keys(source.discriminator.mapping).sort()).toEqual([...SOURCE_TYPES].sort());
    expect(source.oneOf).toHaveLength(SOURCE_TYPES.length);
  });

  it("types an RSS source's url as a string, required, with its description", () => {
    const rss = variant('rss');
    expect(rss.properties.url).toMatchObject({ type: 'string', description: expect.stringMatching(/RSS/) });
    expect(rss.required).toContain('url');
    expect(rss.properties.credentials).toBeUndefined();
  });

  it("lists each type's own fields beside the common ones, with a type and a description each, and only the fields that type has", () => {
    const common = ['id', 'type', 'intervalSeconds', 'enabled', 'disabledReason', 'hasCredentials', 'lastFetchedAt', 'lastSucceededAt', 'lastStatus', 'consecutiveFailures', 'nextFetchAt', 'lastError', 'lastPoll', 'createdAt', 'updatedAt'];
    for (const type of SOURCE_TYPES) {
      const own = Object.keys((connectors[type].config as unknown as { shape: Record<string, unknown> }).shape);
      const schema = variant(type);
      expect(Object.keys(schema.properties).sort(), type).toEqual([...common, ...own].sort());
      for (const field of own) {
        expect(schema.properties[field].type, `${type}.${field}`).toBe('string');
        expect(schema.properties[field].description, `${type}.${field}`).toBeTruthy();
      }
    }
    expect(variant('mastodon').required).toEqual(expect.arrayContaining(['instance', 'hashtag']));
    expect(variant('reddit').required ?? []).not.toContain('subreddit');
  });

  it('every source GET /v1/sources lists, of every type, validates against it; so do GET and PATCH of one, and the page', async () => {
    for (const type of SOURCE_TYPES) {
      const created = await t.request('POST', '/v1/sources', { key, body: { type, ...VALID[type] } });
      expect(created.status, `${type}: ${created.text}`).toBe(201);
    }
    const page = (await t.ok('GET', '/v1/sources?limit=200', key)).json;
    expect(page.items.map((s: { type: string }) => s.type).sort()).toEqual([...SOURCE_TYPES].sort());
    const source = validator('Source');
    for (const item of page.items) {
      expect(source(item), `${item.type}: ${JSON.stringify(source.errors)}`).toBe(true);
      // A wrong type in a type's own field is caught: the schema really types it.
      const own = Object.keys(VALID[item.type]!)[0]!;
      expect(source({ ...item, [own]: 42 }), `${item.type}.${own}`).toBe(false);
    }
    const rss = page.items.find((s: { type: string }) => s.type === 'rss');
    expect(typeof rss.url).toBe('string');
    expect(source((await t.ok('GET', `/v1/sources/${rss.id}`, key)).json)).toBe(true);
    expect(source((await t.ok('PATCH', `/v1/sources/${rss.id}`, key, { intervalSeconds: 600 })).json)).toBe(true);
    const sourcePage = validator('SourcePage');
    expect(sourcePage(page), JSON.stringify(sourcePage.errors)).toBe(true);
  });
});
