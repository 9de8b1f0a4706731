// Changes (issue 10): a booked appointment cancelled or moved by the patient or the hospital, offers declined, and
// the clinician's review that repeated patient cancellations or two declined reasonable offers raise. None of these
// moves the RTT clock [rules §4.3–4.4]; only the review's own decision may (32 active monitoring, 34 discharge).
// Never an automatic discharge: the limit raises a review.
import { bookingTargetDate, defaultAccessPolicy, needsReviewAfterDeclinedOffers, type ClinicalReviewReason } from '../../domain';
import { refusal } from '../refusal';
import type {
  CancelAppointmentCommand, CancelAppointmentResult, ClinicalReviewOutcome, CompleteTaskCommand, OfferDecisionCommand, ReferralState, TaskSpec, TaskType,
} from '../types';
import { startActiveMonitoring } from './attendance';
import type { Pathway } from './context';

export const CHANGES = '2026-11-changes';
/** Issue 16: a hospital cancellation recorded at cash-up, after the appointment's time. */
export const CASH_UP_CANCELLATION = '2026-11-cash-up-cancellation';

const bookingItems: readonly TaskType[] = ['book_new_appointment', 'book_follow_up', 'rebook_appointment'];

type Raised = Pick<CancelAppointmentResult, 'appointment' | 'raisedTaskId' | 'raisedTaskType'>;

/** The book-by date a rebook keeps: the booking item's own; older pathways fall back to the booking target (follow-ups: today). */
function bookByOf(p: Pathway): string {
  const { state } = p;
  if (state.bookBy) return state.bookBy;
  return state.appointmentKind === 'follow_up' ? p.today() : bookingTargetDate(state.clock.clockStart, state.clinicalPriority);
}

const kindOf = (p: Pathway) => p.state.appointmentKind ?? (p.state.stage === 'follow_up_booked' ? 'follow_up' : 'new');
const awaiting = (kind: 'new' | 'follow_up'): ReferralState => (kind === 'new' ? 'awaiting_booking' : 'awaiting_follow_up');

/** A clinician's review item, due in two working days like a DNA review. */
function reviewTask(p: Pathway, reason: ClinicalReviewReason, count: number): TaskSpec {
  return p.task('clinical_review', p.dueBy(p.workingDaysAfter(p.today(), 2)), { reason, count });
}

/** Attendance is recorded from the appointment's start (pathways booked before this patch carry no start: not checked). */
export function refuseAttendanceBeforeStart(p: Pathway): void {
  const start = p.state.appointmentStart;
  if (start && p.patched(CHANGES) && Date.now() < Date.parse(start)) {
    throw refusal('APPOINTMENT_NOT_STARTED', 'This appointment has not started yet: record the attendance once it has', 'outcome');
  }
}

/**
 * Cancels the pathway's booked appointment; with `newSlotId`, books that slot in the same transaction (a reschedule,
 * refused whole with SLOT_TAKEN if the slot has gone). By the hospital: a rebook item in the Rebooking queue, due at
 * the original book-by date. By the patient (a reschedule counts too): counted, and at the policy's limit a clinical
 * review, beside the new appointment of a reschedule or instead of the booking item.
 */
