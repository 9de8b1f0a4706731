// A letter in the outbox as letterPdf draws it: its stored words and format, the address, and its date (the day it
// was sent; until then the day it was written). One definition for the sender and the viewer, so the PDF staff open
// is the one posted (letterPdf is deterministic).
import { sql } from 'drizzle-orm';
import { queryRows, type Queryable } from '../db/client';
import type { CommChannel, LetterFormat, MessageTemplate } from '../domain';
import { messageTemplateLabels } from '../domain/labels';
import type { LetterInput } from './letters';

export type LetterSource = {
  channel: CommChannel; template: MessageTemplate; format: LetterFormat; subject: string | null; body: string; createdAt: Date | string; sentAt: Date | string | null;
  personalisation: Record<string, string>;
  patient: { name: string; addressLines: string[]; postcode: string | null };
};

/** A day in London as a letter prints it: "3 June 2026". */
export const letterDate = (at: Date | string) =>
  new Date(at).toLocaleDateString('en-GB', { timeZone: 'Europe/London', day: 'numeric', month: 'long', year: 'numeric' });

/**
 * Where a letter goes: Notify's address_line_1…7 when the message carries them (a referrer's practice), else the
 * patient by name at their address (the postcode alone when no address lines are held). At most 7 lines.
 */
export function letterAddress(source: Pick<LetterSource, 'personalisation' | 'patient'>): string[] {
  const given = [1, 2, 3, 4, 5, 6, 7].map((n) => source.personalisation[`address_line_${n}`]).filter((l): l is string => !!l?.trim());
  if (given.length) return given;
  const { name, addressLines, postcode } = source.patient;
  const lines = addressLines.filter((l) => l.trim());
  const withPostcode = postcode && !lines.some((l) => l.replace(/\s/g, '').toUpperCase() === postcode.replace(/\s/g, '').toUpperCase())
    ? [...lines, postcode] : lines;
  return [name, ...withPostcode].slice(0, 7);
}

export function letterInputFor(source: LetterSource): LetterInput {
  return {
    addressLines: letterAddress(source), date: letterDate(source.sentAt ?? source.createdAt),
    subject: source.subject ?? messageTemplateLabels[source.template], body: source.body, format: source.format,
  };
}

/** A communication's letter, or why there is none: `null` when there is no such communication. */
export async function communicationLetter(db: Queryable, id: string):
  Promise<{ kind: 'letter'; input: LetterInput } | { kind: 'not_a_letter'; channel: Exclude<CommChannel, 'letter'> } | null> {
  const [row] = await queryRows<Omit<LetterSource, 'patient'> & { name: string; addressLines: string[]; postcode: string | null }>(db, sql`
    select m.channel, m.template, m.format, m.subject, m.body, m.created_at as "createdAt", m.sent_at as "sentAt", m.personalisation,
      p.given_name || ' ' || p.family_name as name, p.address_lines as "addressLines", p.postcode
    from communications m join patients p on p.id = m.patient_id where m.id = ${id}`);
  if (!row) return null;
  if (row.channel !== 'letter') return { kind: 'not_a_letter', channel: row.channel };
  const { name, addressLines, postcode, ...letter } = row;
  return { kind: 'letter', input: letterInputFor({ ...letter, patient: { name, addressLines: addressLines ?? [], postcode } }) };
}
