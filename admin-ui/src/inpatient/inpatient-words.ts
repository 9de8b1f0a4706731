// The access centre's words for the admitted pathway, and the small rules the screens show before the API
// answers (whether a session has room, whether an offer gives reasonable notice). Pure: unit-tested.
import { isReasonableOffer } from '../../../domain/booking-policy';
import { daysBetween } from '../../../domain/dates';
import { formatDate } from '../components/dates';
import { plural } from '../components/notices';
import type {
  AdmissionStatus, CancelOperationResult, CancelledOperationStatus, CancelledOperationsSummary, IntendedManagement, PreOpStatus, SurgicalPriority,
  TciChannel, TciOfferStatus, TheatreSession, TheatreSessionPart,
} from './inpatient-types';

/** The surgical priority categories (rules §4.5), most urgent first: the list's order. */
export const surgicalPriorityLabels: Record<SurgicalPriority, string> = {
  P1a: 'P1a: emergency, within 24 hours',
  P1b: 'P1b: urgent, within 72 hours',
  P2: 'P2: within 1 month',
  P3: 'P3: within 3 months',
  P4: 'P4: can wait over 3 months',
};

export const admissionStatusLabels: Record<AdmissionStatus, string> = {
  waiting: 'Waiting',
  tci_booked: 'TCI booked',
  admitted: 'Admitted',
  cancelled: 'Operation cancelled',
  not_treated: 'Not treated',
  removed: 'Removed from list',
};

export const preOpStatusLabels: Record<PreOpStatus, string> = {
  not_required: 'Not needed',
  needed: 'To be booked',
  booked: 'Booked',
  fit: 'Fit',
  fit_with_conditions: 'Fit with conditions',
  unfit: 'Unfit: clinician to review',
  expired: 'Expired: repeat it',
};

export const intendedManagementLabels: Record<IntendedManagement, string> = {
  inpatient: 'Inpatient',
  day_case: 'Day case',
};

export const theatreSessionPartLabels: Record<TheatreSessionPart, string> = {
  am: 'Morning',
  pm: 'Afternoon',
  all_day: 'All day',
};

export const tciChannelLabels: Record<TciChannel, string> = {
  phone: 'Phone',
  letter: 'Letter',
  email: 'Email',
  in_person: 'In person',
};

export const tciOfferStatusLabels: Record<TciOfferStatus, string> = {
  offered: 'Waiting for the patient',
  accepted: 'Accepted',
  declined: 'Declined',
  cancelled: 'Withdrawn',
};

export const cancelledOperationStatusLabels: Record<CancelledOperationStatus, string> = {
  open: 'To rebook',
  rebooked: 'Rebooked',
  breached: 'Not rebooked within 28 days',
};

/** P1a and P1b are urgent surgery: shown red. */
export const isUrgentSurgery = (priority: SurgicalPriority | null | undefined) => priority === 'P1a' || priority === 'P1b';

/** Minutes as people say them: "45 min", "2 h", "3 h 30 min". */
export function minutesWords(minutes: number): string {
  const m = Math.max(0, Math.round(minutes));
  const hours = Math.floor(m / 60);
  const rest = m % 60;
  if (hours === 0) return `${rest} min`;
  return rest === 0 ? `${hours} h` : `${hours} h ${rest} min`;
}

/** "2 h 30 min booked of 4 h, 1 h 30 min free" (the capacity bar's words). */
export function capacityWords(session: Pick<TheatreSession, 'minutesAvailable' | 'minutesBooked' | 'minutesFree'>): string {
  return `${minutesWords(session.minutesBooked)} booked of ${minutesWords(session.minutesAvailable)}, ${minutesWords(session.minutesFree)} free`;
}

/** The bar's booked share, 0–100 (a session with no minutes is shown full). */
export function bookedPercent(session: Pick<TheatreSession, 'minutesAvailable' | 'minutesBooked'>): number {
  if (session.minutesAvailable <= 0) return 100;
  return Math.min(100, Math.max(0, Math.round((session.minutesBooked / session.minutesAvailable) * 100)));
}

/** Whether an operation of `minutes` fits in what is free; the API refuses an overbooking anyway (409). */
export const sessionFits = (session: Pick<TheatreSession, 'minutesFree'>, minutes: number) => session.minutesFree >= minutes;

