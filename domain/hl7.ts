// The PAS feed (issue 14): what an HL7 v2 message to the PAS says, as we hold it in the outbox, and the sender's rules.
// Pure: the builder (activities/hl7-message.ts) turns this into HL7 text with the trust's MSH identity.
import type { Hl7Event } from './model';

export type Hl7Patient = {
  id: string; nhsNumber: string; familyName: string; givenName: string; dateOfBirth: string;
  addressLines: string[]; postcode: string | null; phone: string | null; email: string | null;
};

export type Hl7Appointment = {
  /** SCH-1: the id the PAS knows the appointment by: ours when it was booked (a move keeps it, see docs/hl7.md). */
  placerId: string;
  /** Our current appointment row (a move books a new row). */
  appointmentId: string;
  referralId: string;
  start: string; end: string;
  kind: 'new' | 'follow_up';
  clinic: { id: string; name: string; site: string; specialtyCode: string; clinicianName: string };
  /** Who booked, moved or cancelled it (a staff id), or null for the system. */
  enteredBy: string | null;
  /** A cancellation: by the patient or the hospital. */
  cancelledBy?: 'patient' | 'hospital';
};

/** One message's content, as it was when the change committed; `at` is MSH-7 and EVN-2. */
export type Hl7Content = { event: Hl7Event; at: string; patient: Hl7Patient; appointment?: Hl7Appointment };

/** What the sender makes of an ACK (MSA-1), or of none. */
export type AckOutcome = 'accepted' | 'retry' | 'rejected';
export function ackOutcome(code: string | null): AckOutcome {
  if (code === 'AA' || code === 'CA') return 'accepted';
  if (code === 'AR' || code === 'CR') return 'rejected';
  return 'retry'; // AE/CE, no answer, a garbled answer
}

/** Back-off after a failed attempt: doubling from `baseMs`, at most `maxMs`. Never gives up: the PAS must have it. */
export function hl7BackoffMs(attempts: number, baseMs: number, maxMs: number): number {
  return Math.min(maxMs, baseMs * 2 ** Math.max(0, Math.min(attempts - 1, 20)));
}

/** MSH-10: short (v2.5 allows 20 characters), unique, the same on every resend so the PAS can drop a repeat. */
export const hl7ControlId = (controlNumber: number) => `AD${String(controlNumber).padStart(10, '0')}`;

/** HL7 v2 escaping of a text value (v2.5 §2.7): the escape character first, then the delimiters; line breaks as \X0D\. */
export function hl7Escape(text: string): string {
  return text.replace(/\\/g, '\\E\\').replace(/\|/g, '\\F\\').replace(/\^/g, '\\S\\').replace(/&/g, '\\T\\').replace(/~/g, '\\R\\')
    .replace(/\r\n|\r|\n/g, '\\X0D\\');
}
