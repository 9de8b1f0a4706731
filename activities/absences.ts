// Leave and cover: the only writer of an absence's status and of what it moved. Every change is one
// transaction guarded by the absence's status transition, so a retried activity moves nothing twice,
// and every move is written to the audit log beside it.
import { ApplicationFailure } from '@temporalio/activity';
import { and, eq, sql, type SQL } from 'drizzle-orm';
import { queryRows, type Database, type Queryable } from '../db/client';
import { absenceMoves, absences, staff, tasks } from '../db/schema';
import { staffOnLeaveSql } from '../db/leave';
import { writeAudit, type AuditEntry } from './audit';
import { queuesNotWorkedBy } from './queue-membership';
import { leaveNotice, notifyStaff } from './staff-notifications';
import type { AbsenceStatus } from '../domain/model';

export type AbsenceResult<T> = ({ kind: 'recorded' } & T) | { kind: 'duplicate' };

/**
 * The work an absence hands over: the person's items still to be done. The start of leave and the
 * leader's preview both use this, over `tasks t`, so the preview shows exactly what will move.
 */
export const workToHandOver = (staffId: string): SQL => sql`t.assignee_id = ${staffId} and t.status in ('open', 'claimed')`;

/** Absences (not cancelled or ended) of a person that overlap the days `from`..`to`. */
export async function overlappingAbsences(db: Queryable, staffId: string, from: string, to: string, exceptId?: string) {
  return queryRows<{ id: string; from: string; to: string; status: AbsenceStatus }>(db, sql`
    select id, "from"::text as "from", "to"::text as "to", status from absences
    where staff_id = ${staffId} and status in ('planned', 'active') and "from" <= ${to} and "to" >= ${from}
      ${exceptId ? sql`and id <> ${exceptId}` : sql``}
    order by "from"`);
}

async function isAvailable(tx: Queryable, staffId: string, today: string): Promise<boolean> {
  const [person] = await tx.select({ active: staff.active }).from(staff).where(eq(staff.id, staffId));
  if (!person?.active) return false;
  const [{ away }] = await queryRows<{ away: boolean }>(tx, sql`select ${staffOnLeaveSql(staffId, today)} as away`);
  return !away;
}

const notFound = (absenceId: string) => ApplicationFailure.nonRetryable(`No absence ${absenceId}`, 'ABSENCE_NOT_FOUND');

