// Follow-up: seen in clinic and to be seen again in N weeks. Due within the booking horizon (6 weeks), a booking item
// opens at once, due by then. Due later (patch 2026-11-partial-booking), the patient goes on the partial booking list
// [rules §4.6–4.7] and the pathway's timers take it from there: invite before the due date, chase once, then a
// clinician's review (book anyway, extend, discharge); the LCAD reached unbooked goes to the clinician too. A booking
// from the list answers the invitation and closes the loop.
import { defineUpdate} from '@temporalio/workflow';
import {
  addDays, followUpPlan, nextPartialBookingStep, partialBookingWindow, defaultAccessPolicy,
  type PartialBookingEntryState, type PartialBookingReviewReason, type PartialBookingStep,
} from '../../domain';
import { refusal } from '../refusal';
import type { ToldAtBookingMethod } from '../../domain';
import type { AttendanceOutcome, CompleteTaskCommand, PartialBookingReviewOutcome, PathwayView } from '../types';
import type { Pathway } from './context';

export const PARTIAL_BOOKING = '2026-11-partial-booking';

/** A follow-up booked from the partial booking list (POST /api/partial-booking/:id/book): the patient answered. */
export type BookFromListCommand = { entryId: string; slotId: string; actorId: string; communicatedBy?: ToldAtBookingMethod };
export const bookFromListUpdate = defineUpdate<PathwayView, [BookFromListCommand]>('bookFollowUpFromList');
/** No slot can be found by the LCAD (POST /api/partial-booking/:id/escalate): the clinician decides, never a later date. */
export type EscalatePartialBookingCommand = { entryId: string; actorId: string };
export const escalatePartialBookingUpdate = defineUpdate<PathwayView, [EscalatePartialBookingCommand]>('escalatePartialBooking');


/** `seenOn`: the day the patient was seen, when recorded after the fact (the RTT code and the due date count from it). */
export async function arrangeFollowUp(p: Pathway, cmd: CompleteTaskCommand, outcome: AttendanceOutcome, seenOn?: string): Promise<void> {
  const { state } = p;
  const date = seenOn ?? p.today();
  const first = state.appointmentKind === 'new';
  const weeks = outcome.followUpWeeks ?? 6;
  const clock = state.clock.status === 'running' ? p.rtt(first ? 10 : 20, date) : state.clock;
  const rttEvents = state.clock.status === 'running'
    ? [p.rttEvent(clock.lastCode, date, 'outcome', { appointmentId: state.appointmentId, taskId: cmd.taskId, outcome: 'follow_up', noteId: outcome.noteId ?? null })]
    : [];
  const attendance = { appointmentId: state.appointmentId!, state: 'attended' as const, outcome: 'follow_up' };
  const plan = followUpPlan(date, weeks, outcome.lcadWeeks);
  if (plan.partialBooking && p.patched(PARTIAL_BOOKING)) {
    const result = await p.change('listForPartialBooking', {
      actorId: cmd.actorId,
      completeTask: { taskId: cmd.taskId, outcome },
      attendance,
      referral: { state: 'awaiting_follow_up' },
      clock,
      rttEvents,
      events: [{
        kind: 'attended', rttCode: clock.lastCode, date, noteId: outcome.noteId,
        note: `Follow-up in ${weeks} weeks: on the partial booking list, due ${plan.dueDate}, LCAD ${plan.lcad}${outcome.note ? `: ${outcome.note}` : ''}`,
      }],
      entry: { listedOn: date, dueDate: plan.dueDate, lcad: plan.lcad, clinicId: state.clinicId },
    });
    Object.assign(state, { clock, stage: 'awaiting_follow_up' });
    state.partialBooking = {
      entryId: result.partialBookingEntryId!, dueDate: plan.dueDate, lcad: plan.lcad, status: 'waiting', invitedOn: null, chasedOn: null,
    };
    p.setOpenTask(result, null);
    return;
  }
  const result = await p.change('recordOutcome', {
    actorId: cmd.actorId,
    completeTask: { taskId: cmd.taskId, outcome },
    attendance,
    referral: { state: 'awaiting_follow_up' },
    clock,
    rttEvents,
    events: [{ kind: 'attended', rttCode: clock.lastCode, date, note: `Follow-up in ${weeks} weeks${outcome.note ? `: ${outcome.note}` : ''}`, noteId: outcome.noteId }],
    openTasks: [p.bookingTask('follow_up', addDays(date, weeks * 7))],
  });
  Object.assign(state, { clock, stage: 'awaiting_follow_up' });
  p.setOpenTask(result, 'book_follow_up');
}

