import { signed } from '../swot/swot.summaries.js';
import type { SwotItem } from '../swot/swot.types.js';
import { cleanText } from './digest.escape.js';
import type { DigestDocument, DigestMention } from './digest.types.js';

export { signed };

/** "+25%", "−40%", "new" (from zero), "0%". */
export function formatChange(current: number, previous: number): string {
  if (previous === 0) return current === 0 ? '0%' : 'new';
  const change = Math.round(((current - previous) / previous) * 100);
  return `${change > 0 ? '+' : change < 0 ? '−' : ''}${Math.abs(change)}%`;
}

export const formatShare = (share: number) => `${(share * 100).toFixed(1)}%`;
export const formatNet = (net: number | null) => (net === null ? '–' : signed(net));

export function brandNames(doc: DigestDocument): (id: string) => string {
  const names = new Map(doc.brands.map((b) => [b.brandId, b.name]));
  return (id) => names.get(id) ?? id;
}

/** The words a reader sees for a mention: its title, else its text. */
export function mentionWords(mention: DigestMention): string {
  return mention.title?.trim() ? mention.title : (mention.text ?? '');
}

export function periodLabel(doc: DigestDocument): string {
  return `${doc.period.since.slice(0, 10)} – ${doc.period.until.slice(0, 10)} (${doc.period.timeZone})`;
}

/** The e-mail subject; the workspace name is cleaned so it cannot carry a line break or bidi override. */
export function digestSubject(doc: DigestDocument): string {
  return `Earshot digest for ${cleanText(doc.workspace.name)}: ${periodLabel(doc)}`;
}

export type SectionKey = 'brands' | 'trend' | 'positive' | 'negative' | 'hashtags' | 'keywords' | 'alerts' | 'swot';

/** One section order for every format, so Markdown, HTML and text always say the same thing. */
export const SECTIONS: ReadonlyArray<readonly [SectionKey, string]> = [
  ['brands', 'Brands'], ['trend', 'Sentiment trend'], ['positive', 'Top positive mentions'], ['negative', 'Top negative mentions'],
  ['hashtags', 'Trending hashtags'], ['keywords', 'Trending keywords'], ['alerts', 'Alerts'], ['swot', 'SWOT'],
];

export function renderSections(heading: (title: string) => string, bodies: Record<SectionKey, () => string>): string[] {
  return SECTIONS.flatMap(([key, title]) => [heading(title), bodies[key]()]);
}

/** The SWOT section in any format: the missing and not-enough-data cases, or the four quadrants. */
export function swotSection(doc: DigestDocument, format: {
  message(text: string): string;
  quadrant(title: string, items: readonly SwotItem[]): string;
}): string {
  const swot = doc.swot;
  if (!swot) return format.message('No own brand: no SWOT.');
  if (swot.status === 'not_enough_data') return format.message(`Not enough data: ${swot.reason ?? ''}`);
  return SWOT_SECTIONS.map(([key, title]) => format.quadrant(title, swot[key])).join('\n\n');
}

export const SWOT_SECTIONS = [
  ['strengths', 'Strengths'], ['weaknesses', 'Weaknesses'], ['opportunities', 'Opportunities'], ['threats', 'Threats'],
] as const;

export function evidenceLine(item: SwotItem, nameOf: (id: string) => string): string {
  const samples = item.evidence.sampleMentionIds.length ? `; sample mentions ${item.evidence.sampleMentionIds.join(', ')}` : '';
  return `${item.evidence.mentions} mentions, net ${formatNet(item.evidence.netSentiment)}, ${item.evidence.brandIds.map(nameOf).join(', ')}${samples}`;
}

export const MENTION_EXCERPT = 240;
