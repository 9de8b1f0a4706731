// What a change tells the patient (issue 12): the outbox rows written inside the change's own transaction, so a
// booking and its messages commit together or not at all. Sending is the outbox sender's (activities/communications.ts).
// One row per change × template × channel × recipient (its commKey), so a retried change writes nothing twice.
import { and, eq } from 'drizzle-orm';
import { newId } from '../db/ids';
import type { Tx } from '../db/client';
import { communications, patients, referrals, specialties } from '../db/schema';
import { cancellationReason, composeMessage, type CommChannel, type MessageFields, type MessageTemplate } from '../domain';
import { letterFormatFor, messageContact, noticeChannels, reminderPlan, type MessagePatient } from '../domain/outbox-plan';

/** The booking office's number every message gives for changes; one trust, one number. */
export const bookingOfficePhone = '0300 123 4567';

/** "Tuesday 3 June 2026": the date as a letter says it. */
const londonDay = (d: Date) => d.toLocaleDateString('en-GB', { timeZone: 'Europe/London', weekday: 'long', day: 'numeric', month: 'long', year: 'numeric' }).replace(',', '');
const londonTime = (d: Date) => d.toLocaleTimeString('en-GB', { timeZone: 'Europe/London', hour: '2-digit', minute: '2-digit' });

export type BookedAppointment = {
  id: string; referralId: string; patientId: string; start: Date; kind: 'new' | 'follow_up';
  clinic: { name: string; site: string };
};

async function messagePatient(tx: Tx, patientId: string): Promise<MessagePatient> {
  const [p] = await tx.select({ phone: patients.phone, email: patients.email, channels: patients.channels, aisNeeds: patients.aisNeeds, carer: patients.carer })
    .from(patients).where(eq(patients.id, patientId));
  return p;
}

type Message<T extends MessageTemplate> = {
  key: string; template: T; channel: CommChannel; fields: MessageFields<T>; sendAfter?: Date;
  referralId: string; patientId: string; appointmentId: string | null;
};

/** Writes messages for one patient: words composed in their format, addressed to them or their carer. */
async function queueMessages<T extends MessageTemplate>(tx: Tx, patient: MessagePatient, messages: Array<Message<T>>) {
  if (!messages.length) return;
  const format = letterFormatFor(patient.aisNeeds);
  const { recipient } = messageContact(patient);
  await tx.insert(communications).values(messages.map((m) => {
    // Letters go to the patient's address; a carer as contact gets the texts and emails.
    const to = m.channel === 'letter' ? 'patient' as const : recipient;
    const words = composeMessage(m.template, m.channel, m.fields, { format });
    return {
      id: newId('comm'), commKey: `${m.key}:${m.channel}:${to}`, referralId: m.referralId, patientId: m.patientId,
      appointmentId: m.appointmentId, recipient: to, channel: m.channel, template: m.template, format,
      personalisation: m.fields as Record<string, string>, subject: words.subject, body: words.body,
      ...(m.sendAfter ? { sendAfter: m.sendAfter } : {}),
    };
  })).onConflictDoNothing({ target: communications.commKey });
}

/** Messages about an appointment still waiting to go are withdrawn: it was moved or cancelled first. */
export async function cancelPendingMessages(tx: Tx, appointmentId: string) {
  await tx.update(communications).set({ status: 'cancelled', updatedAt: new Date() })
    .where(and(eq(communications.appointmentId, appointmentId), eq(communications.status, 'queued')));
}

/**
 * A booking's messages: the confirmation (or, for a move, the notice of where it moved to) by every channel the
 * patient prefers and we can reach, and the reminders 7 and 2 days before. `now`: the change's time (the
 * workflow's, on a test server that skips ahead), so a reminder already past is not written.
 */
