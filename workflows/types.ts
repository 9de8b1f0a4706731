// Messages and records shared by the pathway workflow, its activities and the API. Types only at run
// time, so the workflow bundle pulls in nothing Node-only.
import type {
  CancellationParty, ClinicalReviewDecision, PartialBookingReviewDecision, PreOpReviewDecision, AdmissionStatus, IntendedManagement, PreOpOutcome, PreOpStatus, SurgicalPriority, ClinicalReviewReason, ToldAtBookingMethod,
  AppointmentKind, AttendanceOutcomeKind, CommunicationMethod, DnaReviewDecision, MonitoringReviewDecision, QueueKind, ReferralPriority,
  ReferralState, RttClock, RttEventCause, RttStatusCode, SlotType, TaskType, ValidationField, ValidationOutcomeKind,
  AttendanceSetting, PifuExpiryAction,
} from '../domain';

// The access model's vocabularies live in domain/model.ts; re-exported for the workflow code that names them here.
export type { QueueKind, ReferralState, SlotType, TaskType };

// Free text can name the patient and Temporal history is not encrypted, so the API stores it in `notes` and a
// decision carries only its id (`noteId`, `reasonNoteId`). The inline `note`/`reason` are what pathways recorded
// before that still carry in their histories; nothing new sends them.
export type TriageOutcome =
  | { decision: 'accept'; clinicId: string; clinicalPriority: ReferralPriority }
  | { decision: 'return_to_referrer'; reasonNoteId?: string; reason?: string };
/** `communicatedBy`: the patient was told of the appointment at booking (phone, in person): evidence for a DNA (issue 9). */
export type BookingOutcome = {
  slotId: string; communicatedBy?: CommunicationMethod;
  /** A slot after the RTT breach date: only with a team leader's confirmation, checked by the API (issue 10). */
  confirmPastBreach?: boolean;
};
/** `reviewInWeeks` and `patientInitiated` go with `active_monitoring` (issue 9). */
export type AttendanceOutcome = {
  outcome: AttendanceOutcomeKind; followUpWeeks?: number;
  /** Issue 16: with `follow_up`, the latest clinically appropriate date in weeks from clinic (default: due date + tolerance). */
  lcadWeeks?: number; reviewInWeeks?: number; patientInitiated?: boolean; noteId?: string; note?: string;
  /** Issue 15: with `added_to_waiting_list`, the decision to admit's details: the patient joins the admitted list at once. */
  admission?: AdmissionDecision;
  /** Issue 16: with `moved_to_pifu`, how long the patient may ask to be seen, and what happens if they never do. */
  expiryWeeks?: number;
  atExpiry?: PifuExpiryAction;
};
export type DnaReviewOutcome = { decision: DnaReviewDecision; noteId?: string; note?: string };
export type EscalationOutcome = { noteId?: string; note?: string };
export type ValidationOutcome = { outcome: ValidationOutcomeKind; patientConfirmed?: boolean; field?: ValidationField; noteId?: string; note?: string };
export type MonitoringReviewOutcome = {
  decision: MonitoringReviewDecision; reviewInWeeks?: number; plan?: 'admit' | 'outpatient'; noteId?: string; note?: string;
};
/** A clinician's review after repeated patient cancellations or two declined reasonable offers (issue 10). */
export type ClinicalReviewOutcome = { decision: ClinicalReviewDecision; reviewInWeeks?: number; noteId?: string };
/** Issue 15: the pre-operative assessment booked for a date; a clinician's review of an unfit assessment. */
export type BookPreOpOutcome = { preOpDate: string; noteId?: string; note?: string };
export type PreOpReviewOutcome = { decision: PreOpReviewDecision; reviewInWeeks?: number; noteId?: string; note?: string };
/** Issue 16: the clinician's decision on a partial_booking_review item; `dueInWeeks` (from today) and `lcadWeeks` with extend. */
export type PartialBookingReviewOutcome = { decision: PartialBookingReviewDecision; dueInWeeks?: number; lcadWeeks?: number; noteId?: string; note?: string };
export type TaskOutcome =
  | ClinicalReviewOutcome | PartialBookingReviewOutcome | BookPreOpOutcome | PreOpReviewOutcome
  | TriageOutcome | BookingOutcome | AttendanceOutcome | DnaReviewOutcome | EscalationOutcome | ValidationOutcome | MonitoringReviewOutcome;

