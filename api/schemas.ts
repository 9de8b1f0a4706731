// Request schemas: validated at the boundary and nowhere else; the OpenAPI document is built from them and
// the console's request types are inferred from them. Pure: no node:*, no db.
import { z } from 'zod';
import {
  cancellationParties, clinicalReviewDecisions, partialBookingReviewDecisions,
  absenceHandovers, administrativeRttCodes, attendanceOutcomes, communicationMethods, dnaReviewDecisions, fdsOutcomes, isIsoDateTime,
  isStorableDate, isValidNhsNumber, monitoringReviewDecisions, OLDEST_BIRTH_YEAR, referralPriorities, referralSources,
  toldAtBookingMethods, treatmentPlans, validationFields, type TaskType, type TriageDecision, type ValidationOutcomeKind,
} from '../domain';
import { attendanceRttCodes, attendanceSettings, PIFU_MAX_EXPIRY_WEEKS, pifuExpiryActions } from '../domain';
import { cashUpOutcomes, aisNeeds, clinicSessions, commChannels, contactChannels, contactPatientOutcomes, interpreterBookingOutcomes, contactDirections, contactOutcomes, sessionChangeKinds, preOpReviewDecisions, intendedManagements, surgicalPriorities } from '../domain';

// Years 0001-9999 only: Postgres has no year 0 and JavaScript and Postgres disagree beyond 9999.
// How far from today a date may be is checked where today is known (domain/plausibility.ts).
export const isoDate = z.string().refine((v) => isStorableDate(v), 'must be a real date written YYYY-MM-DD');
const priority = z.enum(referralPriorities);

const phoneNumber = z.string().trim().regex(/^\+?[\d ]{10,15}$/, 'is not a phone number');
const emailAddress = z.string().trim().email('is not an email address').max(254);

export const registerReferralBody = z.object({
  patient: z.object({
    nhsNumber: z.string().trim().refine((v) => isValidNhsNumber(v), 'is not a valid NHS number (10 digits with a Modulus 11 check digit)')
      .transform((v) => v.replace(/ /g, '')),
    givenName: z.string().trim().min(1, 'is required').max(100),
    familyName: z.string().trim().min(1, 'is required').max(100),
    dateOfBirth: isoDate.refine((v) => Number(v.slice(0, 4)) >= OLDEST_BIRTH_YEAR, `must be in ${OLDEST_BIRTH_YEAR} or later`),
    postcode: z.string().trim().max(10).regex(/^[A-Za-z]{1,2}\d[A-Za-z\d]? ?\d[A-Za-z]{2}$/, 'is not a UK postcode').optional(),
    phone: phoneNumber.optional(),
    email: emailAddress.optional(),
    // Where letters go (issue 12): the lines above the postcode, as the referral gives them.
    addressLines: z.array(z.string().trim().min(1, 'must not be blank').max(80)).min(1).max(6).optional(),
  }),
  // Who referred: told when the referral is returned, by email (NHSmail) or, with an address, by letter.
  referrer: z.object({
    name: z.string().trim().min(1, 'is required').max(100),
    organisation: z.string().trim().max(100).optional(),
    odsCode: z.string().trim().regex(/^[A-Z0-9]{3,8}$/, 'is not an ODS code').optional(),
    email: emailAddress.optional(),
    addressLines: z.array(z.string().trim().min(1, 'must not be blank').max(80)).min(1).max(5).optional(),
    postcode: z.string().trim().max(10).regex(/^[A-Za-z]{1,2}\d[A-Za-z\d]? ?\d[A-Za-z]{2}$/, 'is not a UK postcode').optional(),
  }).optional(),
  source: z.enum(referralSources),
  ubrn: z.string().trim().regex(/^\d{12}$/, 'must be the 12-digit e-RS booking reference').optional(),
  receivedAt: isoDate,
  specialty: z.string().trim().regex(/^[A-Z0-9]{3}$/, 'must be a treatment function code such as 101'),
  priority,
  reason: z.string().trim().min(3, 'must say why the patient is referred').max(2000),
});
export type RegisterReferral = z.infer<typeof registerReferralBody>;

