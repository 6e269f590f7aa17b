import { describe, expect, it } from 'vitest';
import type { NormalisedItem } from '../../src/domain/items/item.types.js';
import { compileWorkspace } from '../../src/domain/query/index.js';
import { blankTerms } from '../../src/domain/scoring/scorer.ignore.js';
import { expectMatch, item, type MatchCase } from './query/fixtures.js';

const cases: MatchCase[] = [
  // bsky.social is an instance: @name finds name.bsky.social
  { why: 'a handle finds the same name on bsky.social written in the text', q: '@lumocoffee', text: 'great beans from @lumocoffee.bsky.social', expect: ['@lumocoffee'] },
  { why: 'a handle finds the same name on bsky.social among the item handles', q: '@lumocoffee', text: 'hi', fields: { sourceType: 'bluesky', handles: ['lumocoffee.bsky.social'] }, expect: true },
  { why: 'the bsky.social name is compared in any case', q: '@LumoCoffee', text: 'hi', fields: { handles: ['LumoCoffee.BSKY.Social'] }, expect: true },
  { why: 'the bsky.social name is found written in upper case in the text', q: '@lumocoffee', text: 'díky @LUMOCOFFEE.BSKY.SOCIAL!', expect: true },
  { why: 'a full-width ＠ before a bsky.social handle is an @', q: '@lumocoffee', text: 'ありがとう ＠lumocoffee.bsky.social', expect: true },
  { why: 'a bsky.social handle in Czech text is found', q: '@lumocoffee', text: 'Káva od @lumocoffee.bsky.social je nejlepší.', expect: true },
  { why: 'a bsky.social handle in Persian text is found', q: '@lumocoffee', text: 'قهوه @lumocoffee.bsky.social خیلی خوب بود', expect: true },
  { why: 'a bsky.social handle in Hindi text is found', q: '@lumocoffee', text: 'मुझे @lumocoffee.bsky.social की कॉफ़ी पसंद है', expect: true },
  { why: 'a name with a hyphen finds its own bsky.social handle', q: '@acme-team', text: 'ask @acme-team.bsky.social', expect: ['@acme-team'] },
  { why: 'an exclusion also keeps out the bsky.social handle', q: 'coffee -@lumocoffee', text: 'coffee with @lumocoffee.bsky.social', expect: false },

  // Only bsky.social, and only the name itself
  { why: 'a handle does not find a custom-domain Bluesky handle', q: '@lumo', text: 'ordered from @lumo.coffee today', expect: false },
  { why: 'a handle does not find a company domain handle', q: '@acme', text: 'hi', fields: { sourceType: 'bluesky', handles: ['acme.com'] }, expect: false },
  { why: 'a handle does not find a longer name with a hyphen on bsky.social', q: '@acme', text: 'ask @acme-team.bsky.social', expect: false },
  { why: 'a handle does not find a longer name on bsky.social', q: '@acme', text: 'ask @acmecorp.bsky.social', expect: false },
  { why: 'a handle does not find a name under another name on bsky.social', q: '@acme', text: 'ask @team.acme.bsky.social', expect: false },
  { why: 'a handle does not find a domain that only starts like bsky.social', q: '@acme', text: 'see @acme.bsky.social.example.com', expect: false },
  { why: 'a handle does not find a domain that only looks like bsky.social', q: '@acme', text: 'see @acme.bsky.socialite and @acme.notbsky.social', expect: false },
  { why: 'an e-mail address on bsky.social is not a handle', q: '@acme', text: 'mail info@acme.bsky.social', expect: false },

  // A full bsky.social handle stays exact
  { why: 'a full bsky.social handle finds itself', q: '@lumocoffee.bsky.social', text: 'thanks @LumoCoffee.bsky.social', expect: ['@lumocoffee.bsky.social'] },
  { why: 'a full bsky.social handle does not find the bare name', q: '@lumocoffee.bsky.social', text: 'thanks @lumocoffee', expect: false },
  { why: 'a full bsky.social handle does not find the bare name among the item handles', q: '@lumocoffee.bsky.social', text: 'hi', fields: { handles: ['lumocoffee'] }, expect: false },
  { why: 'a full bsky.social handle does not find the name on Mastodon', q: '@lumocoffee.bsky.social', text: 'thanks @lumocoffee@mastodon.social', expect: false },
  { why: 'a full bsky.social handle does not find another name there', q: '@lumocoffee.bsky.social', text: 'thanks @lumo.bsky.social', expect: false },
];

describe('Bluesky handles on bsky.social', () => {
  it.each(cases)('$why: $q', (c) => expectMatch(c));

  it('are found by a compiled workspace, which picks its candidate brands by handle', () => {
    const workspace = compileWorkspace([
      { id: 'lumo', query: '@lumocoffee' },
      { id: 'acme', query: '@acme' },
      { id: 'exact', query: '@lumocoffee.bsky.social' },
      { id: 'mastodon', query: '@lumocoffee@mastodon.social' },
    ]);
    const match = (text: string, fields: Partial<NormalisedItem> = {}) => workspace.match(item(text, { sourceType: 'bluesky', ...fields })).map((m) => m.brandId);

    expect(match('new roast from @lumocoffee.bsky.social')).toEqual(['lumo', 'exact']);
    expect(match('hi', { handles: ['lumocoffee.bsky.social', 'acme.bsky.social'] })).toEqual(['lumo', 'acme', 'exact']);
    expect(match('new roast from @lumocoffee')).toEqual(['lumo']);
    expect(match('new roast from @lumocoffee@mastodon.social')).toEqual(['lumo', 'mastodon']);
    expect(match('see @lumo.coffee and @acme.com and @acme-team.bsky.social')).toEqual([]);
  });

  it('are left out of the sentiment read with the handle that found them', () => {
    const text = 'ask @lumocoffee.bsky.social, awful';
    expect(blankTerms(text, ['@lumocoffee'])).toBe(`ask ${' '.repeat('@lumocoffee.bsky.social'.length)}, awful`);
    expect(blankTerms('ask @lumo.coffee, awful', ['@lumo'])).toBe('ask @lumo.coffee, awful');
    expect(blankTerms('ask @acme-team.bsky.social, awful', ['@acme'])).toBe('ask @acme-team.bsky.social, awful');
  });
});
