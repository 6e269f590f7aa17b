import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type TestApp } from '../support/app.js';

// `keyword=` with nothing after it used to answer two errors for one mistake ("must not be empty"
// and "must hold a word, not only spaces…"). An empty or blank value is one mistake and gets one
// error, naming the parameter and saying what is wrong, wherever the value is taken.

let t: TestApp;
let key: string;
let brand: string;
beforeAll(async () => {
  t = await createTestApp();
  key = (await t.workspace('Empty values')).key;
  brand = (await t.ok('POST', '/v1/brands', key, { name: 'Acme', role: 'own', query: 'acme' })).json.id;
});
afterAll(async () => t.close());

/** The one problem a 400 names, as `field: message`. */
function onlyProblem(res: { status: number; json: any }, label: string): string {
  expect(res.status, label).toBe(400);
  const fields = res.json.error.fields as Array<{ field: string; message: string }>;
  expect(fields, `${label}: ${JSON.stringify(res.json.error)}`).toHaveLength(1);
  return `${fields[0]!.field}: ${fields[0]!.message}`;
}

describe('an empty or blank filter value is one error', () => {
  const cases: Array<[query: string, problem: string]> = [
    ['keyword=', 'keyword: must not be empty'],
    ['keyword=%20', 'keyword: must hold a word, not only spaces, quotes or invisible characters'],
    ['keyword=%20%09%E3%80%80', 'keyword: must hold a word, not only spaces, quotes or invisible characters'],
    ['keyword=%22%22', 'keyword: must hold a word, not only spaces, quotes or invisible characters'],
    ['keyword=%00', 'keyword: must not contain control characters'],
    [`keyword=${'%20'.repeat(201)}`, 'keyword: must be at most 200 characters'],
    ['hashtag=', 'hashtag: must not be empty'],
    ['hashtag=%20', "hashtag: must hold a tag, not only '#', spaces or invisible characters"],
    ['hashtag=%23', "hashtag: must hold a tag, not only '#', spaces or invisible characters"],
    [`hashtag=${'%20'.repeat(201)}`, 'hashtag: must be at most 200 characters'],
    ['q=', 'q: must not be empty'],
    ['q=%20', 'q: the query is empty; write at least one word, phrase or filter'],
  ];
  // 201 spaces are named by their count in the test's name.
  const named = cases.map(([query, problem]) => ({ query, problem, shown: query.replace(/(?:%20){201}/, '(201 spaces)') }));
  for (const path of ['/v1/mentions', '/v1/mentions/export.csv', '/v1/mentions/live']) {
    it.each(named)(`${path}?$shown names the parameter once`, async ({ query, problem }) => {
      expect(onlyProblem(await t.request('GET', `${path}?${query}`, { key }), query)).toBe(problem);
    });
  }
});

// An empty brand query was `validation.failed` "must not be empty", a blank one `query.invalid`:
// both are a query that looks for nothing, answered as every unusable query is.
describe('an empty or blank brand query is one error', () => {
  const message = 'the query is empty; write at least one word, phrase or filter';
  it.each(['', '   ', '\u3000\t'])('query %j is query.invalid at 0, on POST and PATCH', async (query) => {
    const created = await t.request('POST', '/v1/brands', { key, body: { name: 'Globex', role: 'competitor', query } });
    expect(onlyProblem(created, 'POST')).toBe(`query: ${message}`);
    expect(created.json.error).toMatchObject({ code: 'query.invalid', message: `query: ${message}`, position: 0 });
    const changed = await t.request('PATCH', `/v1/brands/${brand}`, { key, body: { query } });
    expect(onlyProblem(changed, 'PATCH')).toBe(`query: ${message}`);
    expect(changed.json.error).toMatchObject({ code: 'query.invalid', message: `query: ${message}`, position: 0 });
  });
});