/** An administrative RTT event (outside a clinic): POST /api/referrals/:id/rtt-events. The note's text is in `notes`. */
export type RttEventCommand = { code: RttStatusCode; date: string; actorId: string; noteId?: string };

/**
 * Cancel the pathway's booked appointment (issue 10), by the patient or the hospital; with `newSlotId` it is a
 * reschedule: cancel and book the new slot in one step (SLOT_TAKEN refuses both). The RTT clock never moves.
 * `sessionChangeId`: a clinic session change is moving the patient; the old slot is blocked, not freed.
 * `confirmPastBreach`: a team leader confirmed a new slot after the breach date (checked by the API).
 * The reason's text is in `notes` (`reasonNoteId`).
 */
export type CancelAppointmentCommand = {
  appointmentId: string;
  by: CancellationParty;
  actorId: string | null;
  reasonNoteId?: string;
  newSlotId?: string;
  communicatedBy?: ToldAtBookingMethod;
  sessionChangeId?: string;
  confirmPastBreach?: boolean;
  /** Issue 16: the hospital cancelled it and this is recorded at cash-up, after its time (POST /api/cash-up/:id). */
  atCashUp?: boolean;
};
export type CancelAppointmentResult = PathwayView & {
  cancelledAppointmentId: string;
  /** The new appointment of a reschedule. */
  appointment?: { id: string; start: string; clinicName: string };
  /** The work item raised: a rebook item (hospital), a booking item or a clinical review (patient). */
  raisedTaskId?: string | null;
  raisedTaskType?: TaskType | null;
  /** Patient cancellations (and patient reschedules) on this pathway so far, counted towards a clinical review. */
  patientCancellations?: number;
};

/** An offer's answer (issue 10): accepted (with a slot: booked as the open booking item) or declined. */
export type OfferDecisionCommand = {
  offerId: string;
  decision: 'accepted' | 'declined';
  reasonable: boolean;
  actorId: string;
  slotId?: string;
  noteId?: string;
};

/** Why a clinical review item was raised, carried in its payload. */
export type ClinicalReviewPayload = { reason: ClinicalReviewReason; count: number };

/** Issue 16: a patient on PIFU asks to be seen (or an officer asks for them, from a call): POST /api/referrals/:id/pifu-trigger. */
export type PifuTriggerCommand = { actorId: string; noteId?: string };

/**
 * Issue 16: a patient seen outside a booked clinic, recorded after the fact (POST /api/attendances). `attendanceId` is
 * made by the API; the outcome is recorded like a clinic outcome, its RTT events dated `attendedOn`.
 */
export type AttendanceOutsideClinicCommand = {
  attendanceId: string; actorId: string; attendedOn: string; clinicianId: string; setting: AttendanceSetting; rttCode: RttStatusCode;
  outcome: AttendanceOutcome;
};

export type CompleteTaskCommand = { taskId: string; actorId: string; outcome: TaskOutcome };

export type PathwayInput = {
  referralId: string;
  patientId: string;
  receivedAt: string;
  priority: ReferralPriority;
  specialtyCode: string;
  /**
   * Where the pathway stands, its rows already written (patch 2026-11-import): by the go-live import (a pathway
   * brought over from the previous PAS, issue 13), or by intake (its first change, the triage item). The workflow
   * starts there with no activity and waits on its timers from there.
   */
  imported?: ImportedPathway;
};

/**
 * Where an imported pathway stands: its stage, clock, open item and appointment as the import wrote them, and the
 * rungs and validation points already due before the import, which it never fires (they were the old PAS's).
 */
export type ImportedPathway = {
  stage: ReferralState;
  clock: RttClock;
  firstBooked: boolean;
  /** The clinic of the booked appointment: a rebook stays in it. */
  clinicId: string | null;
  openTaskId: string | null;
  openTaskType: TaskType | null;
  openTaskDueAt: string | null;
  /** The open item's ladder rungs already due at the import. */
  openTaskLevel: number;
  /** The booking ladder's rungs already due at the import. */
  escalationLevel: number;
  appointmentId: string | null;
  appointmentKind: AppointmentKind | null;
  appointmentStart: string | null;
  bookBy: string | null;
  /** The last validation point already due at the import (null: none yet). */
  validatedThrough: string | null;
};

