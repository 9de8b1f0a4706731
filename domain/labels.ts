// The access centre's words for the model's codes. Each table is a Record over its list's type, so a
// new value without words fails to compile. The console shows them; the pathway titles its work items
// with them.
import type {
  CancellationParty, ClinicalReviewDecision, ClinicalReviewReason, ClinicSession, OfferStatus, SessionChangeKind, SessionChangeOutcome,
  SessionChangeStatus, CommChannel, CommunicationStatus, LetterFormat, MessageRecipient, MessageTemplate, AisNeed, InterpreterStatus,
  AbsenceHandover, AbsenceStatus, AppointmentKind, AppointmentState, AttendanceOutcomeKind, CommunicationMethod, DnaReviewDecision,
  FdsOutcome, MonitoringReviewDecision, PtlStage, QueueKind, ReferralPriority, ReferralSource, ReferralState, Role, RttClockStatus,
  RttEventCause, RttPeriodStatus, SlotStatus, SlotType, TaskStatus, TaskType, TriageDecision, ValidationField, ValidationOutcomeKind,
  ContactChannel, ContactDirection, ContactOutcome, ImportStage, ImportStatus, Hl7Event, Hl7Status,
  PartialBookingReviewDecision, PartialBookingStatus, WardFormStatus,
  AdmissionStatus, IntendedManagement, PreOpOutcome, PreOpStatus, SurgicalPriority, TciChannel, TciOfferStatus, TheatreSessionKind,
} from './model';

// Issue 16: the partial booking list.
export const partialBookingStatusLabels: Record<PartialBookingStatus, string> = {
  waiting: 'Waiting', invited: 'Invited', chased: 'Reminded', in_review: 'With the clinician', booked: 'Booked', discharged: 'Discharged',
};
export const partialBookingReviewDecisionLabels: Record<PartialBookingReviewDecision, string> = {
  book_anyway: 'Book anyway', extend: 'Extend: a new due date', discharge: 'Discharge to GP',
};

export const wardFormStatusLabels: Record<WardFormStatus, string> = {
  to_book: 'To book', with_clinician: 'With the clinician: interval cannot be met', booked: 'Booked', closed: 'Closed',
};

// Admitted care (issue 15).
export const intendedManagementLabels: Record<IntendedManagement, string> = { inpatient: 'Inpatient', day_case: 'Day case' };
export const surgicalPriorityLabels: Record<SurgicalPriority, string> = {
  P1a: 'P1a – within 24 hours', P1b: 'P1b – within 72 hours', P2: 'P2 – within 1 month', P3: 'P3 – within 3 months', P4: 'P4 – over 3 months',
};
export const admissionStatusLabels: Record<AdmissionStatus, string> = {
  waiting: 'Waiting', tci_booked: 'TCI booked', admitted: 'Admitted', cancelled: 'Cancelled (to rebook)', not_treated: 'Not treated', removed: 'Removed',
};
export const preOpStatusLabels: Record<PreOpStatus, string> = {
  not_required: 'Not required', needed: 'Needed', booked: 'Booked', fit: 'Fit', fit_with_conditions: 'Fit with conditions', unfit: 'Unfit',
  expired: 'Expired – repeat',
};
export const preOpOutcomeLabels: Record<PreOpOutcome, string> = { fit: 'Fit', fit_with_conditions: 'Fit with conditions', unfit: 'Unfit' };
export const theatreSessionKindLabels: Record<TheatreSessionKind, string> = { am: 'Morning', pm: 'Afternoon', all_day: 'All day' };
export const tciChannelLabels: Record<TciChannel, string> = { phone: 'Phone', letter: 'Letter', email: 'Email', in_person: 'In person' };
export const tciOfferStatusLabels: Record<TciOfferStatus, string> = { offered: 'Offered', accepted: 'Accepted', declined: 'Declined', cancelled: 'Cancelled' };

export const roleLabels: Record<Role, string> = {
  officer: 'Officer',
  team_leader: 'Team leader',
  clinician: 'Clinician',
  ops: 'Operations manager',
  admin: 'Administrator',
};

