// Clinic session changes (issue 10): the clinicSessionChange workflow's only writer. It picks each patient's
// next slot live from Postgres (the rule of domain/rebooking.ts), moves them through their pathway's
// cancelAppointment Update (the pathway owns the appointment, its slot, the letter and the rebook item), and
// records what happened. Every write is keyed by the change and the appointment, so a retry does nothing twice.
import { Context } from '@temporalio/activity';
import { WorkflowNotFoundError, WorkflowUpdateFailedError } from '@temporalio/client';
import { ApplicationFailure } from '@temporalio/common';
import { and, eq, isNull, sql, type SQL } from 'drizzle-orm';
import {
  addDays, clinicalRank, earliestRebookingDate, endOfWorkingDay, londonInstant, nextWorkingDay, sessionWindow, type ClinicSession, type ReferralPriority,
  type SlotType,
} from '../domain';
import { wardFormBookByOfAppointment } from '../db/ward-form-follow-up';
import { queryRows, type Database, type Queryable } from '../db/client';
import { newId } from '../db/ids';
import { clinicSessionChanges, queues, sessionChangePatients, tasks } from '../db/schema';
import { cancelAppointmentUpdate } from '../workflows/referral-pathway';
import type { CancelAppointmentCommand, CancelAppointmentResult } from '../workflows/types';
import { writeAudit } from './audit';

/** The free slots a session change may move a patient into: its specialty, outside the session, in time order. */
export type SlotSearch = {
  specialtyCode: string;
  types: readonly SlotType[];
  /** The session being changed: none of its slots. */
  session: { clinicId: string; date: string; session: ClinicSession | null };
  /** From this instant (ms) … */
  from: number;
  /** … to before this instant (ms). */
  to: number;
  exclude?: readonly string[];
  limit?: number;
};

const ts = (ms: number) => new Date(ms).toISOString();
const idList = (ids: readonly string[]) => sql.join(ids.map((id) => sql`${id}`), sql`, `);

/** Free slots matching a search, earliest first; the preview reads many, the workflow one at a time. */
export async function freeSlotsFor(db: Queryable, q: SlotSearch) {
  if (q.types.length === 0 || q.to <= q.from) return [];
  const window = sessionWindow(q.session.date, q.session.session);
  const exclude: SQL = q.exclude?.length ? sql`and s.id not in (${idList(q.exclude)})` : sql``;
  return queryRows<{ id: string; start: string; clinicId: string; clinicName: string; type: SlotType }>(db, sql`
    select s.id, to_char(s.start at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"') as start, s.clinic_id as "clinicId",
      c.name as "clinicName", s.type
    from slots s join clinics c on c.id = s.clinic_id
    where c.specialty_code = ${q.specialtyCode} and c.active and s.status = 'free'
      and s.type in (${idList(q.types)}) and s.start >= ${ts(q.from)} and s.start < ${ts(q.to)}
      and not (s.clinic_id = ${q.session.clinicId} and s.start >= ${ts(window.from)} and s.start < ${ts(window.to)})
      ${exclude}
    order by s.start, s.id
    ${q.limit ? sql`limit ${q.limit}` : sql``}`);
}

/** What the workflow needs of a change's patient: ids and the rule's inputs, never who they are. */
type ChangePatient = {
  appointmentId: string; referralId: string; workflowId: string; position: number; priority: ReferralPriority; breachDate: string;
  slotType: SlotType; specialtyCode: string; clinicId: string; sessionDate: string; session: ClinicSession | null;
  outcome: string | null; doneAt: string | null;
};

async function changePatient(db: Queryable, changeId: string, appointmentId: string): Promise<ChangePatient> {
  const [row] = await queryRows<ChangePatient>(db, sql`
    select p.appointment_id as "appointmentId", p.referral_id as "referralId", r.workflow_id as "workflowId", p.position, p.priority,
      p.breach_date::text as "breachDate", s.type as "slotType", r.specialty_code as "specialtyCode", ch.clinic_id as "clinicId",
      ch.session_date::text as "sessionDate", ch.session, p.outcome, p.done_at::text as "doneAt"
    from session_change_patients p join clinic_session_changes ch on ch.id = p.change_id
      join referrals r on r.id = p.referral_id join appointments a on a.id = p.appointment_id join slots s on s.id = a.slot_id
    where p.change_id = ${changeId} and p.appointment_id = ${appointmentId}`);
  if (!row) throw ApplicationFailure.nonRetryable(`No patient ${appointmentId} in session change ${changeId}`, 'SESSION_CHANGE_NOT_FOUND');
  return row;
}