export const createAbsenceActivities = ({ db }: { db: Database }) => ({
  /** Leave starts: the person's open and claimed items go to the cover person or back to their queues. */
  async startLeave(cmd: { absenceId: string; changeKey: string; today: string }): Promise<AbsenceResult<{ moved: number; handover: 'cover' | 'queue' }>> {
    return db.transaction(async (tx) => {
      const now = new Date();
      const [absence] = await tx.update(absences).set({ status: 'active', updatedAt: now })
        .where(and(eq(absences.id, cmd.absenceId), eq(absences.status, 'planned'))).returning();
      if (!absence) {
        const [exists] = await tx.select({ id: absences.id }).from(absences).where(eq(absences.id, cmd.absenceId));
        if (!exists) throw notFound(cmd.absenceId);
        return { kind: 'duplicate' as const };
      }
      // Never hand work to someone who has left or is away themselves: it goes back to the queue instead.
      const coverAvailable = absence.handover === 'cover' && absence.coverStaffId !== null
        && await isAvailable(tx, absence.coverStaffId, cmd.today);
      const handover = coverAvailable ? 'cover' as const : 'queue' as const;
      const coverId = coverAvailable ? absence.coverStaffId : null;

      const items = await queryRows<{ id: string; status: 'open' | 'claimed'; assigneeId: string; queueId: string; version: number }>(tx, sql`
        select t.id, t.status, t.assignee_id as "assigneeId", t.queue_id as "queueId", t.version from tasks t
        where ${workToHandOver(absence.staffId)} order by t.id for update of t`);
      // Cover takes only items of queues they work (as "Move work" requires); the rest go back to their queues.
      const outside = new Set(coverId ? await queuesNotWorkedBy(tx, coverId, items.map((i) => i.queueId)) : []);
      const toCover = { assigneeId: coverId, status: 'claimed' as const };
      const toQueue = { assigneeId: null, status: 'open' as const };
      const audit: AuditEntry[] = [];
      for (const item of items) {
        const after = coverId && !outside.has(item.queueId) ? toCover : toQueue;
        await tx.update(tasks).set({ ...after, version: sql`${tasks.version} + 1`, updatedAt: now }).where(eq(tasks.id, item.id));
        audit.push({ actorId: null, action: 'task.absence_moved', entityType: 'task', entityId: item.id,
          before: { assigneeId: item.assigneeId, status: item.status, version: item.version },
          after: { ...after, queueId: item.queueId, version: item.version + 1, absenceId: absence.id } });
      }
      if (items.length) {
        await tx.insert(absenceMoves).values(items.map((item) => ({
          absenceId: absence.id, taskId: item.id, fromAssigneeId: item.assigneeId, toAssigneeId: outside.has(item.queueId) ? null : coverId, movedAt: now,
        }))).onConflictDoNothing();
      }
      const toCoverCount = coverId ? items.filter((i) => !outside.has(i.queueId)).length : 0;
      if (coverId && toCoverCount) {
        const [absent] = await tx.select({ name: staff.name }).from(staff).where(eq(staff.id, absence.staffId));
        await notifyStaff(tx, leaveNotice({ key: `absence:${absence.id}:cover`, to: coverId, count: toCoverCount, absentName: absent?.name ?? 'a colleague', handedBack: false }));
      }
      audit.push({ actorId: null, action: 'absence.started', entityType: 'absence', entityId: absence.id,
        before: { status: 'planned' },
        after: { status: 'active', handover, coverStaffId: coverId, moved: items.length, changeKey: cmd.changeKey,
          ...(handover !== absence.handover ? { note: 'cover person inactive or on leave: work went back to its queues' } : {}),
          ...(outside.size ? { note: `cover does not work ${[...outside].join(', ')}: those items went back to their queues` } : {}) } });
      await writeAudit(tx, audit);
      return { kind: 'recorded' as const, moved: items.length, handover };
    });
  },

  /**
   * Leave ends (or is cancelled while running): items it moved that are still open and still with the
   * person they were moved to go back; anything done, or taken by someone else since, stays where it is.
   */
  async endLeave(cmd: { absenceId: string; changeKey: string; status: 'ended' | 'cancelled'; actorId: string | null }): Promise<AbsenceResult<{ returned: number; kept: number }>> {
    return db.transaction(async (tx) => {
      const now = new Date();
      const [absence] = await tx.update(absences).set({ status: cmd.status, updatedAt: now })
        .where(and(eq(absences.id, cmd.absenceId), eq(absences.status, 'active'))).returning();
      if (!absence) {
        const [exists] = await tx.select({ id: absences.id }).from(absences).where(eq(absences.id, cmd.absenceId));
        if (!exists) throw notFound(cmd.absenceId);
        return { kind: 'duplicate' as const };
      }
      const audit: AuditEntry[] = [];
      let returned = 0;
      let kept = 0;
      const [person] = await tx.select({ active: staff.active }).from(staff).where(eq(staff.id, absence.staffId));
      // Someone who has left the trust gets nothing back; the work stays with cover or in the queue.
      const handBack = absence.returnOnEnd && person?.active === true;
      if (handBack) {
        const moves = await queryRows<{ taskId: string; toAssigneeId: string | null; status: string; assigneeId: string | null; version: number }>(tx, sql`
          select m.task_id as "taskId", m.to_assignee_id as "toAssigneeId", t.status, t.assignee_id as "assigneeId", t.version
          from absence_moves m join tasks t on t.id = m.task_id
          where m.absence_id = ${absence.id} and m.returned_at is null order by m.task_id for update of t, m`);
        for (const move of moves) {
          const untouched = (move.status === 'open' || move.status === 'claimed') && move.assigneeId === move.toAssigneeId;
          if (!untouched) { kept += 1; continue; }
          await tx.update(tasks).set({ assigneeId: absence.staffId, status: 'claimed', version: sql`${tasks.version} + 1`, updatedAt: now })
            .where(eq(tasks.id, move.taskId));
          await tx.update(absenceMoves).set({ returnedAt: now })
            .where(and(eq(absenceMoves.absenceId, absence.id), eq(absenceMoves.taskId, move.taskId)));
          audit.push({ actorId: cmd.actorId, action: 'task.absence_returned', entityType: 'task', entityId: move.taskId,
            before: { assigneeId: move.assigneeId, status: move.status, version: move.version },
            after: { assigneeId: absence.staffId, status: 'claimed', version: move.version + 1, absenceId: absence.id } });
          returned += 1;
        }
      }
      if (returned) {
        await notifyStaff(tx, leaveNotice({ key: `absence:${absence.id}:returned`, to: absence.staffId, count: returned, absentName: '', handedBack: true }));
      }
      audit.push({ actorId: cmd.actorId, action: cmd.status === 'ended' ? 'absence.ended' : 'absence.cancelled', entityType: 'absence',
        entityId: absence.id, before: { status: 'active' },
        after: { status: cmd.status, returnOnEnd: absence.returnOnEnd, returned, kept, changeKey: cmd.changeKey,
          ...(absence.returnOnEnd && !handBack ? { note: 'person no longer active: nothing handed back' } : {}) } });
      await writeAudit(tx, audit);
      return { kind: 'recorded' as const, returned, kept };
    });
  },

  /** A status change that moves no work (a planned absence cancelled before it starts). */
  async setAbsenceStatus(cmd: { absenceId: string; changeKey: string; from: AbsenceStatus; to: AbsenceStatus; actorId: string | null }): Promise<AbsenceResult<object>> {
    return db.transaction(async (tx) => {
      const [absence] = await tx.update(absences).set({ status: cmd.to, updatedAt: new Date() })
        .where(and(eq(absences.id, cmd.absenceId), eq(absences.status, cmd.from))).returning({ id: absences.id });
      if (!absence) {
        const [exists] = await tx.select({ id: absences.id }).from(absences).where(eq(absences.id, cmd.absenceId));
        if (!exists) throw notFound(cmd.absenceId);
        return { kind: 'duplicate' as const };
      }
      await writeAudit(tx, { actorId: cmd.actorId, action: `absence.${cmd.to}`, entityType: 'absence', entityId: cmd.absenceId,
        before: { status: cmd.from }, after: { status: cmd.to, changeKey: cmd.changeKey } });
      return { kind: 'recorded' as const };
    });
  },

  /** A new last day of leave; setting the same day again changes nothing. */
  async changeAbsenceEnd(cmd: { absenceId: string; changeKey: string; to: string; actorId: string | null }): Promise<AbsenceResult<{ before: string }>> {
    return db.transaction(async (tx) => {
      const [before] = await tx.select({ to: sql<string>`${absences.to}::text` }).from(absences).where(eq(absences.id, cmd.absenceId)).for('update');
      if (!before) throw notFound(cmd.absenceId);
      if (before.to === cmd.to) return { kind: 'duplicate' as const };
      await tx.update(absences).set({ to: cmd.to, updatedAt: new Date() }).where(eq(absences.id, cmd.absenceId));
      await writeAudit(tx, { actorId: cmd.actorId, action: 'absence.changed', entityType: 'absence', entityId: cmd.absenceId,
        before: { to: before.to }, after: { to: cmd.to, changeKey: cmd.changeKey } });
      return { kind: 'recorded' as const, before: before.to };
    });
  },
});
