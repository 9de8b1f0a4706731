// What a change tells the patient (issue 12): the outbox rows written inside the change's own transaction, so a
// booking and its letter commit together or not at all. Sending is the outbox sender's (activities/communications.ts).
import { newId } from '../db/ids';
import type { Tx } from '../db/client';
import { communications } from '../db/schema';

const londonDateTime = (d: Date) => d.toLocaleString('en-GB', {
  timeZone: 'Europe/London', weekday: 'long', day: 'numeric', month: 'long', year: 'numeric', hour: '2-digit', minute: '2-digit',
});

export type BookedAppointment = {
  id: string; referralId: string; patientId: string; start: Date; kind: 'new' | 'follow_up';
  clinic: { name: string; site: string };
};

/** A booking's messages: the confirmation, or, for a move, the one letter saying where it moved to. */
export async function queueBookingMessages(tx: Tx, changeKey: string, appt: BookedAppointment, replacing?: { start: Date }) {
  const when = londonDateTime(appt.start);
  const what = `Your ${appt.kind === 'new' ? 'first' : 'follow-up'} appointment`;
  await tx.insert(communications).values({
    id: newId('comm'), commKey: `${changeKey}:appointment-letter`, referralId: appt.referralId, patientId: appt.patientId,
    appointmentId: appt.id, channel: 'letter', template: replacing ? 'appointment_changed' : 'appointment_confirmation',
    body: (replacing
      ? `${what} on ${londonDateTime(replacing.start)} has been moved. It is now on ${when} at ${appt.clinic.name}, ${appt.clinic.site}. `
      : `${what} is on ${when} at ${appt.clinic.name}, ${appt.clinic.site}. `)
      + 'If you cannot attend, please tell us as soon as possible so we can offer the time to someone else.',
  });
}

/** A cancellation with nothing booked in its place. */
export async function queueCancellationMessages(tx: Tx, changeKey: string,
  c: { appointmentId: string; referralId: string; patientId: string; by: 'patient' | 'hospital'; start: Date; clinicName: string }) {
  await tx.insert(communications).values({
    id: newId('comm'), commKey: `${changeKey}:appointment-cancelled`, referralId: c.referralId, patientId: c.patientId,
    appointmentId: c.appointmentId, channel: 'letter', template: 'appointment_cancelled',
    body: (c.by === 'patient'
      ? `As you asked, your appointment on ${londonDateTime(c.start)} at ${c.clinicName} has been cancelled. `
      : `We are sorry: we have had to cancel your appointment on ${londonDateTime(c.start)} at ${c.clinicName}. `)
      + 'We will be in touch to arrange a new one.',
  });
}
