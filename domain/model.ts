// The access model's vocabularies, each written once. The Postgres enums, the API's zod schemas, the
// TypeScript types and the console's choice lists all derive from these lists, so a new value is added
// here and nowhere else (a test checks the database and the OpenAPI document against them).
// Order matters where a list is shown: it is the order of the console's choices.

/** A frozen list: the same array is shared by the worker, the API and the browser, so nobody may push to it. */
function vocabulary<const T extends readonly [string, ...string[]]>(...values: T): T {
  return Object.freeze(values);
}

export const roles = vocabulary('officer', 'team_leader', 'clinician', 'ops', 'admin');
export type Role = (typeof roles)[number];

/** Most clinically pressing first [A DD PRIORITY TYPE]; the order is the work order's first key. */
export const referralPriorities = vocabulary('two_week_wait', 'urgent', 'routine');
export type ReferralPriority = (typeof referralPriorities)[number];

/** `pas_import`: an open pathway brought over from the previous PAS at go-live (issue 13). */
export const referralSources = vocabulary('ers', 'gp_letter', 'consultant', 'ward', 'pas_import');
export type ReferralSource = (typeof referralSources)[number];

export const referralStates = vocabulary(
  'awaiting_triage', 'awaiting_booking', 'booked', 'awaiting_follow_up', 'follow_up_booked',
  'awaiting_dna_review', 'returned_to_referrer', 'discharged',
  // The whole RTT pathway (issue 9): waiting for admission after a decision to admit, on active monitoring,
  // and the ways a pathway ends besides discharge.
  'awaiting_admission', 'active_monitoring', 'treated', 'declined_treatment', 'transferred', 'died',
  // Changes (issue 10): a clinician reviews after repeated patient cancellations or two declined reasonable offers.
  'awaiting_clinical_review',
  // Issue 16: patient-initiated follow-up: the patient (or an officer from their call) asks for an appointment until it expires.
  'pifu',
);
export type ReferralState = (typeof referralStates)[number];

export const rttClockStatuses = vocabulary('running', 'stopped', 'nullified');
export type RttClockStatus = (typeof rttClockStatuses)[number];

/**
 * An RTT period as the PTL and the returns see it: a clock's status, plus `transferred` for a period
 * handed to another provider (code 21): off this trust's PTL, never a completed pathway here.
 */
export const rttPeriodStatuses = vocabulary('running', 'stopped', 'nullified', 'transferred');
export type RttPeriodStatus = (typeof rttPeriodStatuses)[number];

/** What caused an RTT event: shown on the clock's timeline. */
export const rttEventCauses = vocabulary(
  'referral', 'triage', 'outcome', 'dna_review', 'administrative', 'validation', 'monitoring_review', 'admission', 'clinical_review',
);
export type RttEventCause = (typeof rttEventCauses)[number];

/** The PTL's stages of an open pathway. */
export const ptlStages = vocabulary(
  'awaiting_triage', 'awaiting_first_appointment', 'awaiting_follow_up', 'awaiting_admission', 'active_monitoring',
);
export type PtlStage = (typeof ptlStages)[number];

/** What comes next on a PTL row, when anything is booked or due. */
export const ptlNextEventTypes = vocabulary('new_appointment', 'follow_up_appointment', 'active_monitoring_review');
export type PtlNextEventType = (typeof ptlNextEventTypes)[number];

/** The flags a PTL row can carry. */
export const ptlAlerts = vocabulary('breached', 'over_52_weeks', 'unbooked', 'not_validated');
export type PtlAlert = (typeof ptlAlerts)[number];

/** A two-week-wait pathway against its cancer targets, on the cancer view. */
export const cancerBreachRisks = vocabulary('met', 'on_track', 'at_risk', 'breached');
export type CancerBreachRisk = (typeof cancerBreachRisks)[number];

export const slotTypes = vocabulary('new', 'follow_up', 'urgent', 'two_week_wait');
export type SlotType = (typeof slotTypes)[number];

/** Issue 17, the breach forecast: what a pathway waits for next (triage counts as the first appointment). */
export const forecastStages = vocabulary('first_appointment', 'follow_up', 'admission');
export type ForecastStage = (typeof forecastStages)[number];
/** Capacity the forecast fills: clinic slots by type, counted in slots, and theatre in free minutes. */
export const capacityTypes = vocabulary('new', 'follow_up', 'urgent', 'two_week_wait', 'theatre');
export type CapacityType = (typeof capacityTypes)[number];
/** The target a predicted breach is of: 18 weeks, a cancer target, or a surgical-priority date. */
export const forecastTargets = vocabulary('rtt', 'cancer', 'surgical');
export type ForecastTarget = (typeof forecastTargets)[number];