export const taskTypeLabels: Record<TaskType, string> = {
  triage_referral: 'Triage referral',
  book_new_appointment: 'Book new appointment',
  book_follow_up: 'Book follow-up',
  record_attendance: 'Record attendance',
  dna_review: 'DNA review',
  escalation_review: 'Escalation review',
  capacity_escalation: 'Capacity escalation',
  validate_pathway: 'Validate pathway',
  active_monitoring_review: 'Active monitoring review',
  rebook_appointment: 'Rebook cancelled appointment',
  clinical_review: 'Clinical review',
  book_interpreter: 'Book interpreter',
  contact_patient: 'Contact patient',
  resolve_slot_issue: 'Resolve e-RS slot issue',
  book_pre_op: 'Book pre-operative assessment',
  pre_op_review: 'Review unfit pre-operative assessment',
  book_tci: 'Book admission (TCI)',
  tci_clinical_review: 'Clinical review: two TCI dates declined',
  rebook_cancelled_operation: 'Rebook cancelled operation (28-day guarantee)',
  offer_stand_by: 'Offer theatre time to stand-by list',
  bed_management: 'Bed management: elective beds exceeded',
  partial_booking_review: 'Clinical review: follow-up not booked',
};

/** The title a work item is raised with: the same words the lists show for its type. */
export const taskTitles: Readonly<Record<TaskType, string>> = taskTypeLabels;

export const taskStatusLabels: Record<TaskStatus, string> = {
  open: 'Open',
  claimed: 'Claimed',
  done: 'Done',
  cancelled: 'Cancelled',
};

export const priorityLabels: Record<ReferralPriority, string> = {
  two_week_wait: '2WW',
  urgent: 'Urgent',
  routine: 'Routine',
};

export const priorityLongLabels: Record<ReferralPriority, string> = {
  two_week_wait: 'Two-week wait (suspected cancer)',
  urgent: 'Urgent',
  routine: 'Routine',
};

export const referralStateLabels: Record<ReferralState, string> = {
  awaiting_triage: 'Awaiting triage',
  awaiting_booking: 'Awaiting booking',
  booked: 'Booked',
  awaiting_follow_up: 'Awaiting follow-up',
  follow_up_booked: 'Follow-up booked',
  awaiting_dna_review: 'Awaiting DNA review',
  returned_to_referrer: 'Returned to referrer',
  discharged: 'Discharged',
  awaiting_admission: 'Awaiting admission',
  active_monitoring: 'Active monitoring',
  treated: 'Treated',
  declined_treatment: 'Declined treatment',
  transferred: 'Transferred to another provider',
  died: 'Died',
  awaiting_clinical_review: 'Awaiting clinical review',
  pifu: 'On patient-initiated follow-up (PIFU)',
};

export const referralSourceLabels: Record<ReferralSource, string> = {
  ers: 'e-RS',
  gp_letter: 'GP letter',
  consultant: 'Consultant to consultant',
  ward: 'Ward',
  pas_import: 'Brought over from the previous PAS',
};

export const appointmentStateLabels: Record<AppointmentState, string> = {
  booked: 'Booked',
  attended: 'Attended',
  did_not_attend: 'Did not attend',
  cancelled_by_patient: 'Cancelled by patient',
  cancelled_by_hospital: 'Cancelled by hospital',
};

export const appointmentKindLabels: Record<AppointmentKind, string> = {
  new: 'New',
  follow_up: 'Follow-up',
};

export const slotTypeLabels: Record<SlotType, string> = {
  new: 'New',
  follow_up: 'Follow-up',
  urgent: 'Urgent',
  two_week_wait: '2WW',
};

export const slotStatusLabels: Record<SlotStatus, string> = {
  free: 'Free',
  booked: 'Booked',
  blocked: 'Blocked',
};

export const rttStatusLabels: Record<RttClockStatus, string> = {
  running: 'Clock running',
  stopped: 'Clock stopped',
  nullified: 'Nullified',
};

export const queueKindLabels: Record<QueueKind, string> = {
  specialty: 'Specialty',
  two_week_wait: 'Two-week wait',
  escalation: 'Escalation',
  capacity: 'Capacity',
  ers_slot_issues: 'e-RS slot issues',
  ward_forms: 'Ward forms',
  partial_booking: 'Partial booking',
  rebooking: 'Rebooking',
  validation: 'Validation',
  admitted_booking: 'Admitted booking',
};

export const absenceStatusLabels: Record<AbsenceStatus, string> = {
  planned: 'Planned',
  active: 'On leave now',
  ended: 'Ended',
  cancelled: 'Cancelled',
};

