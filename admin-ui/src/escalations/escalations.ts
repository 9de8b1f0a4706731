// The Escalations list's words and filters, kept apart from the components so a unit test can read them.
import type { Task, TaskType } from '../types';

/** Always applied: the API's `escalation` filter, so the Level filter (`type`) narrows it rather than replacing it. */
export const escalationListFilter = { escalation: true };
/** Open by default: what still needs a team leader or operations. */
export const escalationDefaultFilter = { open: 'true' };

export const escalatedToLabels: Partial<Record<TaskType, string>> = {
  escalation_review: 'Team leader',
  capacity_escalation: 'Operations',
};
export const escalatedToChoices = Object.entries(escalatedToLabels).map(([id, name]) => ({ id, name }));
export const openChoices = [{ id: 'true', name: 'Open' }, { id: 'false', name: 'Closed' }];

export const escalatedTo = (type: TaskType) => escalatedToLabels[type] ?? type;

/** Why it was escalated, once, starting with a capital: "Two week wait referral not booked by day 3". */
export function escalationReason(task: Pick<Task, 'payload' | 'title'>): string {
  const reason = (task.payload ?? {}).reason;
  if (typeof reason !== 'string' || !reason) return task.title;
  return reason.charAt(0).toUpperCase() + reason.slice(1);
}

/** How a closed escalation ended: "Closed: booked on 4 Dec 2026 by Olivia Officer", or the leader's note. */
export function escalationOutcome(task: Pick<Task, 'outcome' | 'status'>): string | null {
  if (task.status === 'open' || task.status === 'claimed') return null;
  const outcome = (task.outcome ?? {}) as Record<string, unknown>;
  const text = [outcome.closed, outcome.note].find((v) => typeof v === 'string' && v);
  return (text as string | undefined) ?? (task.status === 'done' ? 'Reviewed' : 'Closed');
}

export const referralPath = (referralId: string) => `/referrals/${encodeURIComponent(referralId)}/show`;