export const slotStatuses = vocabulary('free', 'booked', 'blocked');
export type SlotStatus = (typeof slotStatuses)[number];

export const appointmentKinds = vocabulary('new', 'follow_up');
export type AppointmentKind = (typeof appointmentKinds)[number];

export const appointmentStates = vocabulary('booked', 'attended', 'did_not_attend', 'cancelled_by_patient', 'cancelled_by_hospital');
export type AppointmentState = (typeof appointmentStates)[number];

/** How a patient was told of an appointment: the evidence a first-appointment DNA needs to nullify a clock [A RTT-Rec25 §4 rule 5e]. */
export const communicationMethods = vocabulary('letter', 'sms', 'email', 'phone', 'in_person');
export type CommunicationMethod = (typeof communicationMethods)[number];
/** Told as it was booked: the officer spoke to the patient (a letter or message is recorded when it is sent). */
export const toldAtBookingMethods = vocabulary('phone', 'in_person');
export type ToldAtBookingMethod = (typeof toldAtBookingMethods)[number];

/** Work items. */
export const taskTypes = vocabulary(
  'triage_referral', 'book_new_appointment', 'book_follow_up', 'record_attendance', 'dna_review',
  'escalation_review', 'capacity_escalation', 'validate_pathway', 'active_monitoring_review',
  // Changes (issue 10): rebook after a hospital cancellation (Rebooking queue); a clinician's review after
  // repeated patient cancellations or declined reasonable offers.
  'rebook_appointment', 'clinical_review',
  // Patients hear from us (issue 12): an interpreter to book before an appointment; a patient a message could not
  // reach. Neither moves the pathway: the API completes them itself (api/side-items.ts).
  'book_interpreter', 'contact_patient',
  // e-RS (issue 14): a referral on e-RS's Appointment Slot Issues worklist, in the e-RS slot issues queue until it is
  // booked or returned (it closes itself then).
  'resolve_slot_issue',
  // Admitted care (issue 15): book the pre-operative assessment; a clinician reviews an unfit assessment; book the TCI
  // (admitted booking queue); a clinical conversation after two declined reasonable TCIs [rules §1.4, §6].
  'book_pre_op', 'pre_op_review', 'book_tci', 'tci_clinical_review',
  // Issue 15, stand-by and the 28-day guarantee (inpatient-cancel builds them): rebook an on-the-day cancelled operation,
  // offer freed theatre time to the stand-by list, bed management liaison when a ward's elective beds are exceeded.
  'rebook_cancelled_operation', 'offer_stand_by', 'bed_management',
  // Issue 16, partial booking: a clinician decides on a follow-up the patient did not answer, or could not be booked by its LCAD.
  'partial_booking_review',
);
export type TaskType = (typeof taskTypes)[number];

export const taskStatuses = vocabulary('open', 'claimed', 'done', 'cancelled');
export type TaskStatus = (typeof taskStatuses)[number];
/** Still to be done: what lists of work, moves and handovers act on. */
export const openTaskStatuses = Object.freeze(['open', 'claimed'] as const) satisfies readonly TaskStatus[];

export const queueKinds = vocabulary(
  'specialty', 'two_week_wait', 'escalation', 'capacity', 'ers_slot_issues', 'ward_forms', 'partial_booking', 'rebooking', 'validation',
  // Issue 15: the admitted (inpatient and day case) booking team's queue: pre-op and TCI booking.
  'admitted_booking',
);
export type QueueKind = (typeof queueKinds)[number];

export const absenceStatuses = vocabulary('planned', 'active', 'ended', 'cancelled');
export type AbsenceStatus = (typeof absenceStatuses)[number];

/** Where a person's work goes while they are away. */
export const absenceHandovers = vocabulary('cover', 'queue');
export type AbsenceHandover = (typeof absenceHandovers)[number];

export const commChannels = vocabulary('letter', 'sms', 'email');
export type CommChannel = (typeof commChannels)[number];

