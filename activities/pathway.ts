// The pathway's only writer: each transition the workflow decides is applied here in one transaction,
// at most once, keyed by the workflow's change key. A retry or a worker crash hands back the first result.
import { and, eq, inArray, isNull, sql } from 'drizzle-orm';
import { rttBreachDate } from '../domain';
import type { Database, Tx } from '../db/client';
import { newId } from '../db/ids';
import {
  appointments, clinics, communications, notes, pathwayChanges, pathwayEvents, pathways, queues, referrals, slots, tasks,
} from '../db/schema';
import { writeAudit } from './audit';
import { refusal } from '../workflows/refusal';
import type { PathwayChange, PathwayChangeResult, TaskSpec } from '../workflows/types';

export const priorityRank = { two_week_wait: 0, urgent: 1, routine: 2 } as const;

const londonDateTime = (d: Date) => d.toLocaleString('en-GB', {
  timeZone: 'Europe/London', weekday: 'long', day: 'numeric', month: 'long', year: 'numeric', hour: '2-digit', minute: '2-digit',
});

async function queueFor(tx: Tx, queue: TaskSpec['queue']): Promise<string> {
  const [row] = await tx.select({ id: queues.id }).from(queues).where(and(
    eq(queues.kind, queue.kind),
    queue.kind === 'specialty' ? eq(queues.specialtyCode, queue.specialtyCode!) : isNull(queues.specialtyCode),
  ));
  if (!row) throw refusal('NO_QUEUE', `No ${queue.kind} queue${queue.specialtyCode ? ` for specialty ${queue.specialtyCode}` : ''}`);
  return row.id;
}

async function bookSlot(tx: Tx, change: PathwayChange, actorId: string | null) {
  const booking = change.booking!;
  const [slot] = await tx.select().from(slots).where(eq(slots.id, booking.slotId));
  if (!slot) throw refusal('SLOT_NOT_FOUND', `Slot ${booking.slotId} does not exist`, 'slotId');
  const [clinic] = await tx.select().from(clinics).where(eq(clinics.id, slot.clinicId));
  const [referral] = await tx.select().from(referrals).where(eq(referrals.id, change.referralId));
  if (clinic.specialtyCode !== referral.specialtyCode) {
    throw refusal('SLOT_WRONG_SPECIALTY', `${clinic.name} is not a ${referral.specialtyCode} clinic`, 'slotId');
  }
  // Triage chose the clinic; booking elsewhere is a new triage decision, not an officer's.
  if (booking.clinicId && slot.clinicId !== booking.clinicId) {
    throw refusal('SLOT_WRONG_CLINIC', `That slot is in ${clinic.name}, not the clinic this referral was accepted to`, 'slotId');
  }
  if (slot.type !== booking.slotType) {
    throw refusal('SLOT_WRONG_TYPE', `This needs a ${booking.slotType.replace(/_/g, ' ')} slot; that one is ${slot.type.replace(/_/g, ' ')}`, 'slotId');
  }
  // The conditional update is the lock: of two officers booking the same slot, exactly one gets the row.
  const taken = await tx.update(slots).set({ status: 'booked' })
    .where(and(eq(slots.id, slot.id), eq(slots.status, 'free'))).returning({ id: slots.id });
  if (taken.length === 0) throw refusal('SLOT_TAKEN', 'That slot has just been taken; pick another', 'slotId');
  const id = newId('appt');
  await tx.insert(appointments).values({
    id, referralId: change.referralId, patientId: change.patientId, slotId: slot.id, clinicId: clinic.id,
    start: slot.start, kind: booking.kind, bookedBy: actorId,
  });
  const when = londonDateTime(slot.start);
  await tx.insert(communications).values({
    id: newId('comm'), commKey: `${change.changeKey}:appointment-letter`, referralId: change.referralId,
    patientId: change.patientId, channel: 'letter', kind: 'appointment_confirmation',
    body: `Your ${booking.kind === 'new' ? 'first' : 'follow-up'} appointment is on ${when} at ${clinic.name}, ${clinic.site}. ` +
      'If you cannot attend, please tell us as soon as possible so we can offer the time to someone else.',
  });
  await writeAudit(tx, [
    { actorId, action: 'slot.booked', entityType: 'slot', entityId: slot.id, before: { status: 'free' }, after: { status: 'booked' } },
    { actorId, action: 'appointment.booked', entityType: 'appointment', entityId: id, after: { slotId: slot.id, start: slot.start, clinicId: clinic.id, kind: booking.kind } },
  ]);
  return { id, start: slot.start.toISOString(), clinicName: clinic.name, clinicId: clinic.id };
}

/** Outcome fields that carry a note's id, and the field its text is shown under. */
const noteFields = { noteId: 'note', reasonNoteId: 'reason' } as const;

/**
 * The words behind the note ids a change carries (the workflow only ever sees ids): the task outcome and the
 * timeline show the text. A note of another referral is never read.
 */
