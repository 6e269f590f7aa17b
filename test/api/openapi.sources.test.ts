import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { connectors } from '../../src/connectors/index.js';
import { SOURCE_TYPES } from '../../src/domain/items/item.types.js';
import { createTestApp, type TestApp } from '../support/app.js';

// /openapi.json describes POST and PATCH /v1/sources as one schema per source type, and each
// schema's properties are exactly the fields the domain accepts for that type: every documented
// field gets past the unknown-field check, anything else is refused as unknown.

let t: TestApp;
let key: string;
let doc: any;

beforeAll(async () => {
  t = await createTestApp({ config: { SECRET_KEY: 'ab'.repeat(32), RATE_LIMIT_PER_MINUTE: '1000000' } });
  key = (await t.workspace('Documented sources')).key;
  doc = (await t.request('GET', '/openapi.json')).json;
});
afterAll(async () => t.close());

const resolve = (schema: { $ref?: string }) => (schema.$ref ? doc.components.schemas[schema.$ref.replace('#/components/schemas/', '')] : schema);

/** The documented schema of one type in a oneOf/anyOf body. */
function variant(body: any, type: string) {
  const members = (body.oneOf ?? body.anyOf) as { $ref: string }[];
  const found = members.map(resolve).filter((s) => s.properties?.type?.enum?.[0] === type || s.properties?.type?.const === type);
  expect(found, type).toHaveLength(1);
  return found[0];
}

const createBody = () => resolve(doc.paths['/v1/sources'].post.requestBody.content['application/json'].schema);
const updateBody = () => resolve(doc.paths['/v1/sources/{id}'].patch.requestBody.content['application/json'].schema);

/** A valid new source of each type: nothing here is polled. */
const VALID: Record<string, Record<string, unknown>> = {
  rss: { url: 'http://127.0.0.1:9/documented.xml' },
  hackernews: { query: 'acme', baseUrl: 'http://127.0.0.1:9' },
  reddit: { subreddit: 'acme', baseUrl: 'http://127.0.0.1:9', oauthBaseUrl: 'http://127.0.0.1:9' },
  mastodon: { instance: 'mastodon.example', hashtag: 'acme', baseUrl: 'http://127.0.0.1:9' },
  bluesky: { query: 'acme', baseUrl: 'http://127.0.0.1:9' },
  googlenews: { query: 'acme', lang: 'cs', country: 'cz', baseUrl: 'http://127.0.0.1:9' },
  youtube: { channelId: 'UC0123456789abcdefghijKL', baseUrl: 'http://127.0.0.1:9' },
};

/** The fields a request body named as unknown. */
const unknownFields = (res: { json: any }) =>
  ((res.json?.error?.fields ?? []) as { field: string; message: string }[]).filter((f) => f.message === 'unknown field').map((f) => f.field);

