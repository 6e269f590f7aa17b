import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ADMIN_TOKEN, createTestApp, type TestApp } from '../support/app.js';

// /docs' "Try it out" fills every parameter and body field with its example and sends them as
// they are: an example the server refuses makes the page's first call a 400. Since and until once
// shared one example, a window that ended where it started.

type Schema = {
  $ref?: string;
  example?: unknown;
  examples?: unknown[];
  const?: unknown;
  enum?: unknown[];
  type?: string | string[];
  required?: string[];
  properties?: Record<string, Schema>;
  oneOf?: Schema[];
  anyOf?: Schema[];
};
interface Parameter {
  name: string;
  in: 'query' | 'path' | 'header';
  example?: unknown;
  schema?: Schema;
}
interface Operation {
  operationId: string;
  security?: Array<Record<string, string[]>>;
  parameters?: Parameter[];
  requestBody?: { content: Record<string, { schema: Schema }> };
  responses: Record<string, { description: string; headers?: Record<string, unknown>; content?: Record<string, { schema: Schema }> }>;
}
interface Doc {
  paths: Record<string, Record<string, Operation>>;
  components: { schemas: Record<string, Schema & { properties?: Record<string, Schema> }> };
}

let t: TestApp;
let key: string;
let doc: Doc;
beforeAll(async () => {
  t = await createTestApp();
  key = (await t.workspace('Try it out')).key;
  doc = (await t.request('GET', '/openapi.json')).json;
});
afterAll(async () => t.close());

const resolve = (schema: Schema): Schema => (schema.$ref ? doc.components.schemas[schema.$ref.split('/').pop()!]! : schema);

/** The documented examples of a schema's value: its own `example`, else every one of `examples`. */
function examplesOf(schema: Schema): unknown[] {
  const s = resolve(schema);
  if (s.example !== undefined) return [s.example];
  return s.examples ?? [];
}

/**
 * The bodies /docs would send for a request body schema: the schema's own example, or one built
 * from its properties' examples (a property with several gives a body for each), with a variant's
 * discriminator (`type: "mastodon"`) filled in and a required string without an example given
 * "string", as Swagger UI does; each with the fields that came from examples.
 */
function exampleBodies(schema: Schema): Array<{ body: Record<string, unknown>; fields: string[] }> {
  const s = resolve(schema);
  if (s.example !== undefined) return [{ body: s.example as Record<string, unknown>, fields: Object.keys(s.example as object) }];
  const variants = s.oneOf ?? s.anyOf;
  if (variants) return variants.flatMap(exampleBodies);
  const fixed: Record<string, unknown> = {};
  const given: Array<[name: string, values: unknown[]]> = [];
  for (const [name, property] of Object.entries(s.properties ?? {})) {
    const p = resolve(property);
    const values = examplesOf(p);
    if (values.length) given.push([name, values]);
    else if (p.const !== undefined) fixed[name] = p.const;
    else if (p.enum?.length === 1) fixed[name] = p.enum[0];
    else if (s.required?.includes(name) && p.type === 'string') fixed[name] = 'string';
  }
  if (given.length === 0) return [];
  const first = Object.fromEntries(given.map(([name, values]) => [name, values[0]]));
  const fields = given.map(([name]) => name);
  const bodies = [{ body: { ...fixed, ...first }, fields }];
  for (const [name, values] of given) for (const other of values.slice(1)) bodies.push({ body: { ...fixed, ...first, [name]: other }, fields });
  return bodies;
}

/** Sends a request as /docs would; a stream that opens is closed at once. */
async function send(method: string, path: string, op: Operation, query: URLSearchParams, body?: unknown) {
  const admin = op.security?.some((s) => 'admin' in s);
  const headers: Record<string, string> = { authorization: `Bearer ${admin ? ADMIN_TOKEN : key}` };
  if (body !== undefined) headers['content-type'] = 'application/json';
  const url = `${path.replace(/\{\w+\}/g, '00000000-0000-4000-8000-000000000000')}${query.size ? `?${query}` : ''}`;
  const res = await t.app.request(url, { method: method.toUpperCase(), headers, ...(body !== undefined ? { body: JSON.stringify(body) } : {}) });
  if (res.headers.get('content-type')?.includes('text/event-stream')) {
    await res.body?.cancel();
    return { status: res.status, json: null };
  }
  const text = await res.text();
  return { status: res.status, json: text.startsWith('{') ? JSON.parse(text) : null };
}