// Patients hear from us (issue 12).
/** Accessible Information Standard needs (DCB1605) [rules §9.2]; a carer as contact is the patient's `carer`. */
export const aisNeeds = vocabulary('large_print', 'easy_read', 'braille', 'bsl_interpreter', 'audio');
export type AisNeed = (typeof aisNeeds)[number];
/** What the outbox has done with a message; `cancelled`: never sent, the appointment it was about went first. */
export const communicationStatuses = vocabulary('queued', 'sending', 'delivered', 'permanent_failure', 'technical_failure', 'cancelled');
export type CommunicationStatus = (typeof communicationStatuses)[number];
/** The messages Access Desk sends; their words and personalisation fields are in domain/messages.ts. */
export const messageTemplates = vocabulary(
  'appointment_confirmation', 'appointment_reminder', 'appointment_changed', 'appointment_cancelled', 'referral_returned',
  'partial_booking_invitation',
  // Issue 16: a follow-up nobody booked, discharged at the clinician's review: the patient and their GP are told.
  'follow_up_discharged',
  // A PIFU period that ended in discharge (at expiry, or at the review it raised): the patient and their GP are told.
  'pifu_discharged',
);
export type MessageTemplate = (typeof messageTemplates)[number];
/** Who a message is for: the patient, their carer (AIS), or the referrer (a returned referral). */
export const messageRecipients = vocabulary('patient', 'carer', 'referrer');
export type MessageRecipient = (typeof messageRecipients)[number];
/** A letter's format: large print for an AIS need (and easy-read words for easy read). */
export const letterFormats = vocabulary('standard', 'large_print', 'easy_read');
export type LetterFormat = (typeof letterFormats)[number];
/** Whether an appointment needs an interpreter, and whether one is booked. */
export const interpreterStatuses = vocabulary('not_needed', 'needed', 'booked');
export type InterpreterStatus = (typeof interpreterStatuses)[number];
/** The contact log: a call or message in or out, and how it ended. */
export const contactDirections = vocabulary('inbound', 'outbound');
export type ContactDirection = (typeof contactDirections)[number];
export const contactChannels = vocabulary('phone', 'letter', 'email', 'sms', 'in_person');
export type ContactChannel = (typeof contactChannels)[number];
export const contactOutcomes = vocabulary('resolved', 'information_given', 'call_back', 'message_left', 'no_answer', 'details_updated');
export type ContactOutcome = (typeof contactOutcomes)[number];
/** A book_interpreter item's outcome; a contact_patient item's outcome. Outcomes in task rows, not database enums. */
export const interpreterBookingOutcomes = vocabulary('booked', 'not_needed');
export type InterpreterBookingOutcome = (typeof interpreterBookingOutcomes)[number];
export const contactPatientOutcomes = vocabulary('contacted', 'details_updated', 'unable_to_contact');
export type ContactPatientOutcomeKind = (typeof contactPatientOutcomes)[number];
/** A staff member's inbox (the bell): an escalation they hold, work moved to them. */
/** `pas_feed`: the PAS rejected an HL7 message (ops are told); `ers_outcome`: e-RS would not take a triage outcome (the person who decided it is told). */
export const staffNotificationKinds = vocabulary('escalation', 'assignment', 'pas_feed', 'ers_outcome');
/** The PAS feed (issue 14): HL7 v2 events we send, and where a message stands (acknowledged = the PAS's AA; set_aside = ops
 * let a rejected message go, having put the PAS right by hand). */
export const hl7Events = vocabulary('S12', 'S14', 'S15', 'A08');
export type Hl7Event = (typeof hl7Events)[number];
export const hl7Statuses = vocabulary('queued', 'sending', 'acknowledged', 'rejected', 'set_aside');
export type Hl7Status = (typeof hl7Statuses)[number];

/** Go-live (issue 13): a PAS extract's row says where its open pathway stands. */
export const importStages = vocabulary('awaiting_triage', 'awaiting_first_appointment', 'awaiting_follow_up', 'awaiting_admission');
export type ImportStage = (typeof importStages)[number];
/** An import job: running (or stopped part-way, resumable), done, or failed as a whole (the reason is recorded). */
export const importStatuses = vocabulary('running', 'done', 'failed');
export type ImportStatus = (typeof importStatuses)[number];
export type StaffNotificationKind = (typeof staffNotificationKinds)[number];

// Changes and cancellations (issue 10).
/** Who cancelled an appointment: the patient (CNA, counted towards the review limit) or the hospital (CBH, rebooked) [rules §4.3–4.4]. */
export const cancellationParties = vocabulary('patient', 'hospital');
export type CancellationParty = (typeof cancellationParties)[number];

/** An offer of a date to a patient: open until accepted or declined [rules §4.1]. */
export const offerStatuses = vocabulary('offered', 'accepted', 'declined');
export type OfferStatus = (typeof offerStatuses)[number];

