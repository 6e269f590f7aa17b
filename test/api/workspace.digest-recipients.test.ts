import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type TestApp } from '../support/app.js';

// zod's .email() is ASCII-only: jan@příklad.cz was refused as "expected an e-mail address", and so
// was a non-ASCII local part, with no word of why.

let t: TestApp;
let key: string;
beforeAll(async () => {
  t = await createTestApp();
  key = (await t.workspace('Recipients')).key;
});
afterAll(async () => t.close());

const patch = (digestRecipients: unknown) => t.request('PATCH', '/v1/workspace', { key, body: { digestRecipients } });

describe('digest recipients', () => {
  it('take a domain in any script, stored as written', async () => {
    const written = ['jan@příklad.cz', 'ram@उदाहरण.भारत', 'sara@مثال.ایران', 'ana@example.com', 'jan@xn--pklad-zsa96e.cz'.replace('jan', 'eva')];
    const res = await patch(written);
    expect(res.status, res.text).toBe(200);
    expect(res.json.digestRecipients).toEqual(written);
    expect((await t.request('GET', '/v1/workspace', { key })).json.digestRecipients).toEqual(written);
  });

  it('one mailbox written with its domain in both forms, or in capitals, is kept once', async () => {
    const res = await patch(['jan@příklad.cz', 'jan@xn--pklad-zsa96e.cz', 'JAN@PŘÍKLAD.CZ']);
    expect(res.status, res.text).toBe(200);
    expect(res.json.digestRecipients).toEqual(['jan@příklad.cz']);
  });

  it('a local part outside ASCII is refused, naming the field and saying why (no SMTPUTF8)', async () => {
    for (const address of ['jan.novák@example.cz', 'राम@उदाहरण.भारत']) {
      const res = await patch(['ana@example.com', address]);
      expect(res.status, res.text).toBe(400);
      expect(res.json.error.fields).toEqual([{ field: 'digestRecipients.1', message: expect.stringContaining('SMTPUTF8') }]);
      expect(res.json.error.fields[0].message).toContain('before the @ is not ASCII');
    }
  });

  it('what is no address at all is still "expected an e-mail address"', async () => {
    for (const address of ['jan', 'jan@', '@příklad.cz', 'jan@příklad', 'jan@exa mple.com', 'jan..x@example.com', 'jan@1.2.3.4', 'a@b@example.com']) {
      const res = await patch([address]);
      expect(res.status, address).toBe(400);
      expect(res.json.error.fields, address).toEqual([{ field: 'digestRecipients.0', message: 'expected an e-mail address' }]);
    }
  });
});
