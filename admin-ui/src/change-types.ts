// The issue 10 records and requests (cancel, reschedule, offers, clinic templates and calendar, session
// changes) as the API answers and accepts them, inferred from the API's own zod schemas (api/schemas.ts,
// api/clinic-records.ts, api/records.ts and the offer and appointment-change routes), the same ones that
// validate requests and generate /api/openapi.json. Type-only: nothing of the API is bundled into the console.
import type { z } from 'zod';
import type {
  CancellationParty, ClinicSession, OfferStatus, SessionChangeKind, SessionChangeOutcome, SessionChangeStatus, ToldAtBookingMethod,
} from '../../domain/model';
import type {
  changeClinicBody, clinicCalendar, createClinicBody, createTemplateBody, reconciliationRecord, templateSession, templateVersionRecord,
} from '../../api/clinic-records';
import type { sessionChangeDetail, sessionChangePreview, sessionChangeRecord } from '../../api/records';
import type { appointmentChange } from '../../api/routes/appointment-changes';
import type { offerRecord } from '../../api/routes/offers';
import type { acceptOfferBody, cancelAppointmentBody, offerBody, rescheduleAppointmentBody, sessionChangeBody } from '../../api/schemas';

export type {
  CancellationParty, ClinicSession, OfferStatus, SessionChangeKind, SessionChangeOutcome, SessionChangeStatus, ToldAtBookingMethod,
};

// Appointments.
export type CancelAppointmentRequest = z.input<typeof cancelAppointmentBody>;
export type RescheduleAppointmentRequest = z.input<typeof rescheduleAppointmentBody>;
export type AppointmentChange = z.infer<typeof appointmentChange>;

// Offers.
export type OfferRequest = z.input<typeof offerBody>;
export type AcceptOfferRequest = z.input<typeof acceptOfferBody>;
export type Offer = z.infer<typeof offerRecord>;
export type OfferDeclined = Offer & { reviewRaised: boolean };

// Clinics and templates.
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

// Clinic session changes.
export type SessionChangeRequest = z.input<typeof sessionChangeBody>;
export type SessionChangePreview = z.infer<typeof sessionChangePreview>;
export type AffectedPatient = SessionChangePreview['affected'][number];
export type OfferedSlot = NonNullable<AffectedPatient['offeredSlot']>;
/** GET /api/clinic-sessions/changes/:id; the list's records leave `patients` out. */
export type SessionChange = z.infer<typeof sessionChangeDetail> | (z.infer<typeof sessionChangeRecord> & { patients?: undefined });
export type SessionChangeSummary = SessionChange['summary'];
export type SessionChangePatient = z.infer<typeof sessionChangeDetail>['patients'][number];
