// The e-Referral Service as Access Desk sees it (issue 14): the adapter's interface and the shapes it answers in.
// The HTTP adapter (integrations/ers/) speaks the e-RS FHIR API (STU3, and R4 for attachments); the local e-RS service
// (bin/lib/local-ers.ts) answers the same routes. Everything here is plain data: no I/O, no clock.

/** The worklists Access Desk polls. */
export const ersWorklists = ['REFERRALS_FOR_REVIEW', 'APPOINTMENT_SLOT_ISSUES'] as const;
export type ErsWorklist = (typeof ersWorklists)[number];

/** e-RS priorities (eRS-Priority-1) and Access Desk's. */
export const ersPriorities = ['ROUTINE', 'URGENT', 'TWO_WEEK_WAIT'] as const;
export type ErsPriority = (typeof ersPriorities)[number];

/** One entry of a worklist (A008), as much as the list itself says. */
export type ErsWorklistItem = {
  ubrn: string;
  worklist: ErsWorklist;
  priority: ErsPriority;
  /** e-RS specialty code, e.g. CARDIOLOGY. */
  specialty: string;
  /** e-RS service id (http://fhir.nhs.net/Id/ers-service). */
  serviceId: string;
  nhsNumber: string;
  /** Extension eReferralPathwayStart, ISO date-time. */
  pathwayStart: string;
  /** ASI items: when the UBRN reached the worklist (ubrnReceived), ISO date-time. */
  receivedAt?: string;
  /** ASI items: the date by which the patient was told to expect contact (patientContactExpected), YYYY-MM-DD. */
  patientContactExpected?: string;
  /** ASI items: why it is there (eRS-ReviewReason-1), e.g. NO_SLOTS_AT_SERVICE. */
  reason?: string;
  /** RfR items: the appointment the patient booked, ISO date-time. */
  appointmentStart?: string;
};

export type ErsAttachmentRef = {
  id: string;
  /** `Binary/<id>` as the referral lists it. */
  url: string;
  title: string;
  contentType: string;
  size?: number;
  /** Only available attachments can be downloaded (malware scan done). */
  available: boolean;
};

export type ErsPatient = {
  nhsNumber: string;
  givenName?: string;
  familyName?: string;
  /** YYYY-MM-DD */
  dateOfBirth?: string;
  postcode?: string;
};

/** A referral (A005), read with its version: every write sends that version back as If-Match. */
export type ErsReferral = {
  ubrn: string;
  /** meta.versionId, the ETag's value without W/"…". */
  version: string;
  /** eRS-ReferralState-1, e.g. BOOKED. */
  state: string;
  priority: ErsPriority;
  specialty: string;
  serviceId: string;
  patient: ErsPatient;
  pathwayStart: string;
  /** Other UBRNs on the same pathway (clinical information may sit on the first). */
  relatedUbrns: string[];
  attachments: ErsAttachmentRef[];
  /** The current appointment (Extension-eRS-Appointment-Reference-1 and the contained Appointment). */
  appointment?: { id: string; start: string; end?: string; status: string };
  /** RAS (triage) referrals are answered with A028; booked ones with A013/A014/A022. */
  triage: boolean;
};

export type ErsAppointment = { id: string; status: 'booked' | 'cancelled' | string; start: string; end?: string; ubrn: string; cancellationReason?: string };

export type ErsDocument = { filename: string; contentType: string; bytes: Uint8Array };

/** A028's outcomes that e-RS supports in practice. */
export type ErsReviewOutcome = 'RETURN_TO_REFERRER_WITH_ADVICE' | 'ACCEPT_REFER_BOOK_LATER';

/** How a failed call should be treated by whoever called it. */
export type ErsFailureKind =
  /** Try again later (429 with Retry-After, 423 locked, 5xx, timeouts, connection refused). */
  | 'retryable'
  /** The referral changed in e-RS since it was read (412): read it again and decide again. */
  | 'changed'
  /** Nothing will make it succeed (400, 401, 403, 404, 409, 422): tell a person. */
  | 'final';

export class ErsError extends Error {
  constructor(
    readonly kind: ErsFailureKind,
    readonly status: number,
    /** eRS-APIErrorCode-1 code from the OperationOutcome, when there was one. */
    readonly code: string | undefined,
    message: string,
    readonly retryAfterMs?: number,
  ) {
    super(message);
    this.name = 'ErsError';
  }
}

/** The adapter. Every method throws ErsError on a failure it understood; the caller decides on retries. */
export interface ErsApi {
  /** A008. */
  fetchWorklist(worklist: ErsWorklist): Promise<ErsWorklistItem[]>;
  /** A005. */
  getReferral(ubrn: string): Promise<ErsReferral>;
  /** A007: the Clinical Referral Information summary PDF. */
  clinicalSummary(ubrn: string): Promise<ErsDocument>;
  /** A042 (following the 307), or A006 for ids the R4 route does not know. */
  attachment(ref: ErsAttachmentRef): Promise<ErsDocument>;
  /** A029: the action codes allowed now on this version (never cached). */
  allowedActions(ubrn: string, version: string): Promise<string[]>;
  /** A013: accept a booked referral. Answers the referral's new version. */
  accept(ubrn: string, version: string): Promise<ErsReferral>;
  /** A014: reject a booked referral back to the referrer. */
  reject(ubrn: string, version: string, reason: string, comments: string): Promise<ErsReferral>;
  /** A028: the triage outcome (comments are mandatory). */
  recordReviewOutcome(ubrn: string, version: string, outcome: ErsReviewOutcome, comments: string, priority?: ErsPriority): Promise<ErsReferral>;
  /** A022: cancel the appointment and put the referral on Appointments For Booking. */
  cancelAppointmentActionLater(ubrn: string, version: string, comments: string): Promise<ErsReferral>;
  /** A038. */
  getAppointment(id: string): Promise<ErsAppointment>;
}

/**
 * A029 action codes (eRS-AvailableActionsForUser-1). Only RECORD_REVIEW_OUTCOME and CREATE_APPOINTMENT appear in
 * NHS Digital's sandbox; the accept/reject/cancel codes are the local service's names for the other actions the
 * spec describes (verify against INT before relying on them).
 */
export const ersActions = {
  acceptReferral: 'ACCEPT_REFERRAL',
  rejectReferral: 'REJECT_REFERRAL',
  cancelAppointmentActionLater: 'CANCEL_APPOINTMENT_ACTION_LATER',
  recordReviewOutcome: 'RECORD_REVIEW_OUTCOME',
} as const;

/**
 * eRS-ReferralState-1 codes the local service uses (the full list is not published: interfaces.md §7).
 * BOOKED: on Referrals for Review with an appointment; AWAITING_TRIAGE: a RAS referral; BOOKING_DEFERRED: on
 * Appointment Slot Issues; ACCEPTED; REJECTED (returned to the referrer); AWAITING_BOOKING (Appointments For
 * Booking, after A022 or A028 accept-book-later); APPOINTMENT_CANCELLED (the patient cancelled in e-RS).
 */
export const ersReferralStates = ['BOOKED', 'AWAITING_TRIAGE', 'BOOKING_DEFERRED', 'ACCEPTED', 'REJECTED', 'AWAITING_BOOKING', 'APPOINTMENT_CANCELLED'] as const;
export type ErsReferralState = (typeof ersReferralStates)[number];

/** An e-RS service of the trust and the local specialty (treatment function code) its referrals belong to. */
export type ErsServiceMapping = { serviceId: string; ersSpecialty: string; specialtyCode: string; name: string };
