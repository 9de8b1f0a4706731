// The discharge letters: one to the patient and one to the GP who referred them, when we hold the GP's address. Written in
// the change's transaction and keyed by it, so a retried change queues them once; the outbox sends them (issue 16). The
// partial booking review's discharge says the patient did not answer the invitation (follow_up_discharged); a PIFU period
// ending in discharge says the patient did not ask to be seen (pifu_discharged).
import { eq } from 'drizzle-orm';
import type { Tx } from '../db/client';
import { newId } from '../db/ids';
import { communications, patients, referrals, specialties } from '../db/schema';
import { composeMessage, type CommChannel, type MessageTemplate } from '../domain';
import { letterFormatFor } from '../domain/outbox-plan';
import { bookingOfficePhone } from './outbox';

export type DischargeLetterTemplate = Extract<MessageTemplate, 'follow_up_discharged' | 'pifu_discharged'>;

export async function queueDischargeLetters(tx: Tx, c: { changeKey: string; referralId: string; patientId: string },
  template: DischargeLetterTemplate = 'follow_up_discharged'): Promise<void> {
  const [patient] = await tx.select({ aisNeeds: patients.aisNeeds }).from(patients).where(eq(patients.id, c.patientId));
  const [{ specialty, referrer }] = await tx.select({ specialty: specialties.name, referrer: referrals.referrer })
    .from(referrals).innerJoin(specialties, eq(specialties.code, referrals.specialtyCode)).where(eq(referrals.id, c.referralId));
  const fields = { specialty, booking_office_phone: bookingOfficePhone };
  const letter = (recipient: 'patient' | 'referrer', format: ReturnType<typeof letterFormatFor>, extra: Record<string, string> = {}) => {
    const words = composeMessage(template, 'letter' as CommChannel, fields, { format });
    return {
      id: newId('comm'), commKey: `${c.changeKey}:${template}:letter:${recipient}`, referralId: c.referralId, patientId: c.patientId,
      appointmentId: null, recipient, channel: 'letter' as const, template, format,
      personalisation: { ...fields, ...extra }, subject: words.subject, body: words.body,
    };
  };
  const rows = [letter('patient', letterFormatFor(patient.aisNeeds))];
  const address = referrer && referrer.addressLines.length && referrer.postcode
    ? [referrer.name, ...(referrer.organisation ? [referrer.organisation] : []), ...referrer.addressLines, referrer.postcode].slice(0, 7) : null;
  if (address) rows.push(letter('referrer', 'standard', Object.fromEntries(address.map((l, i) => [`address_line_${i + 1}`, l]))));
  await tx.insert(communications).values(rows).onConflictDoNothing({ target: communications.commKey });
}