export async function cancelAppointment(p: Pathway, cmd: CancelAppointmentCommand): Promise<Raised> {
  const { state } = p;
  const booked = state.stage === 'booked' || state.stage === 'follow_up_booked';
  if (!booked || !state.appointmentId || cmd.appointmentId !== state.appointmentId) {
    throw refusal('APPOINTMENT_NOT_CURRENT', "That appointment is not this pathway's current booking", 'appointmentId');
  }
  const kind = kindOf(p);
  const byPatient = cmd.by === 'patient';
  const count = (state.patientCancellations ?? 0) + (byPatient ? 1 : 0);
  const atLimit = byPatient && count >= defaultAccessPolicy.cancellations.patientCancellationsBeforeReview;
  const held = state.reviewTaskId ?? null;
  const moving = typeof cmd.newSlotId === 'string';
  const date = p.today();
  const bookBy = bookByOf(p);
  const cancelledAppointmentId = state.appointmentId;

  // What opens in place of the attendance item, and the stage after.
  let openTasks: TaskSpec[];
  let main: TaskType;
  let stage: ReferralState;
  let outcome: string;
  if (moving) {
    // A review already held stays; a new one is raised beside the new appointment at the limit.
    openTasks = [p.task('record_attendance', 'appointment_start'), ...(atLimit && !held ? [reviewTask(p, 'patient_cancellations', count)] : [])];
    [main, stage] = ['record_attendance', state.stage];
    outcome = 'moved to a new appointment';
  } else if (atLimit || held) {
    openTasks = [reviewTask(p, 'patient_cancellations', count)];
    [main, stage] = ['clinical_review', 'awaiting_clinical_review'];
    outcome = `${count} patient cancellations: a clinician to review`;
  } else if (!byPatient) {
    openTasks = [p.task('rebook_appointment', p.dueBy(bookBy), {
      clinicId: state.clinicId, slotType: p.slotType(kind), bookBy, cancelledAppointmentId, kind,
    })];
    [main, stage] = ['rebook_appointment', awaiting(kind)];
    outcome = `to rebook by ${bookBy}`;
  } else {
    openTasks = [p.bookingTask(kind, bookBy)];
    [main, stage] = [kind === 'new' ? 'book_new_appointment' : 'book_follow_up', awaiting(kind)];
    outcome = `to rebook (patient cancellation ${count})`;
  }
  const byWhom = byPatient ? 'the patient' : cmd.sessionChangeId ? 'the hospital (clinic session cancelled)' : 'the hospital';
  const result = await p.change('cancelAppointment', {
    actorId: cmd.actorId,
    cancel: {
      appointmentId: cancelledAppointmentId, by: cmd.by,
      ...(cmd.reasonNoteId ? { noteId: cmd.reasonNoteId } : {}), ...(cmd.sessionChangeId ? { sessionChangeId: cmd.sessionChangeId } : {}),
      // Only commands sent by cash-up carry the flag, so the marker never meets a history recorded before it.
      ...(cmd.atCashUp === true && !moving && !byPatient && p.patched(CASH_UP_CANCELLATION) ? { afterStart: true } : {}),
    },
    cancelTasks: [state.openTaskId, moving ? null : held].filter((id): id is string => id !== null),
    ...(moving ? {
      // A session change may move the patient to another clinic of the specialty; an officer keeps triage's clinic.
      booking: {
        slotId: cmd.newSlotId!, clinicId: cmd.sessionChangeId ? null : state.clinicId, kind, slotType: p.slotType(kind),
        ...(cmd.communicatedBy ? { communicatedBy: cmd.communicatedBy } : {}),
      },
    } : {}),
    referral: { state: stage },
    events: [{
      kind: moving ? 'appointment_rescheduled' : 'appointment_cancelled', rttCode: null, date, noteId: cmd.reasonNoteId,
      note: `${moving ? 'Appointment moved' : 'Appointment cancelled'} by ${byWhom}: RTT clock continues; ${outcome}`,
    }],
    openTasks,
    asOf: new Date().toISOString(),
  });
  state.patientCancellations = count;
  state.stage = stage;
  p.setOpenTask(result, main);
  if (moving) {
    state.appointmentId = result.appointment?.id ?? null;
    state.appointmentStart = result.appointment?.start ?? null;
    if (atLimit && !held) state.reviewTaskId = result.openedTaskIds[1] ?? null;
  } else {
    Object.assign(state, { appointmentId: null, appointmentStart: null, reviewTaskId: null });
  }
  const raisedTaskId = moving ? (atLimit && !held ? state.reviewTaskId ?? null : null) : state.openTaskId;
  return {
    ...(result.appointment ? { appointment: result.appointment } : {}),
    raisedTaskId,
    raisedTaskType: raisedTaskId ? (moving ? 'clinical_review' : main) : null,
  };
}

/**
 * An offer's answer. A declined reasonable offer counts once (by offer id); at the policy's limit the open booking
 * item gives way to a clinical review. A declined short-notice offer has no consequence [rules §4.1]; an accepted
 * offer is booked through the booking item (completeTask), so it changes nothing here.
 */