export type SessionMove =
  | { kind: 'moved'; newAppointmentId: string; newSlotId: string }
  | { kind: 'waiting_for_slot'; taskId: string | null; atRisk: boolean }
  /** The pathway ended or the appointment changed meanwhile: recorded, not retried. */
  | { kind: 'skipped'; code: string }
  /** The slot went (an officer booked it by hand at that moment) or no longer suits: try the next. */
  | { kind: 'slot_gone'; code: string };

const slotGone = new Set(['SLOT_TAKEN', 'SLOT_NOT_FREE', 'SLOT_IN_PAST', 'SLOT_WRONG_TYPE', 'SLOT_WRONG_SPECIALTY', 'SLOT_WRONG_CLINIC', 'PAST_BREACH_NEEDS_LEADER']);

export type SessionChangeSummary = {
  affected: number; cancelled: number; moved: number; waitingForSlot: number; atRisk: number; skipped: number; escalationTaskId: string | null;
};

/** The change's summary as its patient rows now stand. */
export async function summaryOf(db: Queryable, changeId: string, escalationTaskId: string | null = null): Promise<SessionChangeSummary> {
  const [row] = await queryRows<Omit<SessionChangeSummary, 'escalationTaskId' | 'cancelled'>>(db, sql`
    select count(*)::int as affected, count(*) filter (where outcome = 'moved')::int as moved,
      count(*) filter (where outcome = 'waiting_for_slot')::int as "waitingForSlot", count(*) filter (where at_risk)::int as "atRisk",
      count(*) filter (where outcome is null and done_at is not null)::int as skipped
    from session_change_patients where change_id = ${changeId}`);
  return { ...row, cancelled: row.moved + row.waitingForSlot, escalationTaskId };
}

export const capacityTaskKey = (changeId: string) => `session-change-${changeId}:capacity`;
export const sessionChangeWorkflowId = (changeId: string) => `session-change-${changeId}`;

