import { existsSync, readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { assertTimeZone, zoneName } from '../../src/domain/analytics/analytics.usecases.js';

// A zone is answered under one name whichever of its names was asked for, as IANA spells it now:
// Asia/Calcutta was answered as written while Asia/Kolkata was Asia/Kolkata, two names for one
// zone to a dashboard keyed on `tz`.

const answer = (asked: string) => zoneName(asked, assertTimeZone(asked));
const icu = (tz: string) => new Intl.DateTimeFormat('en', { timeZone: tz }).resolvedOptions().timeZone;

describe('time zone names in answers', () => {
  it.each([
    ['Asia/Calcutta', 'Asia/Kolkata'],
    ['asia/kolkata', 'Asia/Kolkata'],
    ['Europe/Kiev', 'Europe/Kyiv'],
    ['Asia/Saigon', 'Asia/Ho_Chi_Minh'],
    ['America/Godthab', 'America/Nuuk'],
    ['America/Buenos_Aires', 'America/Argentina/Buenos_Aires'],
    ['US/Eastern', 'America/New_York'],
    ['us/pacific', 'America/Los_Angeles'],
    ['Japan', 'Asia/Tokyo'],
    ['Europe/Prague', 'Europe/Prague'],
    // A country's own zone stays its own, though tzdata links it to its neighbour's.
    ['Europe/Bratislava', 'Europe/Bratislava'],
    ['Etc/GMT+5', 'Etc/GMT+5'],
    ['UTC', 'UTC'],
    ['Etc/UTC', 'UTC'],
    ['GMT', 'UTC'],
    // System V names are kept as written, not as the city tzdata 2024b links them to.
    ['CET', 'CET'],
    ['cet', 'CET'],
    ['EST', 'EST'],
    ['EST5EDT', 'EST5EDT'],
  ])('%s is answered as %s', (asked, answered) => {
    expect(answer(asked)).toBe(answered);
  });

  // The system's tzdata (Debian's keeps the System V zones and the zones IANA merged into
  // another country's): every name in it, zone or link.
  const TZDATA = '/usr/share/zoneinfo/tzdata.zi';
  it.runIf(existsSync(TZDATA))('every zone and link of the tzdata is answered by the current name of its zone, one name per zone', () => {
    const zones: string[] = [];
    const links = new Map<string, string>();
    for (const line of readFileSync(TZDATA, 'utf8').split('\n')) {
      const [kind, first, second] = line.split(' ');
      if (kind === 'Z' && first !== 'Factory') zones.push(first!);
      if (kind === 'L') links.set(second!, first!);
    }
    const target = (name: string): string => (links.has(name) ? target(links.get(name)!) : name);
    const SYSTEM_V = new Set(['CET', 'CST6CDT', 'EET', 'EST', 'EST5EDT', 'HST', 'MET', 'MST', 'MST7MDT', 'PST8PDT', 'WET']);
    expect(zones.length).toBeGreaterThan(300);
    expect(links.size).toBeGreaterThan(100);

    const answers = new Map<string, Set<string>>();
    for (const name of [...zones, ...links.keys()]) {
      const answered = answer(name);
      // The same zone: the same local time at every instant ICU knows.
      expect(icu(answered), name).toBe(icu(name));
      if (SYSTEM_V.has(name)) {
        expect(answered).toBe(name);
        continue;
      }
      // Never an older name of the zone (a link to a name ICU takes for the same zone); UTC is
      // answered as everyone writes it rather than as Etc/UTC.
      if (answered !== 'UTC') expect(links.has(answered) && icu(target(answered)) === icu(answered), `${name} answered as the link ${answered}`).toBe(false);
      answers.set(icu(name), (answers.get(icu(name)) ?? new Set()).add(answered));
    }
    const several = [...answers].filter(([, names]) => names.size > 1).map(([zone, names]) => `${zone}: ${[...names].join(', ')}`);
    expect(several).toEqual([]);
  });
});
