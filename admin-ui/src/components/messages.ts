// What the console says when the API refuses: words picked from the refusal code (domain/refusals.ts),
// never parsed out of the message text. A Record over every code, so a new code cannot ship without words.
import type { HttpError } from 'react-admin';
import type { RefusalCode } from '../../../domain/refusals';

type ErrorBody = { message?: unknown; code?: unknown; errors?: Record<string, string> };
const bodyOf = (error: unknown) => ((error as HttpError | undefined)?.body ?? undefined) as ErrorBody | undefined;
const errorCode = (error: unknown) => (typeof bodyOf(error)?.code === 'string' ? (bodyOf(error)!.code as string) : undefined);
const errorStatus = (error: unknown): number | undefined => (error as HttpError | undefined)?.status;
const fieldErrors = (error: unknown): Record<string, string> => bodyOf(error)?.errors ?? {};

/**
 * A fixed sentence, or `particular(…)` for codes whose API message names the people, dates or queues of
 * this one case (written for people by the API itself); the sentence given is then the fallback.
 */
type Words = string | { particular: string };
const particular = (fallback: string): Words => ({ particular: fallback });

export const refusalWords: Record<RefusalCode, Words> = {
  VALIDATION_FAILED: 'Check the highlighted fields',
  UNAUTHENTICATED: 'Your session has ended: sign in again',
  INVALID_CREDENTIALS: 'That email and password do not match',
  CROSS_SITE_REQUEST: 'That request was refused for safety: reload the page and try again',
  FORBIDDEN: particular('Your role cannot do this'),
  ON_LEAVE: particular('You are on leave: claim next hands out no work while you are away'),
  NOT_IN_QUEUE: 'You do not work the queue this item is in: ask a team leader to add you or to move it',
  SLOT_NOT_FOUND: 'That slot no longer exists: choose another',
  NOTE_NOT_FOUND: 'That note could not be found on this referral',
  NOT_FOUND: 'This record no longer exists',
  CONFLICT: particular('This changed while you were working on it: reload and try again'),
  SLOT_TAKEN: particular('Someone has just booked that slot: choose another'),
  TASK_NOT_OPEN: 'This work item is already done',
  TASK_BUSY: 'This work item is still being saved: try again in a moment',
  TASK_CLAIMED: 'Someone else is working on this item',
  STALE_VERSION: 'This item changed since you opened it: reload it and try again',
  ABSENCE_CLOSED: 'This leave has already ended or been cancelled',
  PATHWAY_ENDED: 'This pathway has ended: nothing more can be changed on it',
  IDEMPOTENCY_KEY_IN_USE: 'This is already being saved: wait a moment',
  FDS_ALREADY_RECORDED: 'A different Faster Diagnosis outcome is already recorded for this referral',
  OFFER_DECIDED: 'This offer has already been accepted or declined',
  ALREADY_LISTED: 'This patient is already on the admitted waiting list for this referral',
  SESSION_FULL: particular('That theatre session has too few minutes left: choose another'),
  TCI_OFFER_OPEN: 'A TCI date offered to this patient is still waiting for their answer',
  NOT_ON_ADMITTED_LIST: 'This patient is no longer waiting for admission',
  SESSION_MISMATCH: particular('That theatre session is for another specialty or date'),
  SESSION_CHANGE_STARTED: 'A change to this session has already been confirmed',
  PAS_MESSAGE_NOT_REJECTED: 'This PAS message has already been dealt with',
  PAYLOAD_TOO_LARGE: 'That is too much to send at once: shorten it',
  UNSUPPORTED_MEDIA_TYPE: 'The server could not read what the console sent: reload the page and try again',
  RULE_REFUSED: particular('The access policy does not allow this'),
  SLOT_WRONG_TYPE: particular('That slot is the wrong type for this booking: choose another'),
  SLOT_WRONG_CLINIC: 'That slot is in another clinic: this pathway books in the clinic triage chose',
  SLOT_WRONG_SPECIALTY: 'That slot is in a clinic of another specialty: choose another',
  RTT_RULE: particular('The RTT rules do not allow this change to the clock'),
  // The RTT clock's own refusals (domain/rtt-clock.ts) already say which rule, in the rules' words.
  UNKNOWN_STATUS_CODE: particular('That is not an RTT status code'),
  EVENT_DATE_INVALID: particular('The event date is not a real date'),
  EVENT_BEFORE_CLOCK_START: particular('The event is dated before the clock started'),
  EVENT_BEFORE_CLOCK_STOP: particular('The new period is dated before the clock stopped'),
  ACTIVITY_NEEDS_RUNNING_CLOCK: particular('Activity can only be recorded while the clock is running'),
  STOP_NEEDS_RUNNING_CLOCK: particular('The clock is not running, so it cannot be stopped'),
  FIRST_ACTIVITY_ALREADY_RECORDED: particular('This clock has already seen activity'),
  DNA_NULLIFIES_FIRST_ACTIVITY_ONLY: particular('A did-not-attend nullifies the clock only at the first appointment'),
  NEW_PERIOD_NEEDS_STOPPED_CLOCK: particular('A new RTT period can start only once the clock has stopped'),
  NEW_PERIOD_NEEDS_ACTIVE_MONITORING: particular('This new period needs a clock stopped for active monitoring'),
  RESTART_NEEDS_NULLIFIED_CLOCK: particular('The clock can restart only after it was nullified'),
  APPOINTMENT_NOT_BOOKED: particular('This appointment is no longer booked'),
  NO_QUEUE: 'There is no queue for this work yet: ask an administrator to set one up',
  LEAVE_ENDS_BEFORE_START: 'The last day of leave is before the first',
  LEAVE_SHORTEN_NOT_EARLIER: 'To shorten the leave, choose an earlier last day',
  LEAVE_EXTEND_NOT_LATER: 'To extend the leave, choose a later last day',
  IDEMPOTENCY_KEY_REUSED: 'This was already sent with other details: reload the page and try again',
  ASSIGNEE_INACTIVE: particular('That person is no longer active'),
  ASSIGNEE_ON_LEAVE: particular('That person is on leave: confirm to assign anyway'),
  ASSIGNEE_NOT_IN_QUEUE: particular('That person does not work the queue this work is in'),
  FDS_NOT_CANCER_PATHWAY: 'A Faster Diagnosis outcome is only for a two-week-wait referral',
  SLOT_IN_PAST: 'That slot has already started: choose a later one',
  SLOT_NOT_FREE: 'That slot is no longer free: choose another',
  APPOINTMENT_NOT_STARTED: 'This appointment has not started yet: record the attendance once it has',
  APPOINTMENT_NOT_CURRENT: 'This appointment has already been moved or replaced: reload the page',
  PAST_BREACH_NEEDS_LEADER: 'That slot is after the breach date: only a team leader can confirm it',
  SHORT_NOTICE_NEEDS_LEADER: 'That is inside the notice period: only a team leader can confirm it',
  SESSION_HAS_NO_SLOTS: 'That session has no slots left to cancel or reduce',
  TEMPLATE_EFFECTIVE_IN_PAST: 'A template change takes effect from today or later',
  ADMISSION_NOT_BOOKED: 'This operation has no TCI booked to cancel: reload the page',
  NOT_ON_THE_DAY: 'The TCI date is still to come: this is not an on-the-day cancellation',
  STAND_BY_NOT_CLEARED: 'Only a patient waiting for a date, with a valid fit pre-op assessment, can go on the stand-by list',
  PARTIAL_BOOKING_NOT_OPEN: 'This follow-up is no longer waiting to be booked (booked, discharged, or with the clinician): reload the page',
  OUTSIDE_TOLERANCE: particular('Book the follow-up within two weeks either side of its due date'),
  PAST_LCAD: particular('That date is after the latest clinically appropriate date: send the follow-up to the clinician instead'),
  AFTER_WARD_FORM_INTERVAL: particular('That date is after the date the ward asked for: send it to the clinician'),
  NOT_ON_PIFU: 'This patient is not on patient-initiated follow-up: book the follow-up in the usual way',
  RTT_CODE_MISMATCH: particular('That RTT status does not fit the outcome and where the clock stands'),
  PRE_OP_NOT_CLEARED: 'Pre-op is not cleared for that date (not done, unfit or expired): book or repeat the pre-operative assessment first',
  TOO_MANY_ATTEMPTS: 'Too many tries: wait a few minutes and try again',
  UNAVAILABLE: 'Access Desk cannot reach its database or workflows just now; nothing was changed: try again in a minute',
};