/** The fields a 400 names that came from examples (a field, or one inside it). */
function refusedExamples(res: { status: number; json: any }, fields: string[]): string[] {
  if (res.status !== 400) return [];
  const named: string[] = (res.json?.error?.fields ?? []).map((f: { field: string; message: string }) => `${f.field}: ${f.message}`);
  return named.filter((problem) => fields.some((field) => problem === field || problem.startsWith(`${field}:`) || problem.startsWith(`${field}.`)));
}

describe("every example in /openapi.json is one the server accepts, as /docs' Try it out sends it", () => {
  it('query parameters: all of an operation’s examples at once; request bodies: each example body', async () => {
    const checked: string[] = [];
    const refused: string[] = [];
    for (const [path, operations] of Object.entries(doc.paths)) {
      for (const [method, op] of Object.entries(operations)) {
        const query = new URLSearchParams();
        const queryFields: string[] = [];
        for (const p of op.parameters ?? []) {
          const example = p.example ?? (p.schema ? examplesOf(p.schema)[0] : undefined);
          if (example === undefined || p.in !== 'query') continue;
          query.set(p.name, String(example));
          queryFields.push(p.name);
        }
        const schema = op.requestBody?.content['application/json']?.schema;
        const bodies = schema ? exampleBodies(schema) : [];
        if (queryFields.length) {
          const res = await send(method, path, op, query, bodies[0]?.body);
          checked.push(...queryFields.map((f) => `${op.operationId} ?${f}`));
          refused.push(...refusedExamples(res, queryFields).map((p) => `${method.toUpperCase()} ${path}?${query}: ${p}`));
        }
        for (const { body, fields } of bodies) {
          const res = await send(method, path, op, new URLSearchParams(), body);
          checked.push(...fields.map((f) => `${op.operationId} ${f}`));
          refused.push(...refusedExamples(res, fields).map((p) => `${method.toUpperCase()} ${path} ${JSON.stringify(body)}: ${p}`));
        }
      }
    }
    expect(refused).toEqual([]);
    // The examples this was written for are among those checked.
    expect(checked).toEqual(
      expect.arrayContaining([
        'backtestAlertRule since',
        'backtestAlertRule until',
        'createDigest since',
        'createDigest until',
        'createApiKey expiresAt',
        'listMentions ?limit',
        'updateWorkspaceSettings digestRecipients',
        'createSource type',
      ]),
    );
  });

  it('the windows of the lists and analytics have no example, so Try it out leaves them empty (the default window)', async () => {
    const windows = Object.entries(doc.paths).flatMap(([path, ops]) =>
      Object.values(ops).flatMap((op) => (op.parameters ?? []).filter((p) => p.name === 'since' || p.name === 'until').map((p) => ({ path, p }))),
    );
    expect(windows.length).toBeGreaterThanOrEqual(18);
    for (const { path, p } of windows) expect([p.example, p.schema?.example], `${path} ${p.name}`).toEqual([undefined, undefined]);
  });

  it('the body windows are valid windows, and a new key’s expiresAt is in the future', () => {
    for (const name of ['BacktestRequest', 'CreateDigest']) {
      const { since, until } = doc.components.schemas[name]!.properties!;
      expect(Date.parse(String(since!.example)), name).toBeLessThan(Date.parse(String(until!.example)));
    }
    expect(Date.parse(String(doc.components.schemas.CreateApiKey!.properties!.expiresAt!.example))).toBeGreaterThan(Date.parse('2090-01-01'));
  });

  it("the 409 sources.duplicate shows its own code and message, not the generic error's", () => {
    const error = doc.components.schemas.SourceConflictError!.properties!.error!;
    expect(resolve(error).properties!.code!.example).toBe('sources.duplicate');
    expect(String(resolve(error).properties!.message!.example)).toMatch(/^source \S+ already polls this feed/);
  });
});

describe('errors as /openapi.json declares them', () => {
  it('the Error schema declares retryAfterSeconds, and every 429 the Retry-After header', () => {
    expect(doc.components.schemas.Error!.properties!.error!.properties!.retryAfterSeconds).toMatchObject({ type: 'integer' });
    // Every operation that takes a key or the admin token is rate limited.
    const limited = Object.entries(doc.paths).flatMap(([path, ops]) =>
      Object.entries(ops)
        .filter(([, op]) => op.security?.length)
        .map(([method, op]) => ({ at: `${method} ${path}`, op })),
    );
    expect(limited.length).toBeGreaterThanOrEqual(35);
    for (const { at, op } of limited) {
      expect(op.responses['429'], at).toBeDefined();
      expect(op.responses['429']!.headers?.['Retry-After'], at).toBeDefined();
    }
  });

  it('POST /v1/workspaces documents its 429 (failed admin tokens count per address)', () => {
    expect(doc.paths['/v1/workspaces']!.post!.responses['429']).toBeDefined();
  });
});