/** Why a clinician is asked to review a pathway. */
/** `ward_form_interval` (issue 16): a ward's follow-up interval that no clinic slot can meet. */
export const clinicalReviewReasons = vocabulary('patient_cancellations', 'declined_offers', 'ward_form_interval');
export type ClinicalReviewReason = (typeof clinicalReviewReasons)[number];

/** A clinical review's decision: book again, active monitoring (32), or discharge back to the GP (34) [A RTT-Rec25 v4.0]. */
export const clinicalReviewDecisions = vocabulary('rebook', 'active_monitoring', 'discharge');
export type ClinicalReviewDecision = (typeof clinicalReviewDecisions)[number];

/**
 * Issue 16: a follow-up on the partial booking list [rules §4.6]: waiting to be invited, invited, chased once, with the
 * clinician (no answer, or no slot by the LCAD), booked, or discharged at the review.
 */
export const partialBookingStatuses = vocabulary('waiting', 'invited', 'chased', 'in_review', 'booked', 'discharged');
export type PartialBookingStatus = (typeof partialBookingStatuses)[number];
/** The clinician's review of a partial-booking follow-up: book it anyway, extend (a new due date), or discharge (34). */
export const partialBookingReviewDecisions = vocabulary('book_anyway', 'extend', 'discharge');
export type PartialBookingReviewDecision = (typeof partialBookingReviewDecisions)[number];
/** The follow-up backlog's bands [rules §4.7]: how far past its LCAD a follow-up past its due date is (computed, not stored). */
export const lcadBands = vocabulary('not_past_lcad', 'up_to_4_weeks', '4_to_12_weeks', 'over_12_weeks');
export type LcadBand = (typeof lcadBands)[number];

/** A clinic's half-day session: morning before 13:00 London time, afternoon from 13:00. */
export const clinicSessions = vocabulary('am', 'pm');
export type ClinicSession = (typeof clinicSessions)[number];

/** A clinic session change: the whole session cancelled, or some of its slots taken out [rules §7]. */
export const sessionChangeKinds = vocabulary('cancel', 'reduce');
export type SessionChangeKind = (typeof sessionChangeKinds)[number];

/** proposed: raised by a template change that would remove booked slots, waiting for a team leader; running; completed. */
export const sessionChangeStatuses = vocabulary('proposed', 'running', 'completed');
export type SessionChangeStatus = (typeof sessionChangeStatuses)[number];

/** What a session change did for one patient: moved to a new slot, or put on the Rebooking queue to wait for one. */
export const sessionChangeOutcomes = vocabulary('moved', 'waiting_for_slot');
export type SessionChangeOutcome = (typeof sessionChangeOutcomes)[number];

// Decisions recorded on a work item.
export const triageDecisions = vocabulary('accept', 'return_to_referrer');
export type TriageDecision = (typeof triageDecisions)[number];

export const attendanceOutcomes = vocabulary(
  'discharged', 'follow_up', 'did_not_attend', 'treated', 'active_monitoring', 'declined_treatment', 'decision_not_to_treat',
  'added_to_waiting_list', 'referred_on',
  // Issue 16: moved to patient-initiated follow-up, with an expiry and what happens at it [rules §4.8].
  'moved_to_pifu',
);
export type AttendanceOutcomeKind = (typeof attendanceOutcomes)[number];

/** At a PIFU's expiry with no trigger: discharge to the GP (letters), or a clinician reviews [rules §4.8]. */
export const pifuExpiryActions = vocabulary('discharge', 'review');
export type PifuExpiryAction = (typeof pifuExpiryActions)[number];

/** Where a patient was seen outside a booked clinic (a retrospective attendance, issue 16) [rules §8]. */
export const attendanceSettings = vocabulary('ward', 'phone', 'video', 'other');
export type AttendanceSetting = (typeof attendanceSettings)[number];

export const dnaReviewDecisions = vocabulary('rebook', 'discharge');
export type DnaReviewDecision = (typeof dnaReviewDecisions)[number];

/** A waiting-list validation's finding [A/N VAL22]. */
export const validationOutcomes = vocabulary('still_waiting', 'treated_elsewhere', 'no_longer_required', 'data_corrected');
export type ValidationOutcomeKind = (typeof validationOutcomes)[number];

/** What a corrected validation put right. */
export const validationFields = vocabulary('clock_start', 'priority', 'specialty', 'rtt_status', 'contact_details', 'other');
export type ValidationField = (typeof validationFields)[number];

