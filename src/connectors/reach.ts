import type { Engagement } from './connector.types.js';

/**
 * Viewers assumed behind each interaction. Public engagement-rate studies put likes, reposts
 * and replies at roughly 1–10 % of the people who saw a post; 20 viewers per interaction is
 * the middle of that range (5 %).
 */
export const VIEWERS_PER_INTERACTION = 20;

/**
 * A coarse, order-of-magnitude estimate of how many people saw an item:
 *
 *   reach = authorFollowers + VIEWERS_PER_INTERACTION × (points + comments + favourites + reposts + replies)
 *
 * where absent counts are 0. Followers stand for the author's own audience; every interaction
 * stands for the people who saw the item through feeds, reposts and front pages. null when the
 * source gives neither a follower count nor any engagement (RSS, Google News, YouTube feeds).
 */
export function estimateReach(engagement: Engagement | null, authorFollowers: number | null): number | null {
  const counts = engagement ? [engagement.points, engagement.comments, engagement.favourites, engagement.reposts, engagement.replies] : [];
  const known = counts.filter((n): n is number => typeof n === 'number' && Number.isFinite(n) && n > 0);
  const followers = typeof authorFollowers === 'number' && Number.isFinite(authorFollowers) && authorFollowers > 0 ? authorFollowers : 0;
  if (authorFollowers === null && (!engagement || counts.every((n) => n === undefined))) return null;
  return Math.round(followers + VIEWERS_PER_INTERACTION * known.reduce((sum, n) => sum + n, 0));
}
