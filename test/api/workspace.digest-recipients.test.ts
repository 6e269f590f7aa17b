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

  it('what is no address at all is "expected an e-mail address", naming both forms taken', async () => {
    const invalid = [
      'jan', 'jan@', '@příklad.cz', 'jan@příklad', 'jan@exa mple.com', 'jan..x@example.com', 'jan@1.2.3.4', 'a@b@example.com',
      // A name without <…> around the address, in any script: no address, not a non-ASCII one.
      'Jana Novak jana@example.cz', 'Jana Nováková jana@example.cz', 'Jana <>', 'Jana <jana@example.cz', 'Jana <jana@příklad>',
    ];
    for (const address of invalid) {
      const res = await patch([address]);
      expect(res.status, address).toBe(400);
      expect(res.json.error.fields, address).toEqual([{ field: 'digestRecipients.0', message: 'expected an e-mail address, alone or as `Name <address@example.com>`' }]);
    }
  });

  it('take a name with the address, in any script and quoted when it has a comma, stored as written', async () => {
    const written = ['Jana Novak <jana@example.cz>', 'Jana Nováková <jana.novakova@example.cz>', '"Novák, Petr" <petr@příklad.cz>', 'Svobodová, Eva <eva@example.cz>', 'राम शर्मा <ram@उदाहरण.भारत>', '<eva@example.com>'];
    const res = await patch(written);
    expect(res.status, res.text).toBe(200);
    expect(res.json.digestRecipients).toEqual(written);
    expect((await t.request('GET', '/v1/workspace', { key })).json.digestRecipients).toEqual(written);
  });

  it('one mailbox with and without a name, or under two names, is kept once, as first written', async () => {
    const res = await patch(['Jana <jana@example.cz>', 'jana@example.cz', 'Jana Nováková <JANA@EXAMPLE.CZ>', 'eva@example.com', 'Eva <eva@example.com>']);
    expect(res.status, res.text).toBe(200);
    expect(res.json.digestRecipients).toEqual(['Jana <jana@example.cz>', 'eva@example.com']);
  });

  it('with a name, a non-ASCII part before the @ is named as the address\'s, and a name that could break the header is refused', async () => {
    const nonAscii = await patch(['Jana Nováková <jan.novák@example.cz>']);
    expect(nonAscii.status, nonAscii.text).toBe(400);
    expect(nonAscii.json.error.fields).toEqual([{ field: 'digestRecipients.0', message: expect.stringMatching(/^"jan\.novák" before the @ is not ASCII: .*SMTPUTF8/) }]);
    for (const [recipient, message] of [
      ['Jana\r\nBcc: eve@example.com <jana@example.cz>', 'the name before <…> must not hold line breaks or other control characters'],
      [`${'Ž'.repeat(101)} <jana@example.cz>`, 'the name before <…> must be at most 100 characters'],
      ['eva@example.com, Jana <jana@example.cz>', 'the name before <…> must not hold <, > or @: give each recipient as an item of its own'],
      ['<eva@example.com> <jana@example.cz>', 'the name before <…> must not hold <, > or @: give each recipient as an item of its own'],
    ] as const) {
      const res = await patch([recipient]);
      expect(res.status, recipient).toBe(400);
      expect(res.json.error.fields, recipient).toEqual([{ field: 'digestRecipients.0', message }]);
    }
  });
});
