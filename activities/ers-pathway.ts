// The pathway's side of e-RS (issue 14), called inside the pathway activities' own transactions: the triage outcome
// to send back, and the slot issue item that closes itself. Kept apart from activities/ers.ts so the pathway's
// activities do not load the e-RS client.
import { and, eq, or, sql } from 'drizzle-orm';
import type { Tx } from '../db/client';
import { newId } from '../db/ids';
import { ersOutcomes, ersReferrals, tasks } from '../db/schema';
import { writeAudit } from './audit';

/**
 * The outcome of a triage decision to send to e-RS, written in the decision's own transaction (activities/pathway.ts):
 * only for referrals the poll took in (we hold their e-RS version), once per decision by its change key.
 */
export async function queueErsOutcome(tx: Tx, opts: { changeKey: string; referralId: string; action: 'accept' | 'return_to_referrer'; comments: string; decidedBy: string | null }) {
  const [held] = await tx.select({ referralId: ersReferrals.referralId }).from(ersReferrals).where(eq(ersReferrals.referralId, opts.referralId));
  if (!held) return;
  await tx.insert(ersOutcomes).values({
    id: newId('erso'), changeKey: opts.changeKey, referralId: opts.referralId, action: opts.action,
    comments: opts.comments.slice(0, 2000), decidedBy: opts.decidedBy,
  }).onConflictDoNothing({ target: ersOutcomes.changeKey });
}

/** The slot issue item closes itself when its referral is booked or returned (or its pathway ends). */
export async function closeSlotIssues(tx: Tx, opts: { referralId: string; actorId: string | null; now: Date; why: 'booked' | 'returned' | 'closed' }) {
  const words = { booked: 'Closed: the referral was booked', returned: 'Closed: the referral was returned to the referrer', closed: 'Closed: the pathway ended' }[opts.why];
  const closed = await tx.update(tasks).set({ status: 'done', outcome: { closed: words }, completedAt: opts.now, updatedAt: opts.now, version: sql`${tasks.version} + 1` })
    .where(and(eq(tasks.referralId, opts.referralId), eq(tasks.type, 'resolve_slot_issue'), or(eq(tasks.status, 'open'), eq(tasks.status, 'claimed'))))
    .returning({ id: tasks.id });
  await writeAudit(tx, closed.map((t) => ({ actorId: opts.actorId, action: 'task.completed' as const, entityType: 'task' as const, entityId: t.id,
    after: { status: 'done', reason: words } })));
}

