import { fixed, mark, markedPieces, type Piece } from './digest.bidi.js';
import { excerpt } from './digest.escape.js';
import type { DigestLocale } from './digest.locale.js';
import type { DigestDocument, DigestFailingSource, DigestSources } from './digest.types.js';
import { noMentions } from './digests.sources.js';

/** The sources not read in full, by why (the message words the kinds). */
function kinds({ failing, disabled = 0, partlyFailing = 0, recovered = 0 }: DigestSources) {
  return { failing: failing - disabled - partlyFailing - recovered, switchedOff: disabled, partlyFailing, recovered };
}

/** A length of time, for a reader: "40 min", "2.5 h", "52 h". */
function formatHours(l: DigestLocale, ms: number): string {
  const hours = ms / 3_600_000;
  if (hours < 1) return l.m.sources.minutes(l.f.count(Math.max(1, Math.round(ms / 60_000))));
  return l.m.sources.hours(l.f.count(hours < 10 ? Math.round(hours * 10) / 10 : Math.round(hours)));
}

/**
 * The stretches of the period a source was not read: "was not read from 2026-12-01 10:00 to
 * 2026-12-03 14:00 (52 h)", more joined with ", and from … to … (3 h)", and those not listed
 * counted: "; 2 more stretches, 61 h in all".
 */
function outageWords(doc: DigestDocument, l: DigestLocale, f: DigestFailingSource): string {
  const zone = doc.period.timeZone;
  const outages = f.outages ?? [];
  const more = (f.outageCount ?? outages.length) - outages.length;
  return l.m.sources.notRead({
    stretches: outages.map((o) => ({ from: l.f.dateTime(o.from, zone), to: l.f.dateTime(o.until, zone), length: formatHours(l, Date.parse(o.until) - Date.parse(o.from)) })),
    more: more > 0 ? { count: more, length: formatHours(l, (f.hoursNotRead ?? 0) * 3_600_000) } : null,
  });
}

/**
 * One source not read in full: "rss https://… : 12 failures in a row (HTTP 503); last success
 * 2026-11-02 09:15". One that reads now, or reads in part, says when in the period it was not read.
 * Its target and error are the user's and the poll's words, pieces of their own.
 */
function troubledSource(doc: DigestDocument, l: DigestLocale, f: DigestFailingSource): Piece[] {
  const state = f.state ?? (f.enabled ? 'failing' : 'disabled');
  const notRead = state === 'recovered' || (state === 'partly_failing' && f.outages?.length) ? outageWords(doc, l, f) : null;
  return markedPieces(l.m.sources.source({
    type: f.type,
    target: mark(excerpt(f.target, 100)),
    state,
    failures: f.consecutiveFailures,
    error: state !== 'recovered' && f.lastError ? mark(excerpt(f.lastError, 160)) : null,
    lastSuccess: f.lastSucceededAt && state !== 'partly_failing' && state !== 'recovered' ? l.f.dateTime(f.lastSucceededAt, doc.period.timeZone) : null,
    notRead,
  }));
}

/**
 * What the digest says of the workspace's sources, at its top, so a reader can tell "nothing was
 * said" from "a source could not be read": a line, and one line per source not read in full
 * listed ("rss https://… : 12 failures in a row (HTTP 503); last success 2026-11-02 09:15", "rss
 * https://…: was not read from 2026-12-01 10:00 to 2026-12-03 14:00 (52 h)"). A
 * period with mentions says nothing when every source is read; one without a single mention also
 * says how the sources fetch. Null when there is nothing to say, or the digest has no such record
 * (one made before it was kept).
 */
export function sourcesNote(doc: DigestDocument, l: DigestLocale): { line: string; failing: Piece[][] } | null {
  const sources = doc.sources;
  if (!sources) return null;
  const { total, enabled, failing, firstAddedAt } = sources;
  const empty = noMentions(doc);
  if (!empty && failing === 0) return null;
  // Working or not, no source existed in the period: that, not their health now, is why it is empty.
  if (empty && total > 0 && firstAddedAt && Date.parse(firstAddedAt) >= Date.parse(doc.period.until)) {
    return { line: l.m.sources.noneWatching(l.f.dateTime(firstAddedAt, doc.period.timeZone)), failing: [] };
  }
  const line = failing > 0
    ? l.m.sources.notReadInFull({ failing, total, kinds: kinds(sources), missing: !empty })
    : total === 0
      ? l.m.sources.noSources
      : enabled === 0
        ? l.m.sources.noneEnabled(total)
        : l.m.sources.allFetching(enabled);
  const lines = sources.failingSources.map((f) => troubledSource(doc, l, f));
  const more = failing - sources.failingSources.length;
  return { line, failing: more > 0 ? [...lines, [fixed(l.m.sources.more(more))]] : lines };
}
