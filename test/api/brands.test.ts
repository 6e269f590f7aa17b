import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type TestApp } from '../support/app.js';

let t: TestApp;
let key: string;
beforeAll(async () => {
  t = await createTestApp();
  key = (await t.workspace('Brands')).key;
});
afterAll(async () => t.close());

const acme = { name: 'Acme', role: 'own', query: '"acme coffee" OR #acmecoffee -jobs' };

describe('brands', () => {
  it('are created, read, listed, changed and deleted', async () => {
    const created = await t.request('POST', '/v1/brands', { key, body: acme });
    expect(created.status).toBe(201);
    expect(created.json).toMatchObject({ ...acme, id: expect.any(String), createdAt: expect.any(String) });
    const id = created.json.id;

    expect((await t.request('GET', `/v1/brands/${id}`, { key })).json).toEqual(created.json);
    const list = await t.request('GET', '/v1/brands', { key });
    expect(list.json.items.map((b: { id: string }) => b.id)).toContain(id);

    const patched = await t.request('PATCH', `/v1/brands/${id}`, { key, body: { query: 'kavárna NEAR/3 acme', role: 'competitor' } });
    expect(patched.status).toBe(200);
    expect(patched.json).toMatchObject({ name: 'Acme', role: 'competitor', query: 'kavárna NEAR/3 acme' });

    expect((await t.request('DELETE', `/v1/brands/${id}`, { key })).status).toBe(204);
    expect((await t.request('GET', `/v1/brands/${id}`, { key })).status).toBe(404);
    expect((await t.request('DELETE', `/v1/brands/${id}`, { key })).status).toBe(404);
  });

  it('an invalid query answers 400 query.invalid with the position of the problem', async () => {
    const res = await t.request('POST', '/v1/brands', { key, body: { name: 'Broken', role: 'own', query: 'acme AND (coffee OR' } });
    expect(res.status).toBe(400);
    expect(res.json.error.code).toBe('query.invalid');
    expect(res.json.error.position).toEqual(expect.any(Number));
    expect(res.json.error.message).toMatch(/^query: /);

    const patch = await t.request('POST', '/v1/brands', { key, body: { name: 'Ok', role: 'own', query: 'ok' } });
    const bad = await t.request('PATCH', `/v1/brands/${patch.json.id}`, { key, body: { query: '"unclosed' } });
    expect(bad.status).toBe(400);
    expect(bad.json.error).toMatchObject({ code: 'query.invalid', position: 0 });
    // A PATCH naming only a field a brand does not have is told about that field, not asked for one.
    const unknown = await t.request('PATCH', `/v1/brands/${patch.json.id}`, { key, body: { colour: 'red' } });
    expect(unknown.json.error.fields).toEqual([{ field: 'colour', message: 'unknown field' }]);
    const empty = await t.request('PATCH', `/v1/brands/${patch.json.id}`, { key, body: {} });
    expect(empty.json.error.fields).toEqual([{ field: 'body', message: 'give at least one of name, role, query' }]);
  });

  it('a query over 1,000 characters is query.invalid with its position, for a brand and for q=, counting characters rather than UTF-16 units', async () => {
    const tooLong = `acme ${'x'.repeat(996)}`;
    const brand = await t.request('POST', '/v1/brands', { key, body: { name: 'Long', role: 'own', query: tooLong } });
    expect(brand.status).toBe(400);
    expect(brand.json.error).toMatchObject({ code: 'query.invalid', position: 1000, message: 'query: the query is 1001 characters long; the limit is 1000' });
    const search = await t.request('GET', `/v1/mentions?q=${encodeURIComponent(tooLong)}`, { key });
    expect(search.status).toBe(400);
    expect(search.json.error).toMatchObject({ code: 'query.invalid', position: 1000, message: 'q: the query is 1001 characters long; the limit is 1000' });
    const csv = await t.request('GET', `/v1/mentions/export.csv?q=${encodeURIComponent(tooLong)}`, { key });
    expect(csv.status).toBe(400);
    expect(csv.json.error).toMatchObject({ code: 'query.invalid', position: 1000 });

    // 600 characters of a script outside the Basic Multilingual Plane are 1,200 UTF-16 units, and within the limit.
    const astral = `acme ${'𠀀'.repeat(600)}`;
    expect((await t.request('POST', '/v1/brands', { key, body: { name: 'Astral', role: 'own', query: astral } })).status).toBe(201);
    expect((await t.request('GET', `/v1/mentions?q=${encodeURIComponent(astral)}`, { key })).status).toBe(200);
  });

  it('names are unique per workspace, case-insensitively', async () => {
    await t.request('POST', '/v1/brands', { key, body: { name: 'Globex', role: 'competitor', query: 'globex' } });
    const dup = await t.request('POST', '/v1/brands', { key, body: { name: 'GLOBEX', role: 'competitor', query: 'globex' } });
    expect(dup.status).toBe(409);
    expect(dup.json.error.code).toBe('brands.name_taken');
    const other = await t.workspace('Other');
    expect((await t.request('POST', '/v1/brands', { key: other.key, body: { name: 'Globex', role: 'own', query: 'globex' } })).status).toBe(201);
  });

  it('names that look alike are one name: stored in NFC, and characters drawn as nothing refused', async () => {
    const nfc = await t.request('POST', '/v1/brands', { key, body: { name: 'Škoda', role: 'competitor', query: 'škoda' } });
    expect(nfc.status, nfc.text).toBe(201);
    const nfd = await t.request('POST', '/v1/brands', { key, body: { name: 'Škoda'.normalize('NFD'), role: 'competitor', query: 'skoda' } });
    expect(nfd.status, nfd.text).toBe(409);
    expect(nfd.json.error.code).toBe('brands.name_taken');
    const decomposed = await t.request('POST', '/v1/brands', { key, body: { name: 'Čedok'.normalize('NFD'), role: 'competitor', query: 'čedok' } });
    expect(decomposed.json.name).toBe('Čedok'.normalize('NFC'));
    // Drawn as nothing, reordering the text, a control character.
    for (const raw of ['Ac\\u200bme', 'Ac\\u00adme', 'Acme\\u2060', 'Ac\\ufeffme', 'acme\\u200e', 'bidi\\u202egnp.exe', 'ctl\\u0007\\u001b[31mred', 'line\\r\\nbreak', 'line\\u2028separator', 'para\\u2029separator']) {
      const res = await t.request('POST', '/v1/brands', { key, raw: `{"name":"${raw}","role":"competitor","query":"acme"}` });
      expect(res.status, raw).toBe(400);
      expect(res.json.error.fields, raw).toEqual([
        { field: 'name', message: 'must not contain control characters, line breaks or invisible formatting characters (a zero-width space, a direction mark or override, a soft hyphen)' },
      ]);
    }
    // A lone surrogate (it would be stored as U+FFFD) is not text at all, and is told so.
    const lone = await t.request('POST', '/v1/brands', { key, raw: '{"name":"lone\\ud800","role":"competitor","query":"acme"}' });
    expect(lone.status).toBe(400);
    expect(lone.json.error.fields).toEqual([{ field: 'name', message: 'must be valid Unicode text (a lone surrogate)' }]);
    // The same rule for workspace and API key names.
    expect((await t.request('PATCH', '/v1/workspace', { key, raw: '{"name":"x\\r\\nInjected: yes"}' })).status).toBe(400);
    expect((await t.request('POST', '/v1/api-keys', { key, raw: '{"name":"kiosk\\u202e"}' })).status).toBe(400);
    // ZWNJ shapes Persian words: a name with it is a name.
    expect((await t.request('POST', '/v1/brands', { key, body: { name: 'دیجی‌کالا', role: 'competitor', query: 'دیجی‌کالا' } })).status).toBe(201);
  });

  it('an edit that changes nothing writes nothing: the stored query sent back does not rematch the history', async () => {
    const created = (await t.request('POST', '/v1/brands', { key, body: { name: 'Kofola', role: 'competitor', query: 'kofola*' } })).json;
    const row = () => t.db.selectFrom('brands').select(['query_version', 'updated_at']).where('id', '=', created.id).executeTakeFirstOrThrow();
    const before = await row();
    const same = await t.request('PATCH', `/v1/brands/${created.id}`, { key, body: { name: 'Kofola', role: 'competitor', query: 'kofola*' } });
    expect(same.status, same.text).toBe(200);
    expect(same.json).toEqual(created);
    expect(await row()).toEqual(before);

    const renamed = await t.request('PATCH', `/v1/brands/${created.id}`, { key, body: { name: 'Kofola a.s.', query: 'kofola*' } });
    expect(renamed.json.name).toBe('Kofola a.s.');
    expect((await row()).query_version).toBe(before.query_version);
    await t.request('PATCH', `/v1/brands/${created.id}`, { key, body: { query: 'kofola* OR #kofola' } });
    expect((await row()).query_version).toBe(before.query_version + 1);
  });

  it("a brand of another workspace is 404 for GET, PATCH and DELETE, and stays untouched", async () => {
    const other = await t.workspace('Intruder');
    const mine = await t.request('POST', '/v1/brands', { key, body: { name: 'Mine', role: 'own', query: 'mine' } });
    const id = mine.json.id;
    expect((await t.request('GET', `/v1/brands/${id}`, { key: other.key })).status).toBe(404);
    expect((await t.request('PATCH', `/v1/brands/${id}`, { key: other.key, body: { name: 'Stolen' } })).status).toBe(404);
    expect((await t.request('DELETE', `/v1/brands/${id}`, { key: other.key })).status).toBe(404);
    expect((await t.request('GET', `/v1/brands/${id}`, { key })).json.name).toBe('Mine');
    expect((await t.request('GET', '/v1/brands', { key: other.key })).json.items).toEqual([]);
  });

  it('ids that are not ours are simply not found', async () => {
    for (const id of ['nope', '00000000-0000-0000-0000-000000000000', "1' or '1'='1"]) {
      const res = await t.request('GET', `/v1/brands/${encodeURIComponent(id)}`, { key });
      expect(res.status).toBe(404);
      expect(res.json.error.code).toBe('brands.not_found');
    }
  });

  it('queries in every script our users write are accepted and kept as written', async () => {
    const queries = ['"कॉफ़ी हाउस" OR नेपाल*', 'چای‌خانه OR #قهوه', 'காபி NEAR/2 கடை', 'ચા OR lang:gu', 'káva -"špatná káva" site:example.cz'];
    for (const [i, query] of queries.entries()) {
      const res = await t.request('POST', '/v1/brands', { key, body: { name: `Script ${i}`, role: 'competitor', query } });
      expect(res.status, query).toBe(201);
      expect(res.json.query).toBe(query);
    }
  });
});