export const triageDecisionLabels: Record<TriageDecision, string> = {
  accept: 'Accept',
  return_to_referrer: 'Return to referrer',
};

export const attendanceOutcomeLabels: Record<AttendanceOutcomeKind, string> = {
  discharged: 'Attended, discharged',
  follow_up: 'Attended, follow-up needed',
  did_not_attend: 'Did not attend',
  treated: 'Treated in clinic (first definitive treatment)',
  active_monitoring: 'Active monitoring',
  declined_treatment: 'Patient declined treatment',
  decision_not_to_treat: 'Decision not to treat',
  added_to_waiting_list: 'Added to the waiting list (decision to admit)',
  referred_on: 'Referred on to another provider',
  moved_to_pifu: 'Moved to patient-initiated follow-up (PIFU)',
};

export const dnaReviewDecisionLabels: Record<DnaReviewDecision, string> = {
  rebook: 'Rebook',
  discharge: 'Discharge',
};

export const handoverLabels: Record<AbsenceHandover, string> = {
  cover: 'To a colleague who covers',
  queue: 'Back to their queues',
};

export const rttPeriodStatusLabels: Record<RttPeriodStatus, string> = {
  running: 'Clock running',
  stopped: 'Clock stopped',
  nullified: 'Nullified',
  transferred: 'Transferred',
};

export const rttEventCauseLabels: Record<RttEventCause, string> = {
  referral: 'Referral received',
  triage: 'Triage',
  outcome: 'Clinic outcome',
  dna_review: 'DNA review',
  administrative: 'Administrative event',
  validation: 'Validation',
  monitoring_review: 'Active monitoring review',
  admission: 'Admission',
  clinical_review: 'Clinical review',
};

export const ptlStageLabels: Record<PtlStage, string> = {
  awaiting_triage: 'Awaiting triage',
  awaiting_first_appointment: 'Awaiting first appointment',
  awaiting_follow_up: 'Awaiting follow-up',
  awaiting_admission: 'Awaiting admission',
  active_monitoring: 'Active monitoring',
};

export const communicationMethodLabels: Record<CommunicationMethod, string> = {
  letter: 'Letter',
  sms: 'Text message',
  email: 'Email',
  phone: 'Phone call',
  in_person: 'In person',
};

export const validationOutcomeLabels: Record<ValidationOutcomeKind, string> = {
  still_waiting: 'Still waiting',
  treated_elsewhere: 'Treated elsewhere',
  no_longer_required: 'No longer required (patient confirmed)',
  data_corrected: 'Data corrected',
};

export const validationFieldLabels: Record<ValidationField, string> = {
  clock_start: 'Clock start',
  priority: 'Priority',
  specialty: 'Specialty',
  rtt_status: 'RTT status',
  contact_details: 'Contact details',
  other: 'Other',
};

export const monitoringReviewDecisionLabels: Record<MonitoringReviewDecision, string> = {
  continue_monitoring: 'Continue monitoring',
  decision_to_treat: 'Decision to treat (new RTT period)',
  discharge: 'Discharge',
};

export const fdsOutcomeLabels: Record<FdsOutcome, string> = {
  cancer_confirmed: 'Cancer confirmed',
  cancer_ruled_out: 'Cancer ruled out',
};

export const cancellationPartyLabels: Record<CancellationParty, string> = {
  patient: 'Cancelled by the patient',
  hospital: 'Cancelled by the hospital',
};

export const offerStatusLabels: Record<OfferStatus, string> = {
  offered: 'Offered',
  accepted: 'Accepted',
  declined: 'Declined',
};

export const clinicalReviewReasonLabels: Record<ClinicalReviewReason, string> = {
  patient_cancellations: 'Repeated patient cancellations',
  declined_offers: 'Two reasonable offers declined',
  ward_form_interval: 'Ward follow-up cannot be booked within the interval asked',
};

export const clinicalReviewDecisionLabels: Record<ClinicalReviewDecision, string> = {
  rebook: 'Offer another appointment',
  active_monitoring: 'Active monitoring (RTT clock stops)',
  discharge: 'Discharge to the GP',
};

export const clinicSessionLabels: Record<ClinicSession, string> = {
  am: 'Morning',
  pm: 'Afternoon',
};

export const sessionChangeKindLabels: Record<SessionChangeKind, string> = {
  cancel: 'Cancel the session',
  reduce: 'Reduce the session',
};