// Communication needs (issue 12) [rules §9.2]. Whether texts have a mobile to go to is checked against the record.
const noRepeats = <T>(list: T[]) => new Set(list).size === list.length;
const blankIsNull = (v: string | null | undefined) => (v === '' ? null : v);
export const communicationBody = z.object({
  channels: z.array(z.enum(commChannels)).min(1, 'choose at least one way to contact the patient').refine(noRepeats, 'name each channel once'),
  aisNeeds: z.array(z.enum(aisNeeds)).refine(noRepeats, 'name each need once'),
  interpreterLanguage: z.string().trim().max(60, 'must be at most 60 characters').nullable().transform(blankIsNull),
  carer: z.object({
    name: z.string().trim().min(1, 'is required').max(100),
    relationship: z.string().trim().min(1, 'is required').max(60),
    phone: phoneNumber.or(z.literal('')).nullable().optional().transform((v) => blankIsNull(v) ?? null),
    email: emailAddress.or(z.literal('')).nullable().optional().transform((v) => blankIsNull(v) ?? null),
  }).nullable(),
});
export const changePatientBody = z.object({
  communication: communicationBody,
  phone: phoneNumber.or(z.literal('')).nullable().optional().transform(blankIsNull),
  email: emailAddress.or(z.literal('')).nullable().optional().transform(blankIsNull),
  addressLines: z.array(z.string().trim().min(1, 'must not be blank').max(100)).max(6, 'at most 6 lines').optional(),
  updatedAt: z.string().optional().describe('The patient\'s updatedAt as read: a change made since is refused (STALE_VERSION)'),
});
export type ChangePatient = z.input<typeof changePatientBody>;

export const triageOutcome = z.discriminatedUnion('decision', [
  z.object({ decision: z.literal('accept' satisfies TriageDecision), clinicId: z.string().min(1, 'choose a clinic'), clinicalPriority: priority }),
  z.object({ decision: z.literal('return_to_referrer' satisfies TriageDecision), reason: z.string().trim().min(3, 'say why the referral goes back') }),
]);
export const bookingOutcome = z.object({
  slotId: z.string().min(1, 'choose a slot'),
  // Told of the appointment as it was booked: the evidence a first-appointment DNA needs (letters etc. via /appointments/:id/communication).
  communicatedBy: z.enum(toldAtBookingMethods, { error: 'phone or in_person: how the patient was told as it was booked' }).optional(),
  // A slot after the RTT breach date: a team leader confirms it (issue 10); anyone else is refused.
  confirmPastBreach: z.boolean().optional(),
});
/** A clinician's review after repeated patient cancellations or two declined reasonable offers (issue 10). */
export const clinicalReviewOutcome = z.object({
  decision: z.enum(clinicalReviewDecisions),
  reviewInWeeks: z.number().int().min(1).max(52).optional(),
  note: z.string().trim().max(2000).optional(),
}).refine((v) => v.decision === 'active_monitoring' || v.reviewInWeeks === undefined, { path: ['reviewInWeeks'], message: 'only with active_monitoring' });
export const attendanceOutcome = z.object({
  outcome: z.enum(attendanceOutcomes),
  followUpWeeks: z.number().int().min(1).max(104).optional(),
  // Issue 16: the latest clinically appropriate date, in weeks from clinic (default: the due date plus two weeks).
  lcadWeeks: z.number().int().min(1).max(156).optional(),
  reviewInWeeks: z.number().int().min(1).max(52).optional(),
  patientInitiated: z.boolean().optional(),
  note: z.string().trim().max(2000).optional(),
  // Issue 15: the decision to admit's details with added_to_waiting_list (the patient joins the admitted list at once).
  admission: z.object({
    procedure: z.string().trim().min(1, 'say which procedure').max(200),
    intendedManagement: z.enum(intendedManagements),
    surgicalPriority: z.enum(surgicalPriorities),
    consultantId: z.string().trim().min(1).max(100),
    preOpRequired: z.boolean(),
    estimatedMinutes: z.number().int().min(5).max(1440).optional(),
  }).optional(),
  // Issue 16: with moved_to_pifu, how long the patient may ask to be seen and what happens if they never do.
  expiryWeeks: z.number().int().min(1).max(PIFU_MAX_EXPIRY_WEEKS).optional(),
  atExpiry: z.enum(pifuExpiryActions).optional(),
}).refine((v) => v.outcome !== 'follow_up' || v.followUpWeeks !== undefined, { path: ['followUpWeeks'], message: 'say in how many weeks to follow up' })
  .refine((v) => v.lcadWeeks === undefined || (v.outcome === 'follow_up' && v.lcadWeeks >= (v.followUpWeeks ?? 0)),
    { path: ['lcadWeeks'], message: 'only with follow_up, and no sooner than the follow-up is due' })
  .refine((v) => v.outcome !== 'moved_to_pifu' || v.expiryWeeks !== undefined, { path: ['expiryWeeks'], message: 'say in how many weeks the PIFU period ends' })
  .refine((v) => v.outcome !== 'moved_to_pifu' || v.atExpiry !== undefined, { path: ['atExpiry'], message: 'say whether to discharge or review at expiry' })
  .refine((v) => v.outcome === 'moved_to_pifu' || (v.expiryWeeks === undefined && v.atExpiry === undefined), { path: ['expiryWeeks'], message: 'only with moved_to_pifu' })
  .refine((v) => v.outcome === 'added_to_waiting_list' || v.admission === undefined, { path: ['admission'], message: 'only with added_to_waiting_list' })
  .refine((v) => v.outcome === 'active_monitoring' || (v.reviewInWeeks === undefined && v.patientInitiated === undefined),
    { path: ['reviewInWeeks'], message: 'only with active_monitoring' });
