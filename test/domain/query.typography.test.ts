import { describe, expect, it } from 'vitest';
import { compileWorkspace, matchQuery, parseQuery, QueryError } from '../../src/domain/query/index.js';
import { item } from './query/fixtures.js';

/*
 * Phones and word processors turn '"' into “ ” or „ “ and '-' into – or −. A query that reads them
 * as punctuation changes meaning without a word: a phrase becomes an AND, an exclusion a requirement.
 */
const matches = (q: string, text: string) => {
  const alone = matchQuery(q, item(text)) !== null;
  expect(compileWorkspace([{ id: 'b', query: q }]).match(item(text)).length === 1).toBe(alone);
  return alone;
};

describe('typographic quotes in a query', () => {
  it.each([
    ['English “…”', '“acme coffee”'],
    ['Czech and German „…“', '„acme coffee“'],
    ['Polish „…”', '„acme coffee”'],
    ['Swedish ”…”', '”acme coffee”'],
    ['French «…», with the spaces French puts inside', '« acme coffee »'],
    ['Danish »…«', '»acme coffee«'],
    ['English single ‘…’', '‘acme coffee’'],
    ['Czech single ‚…‘', '‚acme coffee‘'],
    ['single guillemets ‹…›', '‹acme coffee›'],
    ['a curly quote closed by a straight one', '“acme coffee"'],
  ])('make a phrase, as "…" does: %s', (_, q) => {
    expect(parseQuery(q)).toEqual(parseQuery('"acme coffee"'));
    expect(matches(q, 'Acme Coffee is open')).toBe(true);
    expect(matches(q, 'coffee from acme')).toBe(false);
  });

  it('make a phrase of Czech words, and quote a filter value', () => {
    expect(parseQuery('„nejlepší káva“')).toEqual(parseQuery('"nejlepší káva"'));
    expect(parseQuery('author:“Jane Doe”')).toEqual(parseQuery('author:"Jane Doe"'));
    expect(parseQuery('-“acme coffee” (“acme tea” OR „acme“)')).toEqual(parseQuery('-"acme coffee" ("acme tea" OR "acme")'));
  });

  it('refuse an unclosed “ or „ as an unclosed " is refused', () => {
    for (const q of ['“acme coffee', 'tea „acme coffee', 'tea «acme']) {
      const at = q.search(/[“„«]/u);
      expect(() => parseQuery(q)).toThrow(new QueryError(`unclosed quote opened at ${at}`, at));
    }
  });

  it('leave the apostrophe and the marks that usually close a quote as text', () => {
    expect(parseQuery('acme’s')).toMatchObject({ type: 'term', words: ['acme', 's'] });
    expect(parseQuery('‘90s acme')).toMatchObject({ type: 'and', children: [{ words: ['90s'] }, { words: ['acme'] }] });
    expect(parseQuery('‘acme’s coffee’')).toMatchObject({ type: 'term', words: ['acme', 's', 'coffee'] });
    expect(parseQuery('acme ”coffee')).toMatchObject({ type: 'and', children: [{ words: ['acme'] }, { words: ['coffee'] }] });
  });
});

describe('typographic dashes in a query', () => {
  it.each([
    ['an en dash', 'acme –anvil'],
    ['an em dash', 'acme —anvil'],
    ['the minus sign', 'acme −anvil'],
    ['a Unicode hyphen', 'acme ‐anvil'],
    ['a non-breaking hyphen', 'acme ‑anvil'],
    ['a full-width hyphen-minus', 'acme －anvil'],
  ])('exclude at the start of a term, as - does: %s', (_, q) => {
    expect(parseQuery(q)).toEqual(parseQuery('acme -anvil'));
    expect(matches(q, 'acme anvil')).toBe(false);
    expect(matches(q, 'acme only')).toBe(true);
  });

  it('exclude a group, a phrase and a filter too', () => {
    expect(parseQuery('acme –(anvil OR rocket) −“road runner” –source:reddit')).toEqual(parseQuery('acme -(anvil OR rocket) -"road runner" -source:reddit'));
  });

  it('stay text inside a term, as - does: Frýdek–Místek is the phrase frýdek místek', () => {
    expect(parseQuery('Frýdek–Místek')).toEqual({ type: 'term', text: 'frýdek–místek', words: ['frýdek', 'místek'], prefix: false });
    expect(matches('Frýdek–Místek', 'jedu do Frýdku? ne, do Frýdek-Místek')).toBe(true);
    expect(matches('Frýdek–Místek', 'Místek a Frýdek')).toBe(false);
    expect(parseQuery('"acme – anvil"')).toMatchObject({ type: 'term', words: ['acme', 'anvil'] });
  });

  it('alone between spaces are refused, naming the dash written', () => {
    expect(() => parseQuery('acme – anvil')).toThrow(new QueryError("'–' at 5 must be directly followed by what it excludes, as in -acme", 5));
  });

  it('keep a query that only excludes refused', () => {
    expect(() => parseQuery('–acme')).toThrow(/only excludes/);
  });
});

describe('full-width ＃ and ＠ in a query', () => {
  it('are # and @', () => {
    expect(parseQuery('＃AcmeCoffee OR ＠acme')).toEqual(parseQuery('#acmecoffee OR @acme'));
    expect(matches('＃acme', 'love #acme')).toBe(true);
    expect(matches('#acme', 'love ＃acme')).toBe(true);
    expect(matches('@acme', 'thanks ＠acme')).toBe(true);
  });
});
