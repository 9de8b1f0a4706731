// The PAS feed's outbox (issue 14): an HL7 message row written inside the transaction of the booking, move,
// cancellation or demographics change that causes it, so the change and its message commit together or not at all.
// The row holds what the message says as of that change; the sender (activities/hl7-sender.ts) builds and sends it.
// Each patient's messages are numbered in commit order: the patient's row is locked while the number is taken.
import { and, desc, eq, isNotNull, sql } from 'drizzle-orm';
import type { Tx } from '../db/client';
import { newId } from '../db/ids';
import { appointments, clinics, hl7Messages, patients, slots } from '../db/schema';
import type { Hl7Appointment, Hl7Content, Hl7Patient } from '../domain/hl7';
import type { Hl7Event } from '../domain/model';

async function lockedPatient(tx: Tx, patientId: string): Promise<Hl7Patient> {
  const [p] = await tx.select({
    id: patients.id, nhsNumber: patients.nhsNumber, familyName: patients.familyName, givenName: patients.givenName, dateOfBirth: patients.dateOfBirth,
    addressLines: patients.addressLines, postcode: patients.postcode, phone: patients.phone, email: patients.email,
  }).from(patients).where(eq(patients.id, patientId)).for('no key update');
  if (!p) throw new Error(`Patient ${patientId} not found for the PAS feed`);
  return p;
}

/** The id the PAS knows an appointment by: the placer id of its last message, else its own id. */
async function placerIdOf(tx: Tx, appointmentId: string): Promise<string> {
  const [last] = await tx.select({ placerId: sql<string | null>`${hl7Messages.content}->'appointment'->>'placerId'` }).from(hl7Messages)
    .where(and(eq(hl7Messages.appointmentId, appointmentId), isNotNull(hl7Messages.content))).orderBy(desc(hl7Messages.patientSeq)).limit(1);
  return last?.placerId ?? appointmentId;
}

async function appointmentPart(tx: Tx, appointmentId: string, placerId: string, enteredBy: string | null, cancelledBy?: 'patient' | 'hospital'): Promise<Hl7Appointment> {
  const [a] = await tx.select({
    id: appointments.id, referralId: appointments.referralId, start: appointments.start, end: slots.end, kind: appointments.kind,
    clinic: { id: clinics.id, name: clinics.name, site: clinics.site, specialtyCode: clinics.specialtyCode, clinicianName: clinics.clinicianName },
  }).from(appointments).innerJoin(slots, eq(slots.id, appointments.slotId)).innerJoin(clinics, eq(clinics.id, appointments.clinicId))
    .where(eq(appointments.id, appointmentId));
  if (!a) throw new Error(`Appointment ${appointmentId} not found for the PAS feed`);
  return {
    placerId, appointmentId: a.id, referralId: a.referralId, start: a.start.toISOString(), end: a.end.toISOString(), kind: a.kind,
    clinic: a.clinic, enteredBy, ...(cancelledBy ? { cancelledBy } : {}),
  };
}

async function queueHl7(tx: Tx, key: string, patientId: string, event: Hl7Event, at: Date, appointment?: Hl7Appointment) {
  const patient = await lockedPatient(tx, patientId);
  const [{ next }] = await tx.select({ next: sql<number>`coalesce(max(${hl7Messages.patientSeq}), 0)::int + 1` }).from(hl7Messages)
    .where(eq(hl7Messages.patientId, patientId));
  const content: Hl7Content = { event, at: at.toISOString(), patient, ...(appointment ? { appointment } : {}) };
  await tx.insert(hl7Messages).values({
    id: newId('hl7'), messageKey: `${key}:hl7:${event}`, patientId, patientSeq: next, appointmentId: appointment?.appointmentId ?? null, event, content,
  }).onConflictDoNothing({ target: hl7Messages.messageKey });
}

/** SIU^S12 for a new booking, or SIU^S14 when it replaces `replacing` (a move: the PAS keeps its appointment, at the new time). */
export async function queueHl7Booking(tx: Tx, key: string, c: { appointmentId: string; patientId: string; actorId: string | null; at: Date; replacing?: string }) {
  const placerId = c.replacing ? await placerIdOf(tx, c.replacing) : c.appointmentId;
  await queueHl7(tx, key, c.patientId, c.replacing ? 'S14' : 'S12', c.at, await appointmentPart(tx, c.appointmentId, placerId, c.actorId));
}

/** SIU^S15: an appointment cancelled with nothing booked in its place. */
export async function queueHl7Cancellation(tx: Tx, key: string, c: { appointmentId: string; patientId: string; actorId: string | null; at: Date; by: 'patient' | 'hospital' }) {
  await queueHl7(tx, key, c.patientId, 'S15', c.at, await appointmentPart(tx, c.appointmentId, await placerIdOf(tx, c.appointmentId), c.actorId, c.by));
}

/** ADT^A08: the patient's details as they now are (call after the update, in its transaction). */
export async function queueHl7PatientUpdate(tx: Tx, key: string, c: { patientId: string; at: Date }) {
  await queueHl7(tx, key, c.patientId, 'A08', c.at);
}

/** The details the PAS holds from us: a change to any of them is an A08. */
export const demographicFields = ['addressLines', 'postcode', 'phone', 'email'] as const;
export const demographicsChanged = (before: Record<(typeof demographicFields)[number], unknown>, after: Partial<Record<(typeof demographicFields)[number], unknown>>) =>
  demographicFields.some((k) => k in after && JSON.stringify(before[k]) !== JSON.stringify(after[k]));