export const dnaReviewOutcome = z.object({ decision: z.enum(dnaReviewDecisions), note: z.string().trim().max(2000).optional() });
export const escalationOutcome = z.object({ note: z.string().trim().min(1, 'say what was done').max(2000) });
export const validationOutcome = z.discriminatedUnion('outcome', [
  z.object({ outcome: z.literal('still_waiting' satisfies ValidationOutcomeKind), note: z.string().trim().max(2000).optional() }),
  z.object({ outcome: z.literal('treated_elsewhere' satisfies ValidationOutcomeKind), note: z.string().trim().max(2000).optional() }),
  z.object({
    outcome: z.literal('no_longer_required' satisfies ValidationOutcomeKind),
    patientConfirmed: z.literal(true, { error: 'the patient must confirm they no longer need care' }),
    note: z.string().trim().max(2000).optional(),
  }),
  z.object({
    outcome: z.literal('data_corrected' satisfies ValidationOutcomeKind),
    field: z.enum(validationFields),
    note: z.string().trim().min(3, 'say what was corrected').max(2000),
  }),
]);
export const monitoringReviewOutcome = z.object({
  decision: z.enum(monitoringReviewDecisions),
  reviewInWeeks: z.number().int().min(1).max(52).optional(),
  // A decision to treat: admitted care (the waiting list, the default) or outpatient (a follow-up to book).
  plan: z.enum(treatmentPlans).optional(),
  note: z.string().trim().max(2000).optional(),
}).refine((v) => v.decision === 'decision_to_treat' || v.plan === undefined, { path: ['plan'], message: 'only with decision_to_treat' })
  .refine((v) => v.decision === 'continue_monitoring' || v.reviewInWeeks === undefined, { path: ['reviewInWeeks'], message: 'only with continue_monitoring' });