export const createSessionChangeActivities = ({ db }: { db: Database }) => ({
  /** The change's patients in plan order, and which are already done (a retried or resumed run skips them). */
  async sessionChangePatients({ changeId }: { changeId: string }): Promise<Array<{ appointmentId: string; done: boolean }>> {
    return queryRows<{ appointmentId: string; done: boolean }>(db, sql`
      select appointment_id as "appointmentId", done_at is not null as done from session_change_patients
      where change_id = ${changeId} order by position`);
  },

  /**
   * The next suitable free slot for one patient, read live (officers book by hand meanwhile), leaving out the
   * slots already tried; with none, whether any slot of their type is free before their breach date at all.
   */
  async nextSlotForPatient(cmd: { changeId: string; appointmentId: string; today: string; tried: string[] }): Promise<{ slotId: string | null; atRisk: boolean }> {
    const p = await changePatient(db, cmd.changeId, cmd.appointmentId);
    // A ward form's follow-up moves no later than the date the ward asked for: none by then, it waits for an officer.
    const wardDate = await wardFormBookByOfAppointment(db, cmd.appointmentId);
    const until = wardDate && wardDate < p.breachDate ? wardDate : p.breachDate;
    const search = {
      specialtyCode: p.specialtyCode, types: [p.slotType], session: { clinicId: p.clinicId, date: p.sessionDate, session: p.session },
      to: londonInstant(addDays(until, 1), '00:00'), exclude: cmd.tried, limit: 1,
    };
    const [slot] = await freeSlotsFor(db, { ...search, from: londonInstant(earliestRebookingDate(p.priority, cmd.today), '00:00') });
    if (slot) return { slotId: slot.id, atRisk: false };
    // Routine patients are offered reasonable notice; at risk only if not even a short-notice slot is left.
    const [any] = await freeSlotsFor(db, { ...search, exclude: [], from: londonInstant(nextWorkingDay(cmd.today), '00:00') });
    return { slotId: null, atRisk: !any };
  },

  /**
   * Moves one patient through their pathway's Update: into `slotId` (cancel and book in one step), or without
   * one onto the Rebooking queue. A final answer is recorded on the patient's row with the running summary.
   */
  async moveSessionPatient(cmd: { changeId: string; appointmentId: string; actorId: string; slotId?: string; atRisk?: boolean }): Promise<SessionMove> {
    const p = await changePatient(db, cmd.changeId, cmd.appointmentId);
    if (p.doneAt) return { kind: 'skipped', code: 'ALREADY_RECORDED' };
    const command: CancelAppointmentCommand = {
      appointmentId: cmd.appointmentId, by: 'hospital', actorId: cmd.actorId, sessionChangeId: cmd.changeId,
      ...(cmd.slotId ? { newSlotId: cmd.slotId } : {}),
    };
    let move: SessionMove | undefined = await movedAlready(db, cmd.changeId, p, cmd.atRisk ?? false);
    if (move) {
      await recordMove(db, cmd.changeId, p, move, cmd.actorId);
      return move;
    }
    try {
      const result: CancelAppointmentResult = await Context.current().client.workflow.getHandle(p.workflowId)
        .executeUpdate(cancelAppointmentUpdate, { args: [command], updateId: `${cmd.changeId}:${cmd.appointmentId}:${cmd.slotId ?? 'queue'}` });
      move = cmd.slotId && result.appointment
        ? { kind: 'moved', newAppointmentId: result.appointment.id, newSlotId: cmd.slotId }
        : { kind: 'waiting_for_slot', taskId: result.raisedTaskId ?? null, atRisk: cmd.atRisk ?? false };
    } catch (err) {
      const failure = err instanceof WorkflowUpdateFailedError ? err.cause : err;
      if (failure instanceof ApplicationFailure && failure.type) {
        if (cmd.slotId && slotGone.has(failure.type)) {
          // Kept so a leader can see why a patient got a later slot than the preview said: someone booked it by hand.
          await writeAudit(db, { actorId: cmd.actorId, action: 'clinic_session.slot_missed', entityType: 'clinic_session_change', entityId: cmd.changeId,
            after: { appointmentId: cmd.appointmentId, slotId: cmd.slotId, code: failure.type } });
          return { kind: 'slot_gone', code: failure.type };
        }
        move = { kind: 'skipped', code: failure.type };
      } else if (err instanceof WorkflowNotFoundError) {
        move = { kind: 'skipped', code: 'PATHWAY_ENDED' };
      } else {
        throw err; // Temporal unreachable or timed out: the outcome is unknown, so the activity is retried with the same updateId
      }
    }
    await recordMove(db, cmd.changeId, p, move, cmd.actorId);
    return move;
  },

  /** One capacity escalation to ops when anyone is at risk of breach: keyed by the change, so never two. */
  async escalateSessionCapacity({ changeId, today }: { changeId: string; today: string }): Promise<{ taskId: string | null }> {
    return db.transaction(async (tx) => {
      const atRisk = await queryRows<{ referralId: string; priority: ReferralPriority; breachDate: string }>(tx, sql`
        select referral_id as "referralId", priority, breach_date::text as "breachDate" from session_change_patients
        where change_id = ${changeId} and at_risk order by position`);
      if (atRisk.length === 0) return { taskId: null };
      const [change] = await queryRows<{ clinicId: string; clinicName: string; sessionDate: string; session: ClinicSession | null }>(tx, sql`
        select ch.clinic_id as "clinicId", c.name as "clinicName", ch.session_date::text as "sessionDate", ch.session
        from clinic_session_changes ch join clinics c on c.id = ch.clinic_id where ch.id = ${changeId}`);
      const [queue] = await tx.select({ id: queues.id }).from(queues).where(and(eq(queues.kind, 'capacity'), isNull(queues.specialtyCode)));
      if (!queue) throw ApplicationFailure.nonRetryable('No capacity queue', 'NO_QUEUE');
      const priority = atRisk.map((r) => r.priority).sort((a, b) => clinicalRank(a) - clinicalRank(b))[0];
      const n = atRisk.length;
      const when = `${change.sessionDate}${change.session ? ` (${change.session === 'am' ? 'morning' : 'afternoon'})` : ''}`;
      const id = newId('task');
      const inserted = await tx.insert(tasks).values({
        id, taskKey: capacityTaskKey(changeId), type: 'capacity_escalation',
        title: `${change.clinicName} ${when} cancelled: ${n} ${n === 1 ? 'patient' : 'patients'} cannot be rebooked before their breach date`,
        priority, priorityRank: clinicalRank(priority), dueAt: new Date(endOfWorkingDay(today)), queueId: queue.id,
        workflowId: sessionChangeWorkflowId(changeId), breachDate: atRisk.map((r) => r.breachDate).sort()[0],
        payload: { sessionChangeId: changeId, clinicId: change.clinicId, clinicName: change.clinicName, sessionDate: change.sessionDate, count: n, referralIds: atRisk.map((r) => r.referralId) },
      }).onConflictDoNothing({ target: tasks.taskKey }).returning({ id: tasks.id });
      if (inserted.length === 0) {
        const [existing] = await tx.select({ id: tasks.id }).from(tasks).where(eq(tasks.taskKey, capacityTaskKey(changeId)));
        return { taskId: existing.id };
      }
      await writeAudit(tx, { actorId: null, action: 'task.opened', entityType: 'task', entityId: id,
        after: { type: 'capacity_escalation', queueId: queue.id, priority, sessionChangeId: changeId, count: n } });
      return { taskId: id };
    });
  },

  /** The change is done: its summary, completed_at and one audit entry; a second call finds it completed. */
  async completeSessionChange({ changeId, actorId, escalationTaskId }: { changeId: string; actorId: string; escalationTaskId: string | null }): Promise<SessionChangeSummary> {
    return db.transaction(async (tx) => {
      const summary = await summaryOf(tx, changeId, escalationTaskId);
      const done = await tx.update(clinicSessionChanges).set({ status: 'completed', completedAt: new Date(), summary })
        .where(and(eq(clinicSessionChanges.id, changeId), eq(clinicSessionChanges.status, 'running'))).returning({ id: clinicSessionChanges.id });
      if (done.length) {
        await writeAudit(tx, { actorId, action: 'clinic_session.changed', entityType: 'clinic_session_change', entityId: changeId,
          before: { status: 'running' }, after: { status: 'completed', summary } });
      }
      return summary;
    });
  },
});

