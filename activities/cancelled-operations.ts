// The 28-day guarantee's writes (issue 15) [rules §6]: the rebook item's escalations to the team leader and operations,
// the breach once day 28 passes, and the rebooking that ends it. Every write is conditional on the cancelled operation
// still being open, so a rebook and a breach landing together leave exactly one of them recorded.
import { Context } from '@temporalio/activity';
import { WorkflowExecutionAlreadyStartedError } from '@temporalio/client';
import { and, eq, inArray, sql } from 'drizzle-orm';
import { queryRows, type Database, type Queryable, type Tx } from '../db/client';
import { newId } from '../db/ids';
import { admissions, cancelledOperations, notes, pathways, pathwayEvents, referrals, tasks, tciOffers, theatreSessions } from '../db/schema';
import {
  cancelledOperationGuarantee, endOfWorkingDay, addWorkingDays, formatDayDate, queueFor as routeFor, rebookItemDueAt, standByOffer, taskTitles,
  type ReferralPriority, type StandByCandidate,
} from '../domain';
import type { OperationCancellation } from '../workflows/types';
import { refusal } from '../workflows/refusal';
import { writeAudit } from './audit';
import { priorityRank, queueFor } from './pathway';
import { checkWardDay } from './wards';

export const cancelledOperationWorkflowId = (cancelledOperationId: string) => `cancelled-operation-${cancelledOperationId}`;

export type EscalateCancelledOperation = { cancelledOperationId: string; level: 1 | 2; target: 'team_leader' | 'ops'; date: string; afterDays: number };
export type ResolveCancelledOperationEscalation = { cancelledOperationId: string; taskId: string; actorId: string; outcome: unknown };

type Row = typeof cancelledOperations.$inferSelect;

async function lockOpen(tx: Tx, id: string): Promise<Row | undefined> {
  const [row] = await tx.select().from(cancelledOperations).where(eq(cancelledOperations.id, id)).for('update');
  return row;
}

/** The escalation items of a cancelled operation still open: they close once it is rebooked or breached. */
async function closeEscalations(tx: Tx, row: Row, actorId: string | null, closed: string, now: Date): Promise<string[]> {
  const open = await tx.select({ id: tasks.id, status: tasks.status, assigneeId: tasks.assigneeId }).from(tasks).where(and(
    eq(tasks.workflowId, cancelledOperationWorkflowId(row.id)), inArray(tasks.type, ['escalation_review', 'capacity_escalation']),
    inArray(tasks.status, ['open', 'claimed'])));
  for (const t of open) {
    await tx.update(tasks).set({ status: 'cancelled', outcome: { closed }, completedAt: now, updatedAt: now, version: sql`${tasks.version} + 1` })
      .where(eq(tasks.id, t.id));
    await writeAudit(tx, { actorId, action: 'task.escalation_closed', entityType: 'task', entityId: t.id,
      before: { status: t.status, assigneeId: t.assigneeId }, after: { status: 'cancelled', outcome: { closed } } });
  }
  return open.map((t) => t.id);
}

async function timeline(tx: Tx, row: Row, date: string, note: string, actorId: string | null) {
  await tx.insert(pathwayEvents).values({ referralId: row.referralId, kind: 'cancelled_operation', eventDate: date, note, actorId });
}

/**
 * A new TCI accepted for an admission with an open cancelled operation: rebooked (within the guarantee if on or before
 * rebookBy). A cancelled operation already breached keeps its status and records the date it was rebooked. The rebook
 * item closes itself and its escalations close. Returns the cancelled operation it rebooked, if any (to nudge its workflow).
 */
