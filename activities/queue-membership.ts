// Who works which queue: the one check behind claiming, completing, snoozing, "Move work" and leave cover,
// so a person is never handed work from a queue they do not work.
import { and, eq, inArray } from 'drizzle-orm';
import type { Queryable } from '../db/client';
import { queueMembers, queues } from '../db/schema';

/** The queues among `queueIds` that the person is not a member of (empty when they work them all). */
export async function queuesNotWorkedBy(db: Queryable, staffId: string, queueIds: readonly string[]): Promise<string[]> {
  const wanted = [...new Set(queueIds)];
  if (wanted.length === 0) return [];
  const rows = await db.select({ queueId: queueMembers.queueId }).from(queueMembers)
    .where(and(eq(queueMembers.staffId, staffId), inArray(queueMembers.queueId, wanted)));
  const member = new Set(rows.map((r) => r.queueId));
  return wanted.filter((q) => !member.has(q));
}

/** The queues by id, named, in name order (for a refusal that names them). */
export async function namedQueues(db: Queryable, queueIds: readonly string[]): Promise<{ id: string; name: string }[]> {
  if (queueIds.length === 0) return [];
  const rows = await db.select({ id: queues.id, name: queues.name }).from(queues).where(inArray(queues.id, [...queueIds]));
  return rows.sort((a, b) => a.name.localeCompare(b.name, 'en-GB'));
}

/** "Two week wait, Rebooking or Urology" */
const orList = (names: string[]) => (names.length <= 1 ? (names[0] ?? '') : `${names.slice(0, -1).join(', ')} or ${names.at(-1)}`);

/** Why someone may not take items of these queues, in words a leader reads: "does not work Rebooking or Urology". */
export const notWorking = (outside: readonly { name: string }[]) => `does not work ${orList(outside.map((q) => q.name))}`;