/**
 * What this change already did to the patient's appointment, read from the appointment itself: an attempt whose
 * Update went through but whose answer was lost (the worker died, or the pathway continued as new since) is not sent again.
 */
async function movedAlready(db: Database, changeId: string, p: ChangePatient, atRisk: boolean): Promise<SessionMove | undefined> {
  const [old] = await queryRows<{ state: string; newAppointmentId: string | null; newSlotId: string | null }>(db, sql`
    select a.state, a.rebooked_appointment_id as "newAppointmentId", na.slot_id as "newSlotId"
    from appointments a left join appointments na on na.id = a.rebooked_appointment_id
    where a.id = ${p.appointmentId} and a.session_change_id = ${changeId}`);
  if (!old || old.state === 'booked') return undefined;
  if (old.newAppointmentId && old.newSlotId) return { kind: 'moved', newAppointmentId: old.newAppointmentId, newSlotId: old.newSlotId };
  const [task] = await queryRows<{ id: string }>(db, sql`select id from tasks where referral_id = ${p.referralId} and type = 'rebook_appointment'
    and status in ('open', 'claimed') order by created_at desc limit 1`);
  return { kind: 'waiting_for_slot', taskId: task?.id ?? null, atRisk };
}

/** A patient's final answer on their row (once: only while the row has none) and the summary beside it. */
async function recordMove(db: Database, changeId: string, p: ChangePatient, move: SessionMove, actorId: string) {
  if (move.kind === 'slot_gone') return;
  await db.transaction(async (tx) => {
    const now = new Date();
    const set = move.kind === 'moved'
      ? { outcome: 'moved' as const, newAppointmentId: move.newAppointmentId, newSlotId: move.newSlotId, atRisk: false }
      : move.kind === 'waiting_for_slot' ? { outcome: 'waiting_for_slot' as const, taskId: move.taskId, atRisk: move.atRisk } : {};
    const recorded = await tx.update(sessionChangePatients).set({ ...set, doneAt: now })
      .where(and(eq(sessionChangePatients.changeId, changeId), eq(sessionChangePatients.appointmentId, p.appointmentId), isNull(sessionChangePatients.doneAt)))
      .returning({ appointmentId: sessionChangePatients.appointmentId });
    if (recorded.length === 0) return;
    if (move.kind === 'skipped') {
      // Only ids and the refusal's code: the pathway had ended or the appointment had changed already.
      await writeAudit(tx, { actorId, action: 'clinic_session.patient_skipped', entityType: 'clinic_session_change', entityId: changeId,
        after: { appointmentId: p.appointmentId, referralId: p.referralId, code: move.code } });
    }
    await tx.update(clinicSessionChanges).set({ summary: await summaryOf(tx, changeId) }).where(eq(clinicSessionChanges.id, changeId));
  });
}