/** The words for a code when the API gave no message of its own. */
export function wordsForCode(code: RefusalCode): string {
  const words = refusalWords[code];
  return typeof words === 'string' ? words : words.particular;
}

/** 'patient.dateOfBirth' → 'Date of birth'; 'sessions.0.slotType' → 'Slot type'. */
export function fieldLabel(path: string): string {
  const last = path.split('.').filter((part) => !/^\d+$/.test(part)).pop() ?? path;
  if (last === '(body)') return 'The form';
  const words = last.replace(/([a-z\d])([A-Z])/g, '$1 $2').replace(/_/g, ' ').toLowerCase();
  return words.charAt(0).toUpperCase() + words.slice(1);
}

/** A field's message from the API ('must be in 1900 or later') as a sentence under its field. */
export function fieldSentence(message: string): string {
  return message ? message.charAt(0).toUpperCase() + message.slice(1) : message;
}

const apiMessage = (error: unknown): string | undefined => {
  const message = bodyOf(error)?.message;
  return typeof message === 'string' && message ? message : undefined;
};

/**
 * What to tell the officer about a refused request. `onFields` says the form shows the field errors
 * beside their fields, so the message only points at them; otherwise a field error is said in full.
 */
export function refusalMessage(error: unknown, opts: { onFields?: boolean; fallback?: string } = {}): string {
  const fallback = opts.fallback ?? 'That did not work: please try again';
  const code = errorCode(error);
  const fields = Object.entries(fieldErrors(error));
  if (code === 'VALIDATION_FAILED' || (code == null && fields.length > 0)) {
    if (opts.onFields && fields.length > 0) return 'Check the highlighted fields';
    if (fields.length > 0) return fields.map(([field, message]) => `${fieldLabel(field)}: ${message}`).join('; ');
  }
  if (code && code in refusalWords) {
    const words = refusalWords[code as RefusalCode];
    return typeof words === 'string' ? words : apiMessage(error) ?? words.particular;
  }
  // A code the console does not know yet (a newer API), or no body at all.
  if (apiMessage(error)) return apiMessage(error)!;
  const status = errorStatus(error);
  if (status == null) return 'Access Desk could not be reached: check the connection and try again';
  return (error as HttpError)?.message || fallback;
}

/** The API's field errors as sentences, for a form's `setError` or a dialog's helper texts. */
export function fieldMessages(error: unknown): Record<string, string> {
  return Object.fromEntries(Object.entries(fieldErrors(error)).map(([field, message]) => [field, fieldSentence(message)]));
}
