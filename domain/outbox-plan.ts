// Which messages a patient gets, by which channel and when (issue 12): pure, so the outbox writes, the sender and
// the tests agree on one rule. Sms only with a UK mobile, email only with an address, a letter when the patient
// asks for letters or nothing else reaches them; a carer as contact gets the texts and emails instead.
import type { AisNeed, CommChannel, LetterFormat, MessageRecipient } from './model';

/** A UK mobile number in the 07… form Notify takes, or null (a landline cannot take a text). */
export function ukMobile(raw: string | null | undefined): string | null {
  if (!raw) return null;
  const digits = raw.replace(/[\s()-]/g, '').replace(/^\+44/, '0').replace(/^0044/, '0').replace(/^44(?=7)/, '0');
  return /^07\d{9}$/.test(digits) ? digits : null;
}

const emailLike = (s: string | null | undefined): s is string => !!s && /^[^\s@]+@[^\s@]+\.[^\s@]+$/.test(s);

export type MessagePatient = {
  phone: string | null; email: string | null; channels: CommChannel[]; aisNeeds: AisNeed[];
  carer: { name: string; phone: string | null; email: string | null } | null;
};

/** Who the texts and emails go to: the carer when the patient has one as their contact, else the patient. */
export function messageContact(p: MessagePatient): { recipient: Extract<MessageRecipient, 'patient' | 'carer'>; phone: string | null; email: string | null } {
  return p.carer
    ? { recipient: 'carer', phone: ukMobile(p.carer.phone), email: emailLike(p.carer.email) ? p.carer.email : null }
    : { recipient: 'patient', phone: ukMobile(p.phone), email: emailLike(p.email) ? p.email : null };
}

/** The format an Accessible Information Standard need asks for: easy-read words, else large print, else standard. */
export function letterFormatFor(aisNeeds: readonly AisNeed[]): LetterFormat {
  if (aisNeeds.includes('easy_read')) return 'easy_read';
  if (aisNeeds.includes('large_print')) return 'large_print';
  return 'standard';
}

/** The sms and email channels the patient prefers and we can reach them by, in their order. */
export function electronicChannels(p: MessagePatient): Array<Exclude<CommChannel, 'letter'>> {
  const contact = messageContact(p);
  return p.channels.flatMap((c) => (c === 'sms' && contact.phone ? ['sms' as const] : c === 'email' && contact.email ? ['email' as const] : []));
}

/** A notice (confirmation, change, cancellation): one per reachable preferred channel, a letter when asked for or nothing else reaches. */
export function noticeChannels(p: MessagePatient): CommChannel[] {
  const electronic = electronicChannels(p);
  return p.channels.includes('letter') || electronic.length === 0 ? [...electronic, 'letter'] : electronic;
}

/** Reminders before an appointment: 7 and 2 days ahead by text or email; by letter only at 7 days (post is slow). */
export const reminderDays = [7, 2] as const;
const DAY = 86_400_000;

/** The reminders still worth sending for an appointment at `startMs`, seen at `nowMs`: channel and when. */
export function reminderPlan(p: MessagePatient, startMs: number, nowMs: number): Array<{ channel: CommChannel; daysBefore: number; sendAfter: Date }> {
  const electronic = electronicChannels(p);
  const plan = electronic.length
    ? reminderDays.flatMap((days) => electronic.map((channel) => ({ channel: channel as CommChannel, daysBefore: days })))
    : [{ channel: 'letter' as CommChannel, daysBefore: 7 }];
  return plan.map((r) => ({ ...r, sendAfter: new Date(startMs - r.daysBefore * DAY) })).filter((r) => r.sendAfter.getTime() > nowMs);
}

/**
 * The sender's back-off after a retryable failure: 1, 2, 4 … minutes, at most an hour; Notify's Retry-After wins
 * when it asks for longer. After `maxSendAttempts` the message is a technical failure.
 */
export const maxSendAttempts = 8;
export function sendBackoffMs(attempts: number, retryAfterMs: number | null = null): number {
  const backoff = Math.min(60_000 * 2 ** Math.max(0, attempts - 1), 3_600_000);
  return Math.max(backoff, retryAfterMs ?? 0);
}

/** Notify's statuses as the outbox records them; anything else is still on its way. */
export function outcomeOfNotifyStatus(status: string): 'delivered' | 'permanent_failure' | 'technical_failure' | null {
  if (status === 'delivered' || status === 'received') return 'delivered'; // a precompiled letter is `received` once posted
  if (status === 'permanent-failure' || status === 'validation-failed' || status === 'cancelled') return 'permanent_failure';
  if (status === 'temporary-failure' || status === 'technical-failure') return 'technical_failure';
  return null;
}

/** Why a message did not arrive, in the words an officer reads on the contact_patient item. */
export function notifyFailureWords(status: string, channel: CommChannel): string {
  if (status === 'permanent-failure') {
    return channel === 'sms' ? 'the number is not in use' : channel === 'email' ? 'the email address does not exist' : 'the letter could not be delivered';
  }
  if (status === 'temporary-failure') return channel === 'sms' ? 'the phone was off or out of signal for 3 days' : 'the inbox was full or not answering for 3 days';
  if (status === 'validation-failed') return 'Notify could not print the letter (the address or the page was not valid)';
  if (status === 'cancelled') return 'the letter was cancelled before it was posted';
  return 'Notify could not send it (a fault at Notify or its providers)';
}