/** Why a session cannot take the operation, or null when it can. */
export function sessionRefusal(session: Pick<TheatreSession, 'minutesFree' | 'date'>, minutes: number, today: string): string | null {
  if (session.date < today) return 'This session has passed';
  if (!sessionFits(session, minutes)) return `Not enough time: ${minutesWords(session.minutesFree)} free, the operation needs ${minutesWords(minutes)}`;
  return null;
}

/** The notice an offer gives, and whether it is reasonable (3 weeks, rules §1.4), before the API says so. */
export function tciNotice(offeredOn: string, admissionDate: string): { noticeDays: number; reasonable: boolean; words: string } {
  const noticeDays = daysBetween(offeredOn, admissionDate);
  const reasonable = isReasonableOffer({ offeredOn, appointmentDate: admissionDate });
  const notice = noticeDays === 1 ? '1 day’s notice' : `${noticeDays} days’ notice`;
  return {
    noticeDays,
    reasonable,
    words: reasonable
      ? `Reasonable: ${notice}`
      : `Short notice: ${notice} (under 3 weeks), so the patient may decline it without effect`,
  };
}

/** The notice after an offer is recorded. */
export function tciOfferedNotice(offer: { reasonable: boolean; noticeDays: number; admissionDate: string }, when: string): string {
  const notice = offer.noticeDays === 1 ? '1 day’s notice' : `${offer.noticeDays} days’ notice`;
  return offer.reasonable
    ? `TCI offered for ${when}: reasonable (${notice})`
    : `TCI offered for ${when}: short notice (${notice}), so declining it does not count against the patient`;
}

/** After a decline: a second declined reasonable offer brings a clinical conversation. */
export function tciDeclinedNotice(reasonable: boolean, declinedReasonableOffers: number): string {
  if (!reasonable) return 'TCI declined: it was at short notice, so it does not count against the patient';
  if (declinedReasonableOffers >= 2) return 'TCI declined: that is the second reasonable offer declined, so a clinician will review the pathway';
  return 'TCI declined: one reasonable offer declined; a second would bring a clinical review';
}

/** The cancelled-operations report's headline for a period. */
export function cancelledSummaryWords(summary: CancelledOperationsSummary): string {
  const cancelled = plural(summary.cancelled, 'operation');
  return `${cancelled} cancelled on the day for non-clinical reasons; ${summary.rebookedWithin28Days} rebooked within 28 days, `
    + `${summary.notRebookedWithin28Days} not rebooked within 28 days`;
}

/** What happens after a cancellation, for the notice: the rebook-by date under the guarantee, and who is offered the freed time. */
export function cancelledNotice(
  { onTheDay, clinical }: { onTheDay: boolean; clinical: boolean },
  result?: Pick<CancelOperationResult, 'cancelledOperation' | 'standByOffer'> | null,
): string {
  const standBy = result?.standByOffer
    ? ` The freed ${minutesWords(result.standByOffer.minutesFree)} are offered to ${plural(result.standByOffer.candidates.length, 'patient')} on the stand-by list.`
    : '';
  if (onTheDay && !clinical) {
    const by = result?.cancelledOperation ? ` by ${formatDate(result.cancelledOperation.rebookBy)}` : ' within 28 days';
    return `Operation cancelled on the day: the patient must be rebooked within 28 days (${by.trim()}). A rebook item is on the queue.${standBy}`;
  }
  return (clinical ? 'Operation cancelled for a clinical reason: the patient stays on the waiting list.' : 'Operation cancelled: the patient stays on the waiting list.') + standBy;
}

/** Whether pre-op clears the patient for a TCI (or stand-by): fit, or fit with conditions, and still valid. */
export function preOpCleared(a: { preOpRequired: boolean; preOpStatus: PreOpStatus; preOpValidUntil: string | null }, today: string): boolean {
  if (!a.preOpRequired || a.preOpStatus === 'not_required') return true;
  if (a.preOpStatus !== 'fit' && a.preOpStatus !== 'fit_with_conditions') return false;
  return a.preOpValidUntil == null || a.preOpValidUntil >= today;
}