export const sessionChangeStatusLabels: Record<SessionChangeStatus, string> = {
  proposed: 'Waiting for a team leader',
  running: 'Rebooking patients',
  completed: 'Completed',
};

export const sessionChangeOutcomeLabels: Record<SessionChangeOutcome, string> = {
  moved: 'Moved to a new slot',
  waiting_for_slot: 'Waiting for a slot (Rebooking queue)',
};

// The outbox (issue 12): what happened to a message, in the words an access centre uses.
export const communicationStatusLabels: Record<CommunicationStatus, string> = {
  queued: 'Waiting to send',
  sending: 'Sent, not yet delivered',
  delivered: 'Delivered',
  permanent_failure: 'Could not be delivered',
  technical_failure: 'Not sent: a technical problem',
  cancelled: 'Not sent: no longer needed',
};

export const commChannelLabels: Record<CommChannel, string> = {
  letter: 'Letter',
  sms: 'Text message',
  email: 'Email',
};

export const messageTemplateLabels: Record<MessageTemplate, string> = {
  appointment_confirmation: 'Appointment confirmation',
  appointment_reminder: 'Appointment reminder',
  appointment_changed: 'Appointment changed',
  appointment_cancelled: 'Appointment cancelled',
  referral_returned: 'Referral returned to the referrer',
  partial_booking_invitation: 'Invitation to book',
  follow_up_discharged: 'Follow-up discharged (no response)',
  pifu_discharged: 'Discharged at the end of patient-initiated follow-up',
};

export const messageRecipientLabels: Record<MessageRecipient, string> = {
  patient: 'Patient',
  carer: 'Carer',
  referrer: 'Referrer',
};

export const letterFormatLabels: Record<LetterFormat, string> = {
  standard: 'Standard print',
  large_print: 'Large print',
  easy_read: 'Easy read',
};

// Communication needs (issue 12): the words an access centre uses for them.
export const aisNeedLabels: Record<AisNeed, string> = {
  large_print: 'Letters in large print',
  easy_read: 'Easy read',
  braille: 'Braille',
  bsl_interpreter: 'Needs a British Sign Language interpreter',
  audio: 'Audio (recorded or read aloud)',
};
/** The same needs as a flag on a row says them. */
export const aisNeedShortLabels: Record<AisNeed, string> = {
  large_print: 'Large print', easy_read: 'Easy read', braille: 'Braille', bsl_interpreter: 'BSL interpreter', audio: 'Audio',
};
export const interpreterStatusLabels: Record<InterpreterStatus, string> = {
  not_needed: 'Not needed', needed: 'Interpreter needed', booked: 'Interpreter booked',
};
// The contact log and the Enquiry screen (issue 12).
export const contactDirectionLabels: Record<ContactDirection, string> = { inbound: 'From the patient', outbound: 'To the patient' };
export const contactChannelLabels: Record<ContactChannel, string> = {
  phone: 'Phone call', letter: 'Letter', email: 'Email', sms: 'Text message', in_person: 'In person',
};
export const contactOutcomeLabels: Record<ContactOutcome, string> = {
  resolved: 'Resolved', information_given: 'Information given', call_back: 'Call back needed', message_left: 'Message left',
  no_answer: 'No answer', details_updated: 'Details updated',
};
// Go-live imports (issue 13).
export const importStatusLabels: Record<ImportStatus, string> = { running: 'Running', done: 'Done', failed: 'Failed' };
export const importStageLabels: Record<ImportStage, string> = {
  awaiting_triage: 'Awaiting triage', awaiting_first_appointment: 'Awaiting first appointment', awaiting_follow_up: 'Awaiting follow-up',
  awaiting_admission: 'Awaiting admission',
};
// The PAS feed (issue 14): each HL7 message by what it tells the PAS, and what became of it.
export const hl7EventLabels: Record<Hl7Event, string> = {
  S12: 'Appointment booked', S14: 'Appointment moved', S15: 'Appointment cancelled', A08: 'Patient details changed',
};
export const hl7MessageTypes: Record<Hl7Event, string> = { S12: 'SIU^S12', S14: 'SIU^S14', S15: 'SIU^S15', A08: 'ADT^A08' };
export const hl7StatusLabels: Record<Hl7Status, string> = {
  queued: 'Waiting to send', sending: 'Sending', acknowledged: 'Acknowledged', rejected: 'Rejected by the PAS', set_aside: 'Set aside',
};
