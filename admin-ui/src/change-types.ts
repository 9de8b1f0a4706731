// The issue 10 records and requests (cancel, reschedule, offers, clinic templates and calendar, session
// changes) as the API answers and accepts them, inferred from the API's own zod schemas where they are on
// main (the same ones that validate requests and generate /api/openapi.json), written out from
// /work/briefs/api-shapes.md until then. Type-only: nothing of the API is bundled into the console.
import type { z } from 'zod';
import type {
  changeClinicBody, clinicCalendar, createClinicBody, createTemplateBody, reconciliationRecord, templateSession, templateVersionRecord,
} from '../../api/clinic-records';
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

// ------------------------------------------------------------------ clinics and templates (inferred from the API's schemas)

export type ClinicRequest = z.input<typeof createClinicBody>;
export type ClinicUpdate = z.input<typeof changeClinicBody>;
export type TemplateSession = z.infer<typeof templateSession>;
export type TemplateReconciliation = z.infer<typeof reconciliationRecord>;
export type TemplateVersion = z.infer<typeof templateVersionRecord>;
export type TemplateRequest = z.input<typeof createTemplateBody>;
export type ClinicCalendar = z.infer<typeof clinicCalendar>;
export type CalendarDay = ClinicCalendar['days'][number];
export type CalendarSession = CalendarDay['sessions'][number];
export type SlotCounts = Pick<CalendarSession, 'total' | 'free' | 'booked' | 'blocked'>;

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
