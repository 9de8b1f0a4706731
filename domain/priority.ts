// Referral priority (DD PRIORITY TYPE: 3 two week wait, 2 urgent, 1 routine) [A DD; rules doc §4.5, §7].
// The order patients and work are taken in is domain/work-order.ts.
import { isOneOf, referralPriorities, type ReferralPriority } from './model';

export function isReferralPriority(value: unknown): value is ReferralPriority {
  return isOneOf(referralPriorities, value);
}

/**
 * A priority's place in clinical order: 0 two week wait, 1 urgent, 2 routine. Stored on each work item
 * (`priority_rank`) so escalation can move one item up without changing its referral's priority.
 */
export function clinicalRank(priority: ReferralPriority): number {
  const index = referralPriorities.indexOf(priority);
  // An unknown priority sorted silently would put a patient in the wrong place on the list.
  if (index < 0) throw new RangeError(`Unknown referral priority: ${JSON.stringify(priority)}`);
  return index;
}