/** An administrative RTT event: closes the open period on `date` (not in the future, not before the clock start). */
export const rttEventBody = z.object({
  code: z.number({ error: `must be one of ${administrativeRttCodes.join(', ')}` }).int().min(21).max(36)
    .refine((v) => (administrativeRttCodes as readonly number[]).includes(v), `must be one of ${administrativeRttCodes.join(', ')}`),
  date: isoDate,
  note: z.string().trim().max(2000).optional(),
});
/** Evidence that the patient was told of an appointment: how, and when. */
export const appointmentCommunicationBody = z.object({
  communicatedBy: z.enum(communicationMethods),
  communicatedAt: z.string().refine((v) => isIsoDateTime(v), 'must be an ISO date-time with a zone'),
});

/** The Faster Diagnosis outcome as told to the patient (POST /api/referrals/:id/fds-outcome). */
export const fdsOutcomeBody = z.object({
  outcome: z.enum(fdsOutcomes),
  communicatedOn: isoDate,
});

/** An interpreter booked for the appointment (or, on checking with the patient, not needed after all). */
export const interpreterOutcome = z.object({
  outcome: z.enum(interpreterBookingOutcomes),
  reference: z.string().trim().max(100).optional(),
  note: z.string().trim().max(2000).optional(),
});
/** A patient a message could not reach: reached another way, details corrected, or not reached. */
export const contactPatientOutcome = z.object({
  outcome: z.enum(contactPatientOutcomes),
  note: z.string().trim().min(1, 'say what was done').max(2000),
});

/** A call or message logged against a patient (issue 12); the summary may hold personal details, so it is never audited. */
export const contactBody = z.object({
  direction: z.enum(contactDirections),
  channel: z.enum(contactChannels),
  summary: z.string().trim().min(1, 'say what was said or done').max(2000, 'must be at most 2000 characters'),
  outcome: z.enum(contactOutcomes),
  referralId: z.string().trim().min(1).max(100).optional(), // one of this patient's referrals, when the contact was about it
});

/** An e-RS slot issue dealt with outside the pathway (booked in e-RS, redirected): what was done. */
export const slotIssueOutcome = z.object({
  note: z.string().trim().min(1, 'say what was done').max(2000),
});
export type SlotIssueOutcome = z.infer<typeof slotIssueOutcome>;

// Admitted care (issue 15).
/** The pre-operative assessment booked: its date. Its outcome is POST /api/admissions/:id/pre-op-outcome. */
export const bookPreOpOutcome = z.object({
  preOpDate: z.string().refine(isStorableDate, 'must be a real date (YYYY-MM-DD)'),
  note: z.string().trim().max(2000).optional(),
});
/** A clinician's review of an unfit pre-op: assess again, active monitoring (32, list position kept) or discharge (34). */
export const preOpReviewOutcome = z.object({
  decision: z.enum(preOpReviewDecisions),
  reviewInWeeks: z.number().int().min(1).max(52).optional(),
  note: z.string().trim().max(2000).optional(),
});
/** A TCI booked another way than an offer recorded here: what was done (an accepted TCI offer closes the item by itself). */
export const noteOutcome = z.object({ note: z.string().trim().min(1, 'say what was done').max(2000) });

/** Issue 16: the clinician's decision on a follow-up nobody booked from the partial booking list. */
export const partialBookingReviewOutcome = z.object({
  decision: z.enum(partialBookingReviewDecisions),
  dueInWeeks: z.number().int().min(1).max(104).optional(),
  lcadWeeks: z.number().int().min(1).max(156).optional(),
  note: z.string().trim().max(2000).optional(),
}).refine((v) => v.decision !== 'extend' || v.dueInWeeks !== undefined, { path: ['dueInWeeks'], message: 'say in how many weeks the follow-up is now due' })
  .refine((v) => v.decision === 'extend' || (v.dueInWeeks === undefined && v.lcadWeeks === undefined), { path: ['dueInWeeks'], message: 'only with extend' })
  .refine((v) => v.lcadWeeks === undefined || v.lcadWeeks >= (v.dueInWeeks ?? 0), { path: ['lcadWeeks'], message: 'no sooner than the new due date' });

