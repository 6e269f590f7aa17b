import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type TestApp } from '../support/app.js';

// An alert rule's fields in POST and PATCH: every bad one is a 400 naming it, never a 500, and
// the messages say what is wrong with the body that was sent.

let t: TestApp;
let key: string;
let rule: string;

beforeAll(async () => {
  t = await createTestApp();
  key = (await t.workspace('Alert rule fields')).key;
  const brand = (await t.request('POST', '/v1/brands', { key, body: { name: 'Acme', role: 'own', query: 'acme' } })).json.id;
  const created = await t.request('POST', '/v1/alert-rules', { key, body: { brandId: brand, webhookUrl: 'http://127.0.0.1:9/hook' } });
  expect(created.status, created.text).toBe(201);
  rule = created.json.id;
});
afterAll(async () => t.close());

const fieldsOf = (res: { json: any }) => res.json.error.fields as { field: string; message: string }[];

describe('alert rule fields', () => {
  it('an empty brandId is a 400 naming brandId, in PATCH and in POST, not a 500', async () => {
    const patched = await t.request('PATCH', `/v1/alert-rules/${rule}`, { key, body: { brandId: '' } });
    expect(patched.status, patched.text).toBe(400);
    expect(patched.json.error.code).toBe('validation.failed');
    expect(fieldsOf(patched)).toEqual([{ field: 'brandId', message: 'must not be empty' }]);

    const posted = await t.request('POST', '/v1/alert-rules', { key, body: { brandId: '', webhookUrl: 'http://127.0.0.1:9/hook' } });
    expect(posted.status, posted.text).toBe(400);
    expect(fieldsOf(posted).map((f) => f.field)).toEqual(['brandId']);
  });

  it('an empty webhookUrl is a 400 naming webhookUrl', async () => {
    const res = await t.request('PATCH', `/v1/alert-rules/${rule}`, { key, body: { webhookUrl: '' } });
    expect(res.status, res.text).toBe(400);
    expect(fieldsOf(res).map((f) => f.field)).toEqual(['webhookUrl']);
  });

  it('a PATCH with only an unknown field names that field, and does not say no field was given', async () => {
    const res = await t.request('PATCH', `/v1/alert-rules/${rule}`, { key, body: { secret: 'x' } });
    expect(res.status, res.text).toBe(400);
    expect(fieldsOf(res)).toEqual([{ field: 'secret', message: 'unknown field' }]);
    expect(res.json.error.message).toBe('invalid request: secret: unknown field');
  });

  it('a PATCH with an invalid field names only that field', async () => {
    const res = await t.request('PATCH', `/v1/alert-rules/${rule}`, { key, body: { windowMinutes: 3 } });
    expect(res.status, res.text).toBe(400);
    expect(fieldsOf(res)).toEqual([{ field: 'windowMinutes', message: 'must be at least 5' }]);
  });

  it('a PATCH with no fields at all asks for one', async () => {
    const res = await t.request('PATCH', `/v1/alert-rules/${rule}`, { key, body: {} });
    expect(res.status, res.text).toBe(400);
    expect(fieldsOf(res)).toEqual([{ field: 'body', message: 'give at least one field to change' }]);
  });
});