export async function queueBookingMessages(tx: Tx, changeKey: string, appt: BookedAppointment, replacing?: { start: Date }, now = new Date()) {
  const patient = await messagePatient(tx, appt.patientId);
  const about = { referralId: appt.referralId, patientId: appt.patientId, appointmentId: appt.id };
  const when = { appointment_date: londonDay(appt.start), appointment_time: londonTime(appt.start), clinic: appt.clinic.name, site: appt.clinic.site, booking_office_phone: bookingOfficePhone };
  if (replacing) {
    const fields = { ...when, previous_date: londonDay(replacing.start), previous_time: londonTime(replacing.start) };
    await queueMessages(tx, patient, noticeChannels(patient).map((channel) => ({ key: `${changeKey}:appointment_changed`, template: 'appointment_changed' as const, channel, fields, ...about })));
  } else {
    await queueMessages(tx, patient, noticeChannels(patient).map((channel) => ({ key: `${changeKey}:appointment_confirmation`, template: 'appointment_confirmation' as const, channel, fields: when, ...about })));
  }
  await queueMessages(tx, patient, reminderPlan(patient, appt.start.getTime(), now.getTime()).map((r) => ({
    key: `${changeKey}:appointment_reminder:${r.daysBefore}d`, template: 'appointment_reminder' as const, channel: r.channel, fields: when, sendAfter: r.sendAfter, ...about,
  })));
}

/** A cancellation with nothing booked in its place: its pending messages withdrawn, the notice by every channel. */
export async function queueCancellationMessages(tx: Tx, changeKey: string,
  c: { appointmentId: string; referralId: string; patientId: string; by: 'patient' | 'hospital'; start: Date; clinicName: string }) {
  await cancelPendingMessages(tx, c.appointmentId);
  const patient = await messagePatient(tx, c.patientId);
  const fields = {
    appointment_date: londonDay(c.start), appointment_time: londonTime(c.start), clinic: c.clinicName,
    cancellation_reason: cancellationReason(c.by), booking_office_phone: bookingOfficePhone,
  };
  await queueMessages(tx, patient, noticeChannels(patient).map((channel) => ({
    key: `${changeKey}:appointment_cancelled`, template: 'appointment_cancelled' as const, channel, fields,
    referralId: c.referralId, patientId: c.patientId, appointmentId: c.appointmentId,
  })));
}


/**
 * A referral returned at triage: its referrer told why, by email when the referral gave one, else by letter to the
 * address it gave. The referral reference (the UBRN, or ours) tells them which patient without naming anyone.
 * A referral that named no referrer, or no way to reach them, is told nothing here (e-RS returns go back through e-RS).
 */
export async function queueReferrerNotice(tx: Tx, changeKey: string, referralId: string, reason: string) {
  const [r] = await tx.select({ patientId: referrals.patientId, ubrn: referrals.ubrn, receivedAt: referrals.receivedAt, referrer: referrals.referrer,
    specialty: specialties.name })
    .from(referrals).innerJoin(specialties, eq(specialties.code, referrals.specialtyCode)).where(eq(referrals.id, referralId));
  const referrer = r?.referrer;
  if (!referrer) return;
  const address = referrer.addressLines.length && referrer.postcode
    ? [referrer.name, ...(referrer.organisation ? [referrer.organisation] : []), ...referrer.addressLines, referrer.postcode].slice(0, 7) : null;
  const channel: CommChannel | null = referrer.email ? 'email' : address ? 'letter' : null;
  if (!channel) return;
  const fields = {
    referral_reference: r.ubrn ?? referralId, referral_date: londonDay(new Date(`${r.receivedAt}T12:00:00Z`)), specialty: r.specialty,
    return_reason: reason, booking_office_phone: bookingOfficePhone,
  };
  const words = composeMessage('referral_returned', channel, fields, { format: 'standard' });
  const lines = channel === 'letter' && address ? Object.fromEntries(address.map((l, i) => [`address_line_${i + 1}`, l])) : {};
  await tx.insert(communications).values({
    id: newId('comm'), commKey: `${changeKey}:referral_returned:${channel}:referrer`, referralId, patientId: r.patientId, appointmentId: null,
    recipient: 'referrer', channel, template: 'referral_returned', format: 'standard',
    personalisation: { ...fields, ...lines }, subject: words.subject, body: words.body,
  }).onConflictDoNothing({ target: communications.commKey });
}
