// Who works which queue: the one check behind claiming, completing, snoozing, "Move work" and leave cover,
// so a person is never handed work from a queue they do not work.
import { and, eq, inArray } from 'drizzle-orm';
import type { Queryable } from '../db/client';
import { queueMembers } from '../db/schema';

/** The queues among `queueIds` that the person is not a member of (empty when they work them all). */
export async function queuesNotWorkedBy(db: Queryable, staffId: string, queueIds: readonly string[]): Promise<string[]> {
  const wanted = [...new Set(queueIds)];
  if (wanted.length === 0) return [];
  const rows = await db.select({ queueId: queueMembers.queueId }).from(queueMembers)
    .where(and(eq(queueMembers.staffId, staffId), inArray(queueMembers.queueId, wanted)));
  const member = new Set(rows.map((r) => r.queueId));
  return wanted.filter((q) => !member.has(q));
}

/** Why someone may not take items of these queues, in words a leader reads. */
export const notWorking = (outside: string[], of: number) =>
  `does not work ${of === 1 ? 'this queue' : `${outside.length} of these queues`} (${outside.join(', ')})`;
