// The pathway's only writer: each transition the workflow decides is one activity named for what it does
// (recordTriage, bookAppointment, ...), one transaction built from the shared steps below, applied at most
// once, keyed by the workflow's change key. A retry or a worker crash hands back the first result.
import { and, eq, inArray, isNull, sql } from 'drizzle-orm';
import { defaultAccessPolicy, interpreterDueAt, interpreterNeeded, queueFor as routeFor, rttBreachDate, taskTitles, type RttClock } from '../domain';
import {
  escalationClosedByPathwayEnd, escalationClosedOutcome, escalationClosure, escalationsClosedNote, type EscalationClosedReason,
} from '../domain/escalation-closure';
import type { Database, Tx } from '../db/client';
import { newId } from '../db/ids';
import {
  admissions, tciOffers, theatreSessions,
  appointments, attendances, clinics, notes, pathwayChanges, pathwayEvents, pathways, patients, queues, referrals, slots, staff, tasks,
} from '../db/schema';
import { writeAudit } from './audit';
import { cancelPendingMessages, queueBookingMessages, queueCancellationMessages, queueReferrerNotice } from './outbox';
import { notifyStaff } from './staff-notifications';
import { queueHl7Booking, queueHl7Cancellation } from './hl7-outbox';
import { recordRttEvents, rttEventsFromClockMove } from '../db/rtt';
import { closeSlotIssues, queueErsOutcome } from './ers-pathway';
import { afterTciAccepted, cancelBookedOperation } from './cancelled-operations';
import { createPartialBookingActivities, moveEntry, openEntryStatuses } from './partial-booking';
import { queueDischargeLetters, type DischargeLetterTemplate } from './discharge-letters';
import { refusal } from '../workflows/refusal';
import type {
  AppointmentEvidence, BookAppointment, CancelAppointmentChange, CloseEscalations, ChangeBase, RecordOfferDecision, SlotBooking, ClosePathway, EndPathway, Escalate, MoveClock, PathwayChange, PathwayChangeResult, PathwayEvent,
  RaiseValidation, RecordAdmittedCare, RecordAttendanceOutsideClinic, RecordOutcome, RecordTriage, RecordValidation, ResolveEscalation, RttEventRecord, StartPathway, TaskSpec,
} from '../workflows/types';

export const priorityRank = { two_week_wait: 0, urgent: 1, routine: 2 } as const;

const londonDate = (d: Date) => d.toLocaleDateString('en-CA', { timeZone: 'Europe/London' });

const londonDateTime = (d: Date) => d.toLocaleString('en-GB', {
  timeZone: 'Europe/London', weekday: 'long', day: 'numeric', month: 'long', year: 'numeric', hour: '2-digit', minute: '2-digit',
});

export async function queueFor(tx: Tx, queue: TaskSpec['queue']): Promise<string> {
  const [row] = await tx.select({ id: queues.id }).from(queues).where(and(
    eq(queues.kind, queue.kind),
    queue.kind === 'specialty' ? eq(queues.specialtyCode, queue.specialtyCode!) : isNull(queues.specialtyCode),
  ));
  if (!row) throw refusal('NO_QUEUE', `No ${queue.kind} queue${queue.specialtyCode ? ` for specialty ${queue.specialtyCode}` : ''}`);
  return row.id;
}

/** The later of the wall clock and the workflow's now (they differ only when a test server skips time ahead). */
const nowAsOf = (asOf: string | undefined, now: Date) => (asOf && Date.parse(asOf) > now.getTime() ? new Date(asOf) : now);

/**
 * Books a free slot for the pathway, writing the appointment, its letter and audit entries. `replacing`: a reschedule,
 * whose letter says the appointment has moved (one letter, not a cancellation and a confirmation).
 */
