// What the console says after a change, in the access centre's words: the notice after a cancel or a
// reschedule, the preview's and the summary's counts, a template change's reconciliation. Pure, so the
// unit tests read the same sentences the officer does.
import { formatSlotStart } from '../components/dates';
import type {
  AppointmentChange, Offer, OfferDeclined, SessionChangePreview, SessionChangeSummary, TemplateReconciliation,
} from '../change-types';

export const plural = (n: number, one: string, many = `${one}s`) => `${n} ${n === 1 ? one : many}`;

const ordinals = ['first', 'second', 'third', 'fourth', 'fifth'];
export const ordinal = (n: number) => ordinals[n - 1] ?? `${n}th`;

/** What the raised work item means for the officer. */
function raisedWords(change: AppointmentChange): string {
  switch (change.raisedTask?.type) {
    case 'rebook_appointment':
      return 'a rebook item is on the Rebooking queue';
    case 'book_new_appointment':
    case 'book_follow_up':
      return 'a booking item is on the queue to book again';
    case 'clinical_review':
      return 'a clinician will now review the pathway (clinical review raised)';
    default:
      return '';
  }
}

/** "Appointment cancelled; a rebook item is on the Rebooking queue", "Appointment moved to Tue 14/01/2025 09:30 at …". */
export function appointmentChangeNotice(change: AppointmentChange): string {
  const byPatient = change.state === 'cancelled_by_patient';
  const moved = change.newAppointment;
  const head = moved
    ? `Appointment moved to ${formatSlotStart(moved.start)} at ${moved.clinicName}${byPatient ? ' (counted as a patient cancellation)' : ''}`
    : byPatient
      ? `Appointment cancelled by the patient (their ${ordinal(change.patientCancellations)} cancellation)`
      : 'Appointment cancelled';
  const raised = raisedWords(change);
  return raised ? `${head}; ${raised}` : head;
}

/** "3 patients affected: 2 would move, 1 would wait for a slot; 1 at risk of breach". */
export function previewSummaryWords(summary: SessionChangePreview['summary']): string {
  if (summary.affected === 0) return 'No patients are booked into these slots: the slots are simply taken out.';
  const parts = [`${summary.wouldMove} would move`];
  if (summary.wouldWait > 0) parts.push(`${summary.wouldWait} would wait for a slot`);
  const risk = summary.atRisk > 0 ? `; ${summary.atRisk} at risk of breach` : '';
  return `${plural(summary.affected, 'patient')} affected: ${parts.join(', ')}${risk}`;
}

/** "3 appointments cancelled: 2 moved, 1 waiting for a slot; 1 at risk of breach". */
export function sessionChangeSummaryWords(summary: SessionChangeSummary): string {
  if (summary.affected === 0) return 'No patients were booked into these slots.';
  const parts = [`${summary.moved} moved`, `${summary.waitingForSlot} waiting for a slot`];
  if (summary.skipped > 0) parts.push(`${summary.skipped} left alone (pathway ended or appointment already changed)`);
  const risk = summary.atRisk > 0 ? `; ${summary.atRisk} at risk of breach` : '';
  return `${plural(summary.cancelled, 'appointment')} cancelled: ${parts.join(', ')}${risk}`;
}

/** "12 slots added, 3 free slots removed, 2 booked slots kept: a session reduction is waiting for a team leader". */
export function reconciliationWords(reconciliation: TemplateReconciliation | null): string {
  if (!reconciliation) return 'Slots are made from this version when it takes effect.';
  const { slotsAdded, slotsUpdated, slotsRemoved, bookedSlotsKept, proposedChangeIds } = reconciliation;
  const parts = [plural(slotsAdded, 'slot') + ' added', plural(slotsRemoved, 'free slot') + ' removed'];
  if (slotsUpdated > 0) parts.push(plural(slotsUpdated, 'free slot') + ' changed');
  if (bookedSlotsKept > 0) parts.push(plural(bookedSlotsKept, 'booked slot') + ' kept');
  const proposed = proposedChangeIds.length;
  const waiting =
    proposed === 0 ? '' : proposed === 1
      ? ': a session reduction is waiting for a team leader'
      : `: ${proposed} session reductions are waiting for a team leader`;
  return parts.join(', ') + waiting;
}

/** The notice after confirming a session change. */
export function sessionChangeStartedNotice(preview: Pick<SessionChangePreview, 'kind' | 'summary'>): string {
  const what = preview.kind === 'cancel' ? 'Session cancelled' : 'Session reduced';
  return preview.summary.affected === 0 ? what : `${what}; rebooking ${plural(preview.summary.affected, 'patient')}`;
}

export const noticeWords = (days: number) => (days === 1 ? '1 day’s notice' : `${days} days’ notice`);

/** "Offer recorded: reasonable (23 days’ notice)". */
export function offerMadeNotice(offer: Pick<Offer, 'reasonable' | 'noticeDays'>): string {
  return offer.reasonable
    ? `Offer recorded: reasonable (${noticeWords(offer.noticeDays)})`
    : `Offer recorded: short notice (${noticeWords(offer.noticeDays)}), so declining it does not count against the patient`;
}

/** After an accept or a decline; a decline that brought the clinical review says so. */
export function offerDecidedNotice(offer: Pick<Offer, 'status' | 'slotStart' | 'clinicName' | 'appointmentId'> & Partial<Pick<OfferDeclined, 'reviewRaised'>>): string {
  if (offer.status === 'accepted') {
    return offer.appointmentId && offer.slotStart
      ? `Offer accepted; appointment booked for ${formatSlotStart(offer.slotStart)}${offer.clinicName ? ` at ${offer.clinicName}` : ''}`
      : 'Offer accepted';
  }
  return offer.reviewRaised
    ? 'Offer declined; that is the second reasonable offer declined, so a clinician will review the pathway'
    : 'Offer declined';
}