/** A task the pathway wants opened. `dueAt: 'appointment_start'` means "when the booked appointment starts". */
export type TaskSpec = {
  taskKey: string;
  type: TaskType;
  title: string;
  queue: { kind: QueueKind; specialtyCode?: string };
  priority: ReferralPriority;
  dueAt: string | 'appointment_start';
  payload: Record<string, unknown>;
};

/** `note` is the workflow's own wording; the activity appends the text of `noteId` (a row in `notes`) after it. */
export type PathwayEvent = { kind: string; rttCode?: number | null; date: string; note?: string; noteId?: string };

/**
 * One dated RTT status event as the pathway decided it, with its cause and the rule and policy version that
 * decided it; the activity records it (rtt_events) and keeps the referral's RTT periods (rtt_periods) in step.
 * `newPeriod` starts a new period on its date (codes 11 and 12 always do); `decisionToAdmit` marks a 20 that
 * added the patient to the admitted waiting list (Part 2A); `admitted` marks a 30 on admission (Part 1A).
 */
export type RttEventRecord = {
  code: RttStatusCode;
  date: string;
  cause: RttEventCause;
  rule: string;
  policyVersion: string;
  appointmentId?: string | null;
  taskId?: string | null;
  outcome?: string | null;
  noteId?: string | null;
  newPeriod?: boolean;
  decisionToAdmit?: boolean;
  admitted?: boolean;
};

/** One transition of a pathway, applied atomically and at most once (keyed by changeKey). */
export type PathwayChange = {
  changeKey: string;
  referralId: string;
  patientId: string;
  actorId: string | null;
  startPathway?: { uscFirstSeenTarget: string | null; fdsTarget: string | null; cancer62Target: string | null };
  completeTask?: { taskId: string; outcome: unknown };
  cancelTasks?: string[];
  referral?: { state?: ReferralState; clinicId?: string; clinicalPriority?: ReferralPriority };
  clock?: RttClock;
  /** The RTT events behind the clock's move, in order. Changes recorded before issue 9 carry none: the activity derives them. */
  rttEvents?: RttEventRecord[];
  events?: PathwayEvent[];
  booking?: { slotId: string; clinicId: string; kind: AppointmentKind; slotType: SlotType; communicatedBy?: CommunicationMethod };
  attendance?: { appointmentId: string; state: 'attended' | 'did_not_attend'; outcome: string };
  escalate?: { taskId: string; level: number; notifyHolder?: boolean };
  openTasks?: TaskSpec[];
};

export type PathwayChangeResult = {
  openedTaskIds: string[];
  /** The escalation items a closeEscalations step closed (issue 11). */
  closedTaskIds?: string[];
  appointment?: { id: string; start: string; clinicName: string };
  /** Issue 15: the admitted waiting-list entry a decision to admit made. */
  admissionId?: string;
  /** Issue 16: the partial booking list's entry a follow-up outcome made. */
  partialBookingEntryId?: string;
  /** Issue 15: what a cancelled operation opened (the guarantee's row, the stand-by offer item). */
  cancelledOperationId?: string | null;
  standByTaskId?: string | null;
};

export type PathwayView = {
  referralId: string;
  stage: ReferralState;
  clock: RttClock;
  openTaskId: string | null;
  openTaskType: TaskType | null;
  openEscalationTaskIds: string[];
  escalationLevel: number;
  appointmentId: string | null;
  validationTaskId?: string | null;
};

// The pathway's changes by stage, each applied by the activity of the same name (patch 2026-11-pathway-by-stage).
export type ChangeBase = Pick<PathwayChange, 'changeKey' | 'referralId' | 'patientId' | 'actorId'>;
type Given<K extends keyof PathwayChange> = Required<Pick<PathwayChange, K>>;
export type StartPathway = ChangeBase & Given<'startPathway' | 'clock' | 'events' | 'openTasks'> & Pick<PathwayChange, 'rttEvents'> & {
  /** Applied by intake before the workflow starts: the referral is marked started only once Temporal has the workflow. */
  beforeWorkflow?: boolean;
};
export type RecordTriage = ChangeBase & Given<'completeTask' | 'referral' | 'events' | 'openTasks'> & { cancerTargets?: CancerTargets };
export type BookAppointment = ChangeBase & Given<'completeTask' | 'booking' | 'referral' | 'events' | 'openTasks'> & {
  /** The workflow's now (issue 10): a slot that has started by then cannot be booked. Older pathways send none. */
  asOf?: string;
};
export type RecordOutcome = ChangeBase & Given<'completeTask' | 'referral' | 'clock' | 'events' | 'openTasks'> & Pick<PathwayChange, 'attendance' | 'rttEvents'>;
export type ClosePathway = ChangeBase & Given<'completeTask' | 'cancelTasks' | 'referral' | 'clock' | 'events'> & Pick<PathwayChange, 'attendance' | 'rttEvents'> & {
  /** Issue 16 (patch 2026-11-pifu-discharge-letters): discharge letters to the patient and GP (a PIFU review's discharge). */
  dischargeLetters?: boolean;
};
export type Escalate = ChangeBase & Given<'events'> & Pick<PathwayChange, 'escalate' | 'openTasks'>;
export type ResolveEscalation = ChangeBase & Given<'completeTask'>;
/**
 * Issue 11 (patch 2026-11-console): the pathway's open escalations whose problem is fixed close themselves (the
 * booking ladder's once `booked`, an item's own once that item is done or cancelled). `date`: the workflow's today.
 */