export const outcomeByTaskType = {
  triage_referral: triageOutcome,
  book_new_appointment: bookingOutcome,
  book_follow_up: bookingOutcome,
  record_attendance: attendanceOutcome,
  dna_review: dnaReviewOutcome,
  escalation_review: escalationOutcome,
  capacity_escalation: escalationOutcome,
  validate_pathway: validationOutcome,
  active_monitoring_review: monitoringReviewOutcome,
  rebook_appointment: bookingOutcome,
  clinical_review: clinicalReviewOutcome,
  book_interpreter: interpreterOutcome,
  contact_patient: contactPatientOutcome,
  resolve_slot_issue: slotIssueOutcome,
  book_pre_op: bookPreOpOutcome,
  pre_op_review: preOpReviewOutcome,
  book_tci: noteOutcome,
  tci_clinical_review: clinicalReviewOutcome,
  rebook_cancelled_operation: noteOutcome,
  offer_stand_by: noteOutcome,
  bed_management: noteOutcome,
  partial_booking_review: partialBookingReviewOutcome,
} as const satisfies Record<TaskType, z.ZodType>;

export const assignBody = z.object({
  assigneeId: z.string().min(1).optional(),
  queueId: z.string().min(1).optional(),
  version: z.number().int().positive().optional(),
  confirmLeave: z.boolean().optional(),
}).refine((b) => (b.assigneeId === undefined) !== (b.queueId === undefined), { message: 'give either assigneeId or queueId', path: ['assigneeId'] });

export const MAX_BULK_MOVE = 20_000;

export const claimNextBody = z.object({ queueId: z.string().min(1).optional() });
export const snoozeBody = z.object({
  until: z.string().refine((v) => isStorableDate(v) || isIsoDateTime(v), 'must be a real date (YYYY-MM-DD) or an ISO date-time with a zone'),
  reason: z.string().trim().min(3, 'say why the item waits').max(500),
});
export const bulkAssignBody = z.object({
  ids: z.array(z.string().min(1)).min(1).max(MAX_BULK_MOVE).optional(),
  filter: z.record(z.string(), z.unknown()).optional(),
  assigneeId: z.string().min(1).optional(),
  queueId: z.string().min(1).optional(),
  confirmLeave: z.boolean().optional(),
}).refine((b) => (b.ids === undefined) !== (b.filter === undefined), { message: 'give either ids or filter', path: ['ids'] })
  .refine((b) => (b.assigneeId === undefined) !== (b.queueId === undefined), { message: 'give either assigneeId or queueId', path: ['assigneeId'] });

const leaveDate = z.string({ error: 'is required' }).refine((v) => isStorableDate(v), 'must be a real date written YYYY-MM-DD');
const leaveFields = {
  staffId: z.string({ error: 'is required' }).trim().min(1, 'is required'),
  from: leaveDate,
  to: leaveDate,
  coverStaffId: z.string().trim().min(1, 'choose a member of staff').nullish(),
  handover: z.enum(absenceHandovers).optional(),
  returnOnEnd: z.boolean().optional(),
};
export const absencePreviewBody = z.object(leaveFields);
export const createAbsenceBody = z.object({
  ...leaveFields,
  reason: z.string({ error: 'is required' }).trim().min(3, 'say why (e.g. annual leave)').max(500),
});
export const changeAbsenceBody = z.object({ to: leaveDate });

export const memberBody = z.object({ staffId: z.string().min(1) });

export const loginBody = z.object({ email: z.string().trim().toLowerCase().email(), password: z.string().min(1) });