/** An active-monitoring review's decision [A RTT-Rec25 §4 rule 3d]. */
export const monitoringReviewDecisions = vocabulary('continue_monitoring', 'decision_to_treat', 'discharge');
export type MonitoringReviewDecision = (typeof monitoringReviewDecisions)[number];

/** After active monitoring, a decision to treat as an inpatient or day case (admit) or in clinic (outpatient). */
export const treatmentPlans = vocabulary('admit', 'outpatient');
export type TreatmentPlan = (typeof treatmentPlans)[number];

/** A clinician's review of an unfit pre-operative assessment: assess again, active monitoring (32), or discharge (34). */
export const preOpReviewDecisions = vocabulary('reassess', 'active_monitoring', 'discharge');
export type PreOpReviewDecision = (typeof preOpReviewDecisions)[number];

/** Faster Diagnosis Standard outcome told to the patient [A CWT12]. */
export const fdsOutcomes = vocabulary('cancer_confirmed', 'cancer_ruled_out');
export type FdsOutcome = (typeof fdsOutcomes)[number];

// e-RS (issue 14).
/** What went back to e-RS for a triage decision: accepted, or returned to the referrer with advice. */
export const ersOutcomeActions = vocabulary('accept', 'return_to_referrer');
export type ErsOutcomeAction = (typeof ersOutcomeActions)[number];
/** An outcome to send: waiting (or to retry), acknowledged by e-RS, or given up (an officer was told). */
export const ersOutcomeStatuses = vocabulary('pending', 'sent', 'failed');
export type ErsOutcomeStatus = (typeof ersOutcomeStatuses)[number];
/** A document fetched from e-RS: an attachment the referrer added, or the Clinical Referral Information summary. */
export const ersDocumentKinds = vocabulary('attachment', 'clinical_summary');
export type ErsDocumentKind = (typeof ersDocumentKinds)[number];

// Admitted care (issue 15) [rules §1.3, §4.5, §6].
/** How the patient is to be admitted: an overnight stay or a day case. */
export const intendedManagements = vocabulary('inpatient', 'day_case');
export type IntendedManagement = (typeof intendedManagements)[number];
/** Surgical priority (FSSA / Royal Colleges, 2020) [rules §4.5]: P1a ≤24 h, P1b ≤72 h, P2 ≤1 month, P3 ≤3 months, P4 beyond. */
export const surgicalPriorities = vocabulary('P1a', 'P1b', 'P2', 'P3', 'P4');
export type SurgicalPriority = (typeof surgicalPriorities)[number];
/**
 * An admitted waiting-list entry: waiting (no TCI), tci_booked (a TCI accepted), admitted, cancelled (an operation
 * cancelled, waiting to be rebooked), not_treated (a decision not to treat), removed (off the list another way).
 */
export const admissionStatuses = vocabulary('waiting', 'tci_booked', 'admitted', 'cancelled', 'not_treated', 'removed');
export type AdmissionStatus = (typeof admissionStatuses)[number];
/** Where the pre-operative assessment stands; `expired`: fit once, but past its validity, so repeated. */
export const preOpStatuses = vocabulary('not_required', 'needed', 'booked', 'fit', 'fit_with_conditions', 'unfit', 'expired');
export type PreOpStatus = (typeof preOpStatuses)[number];
/** A pre-operative assessment's outcome. */
export const preOpOutcomes = vocabulary('fit', 'fit_with_conditions', 'unfit');
export type PreOpOutcome = (typeof preOpOutcomes)[number];
/** A theatre list's session: morning, afternoon or all day. */
export const theatreSessionKinds = vocabulary('am', 'pm', 'all_day');
export type TheatreSessionKind = (typeof theatreSessionKinds)[number];
/** How a TCI date was offered. */
export const tciChannels = vocabulary('phone', 'letter', 'email', 'in_person');
export type TciChannel = (typeof tciChannels)[number];
/** A TCI offer: open until accepted or declined; cancelled when the hospital takes it back. */
export const tciOfferStatuses = vocabulary('offered', 'accepted', 'declined', 'cancelled');
export type TciOfferStatus = (typeof tciOfferStatuses)[number];
// Issue 15, the 28-day guarantee [rules §6]: an operation cancelled on the day for non-clinical reasons is open until a
// new date is accepted (rebooked), or breached once day 28 passes without one (a later date does not undo the breach).
export const cancelledOperationStatuses = vocabulary('open', 'rebooked', 'breached');
export type CancelledOperationStatus = (typeof cancelledOperationStatuses)[number];