export type CloseEscalations = ChangeBase & { escalationTaskIds: string[]; booked: boolean; date: string };

// Issue 9: the clock, complete (patch 2026-11-rtt-complete).
/** Triage's change, plus cancer targets when a clinician upgrades the referral to two-week wait. */
export type CancerTargets = { cancerClockStart: string; uscFirstSeenTarget: string; fdsTarget: string; cancer62Target: string };
/**
 * A pathway ends outside the clinic outcome that `closePathway` records (an administrative event, a validation,
 * an active-monitoring discharge): every item it still has open is cancelled and a booked future appointment freed.
 */
export type EndPathway = ChangeBase & Given<'referral' | 'events'> & Pick<PathwayChange, 'completeTask' | 'cancelTasks' | 'attendance' | 'clock' | 'rttEvents'> & {
  releaseAppointmentId?: string | null;
  /** Issue 16 (patch 2026-11-pifu-discharge-letters): discharge letters to the patient and GP (PIFU expired to discharge). */
  dischargeLetters?: boolean;
  /** Issue 16 (patch 2026-11-follow-up-validation): a follow-up still on the partial booking list leaves it, discharged. */
  partialBookingEntryId?: string | null;
};
/** An RTT move that keeps the pathway going (active monitoring from an administrative event, a monitoring review). */
export type MoveClock = ChangeBase & Given<'referral' | 'events' | 'openTasks'> & Pick<PathwayChange, 'completeTask' | 'cancelTasks' | 'attendance' | 'clock' | 'rttEvents'> & {
  releaseAppointmentId?: string | null;
  /** Issue 16: moved to PIFU until a date. */
  pifu?: PifuPeriod;
};
/** Issue 16: the pathway's PIFU period (set on moving to PIFU; cleared by the activity when the referral leaves the pifu state). */
export type PifuPeriod = { expiresOn: string; atExpiry: PifuExpiryAction };
/**
 * Issue 16: an attendance outside a booked clinic: its row, what it supersedes (the open items, a booked appointment still
 * to come) and the record_attendance item its outcome then completes, as a clinic attendance's would.
 */
export type RecordAttendanceOutsideClinic = ChangeBase & Given<'events' | 'openTasks' | 'cancelTasks'> & {
  attendance: { id: string; attendedOn: string; clinicianId: string; setting: AttendanceSetting; outcome: string; followUpWeeks: number | null; rttCode: number };
  releaseAppointmentId: string | null;
};
/** A validation point reached: the validate_pathway item. */
export type RaiseValidation = ChangeBase & Given<'events' | 'openTasks'>;
/** A validation done that keeps the pathway: last validated at/by. */
export type RecordValidation = ChangeBase & Given<'completeTask' | 'events'>;
// Issue 10: changes (patch 2026-11-changes).
/** A slot to book; `clinicId` null: any clinic of the specialty (a clinic session change moving the patient). */
export type SlotBooking = Omit<BookAppointment['booking'], 'clinicId'> & { clinicId: string | null };
/**
 * The booked appointment cancelled (by the patient or the hospital) in one transaction: its slot freed (or blocked
 * when its session is being cancelled), its attendance item cancelled, the patient told; with `booking` the new slot
 * is booked in the same transaction (a reschedule). `asOf`: the workflow's now, against which "already started" is read.
 */