export type TriageOutcome = z.input<typeof triageOutcome>;
export type BookingOutcome = z.input<typeof bookingOutcome>;
export type AttendanceOutcome = z.input<typeof attendanceOutcome>;
export type DnaReviewOutcome = z.input<typeof dnaReviewOutcome>;
export type EscalationOutcome = z.input<typeof escalationOutcome>;
export type InterpreterOutcome = z.input<typeof interpreterOutcome>;
export type ContactPatientOutcome = z.input<typeof contactPatientOutcome>;
export type ContactRequest = z.input<typeof contactBody>;
export type AssignRequest = z.input<typeof assignBody>;
export type BulkAssignRequest = z.input<typeof bulkAssignBody>;
export type ClaimNextRequest = z.input<typeof claimNextBody>;
export type SnoozeRequest = z.input<typeof snoozeBody>;
export type AbsenceDraft = z.input<typeof createAbsenceBody>;
export type AbsencePlan = z.input<typeof absencePreviewBody>;
export type AbsenceChangeRequest = z.input<typeof changeAbsenceBody>;
export type LoginRequest = z.input<typeof loginBody>;
export type RttEventRequest = z.input<typeof rttEventBody>;
export type AppointmentCommunicationRequest = z.input<typeof appointmentCommunicationBody>;
export type RegisterReferralRequest = z.input<typeof registerReferralBody>;

// Appointments change and offers (issue 10). The reason is free text (it may name the patient): stored as a note.
const cancellationReason = z.string().trim().min(3, 'say why, in at least 3 characters').max(2000);
export const cancelAppointmentBody = z.object({
  by: z.enum(cancellationParties, { error: 'patient or hospital: who cancelled' }),
  reason: cancellationReason,
});
export const rescheduleAppointmentBody = cancelAppointmentBody.extend({
  slotId: z.string().min(1, 'choose a slot'),
  communicatedBy: z.enum(toldAtBookingMethods, { error: 'phone or in_person: how the patient was told of the new time' }).optional(),
  // A slot after the RTT breach date: a team leader confirms it; anyone else is refused.
  confirmPastBreach: z.boolean().optional(),
});
/** A date offered to the patient: a slot, or a date without one (exactly one of the two). */
export const offerBody = z.object({
  slotId: z.string().min(1).optional(),
  date: isoDate.optional(),
  offeredOn: isoDate,
  channel: z.enum(communicationMethods),
}).refine((v) => (v.slotId === undefined) !== (v.date === undefined), { path: ['slotId'], message: 'give exactly one of slotId or date' });
export const acceptOfferBody = z.object({
  communicatedBy: z.enum(toldAtBookingMethods, { error: 'phone or in_person: how the patient was told as it was booked' }).optional(),
  // A slot after the RTT breach date: a team leader confirms it, as on any move or booking.
  confirmPastBreach: z.boolean().optional(),
});
export const declineOfferBody = z.object({ reason: cancellationReason });
export type CancelAppointmentRequest = z.input<typeof cancelAppointmentBody>;
export type RescheduleAppointmentRequest = z.input<typeof rescheduleAppointmentBody>;
export type OfferRequest = z.input<typeof offerBody>;
export type DeclineOfferRequest = z.input<typeof declineOfferBody>;
/** A clinic session cancelled or reduced (issue 10): POST /api/clinic-sessions/changes[?preview=true]. */
export const sessionChangeBody = z.object({
  clinicId: z.string().trim().min(1, 'choose a clinic'),
  date: isoDate,
  session: z.enum(clinicSessions).optional(),
  kind: z.enum(sessionChangeKinds),
  slotIds: z.array(z.string().min(1)).max(200).optional(),
  reason: z.string().trim().min(3, 'must say why the session changes (leave, sickness, rota)').max(500),
  confirmShortNotice: z.boolean().optional(),
});
export type SessionChangeRequest = z.infer<typeof sessionChangeBody>;
export const confirmSessionChangeBody = z.object({ confirmShortNotice: z.boolean().optional() });