describe('POST /v1/sources is documented per source type', () => {
  it('a oneOf discriminated by type, one member per type, each closed to unknown fields', () => {
    const body = createBody();
    expect(body.discriminator?.propertyName).toBe('type');
    expect(Object.keys(body.discriminator.mapping).sort()).toEqual([...SOURCE_TYPES].sort());
    for (const type of SOURCE_TYPES) {
      const schema = variant(body, type);
      expect(schema.additionalProperties, type).toBe(false);
      expect(schema.required, type).toContain('type');
      for (const [name, property] of Object.entries(schema.properties as Record<string, { description?: string }>)) {
        if (name !== 'type') expect(property.description, `${type}.${name}`).toBeTruthy();
      }
    }
  });

  it("for every type, the documented properties are the connector's fields and the common ones, with the required ones marked", () => {
    for (const type of SOURCE_TYPES) {
      const connector = connectors[type];
      const shape = (connector.config as unknown as { shape: Record<string, { safeParse(v: unknown): { success: boolean } }> }).shape;
      const schema = variant(createBody(), type);
      const expected = ['type', ...Object.keys(shape), 'intervalSeconds', 'enabled', ...(connector.credentials ? ['credentials'] : [])];
      expect(Object.keys(schema.properties).sort(), type).toEqual(expected.sort());
      const required = Object.entries(shape).filter(([, field]) => !field.safeParse(undefined).success).map(([name]) => name);
      expect([...schema.required].sort(), type).toEqual(['type', ...required].sort());
    }
    expect(variant(createBody(), 'mastodon').required.sort()).toEqual(['hashtag', 'instance', 'type']);
    expect(variant(createBody(), 'reddit').oneOf).toEqual([{ required: ['query'] }, { required: ['subreddit'] }]);
  });

  it('the domain accepts every documented property of a type and refuses any other as an unknown field', async () => {
    for (const type of SOURCE_TYPES) {
      const schema = variant(createBody(), type);
      const documented = Object.keys(schema.properties);
      // Each documented field, given a value of the wrong kind (a list), is never "unknown".
      for (const field of documented.filter((f) => f !== 'type')) {
        const res = await t.request('POST', '/v1/sources', { key, body: { type, ...VALID[type], [field]: [] } });
        expect(res.status, `${type}.${field}: ${res.text}`).toBe(400);
        expect(unknownFields(res), `${type}.${field}`).toEqual([]);
      }
      // A field documented for no type, or only for another, is unknown.
      const others = SOURCE_TYPES.flatMap((o) => Object.keys(variant(createBody(), o).properties)).filter((f) => !documented.includes(f));
      for (const field of [...new Set(others), 'colour']) {
        if (field === 'credentials') {
          // Common to the API, refused by a type that takes none.
          const res = await t.request('POST', '/v1/sources', { key, body: { type, ...VALID[type], credentials: { token: 'x' } } });
          expect(res.json.error.fields, type).toEqual([{ field: 'credentials', message: `${type} sources take no credentials` }]);
          continue;
        }
        const res = await t.request('POST', '/v1/sources', { key, body: { type, ...VALID[type], [field]: 'x' } });
        expect(res.status, `${type}.${field}: ${res.text}`).toBe(400);
        expect(unknownFields(res), `${type}.${field}`).toEqual([field]);
      }
      // And the documented example values make a source.
      const created = await t.request('POST', '/v1/sources', { key, body: { type, ...VALID[type] } });
      expect(created.status, `${type}: ${created.text}`).toBe(201);
    }
  });
});

describe('PATCH /v1/sources/{id} is documented per source type', () => {
  it("any of the types' patches: their own fields, all optional, nullable where the domain lets null remove them", () => {
    const body = updateBody();
    expect(body.anyOf).toHaveLength(SOURCE_TYPES.length);
    expect(body.description).toMatch(/health/);
    expect(body.description).toMatch(/410/);
    for (const type of SOURCE_TYPES) {
      const connector = connectors[type];
      const shape = (connector.config as unknown as { shape: Record<string, { safeParse(v: unknown): { success: boolean } }> }).shape;
      const schema = variant(body, type);
      expect(schema.additionalProperties, type).toBe(false);
      expect(schema.required ?? [], type).toEqual([]);
      const expected = ['type', ...Object.keys(shape), 'intervalSeconds', 'enabled', ...(connector.credentials ? ['credentials'] : [])];
      expect(Object.keys(schema.properties).sort(), type).toEqual(expected.sort());
      for (const [name, field] of Object.entries(shape)) {
        const nullable = ([] as string[]).concat(schema.properties[name].type ?? []).includes('null');
        expect(nullable, `${type}.${name}`).toBe(field.safeParse(undefined).success);
      }
      expect(schema.properties.intervalSeconds.default, type).toBeUndefined();
    }
  });

  it('the domain takes every documented field of the stored type in a PATCH, and null removes the optional ones', async () => {
    const { key } = await t.workspace('Patched sources');
    for (const type of SOURCE_TYPES) {
      const created = await t.request('POST', '/v1/sources', { key, body: { type, ...VALID[type] } });
      expect(created.status, created.text).toBe(201);
      const schema = variant(updateBody(), type);
      for (const [field, property] of Object.entries(schema.properties as Record<string, { type?: string | string[] }>)) {
        if (field === 'type' || field === 'credentials') continue;
        const wrong = await t.request('PATCH', `/v1/sources/${created.json.id}`, { key, body: { [field]: [] } });
        expect(wrong.status, `${type}.${field}: ${wrong.text}`).toBe(400);
        expect(unknownFields(wrong), `${type}.${field}`).toEqual([]);
        if ([property.type].flat().includes('null') && field !== 'query' && field !== 'subreddit') {
          const removed = await t.request('PATCH', `/v1/sources/${created.json.id}`, { key, body: { [field]: null } });
          expect(removed.status, `${type}.${field}: ${removed.text}`).toBe(200);
        }
      }
      const same = await t.request('PATCH', `/v1/sources/${created.json.id}`, { key, body: { type } });
      expect(same.status, same.text).toBe(200);
    }
  });
});
