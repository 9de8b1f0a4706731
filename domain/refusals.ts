// Every reason Access Desk refuses a request, with its HTTP status: one list for the workflows, the
// activities, the API and the console. A workflow or activity refuses with an ApplicationFailure whose
// `type` is one of these codes and whose first detail is `{ field }` when a field is to blame.
export const refusalStatus = {
  VALIDATION_FAILED: 400,
  UNAUTHENTICATED: 401,
  INVALID_CREDENTIALS: 401,
  CROSS_SITE_REQUEST: 403,
  FORBIDDEN: 403,
  NOT_IN_QUEUE: 403,
  SLOT_NOT_FOUND: 400,
  NOTE_NOT_FOUND: 400,
  NOT_FOUND: 404,
  CONFLICT: 409,
  SLOT_TAKEN: 409,
  TASK_NOT_OPEN: 409,
  TASK_BUSY: 409,
  TASK_CLAIMED: 409,
  STALE_VERSION: 409,
  ABSENCE_CLOSED: 409,
  PATHWAY_ENDED: 409,
  IDEMPOTENCY_KEY_IN_USE: 409,
  FDS_ALREADY_RECORDED: 409,
  OFFER_DECIDED: 409,
  SESSION_CHANGE_STARTED: 409,
  // The PAS feed (issue 14): only a message the PAS rejected can be resent or set aside.
  PAS_MESSAGE_NOT_REJECTED: 409,
  // Admitted care (issue 15): already on the admitted list; a theatre session without the minutes; an open TCI offer.
  ALREADY_LISTED: 409,
  SESSION_FULL: 409,
  TCI_OFFER_OPEN: 409,
  // Console (issue 11).
  ON_LEAVE: 409,
  PAYLOAD_TOO_LARGE: 413,
  UNSUPPORTED_MEDIA_TYPE: 415,
  RULE_REFUSED: 422,
  SLOT_WRONG_TYPE: 422,
  SLOT_WRONG_CLINIC: 422,
  SLOT_WRONG_SPECIALTY: 422,
  RTT_RULE: 422,
  // An administrative RTT event refused by the clock rule of that name (domain/rtt-clock.ts RttRule).
  UNKNOWN_STATUS_CODE: 422,
  EVENT_DATE_INVALID: 400,
  EVENT_BEFORE_CLOCK_START: 422,
  EVENT_BEFORE_CLOCK_STOP: 422,
  ACTIVITY_NEEDS_RUNNING_CLOCK: 422,
  STOP_NEEDS_RUNNING_CLOCK: 422,
  FIRST_ACTIVITY_ALREADY_RECORDED: 422,
  DNA_NULLIFIES_FIRST_ACTIVITY_ONLY: 422,
  NEW_PERIOD_NEEDS_STOPPED_CLOCK: 422,
  NEW_PERIOD_NEEDS_ACTIVE_MONITORING: 422,
  RESTART_NEEDS_NULLIFIED_CLOCK: 422,
  APPOINTMENT_NOT_BOOKED: 422,
  NO_QUEUE: 422,
  LEAVE_ENDS_BEFORE_START: 422,
  LEAVE_SHORTEN_NOT_EARLIER: 422,
  LEAVE_EXTEND_NOT_LATER: 422,
  IDEMPOTENCY_KEY_REUSED: 422,
  ASSIGNEE_INACTIVE: 422,
  ASSIGNEE_ON_LEAVE: 422,
  ASSIGNEE_NOT_IN_QUEUE: 422,
  FDS_NOT_CANCER_PATHWAY: 422,
  // Changes (issue 10).
  SLOT_IN_PAST: 422,
  // Admitted care (issue 15): nothing on the admitted list to act on; a TCI in a session of another specialty or date.
  NOT_ON_ADMITTED_LIST: 422,
  SESSION_MISMATCH: 422,
  SLOT_NOT_FREE: 422,
  APPOINTMENT_NOT_STARTED: 422,
  APPOINTMENT_NOT_CURRENT: 422,
  PAST_BREACH_NEEDS_LEADER: 422,
  SHORT_NOTICE_NEEDS_LEADER: 422,
  SESSION_HAS_NO_SLOTS: 422,
  TEMPLATE_EFFECTIVE_IN_PAST: 422,
  // Issue 15, stand-by and on-the-day cancellations: only a booked operation can be cancelled; an on-the-day cancellation
  // is recorded on or after the TCI date; only a pre-op cleared patient waiting for a date goes on the stand-by list.
  ADMISSION_NOT_BOOKED: 409,
  NOT_ON_THE_DAY: 422,
  STAND_BY_NOT_CLEARED: 422,
  // Issue 16, partial booking: the entry is no longer waiting to be booked (booked, discharged, or with the clinician);
  // a date outside ±2 weeks of the due date; a date after the LCAD, which goes to the clinician instead.
  PARTIAL_BOOKING_NOT_OPEN: 409,
  OUTSIDE_TOLERANCE: 422,
  PAST_LCAD: 422,
  // Issue 16: a ward form's follow-up booked after the date the ward asked for (the clinician decides instead).
  AFTER_WARD_FORM_INTERVAL: 422,
  // Issue 16: a PIFU trigger on a pathway not on PIFU; an attendance's RTT code that does not fit its outcome and the clock.
  NOT_ON_PIFU: 409,
  RTT_CODE_MISMATCH: 422,
  // A TCI or an admission for a patient whose pre-operative assessment is required but not cleared (not done, unfit, expired).
  PRE_OP_NOT_CLEARED: 409,
  TOO_MANY_ATTEMPTS: 429,
  UNAVAILABLE: 503,
} as const;

export type RefusalCode = keyof typeof refusalStatus;
export const refusalCodes = Object.keys(refusalStatus) as RefusalCode[];
export const isRefusalCode = (code: unknown): code is RefusalCode => typeof code === 'string' && code in refusalStatus;

/** What a workflow or activity attaches to a refusal so the API can name the field to blame. */
export type RefusalDetail = { field?: string };