// Issue 16: ward forms and cash-up.
/** The patient of a ward form: their id here, or their details as intake takes them. */
export const wardFormBody = z.object({
  patient: z.union([
    z.string().trim().min(1, 'is required').max(100).regex(/^pat_/, 'must be a patient id (pat_…) or the patient\'s details'),
    registerReferralBody.shape.patient,
  ]),
  ward: z.string().trim().min(1, 'say which ward').max(100),
  dischargedOn: isoDate,
  specialty: z.string().trim().regex(/^[A-Z0-9]{3}$/, 'must be a treatment function code such as 101'),
  clinicianId: z.string().trim().min(1, 'is required').max(100),
  followUpWithinWeeks: z.number().int('must be a whole number of weeks').min(1, 'must be at least 1').max(104, 'must be at most 104'),
  testsBefore: z.array(z.string().trim().min(1, 'must not be blank').max(200)).max(10).optional(),
  note: z.string().trim().min(1, 'is required').max(2000),
}).strict();
export type WardFormRequest = z.infer<typeof wardFormBody>;

export const cashUpBody = z.object({
  outcomes: z.array(z.object({
    appointmentId: z.string().trim().min(1, 'is required').max(100),
    outcome: z.enum(cashUpOutcomes),
    followUpWeeks: z.number().int('must be a whole number of weeks').min(1).max(104).optional(),
    note: z.string().trim().max(2000).optional(),
  }).strict().refine((o) => o.outcome !== 'follow_up' || o.followUpWeeks !== undefined, { message: 'say in how many weeks', path: ['followUpWeeks'] }))
    .min(1, 'record at least one outcome').max(200, 'at most 200 appointments at once'),
}).strict();
export type CashUpRequest = z.infer<typeof cashUpBody>;
// Issue 16: a patient seen outside a booked clinic, recorded after the fact (outcomes as at clinic, but never a DNA).
export const attendanceOutsideClinicBody = z.object({
  referralId: z.string().trim().min(1, 'say which referral').max(100),
  attendedOn: isoDate,
  clinicianId: z.string().trim().min(1, 'say which clinician saw the patient').max(100),
  setting: z.enum(attendanceSettings),
  outcome: z.enum(attendanceOutcomes).refine((v) => v !== 'did_not_attend', 'a patient seen outside clinic attended: record a DNA on the appointment'),
  followUpWeeks: z.number().int().min(1).max(104).optional(),
  expiryWeeks: z.number().int().min(1).max(PIFU_MAX_EXPIRY_WEEKS).optional(),
  atExpiry: z.enum(pifuExpiryActions).optional(),
  rttCode: z.number({ error: `must be one of ${attendanceRttCodes.join(', ')}` }).int()
    .refine((v) => (attendanceRttCodes as readonly number[]).includes(v), `must be one of ${attendanceRttCodes.join(', ')}`),
  note: z.string().trim().max(2000).optional(),
}).refine((v) => v.outcome !== 'follow_up' || v.followUpWeeks !== undefined, { path: ['followUpWeeks'], message: 'say in how many weeks to follow up' })
  .refine((v) => v.outcome === 'follow_up' || v.followUpWeeks === undefined, { path: ['followUpWeeks'], message: 'only with follow_up' })
  .refine((v) => v.outcome !== 'moved_to_pifu' || v.expiryWeeks !== undefined, { path: ['expiryWeeks'], message: 'say in how many weeks the PIFU period ends' })
  .refine((v) => v.outcome !== 'moved_to_pifu' || v.atExpiry !== undefined, { path: ['atExpiry'], message: 'say whether to discharge or review at expiry' })
  .refine((v) => v.outcome === 'moved_to_pifu' || (v.expiryWeeks === undefined && v.atExpiry === undefined), { path: ['expiryWeeks'], message: 'only with moved_to_pifu' });
export type AttendanceOutsideClinicBody = z.infer<typeof attendanceOutsideClinicBody>;

/** Issue 16: a patient on PIFU asks to be seen; the note (what they said) is kept in `notes`. */
export const pifuTriggerBody = z.object({ note: z.string().trim().max(2000).optional() });