export async function recordRebooking(tx: Tx, c: { admissionId: string; tciOfferId: string; admissionDate: string; on: string; actorId: string | null }) {
  const [row] = await tx.select().from(cancelledOperations)
    .where(and(eq(cancelledOperations.admissionId, c.admissionId), sql`${cancelledOperations.rebookedOn} is null`)).for('update');
  if (!row) return null;
  const now = new Date();
  const status = row.status === 'open' ? 'rebooked' as const : row.status;
  await tx.update(cancelledOperations).set({
    status, rebookedOn: c.on, rebookedTciOfferId: c.tciOfferId, rebookedFor: c.admissionDate, updatedAt: now,
  }).where(eq(cancelledOperations.id, row.id));
  await writeAudit(tx, { actorId: c.actorId, action: 'cancelled_operation.rebooked', entityType: 'cancelled_operation', entityId: row.id,
    before: { status: row.status }, after: { status, rebookedOn: c.on, rebookedFor: c.admissionDate, withinGuarantee: c.admissionDate <= row.rebookBy } });
  if (row.rebookTaskId) {
    const done = await tx.update(tasks).set({
      status: 'done', outcome: { rebooked: c.tciOfferId }, completedAt: now, completedBy: c.actorId, updatedAt: now, version: sql`${tasks.version} + 1`,
    }).where(and(eq(tasks.id, row.rebookTaskId), inArray(tasks.status, ['open', 'claimed']))).returning({ id: tasks.id });
    if (done.length) {
      await writeAudit(tx, { actorId: c.actorId, action: 'task.completed', entityType: 'task', entityId: row.rebookTaskId,
        after: { status: 'done', outcome: { rebooked: c.tciOfferId } } });
    }
  }
  await closeEscalations(tx, row, c.actorId, `Closed: rebooked for ${formatDayDate(c.admissionDate)}`, now);
  await timeline(tx, row, c.on, `Cancelled operation rebooked for ${formatDayDate(c.admissionDate)}`, c.actorId);
  return { id: row.id, workflowId: row.workflowId };
}

/**
 * What a TCI accepted sets going beside the pathway (issue 15), in the same transaction: a cancelled operation of the
 * admission rebooked, and the ward's day checked against its elective beds. Its workflow sees the rebook at its next
 * rung and ends (every rung re-reads the row), so nothing needs Temporal here.
 */
export async function afterTciAccepted(tx: Tx, c: { admissionId: string; tciOfferId: string; admissionDate: string; ward: string; on: string; actorId: string | null }) {
  const rebooked = await recordRebooking(tx, c);
  await checkWardDay(tx, c.ward, c.admissionDate, c.actorId);
  return rebooked;
}

type Candidate = StandByCandidate & { referralId: string };

/** The stand-by list of a specialty on a date, for the freed session: read inside the cancellation's transaction. */
async function standByCandidates(tx: Tx, specialtyCode: string, onDate: string, excludeId: string): Promise<Candidate[]> {
  return queryRows<Candidate>(tx, sql`select a.id, a.referral_id as "referralId", a.surgical_priority as "surgicalPriority",
      a.target_date::text as "targetDate", a.decided_on::text as "decidedOn", a.stand_by as "standBy", a.pre_op_status as "preOpStatus",
      a.pre_op_valid_until::text as "preOpValidUntil", a.estimated_minutes as "estimatedMinutes", a.specialty_code as "specialtyCode",
      a.procedure, a.status
    from admissions a where a.stand_by and a.specialty_code = ${specialtyCode} and a.status in ('waiting', 'cancelled') and a.id <> ${excludeId}
      and (a.pre_op_status = 'not_required' or (a.pre_op_status in ('fit', 'fit_with_conditions') and a.pre_op_valid_until >= ${onDate}::date))`);
}

/**
 * A booked operation cancelled (issue 15), inside the pathway's admitted-care change: the TCI cancelled and its theatre
 * minutes given back; under the guarantee (on the day, not clinical) a cancelled_operations row and its rebook item (due
 * by day 28, owned by the guarantee's workflow); on the day, the freed time offered down the stand-by list. The pathway's
 * own write moves the admission (and opens book_tci when there is no guarantee). Runs before that write: it reads the TCI.
 */
