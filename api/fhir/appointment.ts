// Appointment → UKCore-Appointment: status from ours (attended → fulfilled, did not attend → noshow, cancelled by
// either side → cancelled with the base cancellation reason), the slot and referral it belongs to, the patient and
// the clinic's clinician as participants, the specialty and whether it is a new or follow-up appointment.
import type { Appointment } from '@medplum/fhirtypes';
import type { appointments } from '../../db/schema';
import { appointmentKindLabels, type AppointmentState } from '../../domain';
import { fhirId, instant, TREATMENT_FUNCTION_SYSTEM, ukCore } from './common';

export type AppointmentRow = typeof appointments.$inferSelect & {
  end: Date; specialtyCode: string; specialtyName: string; clinicName: string; clinicianName: string;
};

const statusOf: Record<AppointmentState, Appointment['status']> = {
  booked: 'booked', attended: 'fulfilled', did_not_attend: 'noshow', cancelled_by_patient: 'cancelled', cancelled_by_hospital: 'cancelled',
};
const CANCELLATION_REASON_SYSTEM = 'http://terminology.hl7.org/CodeSystem/appointment-cancellation-reason';

export function toFhirAppointment(a: AppointmentRow): Appointment {
  const cancelled = a.state === 'cancelled_by_patient' ? { code: 'pat', display: 'Patient' }
    : a.state === 'cancelled_by_hospital' ? { code: 'prov', display: 'Provider' } : null;
  return {
    resourceType: 'Appointment',
    id: fhirId(a.id),
    meta: { profile: [ukCore('Appointment')] },
    status: statusOf[a.state],
    ...(cancelled ? { cancelationReason: { coding: [{ system: CANCELLATION_REASON_SYSTEM, ...cancelled }] } } : {}),
    specialty: [{ coding: [{ system: TREATMENT_FUNCTION_SYSTEM, code: a.specialtyCode, display: a.specialtyName }], text: a.specialtyName }],
    appointmentType: { text: appointmentKindLabels[a.kind] },
    description: a.clinicName,
    start: instant(a.start),
    end: instant(a.end),
    minutesDuration: Math.round((a.end.getTime() - a.start.getTime()) / 60_000),
    created: instant(a.bookedAt),
    slot: [{ reference: `Slot/${fhirId(a.slotId)}` }],
    basedOn: [{ reference: `ServiceRequest/${fhirId(a.referralId)}` }],
    participant: [
      { actor: { reference: `Patient/${fhirId(a.patientId)}` }, required: 'required', status: a.state === 'cancelled_by_patient' ? 'declined' : 'accepted' },
      { actor: { display: a.clinicianName }, required: 'required', status: a.state === 'cancelled_by_hospital' ? 'declined' : 'accepted' },
    ],
  };
}