/** The entry's next step and when it falls due (start of that working day), or null: nothing on the list to move. */
export function nextPartialBookingTimer(p: Pathway): { step: PartialBookingStep; at: number } | null {
  const entry = p.state.partialBooking;
  if (!entry || p.ended()) return null;
  const step = nextPartialBookingStep(entry);
  return step ? { step, at: p.deadlineMs(step.on) } : null;
}

/** What the wait watches: a change of the entry's status or dates means the next step is another one. */
export const partialBookingWatch = (p: Pathway): string | null => {
  const entry = p.state.partialBooking;
  return entry ? `${entry.status}:${entry.dueDate}:${entry.lcad}` : null;
};

const reasonWords: Record<PartialBookingReviewReason, string> = {
  no_response: 'no response to the invitation or the reminder',
  lcad_reached: 'the latest clinically appropriate date has come and the follow-up is not booked',
  no_slot_by_lcad: 'no slot can be found before the latest clinically appropriate date',
};

/** A timer fired: invite, chase, or raise the clinician's review. */
export async function advancePartialBooking(p: Pathway, step: PartialBookingStep): Promise<void> {
  const { state } = p;
  const entry = state.partialBooking!;
  const date = p.today();
  const { responseWindowDays } = defaultAccessPolicy.partialBooking;
  if (step.kind === 'invite' || step.kind === 'chase') {
    const chase = step.kind === 'chase';
    const replyBy = addDays(date, responseWindowDays);
    await p.change('invitePartialBooking', {
      actorId: null, entryId: entry.entryId, chase, on: date, replyBy,
      events: [{
        kind: chase ? 'partial_booking_chased' : 'partial_booking_invited', date,
        note: chase ? `No reply to the invitation: reminded to book by ${replyBy}` : `Invited to book the follow-up due ${entry.dueDate}; reply by ${replyBy}`,
      }],
    });
    state.partialBooking = chase ? { ...entry, status: 'chased', chasedOn: date } : { ...entry, status: 'invited', invitedOn: date, chasedOn: null };
    return;
  }
  await raiseReview(p, step.reason ?? 'no_response', null);
}

export async function raiseReview(p: Pathway, reason: PartialBookingReviewReason, actorId: string | null): Promise<void> {
  const { state } = p;
  const entry = state.partialBooking!;
  const date = p.today();
  const result = await p.change('raisePartialBookingReview', {
    actorId,
    entryId: entry.entryId,
    events: [{ kind: 'partial_booking_review', date, note: `Follow-up due ${entry.dueDate} (LCAD ${entry.lcad}) to the clinician: ${reasonWords[reason]}` }],
    openTasks: [p.task('partial_booking_review', p.dueBy(p.workingDaysAfter(date, 3)), {
      partialBookingEntryId: entry.entryId, reason, dueDate: entry.dueDate, lcad: entry.lcad, invitedOn: entry.invitedOn, chasedOn: entry.chasedOn,
    })],
  });
  state.partialBooking = { ...entry, status: 'in_review' };
  p.setOpenTask(result, 'partial_booking_review');
}

/** Refused unless the entry is on the list and not with the clinician. */
export function checkBookableFromList(p: Pathway, cmd: { entryId: string }): PartialBookingEntryState {
  const entry = p.state.partialBooking;
  if (!entry || entry.entryId !== cmd.entryId || p.ended()) throw refusal('PARTIAL_BOOKING_NOT_OPEN', 'This follow-up is no longer on the partial booking list');
  if (entry.status === 'in_review') {
    throw refusal('PARTIAL_BOOKING_NOT_OPEN', 'This follow-up is with the clinician for review: they decide whether to book it', 'slotId');
  }
  if (entry.status !== 'waiting' && entry.status !== 'invited' && entry.status !== 'chased') {
    throw refusal('PARTIAL_BOOKING_NOT_OPEN', `This follow-up is ${entry.status}, no longer waiting to be booked`);
  }
  return entry;
}

/**
 * Booked from the list within ±2 weeks of the due date and not after the LCAD (checked against the slot's date by the
 * activity); the invitation is answered and attendance is recorded from the appointment's start.
 */
