// Referral priority (DD PRIORITY TYPE: 3 two week wait, 2 urgent, 1 routine) and the order
// in which patients are rebooked or worked [A DD; rules doc §4.5, §7].

export type ReferralPriority = 'two_week_wait' | 'urgent' | 'routine';

/** Most clinically pressing first. A local "soon" maps to urgent [A DD]. */
export const referralPriorities: readonly ReferralPriority[] = Object.freeze([
  'two_week_wait',
  'urgent',
  'routine',
] as const);

export function isReferralPriority(value: unknown): value is ReferralPriority {
  return (referralPriorities as readonly unknown[]).includes(value);
}

export type RebookingKey = { priority: ReferralPriority; breachDate: string };

function rank(priority: ReferralPriority): number {
  const index = referralPriorities.indexOf(priority);
  // An unknown priority sorted silently would put a patient in the wrong place on the list.
  if (index < 0) throw new RangeError(`Unknown referral priority: ${JSON.stringify(priority)}`);
  return index;
}

/**
 * Comparator for Array.prototype.sort: two week wait, then urgent, then routine; within a
 * priority the earliest breach date first. Orders patients off a cancelled clinic and work
 * queues alike (clinical priority, then chronological order [A RTT-Rec25 §11]).
 */
export function compareForRebooking(a: RebookingKey, b: RebookingKey): number {
  const byPriority = rank(a.priority) - rank(b.priority);
  if (byPriority !== 0) return Math.sign(byPriority);
  // ISO dates sort as text in calendar order.
  if (a.breachDate === b.breachDate) return 0;
  return a.breachDate < b.breachDate ? -1 : 1;
}