export async function cancelBookedOperation(tx: Tx, step: { actorId: string | null; now: Date; referralId: string }, c: OperationCancellation) {
  const [adm] = await tx.select({ a: admissions, patientId: referrals.patientId, priority: referrals.priority, breachDate: pathways.breachDate })
    .from(admissions).innerJoin(referrals, eq(referrals.id, admissions.referralId)).leftJoin(pathways, eq(pathways.referralId, admissions.referralId))
    .where(and(eq(admissions.id, c.admissionId), eq(admissions.referralId, step.referralId))).for('update', { of: admissions });
  const a = adm?.a;
  if (!adm || !a || a.status !== 'tci_booked' || !a.tciOfferId || !a.tciDate) throw refusal('ADMISSION_NOT_BOOKED', 'This operation has no TCI booked to cancel');
  const [note] = await tx.select({ body: notes.body }).from(notes).where(and(eq(notes.id, c.reasonNoteId), eq(notes.referralId, step.referralId)));
  const reason = note?.body ?? '';
  const { actorId, now } = step;
  const today = c.cancelledOn;
  const guaranteed = c.onTheDay && !c.clinical;
  const [offer] = await tx.select({ theatreSessionId: tciOffers.theatreSessionId, minutesHeld: tciOffers.minutesHeld })
    .from(tciOffers).where(eq(tciOffers.id, a.tciOfferId)).for('update');
  await tx.update(tciOffers).set({ status: 'cancelled', minutesHeld: 0, updatedAt: now }).where(eq(tciOffers.id, a.tciOfferId));
  const freed = offer?.minutesHeld ?? 0;
  let session: { id: string; listName: string; date: string; minutesFree: number } | null = null;
  const sessionId = offer?.theatreSessionId ?? a.theatreSessionId;
  if (sessionId) {
    const [s] = await tx.update(theatreSessions)
      .set({ minutesBooked: sql`greatest(${theatreSessions.minutesBooked} - ${freed}, 0)`, updatedAt: now })
      .where(eq(theatreSessions.id, sessionId))
      .returning({ id: theatreSessions.id, listName: theatreSessions.listName, date: theatreSessions.date,
        minutesFree: sql<number>`${theatreSessions.minutesAvailable} - ${theatreSessions.minutesBooked}` });
    session = s ?? null;
  }
  const g = guaranteed ? cancelledOperationGuarantee(today) : null;
  await writeAudit(tx, { actorId, action: 'admission.operation_cancelled', entityType: 'admission', entityId: a.id,
    before: { status: a.status, tciOfferId: a.tciOfferId, tciDate: a.tciDate, theatreSessionId: a.theatreSessionId },
    after: { status: guaranteed ? 'cancelled' : 'waiting', onTheDay: c.onTheDay, clinical: c.clinical, reason, rebookBy: g?.rebookBy ?? null, minutesFreed: freed } });
  const priority = adm.priority as ReferralPriority;
  const taskBase = { priority, priorityRank: priorityRank[priority], referralId: a.referralId, patientId: adm.patientId, breachDate: adm.breachDate ?? null };
  let cancelledId: string | null = null;
  if (g) {
    cancelledId = newId('cop');
    const workflowId = cancelledOperationWorkflowId(cancelledId);
    const rebookTaskId = newId('task');
    await tx.insert(tasks).values({
      ...taskBase, id: rebookTaskId, taskKey: `${cancelledId}:rebook_cancelled_operation`, type: 'rebook_cancelled_operation',
      title: taskTitles.rebook_cancelled_operation, dueAt: new Date(rebookItemDueAt(g)),
      queueId: await queueFor(tx, routeFor('rebook_cancelled_operation', priority, a.specialtyCode)), workflowId,
      payload: { specialtyCode: a.specialtyCode, admissionId: a.id, cancelledOperationId: cancelledId, procedure: a.procedure,
        surgicalPriority: a.surgicalPriority, cancelledOn: today, operationDate: a.tciDate, rebookBy: g.rebookBy },
    });
    await writeAudit(tx, { actorId, action: 'task.opened', entityType: 'task', entityId: rebookTaskId,
      after: { type: 'rebook_cancelled_operation', priority, rebookBy: g.rebookBy } });
    await tx.insert(cancelledOperations).values({
      id: cancelledId, admissionId: a.id, referralId: a.referralId, patientId: adm.patientId, tciOfferId: a.tciOfferId,
      theatreSessionId: sessionId, specialtyCode: a.specialtyCode, priority, operationDate: a.tciDate, cancelledOn: today, reason,
      rebookBy: g.rebookBy, rebookTaskId, workflowId, cancelledBy: actorId,
    });
  }
  // Freed time on the day goes to the stand-by list: the candidates in the stand-by order, named on one item.
  let standByTaskId: string | null = null;
  if (c.onTheDay && session && session.minutesFree > 0) {
    const all = await standByCandidates(tx, a.specialtyCode, session.date, a.id);
    const picked = standByOffer(all, { specialtyCode: a.specialtyCode, onDate: session.date, minutesFree: session.minutesFree, excludeIds: [a.id] });
    if (picked.length) {
      standByTaskId = newId('task');
      const candidates = picked.map((p) => ({ admissionId: p.id, referralId: p.referralId, procedure: p.procedure, surgicalPriority: p.surgicalPriority,
        targetDate: p.targetDate, estimatedMinutes: p.estimatedMinutes }));
      await tx.insert(tasks).values({
        ...taskBase, id: standByTaskId, taskKey: `${a.tciOfferId}:offer_stand_by`, type: 'offer_stand_by', title: taskTitles.offer_stand_by,
        // Freed time is only worth anything today: due by the end of the session's day.
        priority: 'urgent', priorityRank: priorityRank.urgent, dueAt: new Date(endOfWorkingDay(session.date)),
        queueId: await queueFor(tx, routeFor('offer_stand_by', 'urgent', a.specialtyCode)), workflowId: `referral-${a.referralId}`,
        referralId: picked[0]!.referralId, patientId: null, breachDate: null,
        payload: { specialtyCode: a.specialtyCode, theatreSessionId: session.id, listName: session.listName, date: session.date,
          minutesFree: session.minutesFree, candidates },
      });
      await writeAudit(tx, { actorId, action: 'task.opened', entityType: 'task', entityId: standByTaskId,
        after: { type: 'offer_stand_by', theatreSessionId: session.id, minutesFree: session.minutesFree, candidates: candidates.length } });
      if (cancelledId) await tx.update(cancelledOperations).set({ standByTaskId }).where(eq(cancelledOperations.id, cancelledId));
    }
  }
  return { cancelledOperationId: cancelledId, standByTaskId };
}