export async function bookFromList(p: Pathway, cmd: BookFromListCommand, viaItem?: CompleteTaskCommand): Promise<void> {
  const { state } = p;
  const entry = state.partialBooking!;
  const result = await p.change('bookFromPartialBooking', {
    actorId: cmd.actorId,
    ...(viaItem ? { completeTask: { taskId: viaItem.taskId, outcome: viaItem.outcome } } : {}),
    entryId: entry.entryId,
    // The clinician's book-anyway item books where a slot can be found; from the list, the tolerance and the LCAD hold.
    ...(viaItem ? {} : { window: { ...partialBookingWindow(entry.dueDate, entry.lcad), lcad: entry.lcad } }),
    booking: {
      slotId: cmd.slotId, clinicId: state.clinicId, kind: 'follow_up', slotType: 'follow_up',
      ...(cmd.communicatedBy ? { communicatedBy: cmd.communicatedBy } : {}),
    },
    referral: { state: 'follow_up_booked' },
    events: [{ kind: 'follow_up_booked', date: p.today(), note: viaItem ? 'Booked on the clinician\'s review' : 'Booked from the partial booking list' }],
    openTasks: [p.task('record_attendance', 'appointment_start')],
    asOf: new Date().toISOString(),
  });
  state.stage = 'follow_up_booked';
  state.firstBooked = true;
  state.appointmentId = result.appointment?.id ?? null;
  state.appointmentKind = 'follow_up';
  state.appointmentStart = result.appointment?.start ?? null;
  p.setOpenTask(result, 'record_attendance');
  // Booked: the entry's part is over; the next follow-up (if any) makes a new one.
  state.partialBooking = null;
}

/** The clinician's review: book anyway (a booking item by the LCAD), extend (new dates, back on the list), or discharge (34). */
export async function reviewPartialBooking(p: Pathway, cmd: CompleteTaskCommand, outcome: PartialBookingReviewOutcome): Promise<void> {
  const { state } = p;
  const entry = state.partialBooking!;
  const date = p.today();
  if (outcome.decision === 'discharge') {
    const running = state.clock.status === 'running';
    const clock = running ? p.rtt(34, date) : state.clock;
    await p.change('dischargeFromPartialBooking', {
      actorId: cmd.actorId,
      completeTask: { taskId: cmd.taskId, outcome },
      cancelTasks: [...state.openEscalationTaskIds, ...[state.validationTaskId, state.reviewTaskId].filter((id): id is string => !!id && id !== cmd.taskId)],
      entryId: entry.entryId,
      referral: { state: 'discharged' },
      clock,
      rttEvents: running ? [p.rttEvent(34, date, 'clinical_review', { taskId: cmd.taskId, outcome: 'discharge', noteId: outcome.noteId ?? null })] : [],
      events: [{
        kind: 'discharged', rttCode: running ? 34 : null, date, noteId: outcome.noteId,
        note: 'Discharged from the partial booking list at the clinician\'s review: the patient and GP are told by letter',
      }],
    });
    Object.assign(state, { clock, stage: 'discharged', openEscalationTaskIds: [], partialBooking: { ...entry, status: 'discharged' } });
    if (state.validationTaskId) state.validationTaskId = null;
    if (state.reviewTaskId) state.reviewTaskId = null;
    p.setOpenTask({ openedTaskIds: [] }, null);
    return;
  }
  if (outcome.decision === 'extend') {
    const plan = followUpPlan(date, outcome.dueInWeeks ?? 6, outcome.lcadWeeks);
    const result = await p.change('reviewPartialBooking', {
      actorId: cmd.actorId,
      completeTask: { taskId: cmd.taskId, outcome },
      entryId: entry.entryId,
      extend: { dueDate: plan.dueDate, lcad: plan.lcad },
      events: [{ kind: 'partial_booking_extended', date, noteId: outcome.noteId, note: `Follow-up extended: now due ${plan.dueDate}, LCAD ${plan.lcad}` }],
    });
    state.partialBooking = { ...entry, dueDate: plan.dueDate, lcad: plan.lcad, status: 'waiting', invitedOn: null, chasedOn: null };
    p.setOpenTask(result, null);
    return;
  }
  // Book anyway: a booking item due by the LCAD (or at once, past it); the entry stays with the clinician until it is booked.
  const bookBy = entry.lcad > date ? entry.lcad : date;
  const result = await p.change('reviewPartialBooking', {
    actorId: cmd.actorId,
    completeTask: { taskId: cmd.taskId, outcome },
    entryId: entry.entryId,
    events: [{ kind: 'partial_booking_reviewed', date, noteId: outcome.noteId, note: `The clinician asks for the follow-up to be booked anyway, by ${bookBy}` }],
    openTasks: [p.bookingTask('follow_up', bookBy)],
  });
  p.setOpenTask(result, 'book_follow_up');
}

/** The book-anyway item booked: as a booking from the list, without the list's window. */
export function bookingAnswersPartialBooking(p: Pathway): boolean {
  return p.state.partialBooking?.status === 'in_review' && p.state.openTaskType === 'book_follow_up';
}
