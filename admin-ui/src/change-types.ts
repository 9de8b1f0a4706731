// The issue 10 records and requests (cancel, reschedule, offers, clinic templates and calendar, session
// changes) as the API answers and accepts them. Type-only: nothing of the API is bundled into the console.
import type {
  CancellationParty, ClinicSession, CommunicationMethod, OfferStatus, ReferralPriority, ReferralState, SessionChangeKind,
  SessionChangeOutcome, SessionChangeStatus, SlotType, TaskType, ToldAtBookingMethod,
} from '../../domain/model';

export type {
  CancellationParty, ClinicSession, OfferStatus, SessionChangeKind, SessionChangeOutcome, SessionChangeStatus, ToldAtBookingMethod,
};

// ------------------------------------------------------------------ appointments

export type CancelAppointmentRequest = { by: CancellationParty; reason: string };
export type RescheduleAppointmentRequest = CancelAppointmentRequest & {
  slotId: string;
  communicatedBy?: ToldAtBookingMethod;
  confirmPastBreach?: boolean;
};
export type AppointmentChange = {
  appointmentId: string;
  referralId: string;
  state: 'cancelled_by_patient' | 'cancelled_by_hospital';
  stage: ReferralState;
  raisedTask: { id: string; type: TaskType } | null;
  newAppointment: { id: string; slotId: string; start: string; clinicId: string; clinicName: string } | null;
  patientCancellations: number;
};

// ------------------------------------------------------------------ offers

export type OfferRequest = { slotId?: string; date?: string; offeredOn: string; channel: CommunicationMethod };
export type Offer = {
  id: string;
  referralId: string;
  slotId: string | null;
  slotStart: string | null;
  clinicName: string | null;
  offeredDate: string;
  offeredOn: string;
  channel: CommunicationMethod;
  reasonable: boolean;
  noticeDays: number;
  status: OfferStatus;
  declineReason: string | null;
  decidedAt: string | null;
  decidedByName: string | null;
  appointmentId: string | null;
  createdAt: string;
  createdByName: string | null;
};
export type OfferDeclined = Offer & { reviewRaised: boolean };

// ------------------------------------------------------------------ clinics and templates

export type ClinicRequest = { name: string; specialtyCode: string; clinicianName: string; site: string; slotTypes: SlotType[]; active?: boolean };
export type ClinicUpdate = Partial<Omit<ClinicRequest, 'specialtyCode'>> & { active?: boolean };

export type TemplateSession = { weekday: number; startTime: string; slotMinutes: number; slotType: SlotType; slotCount: number };
export type TemplateReconciliation = { slotsAdded: number; slotsUpdated: number; slotsRemoved: number; bookedSlotsKept: number; proposedChangeIds: string[] };
export type TemplateVersion = {
  id: string;
  clinicId: string;
  version: number;
  effectiveFrom: string;
  effectiveTo: string | null;
  current: boolean;
  withinNotice: boolean;
  confirmedByName: string | null;
  createdByName: string | null;
  createdAt: string;
  sessions: TemplateSession[];
  reconciliation: TemplateReconciliation | null;
};
export type TemplateRequest = { effectiveFrom: string; sessions: TemplateSession[]; confirmShortNotice?: boolean };

export type SlotCounts = { total: number; free: number; booked: number; blocked: number };
export type CalendarSession = SlotCounts & {
  session: ClinicSession;
  /** Null for a session with no slots left, only a change on it. */
  start: string | null;
  end: string | null;
  byType: (SlotCounts & { slotType: SlotType })[];
  changes: { id: string; kind: SessionChangeKind; status: SessionChangeStatus }[];
};
export type CalendarDay = { date: string; sessions: CalendarSession[] };
export type ClinicCalendar = { clinicId: string; clinicName: string; weekStart: string; days: CalendarDay[] };

// ------------------------------------------------------------------ clinic session changes

export type SessionChangeRequest = {
  clinicId: string;
  date: string;
  session?: ClinicSession;
  kind: SessionChangeKind;
  slotIds?: string[];
  reason: string;
  confirmShortNotice?: boolean;
};
export type OfferedSlot = { id: string; start: string; clinicId: string; clinicName: string };
export type AffectedPatient = {
  position: number;
  appointmentId: string;
  referralId: string;
  patientName: string;
  nhsNumber: string;
  priority: ReferralPriority;
  breachDate: string;
  slotType: SlotType;
  currentStart: string;
  offeredSlot: OfferedSlot | null;
  wouldBreach: boolean;
};
export type SessionChangePreview = {
  clinicId: string;
  clinicName: string;
  date: string;
  session: ClinicSession | null;
  kind: SessionChangeKind;
  slotCount: number;
  withinNotice: boolean;
  noticeDays: number;
  affected: AffectedPatient[];
  summary: { affected: number; wouldMove: number; wouldWait: number; atRisk: number };
};
export type SessionChangePatient = {
  position: number;
  appointmentId: string;
  referralId: string;
  patientName: string;
  priority: ReferralPriority;
  breachDate: string | null;
  /** moved or waiting_for_slot; null until done, or when skipped. */
  outcome: string | null;
  newAppointmentId: string | null;
  newStart: string | null;
  newClinicName: string | null;
  atRisk: boolean;
  taskId: string | null;
};
export type SessionChangeSummary = {
  affected: number;
  cancelled: number;
  moved: number;
  waitingForSlot: number;
  atRisk: number;
  /** Pathway ended or appointment changed before the change reached the patient. */
  skipped: number;
  escalationTaskId: string | null;
};
export type SessionChange = {
  id: string;
  clinicId: string;
  clinicName: string;
  sessionDate: string;
  session: ClinicSession | null;
  kind: SessionChangeKind;
  status: SessionChangeStatus;
  reason: string;
  withinNotice: boolean;
  requestedByName: string | null;
  confirmedByName: string | null;
  createdAt: string;
  completedAt: string | null;
  slotIds: string[];
  summary: SessionChangeSummary;
  /** The list leaves the patients out. */
  patients?: SessionChangePatient[];
};