export async function recordOfferDecision(p: Pathway, cmd: OfferDecisionCommand): Promise<void> {
  const { state } = p;
  const declined = state.declinedOfferIds ?? [];
  if (cmd.decision !== 'declined' || !cmd.reasonable || declined.includes(cmd.offerId)) return;
  const count = declined.length + 1;
  const date = p.today();
  const replaceBooking = needsReviewAfterDeclinedOffers(count) && state.openTaskId !== null && bookingItems.includes(state.openTaskType!);
  const result = await p.change('recordOfferDecision', {
    actorId: cmd.actorId,
    events: [{
      kind: 'offer_declined', rttCode: null, date, noteId: cmd.noteId,
      note: `Reasonable offer declined (${count} declined)${replaceBooking ? ': a clinician to review' : ''}`,
    }],
    ...(replaceBooking ? {
      cancelTasks: [state.openTaskId!],
      referral: { state: 'awaiting_clinical_review' },
      openTasks: [reviewTask(p, 'declined_offers', count)],
    } : {}),
  });
  state.declinedOfferIds = [...declined, cmd.offerId];
  if (replaceBooking) {
    state.stage = 'awaiting_clinical_review';
    p.setOpenTask(result, 'clinical_review');
  }
}

/**
 * A clinician's review: book again (the counters start afresh), active monitoring (32: the clock stops, a monitoring
 * review opens), or discharge back to the GP (34: the pathway ends). A review held beside a booked appointment
 * keeps that appointment when it rebooks, and frees it otherwise.
 */
export async function reviewClinically(p: Pathway, cmd: CompleteTaskCommand, outcome: ClinicalReviewOutcome): Promise<void> {
  const { state } = p;
  const beside = cmd.taskId === state.reviewTaskId;
  const date = p.today();
  const from = { taskId: cmd.taskId, outcome: outcome.decision, noteId: outcome.noteId ?? null };
  if (outcome.decision === 'discharge') {
    const running = state.clock.status === 'running';
    await p.end({
      actorId: cmd.actorId, completeTask: cmd, stage: 'discharged',
      clock: running ? p.rtt(34, date) : state.clock,
      rttEvents: running ? [p.rttEvent(34, date, 'clinical_review', from)] : [],
      event: { kind: 'discharged', rttCode: running ? 34 : null, date, note: 'Discharged to the GP at clinical review', noteId: outcome.noteId },
    });
    state.reviewTaskId = null;
    return;
  }
  if (outcome.decision === 'active_monitoring') {
    const booked = beside && state.appointmentId ? [state.openTaskId].filter((id): id is string => id !== null) : [];
    await startActiveMonitoring(p, cmd, {
      code: 32, reviewInWeeks: outcome.reviewInWeeks, noteId: outcome.noteId, cause: 'clinical_review', from,
      cancelTasks: booked, releaseAppointmentId: beside ? state.appointmentId : null,
    });
    Object.assign(state, { reviewTaskId: null, patientCancellations: 0, declinedOfferIds: [] });
    if (beside) Object.assign(state, { appointmentId: null, appointmentStart: null });
    return;
  }
  // Book again: beside a booked appointment nothing more is needed; otherwise a booking item, not due before two working days.
  const kind = state.appointmentKind ?? 'new';
  const soonest = p.workingDaysAfter(date, 2);
  const bookBy = bookByOf(p) > soonest ? bookByOf(p) : soonest;
  const result = await p.change('recordOutcome', {
    actorId: cmd.actorId,
    completeTask: { taskId: cmd.taskId, outcome },
    referral: { state: beside ? state.stage : awaiting(kind) },
    clock: state.clock,
    rttEvents: [],
    events: [{ kind: 'clinical_review', rttCode: null, date, note: beside ? 'Reviewed: the booked appointment stands' : 'Reviewed: to book again', noteId: outcome.noteId }],
    openTasks: beside ? [] : [p.bookingTask(kind, bookBy)],
  });
  Object.assign(state, { reviewTaskId: null, patientCancellations: 0, declinedOfferIds: [] });
  if (!beside) {
    state.stage = awaiting(kind);
    p.setOpenTask(result, kind === 'new' ? 'book_new_appointment' : 'book_follow_up');
  }
}