export type CancelAppointmentChange = ChangeBase & Given<'referral' | 'events' | 'openTasks' | 'cancelTasks'> & {
  /** `afterStart` (issue 16): recorded at cash-up, after the appointment's time: the hospital did not hold it; no message to the patient. */
  cancel: { appointmentId: string; by: CancellationParty; noteId?: string; sessionChangeId?: string; afterStart?: boolean };
  booking?: SlotBooking;
  asOf: string;
};
/** A pathway change with no clock move and no item completed: an offer declined, a clinical review raised instead of the booking item. */
export type RecordOfferDecision = ChangeBase & Given<'events'> & Pick<PathwayChange, 'cancelTasks' | 'referral' | 'openTasks'>;

/** What the appointment records about how the patient was told of it. */
export type AppointmentEvidence = { communicatedAt: string | null; communicatedBy: CommunicationMethod | null };

// Issue 15: admitted care (workflows/pathway/admitted.ts; patch 2026-11-admitted). Free text (a note, pre-op
// conditions, a decline reason) is in `notes` and travels as its id; the procedure is a clinical term, never the patient.
/** The details of a decision to admit, from a clinic outcome (`added_to_waiting_list`) or POST /api/referrals/:id/decision-to-admit. */
export type AdmissionDecision = {
  procedure: string;
  intendedManagement: IntendedManagement;
  surgicalPriority: SurgicalPriority;
  consultantId: string;
  preOpRequired: boolean;
  estimatedMinutes?: number;
};
export type AdmittedCareCommand =
  | ({ kind: 'decide_to_admit'; actorId: string; decidedOn: string; noteId?: string } & AdmissionDecision)
  | { kind: 'pre_op_outcome'; actorId: string; admissionId: string; assessedOn: string; outcome: PreOpOutcome; conditionsNoteId?: string }
  | { kind: 'tci_decision'; actorId: string; admissionId: string; offerId: string; decision: 'accepted' | 'declined'; reasonable: boolean;
      admissionDate: string; theatreSessionId: string | null; ward: string; reasonNoteId?: string; answeredOn?: string }
  | { kind: 'cancel_operation'; actorId: string; admissionId: string; onTheDay: boolean; clinical: boolean; cancelledOn: string; reasonNoteId: string }
  | { kind: 'admit'; actorId: string; admissionId: string; admittedOn: string; procedureDone: boolean; diagnosticOnly: boolean }
  | { kind: 'not_treated'; actorId: string; admissionId: string; decidedOn: string; noteId?: string };
export type AdmittedCareResult = PathwayView & {
  admissionId: string | null; tciReviewRaised?: boolean; cancelledOperationId?: string | null; standByTaskId?: string | null;
};

/** What the admitted waiting-list entry becomes, written by the activity in the change's transaction. */
export type AdmissionWrite =
  | { kind: 'create'; decision: AdmissionDecision; decidedOn: string; targetDate: string; noteId?: string }
  | { kind: 'update'; admissionId: string; set: AdmissionUpdate; conditionsNoteId?: string };
export type AdmissionUpdate = Partial<{
  status: AdmissionStatus; preOpStatus: PreOpStatus; preOpDate: string | null; preOpAssessedOn: string | null; preOpValidUntil: string | null;
  tciOfferId: string | null; tciDate: string | null; theatreSessionId: string | null; ward: string | null;
  declinedReasonableOffers: number; admittedOn: string | null; procedureDone: boolean | null; diagnosticOnly: boolean | null;
  notTreatedOn: string | null; standBy: boolean;
}>;
/** A TCI offer answered: marked only while still offered; a decline frees the theatre minutes it held. `on`: the API's today. */
export type TciOfferAnswer = { offerId: string; decision: 'accepted' | 'declined'; reasonNoteId?: string; on?: string };
/** A booked operation cancelled (patch 2026-11-cancel-through-pathway): the TCI and its minutes given back, the guarantee's rows. */
export type OperationCancellation = { admissionId: string; onTheDay: boolean; clinical: boolean; cancelledOn: string; reasonNoteId: string };
export type RecordAdmittedCare = ChangeBase & Given<'events'> & Pick<PathwayChange, 'completeTask' | 'cancelTasks' | 'attendance' | 'referral' | 'clock' | 'rttEvents' | 'openTasks'> & {
  releaseAppointmentId?: string | null;
  admission?: AdmissionWrite;
  tciAnswer?: TciOfferAnswer;
  cancelOperation?: OperationCancellation;
};
