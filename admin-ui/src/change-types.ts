// The issue 10 records and requests (cancel, reschedule, offers, clinic templates and calendar, session
// changes) as the API answers and accepts them, inferred from the API's own zod schemas where they are on
// main (the same ones that validate requests and generate /api/openapi.json), written out from
// /work/briefs/api-shapes.md until then. Type-only: nothing of the API is bundled into the console.
import type { z } from 'zod';
import type { appointmentChange } from '../../api/routes/appointment-changes';
import type { offerRecord } from '../../api/routes/offers';
import type { cancelAppointmentBody, offerBody, rescheduleAppointmentBody } from '../../api/schemas';
import type {
  CancellationParty, ClinicSession, OfferStatus, ReferralPriority, SessionChangeKind, SessionChangeOutcome, SessionChangeStatus, SlotType,
  ToldAtBookingMethod,
} from '../../domain/model';

export type {
  CancellationParty, ClinicSession, OfferStatus, SessionChangeKind, SessionChangeOutcome, SessionChangeStatus, ToldAtBookingMethod,
};

// ------------------------------------------------------------------ appointments (inferred from the API's schemas)

export type CancelAppointmentRequest = z.input<typeof cancelAppointmentBody>;
export type RescheduleAppointmentRequest = z.input<typeof rescheduleAppointmentBody>;
export type AppointmentChange = z.infer<typeof appointmentChange>;

// ------------------------------------------------------------------ offers (inferred from the API's schemas)

export type OfferRequest = z.input<typeof offerBody>;
export type Offer = z.infer<typeof offerRecord>;
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