async function noteTexts(tx: Tx, change: PathwayChange): Promise<Map<string, string>> {
  const outcome = (change.completeTask?.outcome ?? {}) as Record<string, unknown>;
  const ids = [
    ...Object.keys(noteFields).map((f) => outcome[f]),
    ...(change.events ?? []).map((e) => e.noteId),
  ].filter((id): id is string => typeof id === 'string');
  if (ids.length === 0) return new Map();
  const found = await tx.select({ id: notes.id, body: notes.body }).from(notes)
    .where(and(inArray(notes.id, [...new Set(ids)]), eq(notes.referralId, change.referralId)));
  const texts = new Map(found.map((n) => [n.id, n.body]));
  const missing = ids.find((id) => !texts.has(id));
  if (missing) {
    const field = Object.entries(noteFields).find(([idField]) => outcome[idField] === missing)?.[1] ?? 'note';
    throw refusal('NOTE_NOT_FOUND', `Note ${missing} is not a note of this referral`, field);
  }
  return texts;
}

function withNoteTexts(outcome: unknown, texts: Map<string, string>): object {
  const resolved: Record<string, unknown> = { ...(outcome as Record<string, unknown>) };
  for (const [idField, textField] of Object.entries(noteFields)) {
    const id = resolved[idField];
    if (typeof id === 'string') resolved[textField] = texts.get(id);
  }
  return resolved;
}