/** Open cancelled operations, for a reader that needs the status as of a date (reports). */
export const openCancelledOperations = (db: Queryable) => db.select().from(cancelledOperations).where(eq(cancelledOperations.status, 'open'));

export const createCancelledOperationActivities = ({ db }: { db: Database }) => ({
  /**
   * Starts the guarantee's workflow for a cancelled operation the pathway just recorded. An activity, so Temporal retries
   * it until it lands: a start lost between the cancellation's commit and Temporal (the API's old way) cannot happen.
   * The workflow id is the cancelled operation's, so a retry or a second start finds the first.
   */
  async startCancelledOperationGuarantee(c: { cancelledOperationId: string; cancelledOn: string }): Promise<void> {
    const ctx = Context.current();
    try {
      await ctx.client.workflow.start('cancelledOperation', {
        workflowId: cancelledOperationWorkflowId(c.cancelledOperationId), taskQueue: ctx.info.taskQueue,
        args: [{ cancelledOperationId: c.cancelledOperationId, cancelledOn: c.cancelledOn }],
        workflowIdConflictPolicy: 'USE_EXISTING', workflowIdReusePolicy: 'REJECT_DUPLICATE',
      });
    } catch (err) {
      if (err instanceof WorkflowExecutionAlreadyStartedError) return;
      throw err;
    }
  },

  /**
   * A rung of the rebook item's ladder: while still open, the rebook item moves up its queue and a review goes to the
   * team leaders (day 14) or operations (day 21). Keyed by the cancelled operation and the level: a retry opens nothing new.
   */
  async escalateCancelledOperation(c: EscalateCancelledOperation): Promise<{ status: Row['status'] }> {
    return db.transaction(async (tx) => {
      const row = await lockOpen(tx, c.cancelledOperationId);
      if (!row) return { status: 'open' as const };
      if (row.status !== 'open' || row.escalationLevel >= c.level) return { status: row.status };
      const now = new Date();
      const type = c.target === 'ops' ? 'capacity_escalation' as const : 'escalation_review' as const;
      const priority = row.priority as ReferralPriority;
      const queueId = await queueFor(tx, routeFor(type, priority, row.specialtyCode));
      const reason = `Operation cancelled on the day ${formatDayDate(row.cancelledOn)} not rebooked by day ${c.afterDays}: `
        + `a new date is due by ${formatDayDate(row.rebookBy)} (28-day guarantee)`;
      const id = newId('task');
      const inserted = await tx.insert(tasks).values({
        id, taskKey: `${row.id}:escalate:${c.level}`, type, title: taskTitles[type], priority, priorityRank: priorityRank[priority],
        dueAt: new Date(endOfWorkingDay(addWorkingDays(c.date, 1))), queueId, workflowId: row.workflowId, referralId: row.referralId,
        patientId: row.patientId, breachDate: row.rebookBy,
        payload: { specialtyCode: row.specialtyCode, cancelledOperationId: row.id, admissionId: row.admissionId, escalatedTaskId: row.rebookTaskId,
          escalatedTaskType: 'rebook_cancelled_operation', level: c.level, ladder: 'cancelled_operation', reason, rebookBy: row.rebookBy },
      }).onConflictDoNothing({ target: tasks.taskKey }).returning({ id: tasks.id });
      if (inserted.length) {
        await writeAudit(tx, { actorId: null, action: 'task.opened', entityType: 'task', entityId: id,
          after: { type, queueId, priority, level: c.level, cancelledOperationId: row.id } });
      }
      if (row.rebookTaskId) {
        await tx.update(tasks).set({
          escalationLevel: c.level, priorityRank: sql`greatest(${tasks.priorityRank} - 1, 0)`, version: sql`${tasks.version} + 1`, updatedAt: now,
        }).where(and(eq(tasks.id, row.rebookTaskId), inArray(tasks.status, ['open', 'claimed'])));
        await writeAudit(tx, { actorId: null, action: 'task.escalated', entityType: 'task', entityId: row.rebookTaskId,
          after: { escalationLevel: c.level, to: c.target } });
      }
      await tx.update(cancelledOperations).set({ escalationLevel: c.level, updatedAt: now }).where(eq(cancelledOperations.id, row.id));
      await timeline(tx, row, c.date, `Cancelled operation not rebooked by day ${c.afterDays}: escalated to ${c.target === 'ops' ? 'operations' : 'team leader'}`, null);
      return { status: row.status };
    });
  },

  /** Day 28 passed without a new date: the breach is recorded (reported by the cancelled operations report) and its escalations close. */
  async recordCancelledOperationBreach(c: { cancelledOperationId: string; breachedOn: string }): Promise<{ status: Row['status'] }> {
    return db.transaction(async (tx) => {
      const row = await lockOpen(tx, c.cancelledOperationId);
      if (!row || row.status !== 'open') return { status: row?.status ?? 'open' };
      const now = new Date();
      await tx.update(cancelledOperations).set({ status: 'breached', breachedOn: c.breachedOn, updatedAt: now }).where(eq(cancelledOperations.id, row.id));
      await writeAudit(tx, { actorId: null, action: 'cancelled_operation.breached', entityType: 'cancelled_operation', entityId: row.id,
        before: { status: 'open' }, after: { status: 'breached', rebookBy: row.rebookBy, breachedOn: c.breachedOn } });
      await closeEscalations(tx, row, null, `Closed: the 28-day guarantee was breached on ${formatDayDate(c.breachedOn)} and reported`, now);
      await timeline(tx, row, c.breachedOn, `28-day guarantee breached: no new date by ${formatDayDate(row.rebookBy)}`, null);
      return { status: 'breached' as const };
    });
  },

  /** A team leader's or operations' review of a cancelled operation's escalation, done. */
  async resolveCancelledOperationEscalation(c: ResolveCancelledOperationEscalation): Promise<{ done: boolean }> {
    return db.transaction(async (tx) => {
      const now = new Date();
      const done = await tx.update(tasks).set({
        status: 'done', outcome: c.outcome as object, completedAt: now, completedBy: c.actorId,
        assigneeId: sql`coalesce(${tasks.assigneeId}, ${c.actorId})`, version: sql`${tasks.version} + 1`, updatedAt: now,
      }).where(and(eq(tasks.id, c.taskId), eq(tasks.workflowId, cancelledOperationWorkflowId(c.cancelledOperationId)),
        inArray(tasks.status, ['open', 'claimed']))).returning({ id: tasks.id });
      if (done.length) {
        await writeAudit(tx, { actorId: c.actorId, action: 'task.completed', entityType: 'task', entityId: c.taskId,
          after: { status: 'done', outcome: c.outcome } });
      }
      return { done: done.length > 0 };
    });
  },
});