export async function bookSlot(tx: Tx, change: ChangeBase & { booking: SlotBooking }, actorId: string | null,
  opts: { now?: Date; replacing?: { start: Date; appointmentId: string } } = {}) {
  const booking = change.booking;
  // Locked as read: a template reconcile changing a free slot waits, so the checks below hold until it is booked.
  const [slot] = await tx.select().from(slots).where(eq(slots.id, booking.slotId)).for('update');
  if (!slot) throw refusal('SLOT_NOT_FOUND', `Slot ${booking.slotId} does not exist`, 'slotId');
  if (slot.start.getTime() <= (opts.now ?? new Date()).getTime()) {
    throw refusal('SLOT_IN_PAST', 'That slot has already started; pick one still to come', 'slotId');
  }
  if (slot.status === 'blocked') throw refusal('SLOT_NOT_FREE', 'That slot is blocked (its session was cancelled or reduced); pick another', 'slotId');
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
  // Told at booking (on the phone, in person): the evidence a first-appointment DNA needs to nullify the clock.
  const told = booking.communicatedBy ? { communicatedAt: new Date(), communicatedBy: booking.communicatedBy } : {};
  const [patient] = await tx.select({ interpreterLanguage: patients.interpreterLanguage, aisNeeds: patients.aisNeeds })
    .from(patients).where(eq(patients.id, change.patientId));
  const language = patient ? interpreterNeeded(patient) : null;
  await tx.insert(appointments).values({
    id, referralId: change.referralId, patientId: change.patientId, slotId: slot.id, clinicId: clinic.id,
    start: slot.start, kind: booking.kind, bookedBy: actorId, ...told, ...(language ? { interpreterStatus: 'needed' as const } : {}),
  });
  // Issue 12: an interpreter (spoken language or BSL) to book before the appointment, an item beside the pathway's own
  // (the API completes it; cancelling or moving the appointment cancels it).
  if (language) {
    const priority = referral.clinicalPriority ?? referral.priority;
    await openTasks(tx, { referralId: change.referralId, patientId: change.patientId, actorId }, [{
      taskKey: `${change.changeKey}:book_interpreter`, type: 'book_interpreter', title: taskTitles.book_interpreter,
      queue: routeFor('book_interpreter', priority, referral.specialtyCode), priority,
      dueAt: interpreterDueAt(slot.start.getTime(), (opts.now ?? new Date()).getTime(), defaultAccessPolicy.interpreters.bookDaysBefore),
      payload: { specialtyCode: referral.specialtyCode, appointmentId: id, language, appointmentStart: slot.start.toISOString(), clinicName: clinic.name },
    }], undefined, undefined);
  }
  // Issue 14: an e-RS slot issue for this referral is resolved by the booking.
  await closeSlotIssues(tx, { referralId: change.referralId, actorId, now: opts.now ?? new Date(), why: 'booked' });
  await queueBookingMessages(tx, change.changeKey, {
    id, referralId: change.referralId, patientId: change.patientId, start: slot.start, kind: booking.kind, clinic,
  }, opts.replacing, opts.now);
  // The PAS is told in the same transaction (issue 14): a new booking, or the appointment it knows moved here.
  await queueHl7Booking(tx, change.changeKey, { appointmentId: id, patientId: change.patientId, actorId, at: opts.now ?? new Date(), replacing: opts.replacing?.appointmentId });
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
export async function noteTexts(tx: Tx, change: ChangeBase & Pick<PathwayChange, 'completeTask' | 'events'>): Promise<Map<string, string>> {
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

/** What every step of a change knows: whose pathway, who acts, when, and the words behind its note ids. */
export type Step = { referralId: string; patientId: string; actorId: string | null; changeKey: string; now: Date; texts: Map<string, string> };

/**
 * Runs one change at most once: the change key is checked and recorded in the same transaction as the
 * rows and their audit entries, so a retry finds the key and hands back the first result.
 */
export async function once(db: Database, change: ChangeBase, run: (tx: Tx, step: Step) => Promise<PathwayChangeResult>): Promise<PathwayChangeResult> {
  return db.transaction(async (tx) => {
    const [done] = await tx.select({ result: pathwayChanges.result }).from(pathwayChanges).where(eq(pathwayChanges.changeKey, change.changeKey));
    if (done) return done.result as PathwayChangeResult;
    const texts = await noteTexts(tx, change);
    const result = await run(tx, { ...change, actorId: change.actorId, now: new Date(), texts });
    await tx.insert(pathwayChanges).values({ changeKey: change.changeKey, referralId: change.referralId, result });
    return result;
  });
}

/** Completes the item only while it is still open: of two changes completing one item, the second rolls back whole. */
export async function completeTask(tx: Tx, step: Step, { taskId, outcome: given }: NonNullable<PathwayChange['completeTask']>) {
  const { actorId, now } = step;
  const outcome = withNoteTexts(given, step.texts);
  const [before] = await tx.select().from(tasks).where(eq(tasks.id, taskId)).for('update');
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

export async function cancelTasks(tx: Tx, { actorId, now }: Step, ids: string[]) {
  if (!ids.length) return;
  // An escalation closed with its pathway says so on the item (issue 11); other items keep what they had.
  const outcome = sql`case when ${tasks.type} in ('escalation_review', 'capacity_escalation') and ${tasks.outcome} is null
    then ${JSON.stringify({ closed: escalationClosedByPathwayEnd })}::jsonb else ${tasks.outcome} end`;
  const cancelled = await tx.update(tasks).set({ status: 'cancelled', outcome, completedAt: now, updatedAt: now, version: sql`${tasks.version} + 1` })
    .where(and(inArray(tasks.id, ids), inArray(tasks.status, ['open', 'claimed']))).returning({ id: tasks.id });
  await writeAudit(tx, cancelled.map((t) => ({ actorId, action: 'task.cancelled', entityType: 'task', entityId: t.id,
    after: { status: 'cancelled', reason: 'pathway closed' } })));
}

/**
 * Interpreter items (issue 12) no longer wanted: their appointment cancelled, moved, held, or the pathway over. The
 * pathway never knew them, so its own cancellations do not reach them.
 */
export async function cancelInterpreterItems(tx: Tx, { actorId, now }: Pick<Step, 'actorId' | 'now'>,
  of: { appointmentId: string } | { referralId: string }, reason: string) {
  const which = 'appointmentId' in of ? sql`${tasks.payload}->>'appointmentId' = ${of.appointmentId}` : eq(tasks.referralId, of.referralId);
  const cancelled = await tx.update(tasks).set({ status: 'cancelled', completedAt: now, updatedAt: now, version: sql`${tasks.version} + 1` })
    .where(and(eq(tasks.type, 'book_interpreter'), inArray(tasks.status, ['open', 'claimed']), which)).returning({ id: tasks.id });
  await writeAudit(tx, cancelled.map((t) => ({ actorId, action: 'task.cancelled' as const, entityType: 'task' as const, entityId: t.id,
    after: { status: 'cancelled', reason } })));
}

/** An appointment still to come is freed when its pathway ends: the appointment is cancelled and its slot free again. */
async function releaseAppointment(tx: Tx, { actorId, now, changeKey }: Step, appointmentId: string | null | undefined) {
  if (!appointmentId) return;
  const [appt] = await tx.select().from(appointments).where(eq(appointments.id, appointmentId)).for('update');
  if (!appt || appt.state !== 'booked' || appt.start <= now) return;
  await tx.update(appointments).set({ state: 'cancelled_by_hospital' }).where(eq(appointments.id, appt.id));
  await cancelPendingMessages(tx, appt.id);
  await queueHl7Cancellation(tx, `${changeKey}:release`, { appointmentId: appt.id, patientId: appt.patientId, actorId, at: now, by: 'hospital' });
  await cancelInterpreterItems(tx, { actorId, now }, { appointmentId: appt.id }, 'appointment cancelled');
  await tx.update(slots).set({ status: 'free' }).where(and(eq(slots.id, appt.slotId), eq(slots.status, 'booked')));
  await writeAudit(tx, [
    { actorId, action: 'appointment.cancelled', entityType: 'appointment', entityId: appt.id, before: { state: 'booked' },
      after: { state: 'cancelled_by_hospital', reason: 'pathway ended' } },
    { actorId, action: 'slot.freed', entityType: 'slot', entityId: appt.slotId, before: { status: 'booked' }, after: { status: 'free' } },
  ]);
}

/**
 * The pathway's booked appointment, cancelled: only while it is booked and still to come (once it has started, its
 * attendance is what to record). Its slot is freed, or blocked when its clinic session is being cancelled.
 */
async function cancelBookedAppointment(tx: Tx, { actorId, referralId }: Step, cancel: CancelAppointmentChange['cancel'], now: Date) {
  const [appt] = await tx.select().from(appointments).where(eq(appointments.id, cancel.appointmentId)).for('update');
  if (!appt || appt.referralId !== referralId) throw refusal('APPOINTMENT_NOT_CURRENT', 'That appointment is not this pathway\'s current booking', 'appointmentId');
  if (appt.state !== 'booked') {
    throw refusal('APPOINTMENT_NOT_BOOKED', `This appointment is ${appt.state.replace(/_/g, ' ')}, no longer booked`, 'appointmentId');
  }
  if (appt.start.getTime() <= now.getTime() && !cancel.afterStart) {
    throw refusal('APPOINTMENT_NOT_BOOKED', 'This appointment has already started: record the attendance instead', 'appointmentId');
  }
  const state = cancel.by === 'patient' ? 'cancelled_by_patient' as const : 'cancelled_by_hospital' as const;
  await tx.update(appointments).set({
    state, cancelledBy: cancel.by, cancelledAt: now, cancelledByStaff: actorId, cancelNoteId: cancel.noteId ?? null,
    sessionChangeId: cancel.sessionChangeId ?? null,
  }).where(eq(appointments.id, appt.id));
  await cancelInterpreterItems(tx, { actorId, now }, { appointmentId: appt.id }, 'appointment cancelled');
  const slotStatus = cancel.sessionChangeId ? 'blocked' as const : 'free' as const;
  await tx.update(slots).set({ status: slotStatus }).where(and(eq(slots.id, appt.slotId), eq(slots.status, 'booked')));
  const [clinic] = await tx.select({ name: clinics.name }).from(clinics).where(eq(clinics.id, appt.clinicId));
  await writeAudit(tx, [
    { actorId, action: 'appointment.cancelled', entityType: 'appointment', entityId: appt.id, before: { state: 'booked' },
      after: { state, cancelledBy: cancel.by, cancelNoteId: cancel.noteId ?? null, sessionChangeId: cancel.sessionChangeId ?? null } },
    { actorId, action: cancel.sessionChangeId ? 'slot.blocked' : 'slot.freed', entityType: 'slot', entityId: appt.slotId,
      before: { status: 'booked' }, after: { status: slotStatus } },
  ]);
  return { start: appt.start, clinicName: clinic?.name ?? 'the clinic' };
}

export async function recordAttendance(tx: Tx, { actorId, now }: Step, a: NonNullable<PathwayChange['attendance']>) {
  // An attendance outside clinic (issue 16) has its own row, written with its outcome when it was recorded.
  if (a.appointmentId.startsWith('att_')) return;
  await tx.update(appointments).set({ state: a.state, outcome: a.outcome }).where(eq(appointments.id, a.appointmentId));
  await cancelInterpreterItems(tx, { actorId, now }, { appointmentId: a.appointmentId }, 'appointment held');
  await writeAudit(tx, { actorId, action: 'appointment.outcome', entityType: 'appointment', entityId: a.appointmentId,
    before: { state: 'booked' }, after: { state: a.state, outcome: a.outcome } });
}

export async function updateReferral(tx: Tx, { referralId, actorId, now }: Step, referral: NonNullable<PathwayChange['referral']>) {
  if (!Object.keys(referral).length) return;
  const [before] = await tx.select({ state: referrals.state, clinicId: referrals.clinicId, clinicalPriority: referrals.clinicalPriority })
    .from(referrals).where(eq(referrals.id, referralId));
  await tx.update(referrals).set({ ...referral, updatedAt: now }).where(eq(referrals.id, referralId));
  // Issue 16: leaving PIFU (a trigger, a discharge, any outcome) ends its period.
  if (referral.state && referral.state !== 'pifu') {
    await tx.update(pathways).set({ pifuExpiresOn: null, pifuAtExpiry: null })
      .where(and(eq(pathways.referralId, referralId), sql`${pathways.pifuExpiresOn} is not null`));
  }
  await writeAudit(tx, { actorId, action: 'referral.updated', entityType: 'referral', entityId: referralId, before, after: referral });
}

async function startClock(
  tx: Tx, { referralId, actorId, changeKey }: Step, clock: RttClock, targets: NonNullable<PathwayChange['startPathway']>, rtt?: RttEventRecord[],
  workflowRunning = true,
) {
  const started = await tx.insert(pathways).values({
    referralId, rttStatus: clock.status, clockStart: clock.clockStart, clockStop: clock.clockStop,
    lastRttCode: clock.lastCode, breachDate: rttBreachDate(clock.clockStart), ...targets,
    cancerClockStart: targets.fdsTarget ? clock.clockStart : null,
  }).onConflictDoNothing().returning({ referralId: pathways.referralId });
  if (started.length) await recordRttEvents(tx, { referralId, actorId, changeKey }, rtt ?? rttEventsFromClockMove(null, clock, clock.clockStart));
  // Intake applies this change before it starts the workflow, and marks the start itself once Temporal has it.
  if (workflowRunning) await tx.update(referrals).set({ pathwayStarted: true }).where(eq(referrals.id, referralId));
  await writeAudit(tx, { actorId, action: 'pathway.started', entityType: 'referral', entityId: referralId, after: { clock, ...targets } });
}

/** Moves the RTT clock and records the events behind it (named by the change, or derived from the move); a clock as it was writes nothing. */
export async function moveClock(tx: Tx, { referralId, actorId, now, changeKey }: Step, clock: RttClock, rtt?: RttEventRecord[]) {
  const [before] = await tx.select().from(pathways).where(eq(pathways.referralId, referralId));
  const events = rtt ?? (before ? rttEventsFromClockMove(
    { clockStart: before.clockStart, lastCode: before.lastRttCode as RttClock['lastCode'], status: before.rttStatus }, clock, londonDate(now),
  ) : []);
  await recordRttEvents(tx, { referralId, actorId, changeKey }, events);
  const after = {
    rttStatus: clock.status, clockStart: clock.clockStart, clockStop: clock.clockStop, lastRttCode: clock.lastCode,
    breachDate: rttBreachDate(clock.clockStart),
  };
  if (before && (before.rttStatus !== after.rttStatus || before.clockStart !== after.clockStart || before.lastRttCode !== after.lastRttCode)) {
    await tx.update(pathways).set({ ...after, updatedAt: now }).where(eq(pathways.referralId, referralId));
    await writeAudit(tx, { actorId, action: 'rtt_clock.changed', entityType: 'referral', entityId: referralId,
      before: { rttStatus: before.rttStatus, clockStart: before.clockStart, clockStop: before.clockStop, lastRttCode: before.lastRttCode }, after });
  }
}

export async function recordEvents(tx: Tx, { referralId, actorId, texts }: Step, events: PathwayEvent[]) {
  if (!events.length) return;
  await tx.insert(pathwayEvents).values(events.map((e) => ({
    referralId, kind: e.kind, rttCode: e.rttCode ?? null, eventDate: e.date, actorId,
    note: [e.note, e.noteId && texts.get(e.noteId)].filter(Boolean).join(': ') || null,
  })));
}

async function escalateTask(tx: Tx, { actorId, now }: Step, escalate: NonNullable<PathwayChange['escalate']>) {
  const [before] = await tx.select({ escalationLevel: tasks.escalationLevel, status: tasks.status, assigneeId: tasks.assigneeId, title: tasks.title, referralId: tasks.referralId })
    .from(tasks).where(eq(tasks.id, escalate.taskId));
  if (!before || (before.status !== 'open' && before.status !== 'claimed') || before.escalationLevel >= escalate.level) return;
  // The holder hears of it in their inbox (issue 12). An item nobody holds is told to its queue by moving up it,
  // not by a bell for every member; the next rung goes to the team leaders.
  if (escalate.notifyHolder && before.assigneeId) {
    await notifyStaff(tx, {
      key: `escalation:${escalate.taskId}:${escalate.level}`, staffId: before.assigneeId, kind: 'escalation',
      title: `Overdue: ${before.title}`, body: 'It has moved up its queue. Finish it, or release it if you cannot.',
      taskId: escalate.taskId, referralId: before.referralId,
    });
  }
  // The first rung moves the item up its queue (ahead of its peers) and tells whoever holds it.
  const raise = escalate.notifyHolder ? { priorityRank: sql`greatest(${tasks.priorityRank} - 1, 0)` } : {};
  await tx.update(tasks).set({ escalationLevel: escalate.level, ...raise, version: sql`${tasks.version} + 1`, updatedAt: now })
    .where(eq(tasks.id, escalate.taskId));
  await writeAudit(tx, { actorId, action: 'task.escalated', entityType: 'task', entityId: escalate.taskId,
    before: { escalationLevel: before.escalationLevel, assigneeId: before.assigneeId },
    after: { escalationLevel: escalate.level, ...(escalate.notifyHolder ? { notified: before.assigneeId ?? 'queue', movedUp: true } : {}) } });
}

/** Opens the pathway's next work items, ordered in their queues by the breach date of the clock given or recorded. */
export async function openTasks(tx: Tx, step: Pick<Step, 'referralId' | 'patientId' | 'actorId'>, specs: TaskSpec[], clock: RttClock | undefined,
  appointment: PathwayChangeResult['appointment']): Promise<string[]> {
  if (!specs.length) return [];
  const { referralId, patientId, actorId } = step;
  const breachDate = clock ? rttBreachDate(clock.clockStart)
    : (await tx.select({ breachDate: pathways.breachDate }).from(pathways).where(eq(pathways.referralId, referralId)))[0]?.breachDate ?? null;
  const opened: string[] = [];
  for (const spec of specs) {
    const id = newId('task');
    const dueAt = spec.dueAt === 'appointment_start' ? new Date(appointment!.start) : new Date(spec.dueAt);
    const payload: Record<string, unknown> = { ...spec.payload };
    if (appointment && spec.type === 'record_attendance') {
      Object.assign(payload, { appointmentId: appointment.id, clinicName: appointment.clinicName, slotStart: appointment.start });
    }
    if (spec.type === 'triage_referral') {
      const [referral] = await tx.select({ reason: referrals.reason }).from(referrals).where(eq(referrals.id, referralId));
      payload.reason = referral?.reason;
    }
    if (typeof payload.clinicId === 'string' && !payload.clinicName) {
      const [clinic] = await tx.select({ name: clinics.name }).from(clinics).where(eq(clinics.id, payload.clinicId));
      payload.clinicName = clinic?.name;
    }
    const queueId = await queueFor(tx, spec.queue);
    const inserted = await tx.insert(tasks).values({
      id, taskKey: spec.taskKey, type: spec.type, title: spec.title, priority: spec.priority, priorityRank: priorityRank[spec.priority],
      dueAt, queueId, breachDate, workflowId: `referral-${referralId}`, referralId, patientId, payload,
    }).onConflictDoNothing({ target: tasks.taskKey }).returning({ id: tasks.id });
    const taskId = inserted[0]?.id ?? (await tx.select({ id: tasks.id }).from(tasks).where(eq(tasks.taskKey, spec.taskKey)))[0].id;
    opened.push(taskId);
    if (inserted.length) {
      await writeAudit(tx, { actorId, action: 'task.opened', entityType: 'task', entityId: taskId,
        after: { type: spec.type, queueId, priority: spec.priority, dueAt: dueAt.toISOString() } });
    }
  }
  return opened;
}

/**
 * Every step a change names, in one order. What pathways recorded before the stage activities call
 * (applyPathwayChange); the stage activities below are the same steps, each only its own.
 */
export async function applyPathwayChangeIn(db: Database, change: PathwayChange): Promise<PathwayChangeResult> {
  return once(db, change, async (tx, step) => {
    if (change.completeTask) await completeTask(tx, step, change.completeTask);
    const appointment = change.booking ? await bookSlot(tx, change as BookAppointment, step.actorId) : undefined;
    if (change.cancelTasks) await cancelTasks(tx, step, change.cancelTasks);
    if (change.attendance) await recordAttendance(tx, step, change.attendance);
    if (change.referral) await updateReferral(tx, step, change.referral);
    if (change.startPathway) await startClock(tx, step, change.clock!, change.startPathway, change.rttEvents);
    else if (change.clock) await moveClock(tx, step, change.clock, change.rttEvents);
    if (change.events) await recordEvents(tx, step, change.events);
    if (change.escalate) await escalateTask(tx, step, change.escalate);
    const openedTaskIds = await openTasks(tx, step, change.openTasks ?? [], change.clock, appointment);
    return appointment ? { openedTaskIds, appointment } : { openedTaskIds };
  });
}

/**
 * Which discharge letter a closing pathway sends, read before the change moves the referral: a pathway on PIFU (its
 * expiry, or the review that expiry raised) says the patient did not ask to be seen. Chosen here, not by the workflow,
 * so histories recorded before the PIFU wording replay unchanged (issue 16).
 */
async function dischargeLetterTemplate(tx: Tx, referralId: string): Promise<DischargeLetterTemplate> {
  const [row] = await tx.select({ state: referrals.state }).from(referrals).where(eq(referrals.id, referralId));
  return row?.state === 'pifu' ? 'pifu_discharged' : 'follow_up_discharged';
}

export const createPathwayActivities = ({ db }: { db: Database }) => ({
  // Issue 16: the partial booking list's stage activities.
  ...createPartialBookingActivities({ db }),
  /** Recorded by pathways started before the stage activities (patch 2026-11-pathway-by-stage); still replayed. */
  async applyPathwayChange(change: PathwayChange): Promise<PathwayChangeResult> {
    return applyPathwayChangeIn(db, change);
  },

  /** A referral's pathway begins: its RTT clock and cancer targets, the timeline's first entry, the triage item. */
  async startPathway(c: StartPathway): Promise<PathwayChangeResult> {
    return once(db, c, async (tx, step) => {
      await startClock(tx, step, c.clock, c.startPathway, c.rttEvents, !c.beforeWorkflow);
      await recordEvents(tx, step, c.events);
      return { openedTaskIds: await openTasks(tx, step, c.openTasks, c.clock, undefined) };
    });
  },

  /** A referral accepted at triage: its clinic and clinical priority, and the item to book it. */
  async recordTriage(c: RecordTriage): Promise<PathwayChangeResult> {
    return once(db, c, async (tx, step) => {
      await completeTask(tx, step, c.completeTask);
      await updateReferral(tx, step, c.referral);
      // Issue 14: an e-RS referral's acceptance goes back to e-RS (sent by the e-RS poll), decided in this transaction.
      await queueErsOutcome(tx, { changeKey: c.changeKey, referralId: c.referralId, action: 'accept', decidedBy: step.actorId,
        comments: `Accepted by the provider as ${c.referral.clinicalPriority?.replace(/_/g, ' ') ?? 'referred'}; the patient will be contacted to book.` });
      if (c.cancerTargets) {
        await tx.update(pathways).set({ ...c.cancerTargets, updatedAt: step.now }).where(eq(pathways.referralId, c.referralId));
        await writeAudit(tx, { actorId: step.actorId, action: 'cancer_targets.set', entityType: 'referral', entityId: c.referralId, after: c.cancerTargets });
      }
      await recordEvents(tx, step, c.events);
      return { openedTaskIds: await openTasks(tx, step, c.openTasks, undefined, undefined) };
    });
  },

  /** How and when the patient was told of an appointment: read at a DNA, the evidence that decides nullification (33). */
  async appointmentEvidence(appointmentId: string): Promise<AppointmentEvidence> {
    const [row] = await db.select({ communicatedAt: appointments.communicatedAt, communicatedBy: appointments.communicatedBy })
      .from(appointments).where(eq(appointments.id, appointmentId));
    return { communicatedAt: row?.communicatedAt?.toISOString() ?? null, communicatedBy: row?.communicatedBy ?? null };
  },

  /** A slot booked: the appointment, its letter, and the item to record attendance when it starts. */
  async bookAppointment(c: BookAppointment): Promise<PathwayChangeResult> {
    return once(db, c, async (tx, step) => {
      await completeTask(tx, step, c.completeTask);
      const appointment = await bookSlot(tx, c, step.actorId, { now: nowAsOf(c.asOf, step.now) });
      await updateReferral(tx, step, c.referral);
      await recordEvents(tx, step, c.events);
      return { openedTaskIds: await openTasks(tx, step, c.openTasks, undefined, appointment), appointment };
    });
  },

  /** A clinic outcome (attended with follow-up, did not attend) or a clinician's rebook after a DNA: the clock moves, the next item opens. */
  async recordOutcome(c: RecordOutcome): Promise<PathwayChangeResult> {
    return once(db, c, async (tx, step) => {
      await completeTask(tx, step, c.completeTask);
      if (c.attendance) await recordAttendance(tx, step, c.attendance);
      await updateReferral(tx, step, c.referral);
      await moveClock(tx, step, c.clock, c.rttEvents);
      await recordEvents(tx, step, c.events);
      return { openedTaskIds: await openTasks(tx, step, c.openTasks, c.clock, undefined) };
    });
  },

  /** The pathway ends (returned to the referrer, discharged): its escalations close with it. */
  async closePathway(c: ClosePathway): Promise<PathwayChangeResult> {
    return once(db, c, async (tx, step) => {
      await completeTask(tx, step, c.completeTask);
      await cancelTasks(tx, step, c.cancelTasks);
      await cancelInterpreterItems(tx, step, { referralId: c.referralId }, 'pathway closed');
      if (c.attendance) await recordAttendance(tx, step, c.attendance);
      const letters = c.dischargeLetters ? await dischargeLetterTemplate(tx, c.referralId) : undefined;
      await updateReferral(tx, step, c.referral);
      await moveClock(tx, step, c.clock, c.rttEvents);
      await recordEvents(tx, step, c.events);
      const returned = c.events.find((e) => e.kind === 'returned_to_referrer');
      if (returned) {
        const reason = (returned.noteId && step.texts.get(returned.noteId)) || returned.note || 'Returned at triage';
        await queueReferrerNotice(tx, c.changeKey, c.referralId, reason);
        await queueErsOutcome(tx, { changeKey: c.changeKey, referralId: c.referralId, action: 'return_to_referrer', comments: reason, decidedBy: step.actorId });
      }
      await closeSlotIssues(tx, { referralId: c.referralId, actorId: step.actorId, now: step.now, why: returned ? 'returned' : 'closed' });
      if (c.dischargeLetters) await queueDischargeLetters(tx, c, letters);
      return { openedTaskIds: [] };
    });
  },

  /**
   * The pathway ends outside a clinic outcome (an administrative event, a validation): the item completed, every
   * other open item cancelled, an appointment still to come freed, the clock moved with its events.
   */
  async endPathway(c: EndPathway): Promise<PathwayChangeResult> {
    return once(db, c, async (tx, step) => {
      if (c.completeTask) await completeTask(tx, step, c.completeTask);
      await cancelTasks(tx, step, c.cancelTasks ?? []);
      await releaseAppointment(tx, step, c.releaseAppointmentId);
      await cancelInterpreterItems(tx, step, { referralId: c.referralId }, 'pathway closed');
      await closeSlotIssues(tx, { referralId: c.referralId, actorId: step.actorId, now: step.now, why: 'closed' });
      if (c.attendance) await recordAttendance(tx, step, c.attendance);
      const letters = c.dischargeLetters ? await dischargeLetterTemplate(tx, c.referralId) : undefined;
      await updateReferral(tx, step, c.referral);
      if (c.clock) await moveClock(tx, step, c.clock, c.rttEvents ?? []);
      await recordEvents(tx, step, c.events);
      if (c.partialBookingEntryId) await moveEntry(tx, step, c.partialBookingEntryId, openEntryStatuses, 'discharged');
      if (c.dischargeLetters) await queueDischargeLetters(tx, c, letters);
      return { openedTaskIds: [] };
    });
  },

  /** A clock move that keeps the pathway going (active monitoring): what it replaces is cancelled, its next item opens. */
  async continuePathway(c: MoveClock): Promise<PathwayChangeResult> {
    return once(db, c, async (tx, step) => {
      if (c.pifu) await tx.update(pathways).set({ pifuExpiresOn: c.pifu.expiresOn, pifuAtExpiry: c.pifu.atExpiry }).where(eq(pathways.referralId, c.referralId));
      if (c.completeTask) await completeTask(tx, step, c.completeTask);
      await cancelTasks(tx, step, c.cancelTasks ?? []);
      await releaseAppointment(tx, step, c.releaseAppointmentId);
      if (c.attendance) await recordAttendance(tx, step, c.attendance);
      await updateReferral(tx, step, c.referral);
      if (c.clock) await moveClock(tx, step, c.clock, c.rttEvents ?? []);
      await recordEvents(tx, step, c.events);
      return { openedTaskIds: await openTasks(tx, step, c.openTasks, c.clock, undefined) };
    });
  },

  /**
   * Issue 16: a patient seen outside a booked clinic. The attendance row (one per change key), what it supersedes
   * cancelled (a booked appointment still to come freed), and the record_attendance item its outcome completes next.
   */
  async recordAttendanceOutsideClinic(c: RecordAttendanceOutsideClinic): Promise<PathwayChangeResult> {
    return once(db, c, async (tx, step) => {
      const a = c.attendance;
      await tx.insert(attendances).values({
        id: a.id, referralId: c.referralId, patientId: c.patientId, attendedOn: a.attendedOn, clinicianId: a.clinicianId, setting: a.setting,
        outcome: a.outcome, followUpWeeks: a.followUpWeeks, rttCode: a.rttCode, changeKey: c.changeKey, recordedBy: c.actorId,
      }).onConflictDoNothing({ target: attendances.changeKey });
      await writeAudit(tx, { actorId: c.actorId, action: 'attendance.recorded', entityType: 'attendance', entityId: a.id,
        after: { referralId: c.referralId, attendedOn: a.attendedOn, setting: a.setting, outcome: a.outcome, rttCode: a.rttCode, clinicianId: a.clinicianId } });
      await cancelTasks(tx, step, c.cancelTasks);
      await releaseAppointment(tx, step, c.releaseAppointmentId);
      await recordEvents(tx, step, c.events);
      return { openedTaskIds: await openTasks(tx, step, c.openTasks, undefined, undefined) };
    });
  },

  /** A validation point reached: the validate_pathway item in the Validation queue. */
  async raiseValidation(c: RaiseValidation): Promise<PathwayChangeResult> {
    return once(db, c, async (tx, step) => {
      await recordEvents(tx, step, c.events);
      return { openedTaskIds: await openTasks(tx, step, c.openTasks, undefined, undefined) };
    });
  },

  /** A validation that keeps the pathway (still waiting, data corrected): who validated it and when. */
  async recordValidation(c: RecordValidation): Promise<PathwayChangeResult> {
    return once(db, c, async (tx, step) => {
      await completeTask(tx, step, c.completeTask);
      await tx.update(pathways).set({ lastValidatedAt: step.now, lastValidatedBy: step.actorId, updatedAt: step.now })
        .where(eq(pathways.referralId, c.referralId));
      await writeAudit(tx, { actorId: step.actorId, action: 'pathway.validated', entityType: 'referral', entityId: c.referralId,
        after: { outcome: (c.completeTask.outcome as { outcome?: string }).outcome } });
      await recordEvents(tx, step, c.events);
      return { openedTaskIds: [] };
    });
  },

  /** An overdue rung: the item moves up or its holder is told, and a leader's or ops' review item opens. */
  async escalate(c: Escalate): Promise<PathwayChangeResult> {
    return once(db, c, async (tx, step) => {
      await recordEvents(tx, step, c.events);
      if (c.escalate) await escalateTask(tx, step, c.escalate);
      return { openedTaskIds: await openTasks(tx, step, c.openTasks ?? [], undefined, undefined) };
    });
  },

  /**
   * An appointment cancelled by the patient or the hospital, or moved (issue 10): one transaction, so a slot taken
   * under a reschedule rolls back the cancellation too. The RTT clock is not touched.
   */
  async cancelAppointment(c: CancelAppointmentChange): Promise<PathwayChangeResult> {
    return once(db, c, async (tx, step) => {
      const now = nowAsOf(c.asOf, step.now);
      const cancelled = await cancelBookedAppointment(tx, step, c.cancel, now);
      await cancelTasks(tx, step, c.cancelTasks);
      let appointment: PathwayChangeResult['appointment'];
      if (c.booking) {
        await cancelPendingMessages(tx, c.cancel.appointmentId);
        appointment = await bookSlot(tx, { ...c, booking: c.booking }, step.actorId, { now, replacing: { start: cancelled.start, appointmentId: c.cancel.appointmentId } });
        await tx.update(appointments).set({ rebookedAppointmentId: appointment!.id }).where(eq(appointments.id, c.cancel.appointmentId));
      } else {
        // At cash-up the day has gone: the patient is not written to about an appointment already past (issue 16).
        if (!c.cancel.afterStart) await queueCancellationMessages(tx, c.changeKey, {
          appointmentId: c.cancel.appointmentId, referralId: c.referralId, patientId: c.patientId, by: c.cancel.by,
          start: cancelled.start, clinicName: cancelled.clinicName,
        });
        await queueHl7Cancellation(tx, c.changeKey, { appointmentId: c.cancel.appointmentId, patientId: c.patientId, actorId: step.actorId, at: now, by: c.cancel.by });
      }
      await updateReferral(tx, step, c.referral);
      await recordEvents(tx, step, c.events);
      // A booking item raised by the patient's cancellation names the appointment it replaces, as the hospital's rebook
      // item does: a ward form's follow-up stays held to the ward's date (db/ward-form-follow-up.ts).
      const specs = c.openTasks.map((t) => (t.type === 'book_follow_up' || t.type === 'book_new_appointment') && !c.booking
        ? { ...t, payload: { ...t.payload, cancelledAppointmentId: c.cancel.appointmentId } } : t);
      const openedTaskIds = await openTasks(tx, step, specs, undefined, appointment);
      return appointment ? { openedTaskIds, appointment } : { openedTaskIds };
    });
  },

  /** An offer declined (issue 10): on the timeline; at the limit, the booking item gives way to a clinical review. */
  async recordOfferDecision(c: RecordOfferDecision): Promise<PathwayChangeResult> {
    return once(db, c, async (tx, step) => {
      await cancelTasks(tx, step, c.cancelTasks ?? []);
      if (c.referral) await updateReferral(tx, step, c.referral);
      await recordEvents(tx, step, c.events);
      return { openedTaskIds: await openTasks(tx, step, c.openTasks ?? [], undefined, undefined) };
    });
  },

  /**
   * Issue 11: the open escalations whose problem is fixed close themselves (cancelled: no longer needed), each with an
   * outcome saying why and an audit row, and one timeline line per reason. Returns the ids it closed.
   */
  async closeEscalations(c: CloseEscalations): Promise<PathwayChangeResult> {
    return once(db, c, async (tx, step) => {
      if (!c.escalationTaskIds.length) return { openedTaskIds: [], closedTaskIds: [] };
      const open = await tx.select({ id: tasks.id, status: tasks.status, assigneeId: tasks.assigneeId, payload: tasks.payload })
        .from(tasks).where(and(inArray(tasks.id, c.escalationTaskIds), inArray(tasks.status, ['open', 'claimed']))).for('update');
      const escalatedIds = open.map((t) => (t.payload as { escalatedTaskId?: unknown }).escalatedTaskId).filter((id): id is string => typeof id === 'string');
      const escalated = new Map(escalatedIds.length
        ? (await tx.select({ id: tasks.id, status: tasks.status }).from(tasks).where(inArray(tasks.id, escalatedIds))).map((t) => [t.id, t.status])
        : []);
      const closing = open.flatMap((t) => {
        const payload = t.payload as { escalatedTaskId?: unknown };
        const reason = escalationClosure({ payload, escalatedStatus: escalated.get(payload.escalatedTaskId as string) ?? null }, c.booked);
        return reason ? [{ ...t, reason }] : [];
      });
      if (!closing.length) return { openedTaskIds: [], closedTaskIds: [] };
      // The booking that fixed it, as the timeline recorded it: its date and who booked.
      const [booking] = closing.some((t) => t.reason === 'booked')
        ? await tx.select({ date: pathwayEvents.eventDate, by: staff.name }).from(pathwayEvents).leftJoin(staff, eq(staff.id, pathwayEvents.actorId))
          .where(and(eq(pathwayEvents.referralId, c.referralId), inArray(pathwayEvents.kind, ['appointment_booked', 'follow_up_booked'])))
          .orderBy(sql`${pathwayEvents.id} desc`).limit(1)
        : [];
      for (const t of closing) {
        const outcome = { closed: escalationClosedOutcome(t.reason, booking) };
        await tx.update(tasks).set({ status: 'cancelled', outcome, completedAt: step.now, updatedAt: step.now, version: sql`${tasks.version} + 1` })
          .where(eq(tasks.id, t.id));
        await writeAudit(tx, { actorId: step.actorId, action: 'task.escalation_closed', entityType: 'task', entityId: t.id,
          before: { status: t.status, assigneeId: t.assigneeId }, after: { status: 'cancelled', reason: t.reason, outcome } });
      }
      const reasons = [...new Set(closing.map((t) => t.reason))] as EscalationClosedReason[];
      await recordEvents(tx, step, reasons.map((r) => ({
        kind: 'escalations_closed', date: c.date, note: escalationsClosedNote(r, closing.filter((t) => t.reason === r).length),
      })));
      return { openedTaskIds: [], closedTaskIds: closing.map((t) => t.id) };
    });
  },

  /** A team leader's or ops' review of an escalation, done. */
  async resolveEscalation(c: ResolveEscalation): Promise<PathwayChangeResult> {
    return once(db, c, async (tx, step) => {
      await completeTask(tx, step, c.completeTask);
      return { openedTaskIds: [] };
    });
  },

  /**
   * Issue 15: a step of the admitted pathway. The admitted waiting-list entry is created or changed, a TCI offer answered
   * (only while still offered; a decline frees the theatre minutes it held) and the pathway's items, clock and timeline
   * moved, all in one transaction under the change key.
   */
  async recordAdmittedCare(c: RecordAdmittedCare): Promise<PathwayChangeResult> {
    return once(db, c, async (tx, step) => {
      if (c.completeTask) await completeTask(tx, step, c.completeTask);
      await cancelTasks(tx, step, c.cancelTasks ?? []);
      await releaseAppointment(tx, step, c.releaseAppointmentId);
      if (c.attendance) await recordAttendance(tx, step, c.attendance);
      // A cancelled operation reads the TCI the admission holds, so it goes before the admission's own write clears it.
      const cancelled = c.cancelOperation ? await cancelBookedOperation(tx, step, c.cancelOperation) : undefined;
      let admissionId: string | undefined;
      if (c.admission?.kind === 'create') {
        const [referral] = await tx.select({ specialtyCode: referrals.specialtyCode }).from(referrals).where(eq(referrals.id, c.referralId));
        const d = c.admission.decision;
        const [row] = await tx.insert(admissions).values({
          id: newId('adm'), admissionKey: c.changeKey, referralId: c.referralId, specialtyCode: referral.specialtyCode,
          procedure: d.procedure, intendedManagement: d.intendedManagement, surgicalPriority: d.surgicalPriority, consultantId: d.consultantId,
          decidedOn: c.admission.decidedOn, decidedBy: step.actorId, noteId: c.admission.noteId ?? null, targetDate: c.admission.targetDate,
          preOpRequired: d.preOpRequired, preOpStatus: d.preOpRequired ? 'needed' : 'not_required', estimatedMinutes: d.estimatedMinutes ?? 60,
        }).returning({ id: admissions.id });
        admissionId = row.id;
        await writeAudit(tx, { actorId: step.actorId, action: 'admission.listed', entityType: 'admission', entityId: row.id,
          after: { referralId: c.referralId, surgicalPriority: d.surgicalPriority, targetDate: c.admission.targetDate, preOpRequired: d.preOpRequired } });
      } else if (c.admission?.kind === 'update') {
        const { admissionId: id, set, conditionsNoteId } = c.admission;
        const [before] = await tx.select().from(admissions).where(eq(admissions.id, id)).for('update');
        if (!before || before.referralId !== c.referralId) throw refusal('NOT_FOUND', `Admission ${id} is not on this pathway`, 'admissionId');
        let conditions: string | undefined;
        if (conditionsNoteId) {
          const [n] = await tx.select({ body: notes.body }).from(notes).where(and(eq(notes.id, conditionsNoteId), eq(notes.referralId, c.referralId)));
          conditions = n?.body;
        }
        await tx.update(admissions).set({ ...set, ...(conditions !== undefined ? { preOpConditions: conditions } : {}), version: sql`${admissions.version} + 1`, updatedAt: step.now })
          .where(eq(admissions.id, id));
        admissionId = id;
        const changed = Object.fromEntries(Object.keys(set).map((k) => [k, before[k as keyof typeof before]]));
        await writeAudit(tx, { actorId: step.actorId, action: 'admission.changed', entityType: 'admission', entityId: id, before: changed, after: set });
      }
      if (c.tciAnswer) {
        const { offerId, decision, reasonNoteId } = c.tciAnswer;
        let reason: string | null = null;
        if (reasonNoteId) {
          const [n] = await tx.select({ body: notes.body }).from(notes).where(and(eq(notes.id, reasonNoteId), eq(notes.referralId, c.referralId)));
          reason = n?.body ?? null;
        }
        const [offer] = await tx.update(tciOffers).set({ status: decision, declineReason: reason, decidedAt: step.now, decidedBy: step.actorId, updatedAt: step.now })
          .where(and(eq(tciOffers.id, offerId), eq(tciOffers.status, 'offered'))).returning();
        if (!offer) throw refusal('OFFER_DECIDED', 'This TCI offer has already been answered', 'offerId');
        if (decision === 'declined' && offer.theatreSessionId && offer.minutesHeld > 0) {
          await tx.update(theatreSessions).set({ minutesBooked: sql`${theatreSessions.minutesBooked} - ${offer.minutesHeld}`, updatedAt: step.now })
            .where(eq(theatreSessions.id, offer.theatreSessionId));
        }
        await writeAudit(tx, { actorId: step.actorId, action: decision === 'accepted' ? 'tci_offer.accepted' : 'tci_offer.declined', entityType: 'tci_offer', entityId: offerId,
          before: { status: 'offered' }, after: { status: decision } });
        // Issue 15 (stand-by and the 28-day guarantee): a new date rebooks a cancelled operation; the ward's day is checked against its beds.
        if (decision === 'accepted') {
          await afterTciAccepted(tx, { admissionId: offer.admissionId, tciOfferId: offerId, admissionDate: offer.admissionDate, ward: offer.ward,
            on: c.tciAnswer.on ?? londonDate(step.now), actorId: step.actorId });
        }
      }
      if (c.referral) await updateReferral(tx, step, c.referral);
      if (c.clock) await moveClock(tx, step, c.clock, c.rttEvents ?? []);
      await recordEvents(tx, step, c.events);
      return { openedTaskIds: await openTasks(tx, step, c.openTasks ?? [], c.clock, undefined), ...(admissionId ? { admissionId } : {}), ...(cancelled ?? {}) };
    });
  },
});
