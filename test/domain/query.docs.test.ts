import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { parseQuery, QueryError } from '../../src/domain/query/index.js';

const doc = readFileSync(new URL('../../docs/query-language.md', import.meta.url), 'utf8');
const errorRows = doc
  .slice(doc.indexOf('## Errors'))
  .split('\n')
  .flatMap((line) => {
    const row = /^\| `(.+)` \| (\d+) \| (.+) \|$/.exec(line);
    return row ? [{ q: row[1] as string, at: Number(row[2]), message: row[3] as string }] : [];
  });

describe('the query language reference', () => {
  it('lists error examples', () => {
    expect(errorRows.length).toBeGreaterThanOrEqual(10);
  });

  it.each(errorRows)('shows the real error for $q', ({ q, at, message }) => {
    let error: unknown;
    try {
      parseQuery(q);
    } catch (err) {
      error = err;
    }
    expect(error).toBeInstanceOf(QueryError);
    expect({ at: (error as QueryError).position, message: (error as QueryError).message }).toEqual({ at, message });
  });

  it('shows only examples that parse in its code block', () => {
    const block = doc.slice(doc.indexOf('```text') + '```text'.length, doc.indexOf('```', doc.indexOf('```text') + 7));
    const examples = block.split('\n').filter((line) => line.trim() !== '');
    expect(examples.length).toBeGreaterThan(0);
    for (const example of examples) expect(() => parseQuery(example)).not.toThrow();
  });
});