export async function applyPathwayChangeIn(db: Database, change: PathwayChange): Promise<PathwayChangeResult> {
  return db.transaction(async (tx) => {
    const [done] = await tx.select({ result: pathwayChanges.result }).from(pathwayChanges).where(eq(pathwayChanges.changeKey, change.changeKey));
    if (done) return done.result as PathwayChangeResult;

    const actorId = change.actorId;
    const result: PathwayChangeResult = { openedTaskIds: [] };
    const now = new Date();
    const texts = await noteTexts(tx, change);
    const outcome = change.completeTask && withNoteTexts(change.completeTask.outcome, texts);

    if (change.completeTask) {
      // Locked, and completed only while still open: of two changes completing one item, the second finds it
      // done and rolls back whole (no second slot, letter or follow-on item).
      const [before] = await tx.select().from(tasks).where(eq(tasks.id, change.completeTask.taskId)).for('update');
      const notOpen = () => refusal('TASK_NOT_OPEN', 'This work item is no longer open');
      if (!before || (before.status !== 'open' && before.status !== 'claimed')) throw notOpen();
      const completed = await tx.update(tasks).set({
        status: 'done', outcome, completedAt: now, completedBy: actorId,
        assigneeId: before.assigneeId ?? actorId, version: sql`${tasks.version} + 1`, updatedAt: now,
      }).where(and(eq(tasks.id, before.id), inArray(tasks.status, ['open', 'claimed']))).returning({ id: tasks.id });
      if (completed.length === 0) throw notOpen();
      await writeAudit(tx, { actorId, action: 'task.completed', entityType: 'task', entityId: before.id,
        before: { status: before.status, assigneeId: before.assigneeId }, after: { status: 'done', outcome } });
    }

    if (change.booking) result.appointment = await bookSlot(tx, change, actorId);

    if (change.cancelTasks?.length) {
      const cancelled = await tx.update(tasks).set({ status: 'cancelled', completedAt: now, updatedAt: now, version: sql`${tasks.version} + 1` })
        .where(and(inArray(tasks.id, change.cancelTasks), inArray(tasks.status, ['open', 'claimed']))).returning({ id: tasks.id });
      await writeAudit(tx, cancelled.map((t) => ({ actorId, action: 'task.cancelled', entityType: 'task', entityId: t.id,
        after: { status: 'cancelled', reason: 'pathway closed' } })));
    }

    if (change.attendance) {
      const a = change.attendance;
      await tx.update(appointments).set({ state: a.state, outcome: a.outcome }).where(eq(appointments.id, a.appointmentId));
      await writeAudit(tx, { actorId, action: 'appointment.outcome', entityType: 'appointment', entityId: a.appointmentId,
        before: { state: 'booked' }, after: { state: a.state, outcome: a.outcome } });
    }

    if (change.referral && Object.keys(change.referral).length) {
      const [before] = await tx.select({ state: referrals.state, clinicId: referrals.clinicId, clinicalPriority: referrals.clinicalPriority })
        .from(referrals).where(eq(referrals.id, change.referralId));
      await tx.update(referrals).set({ ...change.referral, updatedAt: now }).where(eq(referrals.id, change.referralId));
      await writeAudit(tx, { actorId, action: 'referral.updated', entityType: 'referral', entityId: change.referralId, before, after: change.referral });
    }

    if (change.startPathway) {
      const clock = change.clock!;
      await tx.insert(pathways).values({
        referralId: change.referralId, rttStatus: clock.status, clockStart: clock.clockStart, clockStop: clock.clockStop,
        lastRttCode: clock.lastCode, breachDate: rttBreachDate(clock.clockStart), ...change.startPathway,
      }).onConflictDoNothing();
      await tx.update(referrals).set({ pathwayStarted: true }).where(eq(referrals.id, change.referralId));
      await writeAudit(tx, { actorId, action: 'pathway.started', entityType: 'referral', entityId: change.referralId, after: { clock, ...change.startPathway } });
    } else if (change.clock) {
      const clock = change.clock;
      const [before] = await tx.select().from(pathways).where(eq(pathways.referralId, change.referralId));
      const after = {
        rttStatus: clock.status, clockStart: clock.clockStart, clockStop: clock.clockStop, lastRttCode: clock.lastCode,
        breachDate: rttBreachDate(clock.clockStart),
      };
      if (before && (before.rttStatus !== after.rttStatus || before.clockStart !== after.clockStart || before.lastRttCode !== after.lastRttCode)) {
        await tx.update(pathways).set({ ...after, updatedAt: now }).where(eq(pathways.referralId, change.referralId));
        await writeAudit(tx, { actorId, action: 'rtt_clock.changed', entityType: 'referral', entityId: change.referralId,
          before: { rttStatus: before.rttStatus, clockStart: before.clockStart, clockStop: before.clockStop, lastRttCode: before.lastRttCode }, after });
      }
    }

    if (change.events?.length) {
      await tx.insert(pathwayEvents).values(change.events.map((e) => ({
        referralId: change.referralId, kind: e.kind, rttCode: e.rttCode ?? null, eventDate: e.date, actorId,
        note: [e.note, e.noteId && texts.get(e.noteId)].filter(Boolean).join(': ') || null,
      })));
    }

    if (change.escalate) {
      const [before] = await tx.select({ escalationLevel: tasks.escalationLevel, status: tasks.status, assigneeId: tasks.assigneeId }).from(tasks).where(eq(tasks.id, change.escalate.taskId));
      if (before && (before.status === 'open' || before.status === 'claimed') && before.escalationLevel < change.escalate.level) {
        // The first rung moves the item up its queue (ahead of its peers) and tells whoever holds it.
        const raise = change.escalate.notifyHolder ? { priorityRank: sql`greatest(${tasks.priorityRank} - 1, 0)` } : {};
        await tx.update(tasks).set({ escalationLevel: change.escalate.level, ...raise, version: sql`${tasks.version} + 1`, updatedAt: now })
          .where(eq(tasks.id, change.escalate.taskId));
        await writeAudit(tx, { actorId, action: 'task.escalated', entityType: 'task', entityId: change.escalate.taskId,
          before: { escalationLevel: before.escalationLevel, assigneeId: before.assigneeId },
          after: { escalationLevel: change.escalate.level, ...(change.escalate.notifyHolder ? { notified: before.assigneeId ?? 'queue', movedUp: true } : {}) } });
      }
    }

    // The breach date that orders the new items in their queues, read once for all of them.
    const breachDate = !change.openTasks?.length ? null
      : change.clock ? rttBreachDate(change.clock.clockStart)
      : (await tx.select({ breachDate: pathways.breachDate }).from(pathways).where(eq(pathways.referralId, change.referralId)))[0]?.breachDate ?? null;
    for (const spec of change.openTasks ?? []) {
      const id = newId('task');
      const dueAt = spec.dueAt === 'appointment_start' ? new Date(result.appointment!.start) : new Date(spec.dueAt);
      const payload: Record<string, unknown> = { ...spec.payload };
      if (result.appointment && spec.type === 'record_attendance') {
        Object.assign(payload, { appointmentId: result.appointment.id, clinicName: result.appointment.clinicName, slotStart: result.appointment.start });
      }
      if (spec.type === 'triage_referral') {
        const [referral] = await tx.select({ reason: referrals.reason }).from(referrals).where(eq(referrals.id, change.referralId));
        payload.reason = referral?.reason;
      }
      if (typeof payload.clinicId === 'string' && !payload.clinicName) {
        const [clinic] = await tx.select({ name: clinics.name }).from(clinics).where(eq(clinics.id, payload.clinicId));
        payload.clinicName = clinic?.name;
      }
      const queueId = await queueFor(tx, spec.queue);
      const inserted = await tx.insert(tasks).values({
        id, taskKey: spec.taskKey, type: spec.type, title: spec.title, priority: spec.priority, priorityRank: priorityRank[spec.priority],
        dueAt, queueId, breachDate, workflowId: `referral-${change.referralId}`, referralId: change.referralId, patientId: change.patientId, payload,
      }).onConflictDoNothing({ target: tasks.taskKey }).returning({ id: tasks.id });
      const taskId = inserted[0]?.id ?? (await tx.select({ id: tasks.id }).from(tasks).where(eq(tasks.taskKey, spec.taskKey)))[0].id;
      result.openedTaskIds.push(taskId);
      if (inserted.length) {
        await writeAudit(tx, { actorId, action: 'task.opened', entityType: 'task', entityId: taskId,
          after: { type: spec.type, queueId, priority: spec.priority, dueAt: dueAt.toISOString() } });
      }
    }

    await tx.insert(pathwayChanges).values({ changeKey: change.changeKey, referralId: change.referralId, result });
    return result;
  });
}

export const createPathwayActivities = ({ db }: { db: Database }) => ({
  async applyPathwayChange(change: PathwayChange): Promise<PathwayChangeResult> {
    return applyPathwayChangeIn(db, change);
  },
});
