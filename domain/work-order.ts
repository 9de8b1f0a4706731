// The order work is taken in, written once: clinical priority, then the nearest RTT breach date, then
// the oldest [A RTT-Rec25 §11; rules doc §7]. db/work-order.ts builds the SQL from the same list, and
// claim-next, the work lists, the leave preview and the console (which shows the server's order) use it.
import { clinicalRank } from './priority';
import type { ReferralPriority } from './model';

export type WorkOrderKey = {
  /** clinicalRank of the item's priority, less one after the first escalation rung. */
  priorityRank: number;
  /** The pathway's RTT breach date when the item was raised; items without one come after those with. */
  breachDate: string | null;
  /** ISO 8601 in UTC, as the API writes it. */
  createdAt: string;
  /** Makes the order total, so two readers never disagree about a tie. */
  id: string;
};

/** The keys in order, all ascending with missing values last (as Postgres' `asc nulls last`). */
export const workOrder = Object.freeze(['priorityRank', 'breachDate', 'createdAt', 'id'] as const) satisfies readonly (keyof WorkOrderKey)[];

/** The rank an escalation rung that moves an item up its queue leaves it with. */
export function escalatedRank(priorityRank: number): number {
  return Math.max(priorityRank - 1, 0);
}

function compareValue(a: string | number | null, b: string | number | null): number {
  if (a === b) return 0;
  if (a === null) return 1;
  if (b === null) return -1;
  // ISO dates and date-times in one format sort as text in calendar order.
  return a < b ? -1 : 1;
}

/** Comparator for Array.prototype.sort: the most pressing work item first. */
export function compareWorkOrder(a: WorkOrderKey, b: WorkOrderKey): number {
  for (const key of workOrder) {
    const order = compareValue(a[key], b[key]);
    if (order !== 0) return order;
  }
  return 0;
}

export type RebookingKey = { priority: ReferralPriority; breachDate: string };

/**
 * Patients off a cancelled or reduced clinic, in the work order: two week wait, then urgent, then routine;
 * within a priority the earliest breach date first. They have no work item yet, so equal patients tie.
 */
export function compareForRebooking(a: RebookingKey, b: RebookingKey): number {
  const key = (k: RebookingKey): WorkOrderKey => ({ priorityRank: clinicalRank(k.priority), breachDate: k.breachDate, createdAt: '', id: '' });
  return compareWorkOrder(key(a), key(b));
}