// Issue 16: where a ward form stands, read from its pathway (to book, with the clinician because the interval cannot be
// met, booked, closed); what an officer records for each appointment at cash-up, and what became of each.
export const wardFormStatuses = vocabulary('to_book', 'with_clinician', 'booked', 'closed');
export type WardFormStatus = (typeof wardFormStatuses)[number];
export const cashUpOutcomes = vocabulary('attended', 'did_not_attend', 'cancelled_by_hospital', 'follow_up', 'discharged');
export type CashUpOutcome = (typeof cashUpOutcomes)[number];
/** `already_recorded`: it had an outcome before, nothing changed; `refused`: the pathway said no (its code says why). */
export const cashUpResults = vocabulary('recorded', 'already_recorded', 'refused');
export type CashUpResult = (typeof cashUpResults)[number];

/** Every list above by the name the database and the API know it by; the contract test walks this. */
export const accessModelEnums = {
  staff_role: roles,
  referral_priority: referralPriorities,
  referral_source: referralSources,
  referral_state: referralStates,
  rtt_clock_status: rttClockStatuses,
  slot_type: slotTypes,
  slot_status: slotStatuses,
  appointment_kind: appointmentKinds,
  appointment_state: appointmentStates,
  task_type: taskTypes,
  task_status: taskStatuses,
  queue_kind: queueKinds,
  absence_status: absenceStatuses,
  absence_handover: absenceHandovers,
  comm_channel: commChannels,
  ais_need: aisNeeds,
  communication_status: communicationStatuses,
  message_template: messageTemplates,
  message_recipient: messageRecipients,
  letter_format: letterFormats,
  interpreter_status: interpreterStatuses,
  contact_direction: contactDirections,
  contact_channel: contactChannels,
  contact_outcome: contactOutcomes,
  staff_notification_kind: staffNotificationKinds,
  import_status: importStatuses,
  hl7_event: hl7Events,
  hl7_status: hl7Statuses,
  interpreter_booking_outcome: interpreterBookingOutcomes,
  contact_patient_outcome: contactPatientOutcomes,
  cancellation_party: cancellationParties,
  offer_status: offerStatuses,
  clinical_review_reason: clinicalReviewReasons,
  clinical_review_decision: clinicalReviewDecisions,
  partial_booking_status: partialBookingStatuses,
  partial_booking_review_decision: partialBookingReviewDecisions,
  lcad_band: lcadBands,
  clinic_session: clinicSessions,
  session_change_kind: sessionChangeKinds,
  session_change_status: sessionChangeStatuses,
  session_change_outcome: sessionChangeOutcomes,
  communication_method: communicationMethods,
  rtt_period_status: rttPeriodStatuses,
  rtt_event_cause: rttEventCauses,
  ptl_stage: ptlStages,
  ptl_next_event_type: ptlNextEventTypes,
  ptl_alert: ptlAlerts,
  cancer_breach_risk: cancerBreachRisks,
  validation_outcome: validationOutcomes,
  validation_field: validationFields,
  monitoring_review_decision: monitoringReviewDecisions,
  told_at_booking_method: toldAtBookingMethods,
  treatment_plan: treatmentPlans,
  fds_outcome: fdsOutcomes,
  triage_decision: triageDecisions,
  attendance_outcome: attendanceOutcomes,
  pifu_expiry_action: pifuExpiryActions,
  attendance_setting: attendanceSettings,
  dna_review_decision: dnaReviewDecisions,
  ers_outcome_action: ersOutcomeActions,
  ers_outcome_status: ersOutcomeStatuses,
  ers_document_kind: ersDocumentKinds,
  intended_management: intendedManagements,
  surgical_priority: surgicalPriorities,
  admission_status: admissionStatuses,
  pre_op_status: preOpStatuses,
  pre_op_outcome: preOpOutcomes,
  pre_op_review_decision: preOpReviewDecisions,
  theatre_session_kind: theatreSessionKinds,
  tci_channel: tciChannels,
  tci_offer_status: tciOfferStatuses,
  cancelled_operation_status: cancelledOperationStatuses,
  ward_form_status: wardFormStatuses,
  cash_up_outcome: cashUpOutcomes,
  cash_up_result: cashUpResults,
  forecast_stage: forecastStages,
  capacity_type: capacityTypes,
  forecast_target: forecastTargets,
} as const;

/** A type guard for any of the lists, for values that arrive as text. */
export function isOneOf<T extends string>(list: readonly T[], value: unknown): value is T {
  return (list as readonly unknown[]).includes(value);
}
