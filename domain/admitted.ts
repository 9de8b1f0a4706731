// Admitted care (issue 15): the rules of the admitted waiting list, pure. Surgical-priority target dates [rules §4.5:
// FSSA / Royal Colleges clinical guide, 2020], reasonable TCI offers and the two-declined-offers rule [rules §1.4, §4.1,
// §6: RTT-Rec25 v4.0/v5.0], pre-operative assessment validity (local policy [rules §6 T]) and the pathway's escalation
// ladder by category. Dates are London dates 'YYYY-MM-DD'; nothing here reads a clock.
import { defaultAccessPolicy, type AccessPolicy, type EscalationRung } from './booking-policy';
import { addDays, daysBetween } from './dates';
import type { AdmissionStatus, PreOpStatus, SurgicalPriority } from './model';

/**
 * How long a pre-operative assessment stays valid: the admission must fall within this many days of it, else it is
 * repeated. Local policy [rules §6: e.g. admit within ~8–12 weeks of a POA, Western HSC Trust]; 90 days here.
 */
export const PRE_OP_VALID_DAYS = 90;
/** A theatre booking's length when the clinician gives none. */
export const DEFAULT_ESTIMATED_MINUTES = 60;

/** The date `months` calendar months after `date`, on the same day or the month's last day (31 Jan + 1 month = 28/29 Feb). */
export function addMonths(date: string, months: number): string {
  const [y, m, d] = date.split('-').map(Number);
  const index = y * 12 + (m - 1) + months;
  const year = Math.floor(index / 12);
  const month = (index % 12) + 1;
  const last = new Date(Date.UTC(year, month, 0)).getUTCDate();
  return `${String(year).padStart(4, '0')}-${String(month).padStart(2, '0')}-${String(Math.min(d, last)).padStart(2, '0')}`;
}

/**
 * The surgical-priority target date of a decision to admit made on `decidedOn` [rules §4.5]: P1a within 24 hours (the
 * next day), P1b within 72 hours, P2 within 1 month, P3 within 3 months. P4 may wait beyond 3 months: its target is the
 * RTT breach date (the 18-week standard still applies), and never earlier than 3 months from the decision.
 */
export function surgicalPriorityTargetDate(decidedOn: string, priority: SurgicalPriority, rttBreachDate: string): string {
  switch (priority) {
    case 'P1a': return addDays(decidedOn, 1);
    case 'P1b': return addDays(decidedOn, 3);
    case 'P2': return addMonths(decidedOn, 1);
    case 'P3': return addMonths(decidedOn, 3);
    case 'P4': {
      const threeMonths = addMonths(decidedOn, 3);
      return rttBreachDate > threeMonths ? rttBreachDate : threeMonths;
    }
  }
}

/** The order of the admitted list: P1a first. */
export const surgicalPriorityRank = (priority: SurgicalPriority): number => ({ P1a: 0, P1b: 1, P2: 2, P3: 3, P4: 4 })[priority];

/**
 * The pathway's ladder while a patient waits for admission, by category: days before the target date at which the team
 * leader, then operations, are told the patient is not yet admitted (or booked only after the target). The short
 * categories go to the leader at once: a P1a has a day, a P1b three.
 */
export const SURGICAL_PRIORITY_ESCALATIONS: Readonly<Record<SurgicalPriority, readonly { daysBeforeTarget: number; target: 'team_leader' | 'ops' }[]>> = {
  P1a: [{ daysBeforeTarget: 1, target: 'team_leader' }, { daysBeforeTarget: 0, target: 'ops' }],
  P1b: [{ daysBeforeTarget: 2, target: 'team_leader' }, { daysBeforeTarget: 0, target: 'ops' }],
  P2: [{ daysBeforeTarget: 7, target: 'team_leader' }, { daysBeforeTarget: 0, target: 'ops' }],
  P3: [{ daysBeforeTarget: 14, target: 'team_leader' }, { daysBeforeTarget: 0, target: 'ops' }],
  P4: [{ daysBeforeTarget: 28, target: 'team_leader' }, { daysBeforeTarget: 7, target: 'ops' }],
};

/** The rungs of a decision's ladder as dates (level 1 the leader, 2 operations); `afterDays` counts from the decision. */
export function surgicalPriorityEscalations(decidedOn: string, priority: SurgicalPriority, targetDate: string): EscalationRung[] {
  return SURGICAL_PRIORITY_ESCALATIONS[priority].map((step, i) => {
    const date = addDays(targetDate, -step.daysBeforeTarget);
    const at = date < decidedOn ? decidedOn : date;
    return { level: i + 1, date: at, afterDays: daysBetween(decidedOn, at), target: step.target };
  });
}

/** Whether a waiting patient still needs the ladder: not admitted, and no TCI on or before the target date. */
export function admissionAtRisk(entry: { status: AdmissionStatus; tciDate: string | null }, targetDate: string): boolean {
  if (entry.status === 'waiting' || entry.status === 'cancelled') return true;
  if (entry.status === 'tci_booked') return entry.tciDate === null || entry.tciDate > targetDate;
  return false;
}

export type TciOfferAssessment = {
  noticeDays: number;
  /** Counts towards the two-declined-offers rule if declined. */
  reasonable: boolean;
  /** Why it is not reasonable, in the access centre's words (null when it is). */
  why: string | null;
};

/**
 * Is a TCI offer reasonable [rules §1.4, §4.1, §6]? At least 21 days' notice (3 weeks); and once a reasonable offer was
 * declined, the next must be for a date within 6 weeks of the first declined date: a later one is the hospital's delay,
 * not the patient's, so declining it does not count. Short-notice offers may be declined without effect.
 */
export function assessTciOffer(
  offer: { offeredOn: string; admissionDate: string },
  firstDeclinedDate: string | null,
  policy: AccessPolicy = defaultAccessPolicy,
): TciOfferAssessment {
  const noticeDays = daysBetween(offer.offeredOn, offer.admissionDate);
  const minimum = policy.offers.reasonableNoticeDays;
  if (noticeDays < minimum) return { noticeDays, reasonable: false, why: `${noticeDays} days' notice is short notice (reasonable is ${minimum} or more)` };
  if (firstDeclinedDate !== null) {
    const latest = addDays(firstDeclinedDate, policy.offers.secondOfferWithinDays);
    if (offer.admissionDate > latest) {
      return { noticeDays, reasonable: false, why: `the second date should fall within ${policy.offers.secondOfferWithinDays / 7} weeks of the first declined date (by ${latest})` };
    }
  }
  return { noticeDays, reasonable: true, why: null };
}

/** Two declined reasonable TCI offers: a clinical conversation, which may agree active monitoring (32) [rules §1.4]. */
export function needsTciClinicalReview(declinedReasonableOffers: number, policy: AccessPolicy = defaultAccessPolicy): boolean {
  return declinedReasonableOffers >= policy.offers.declinedOffersBeforeReview;
}

/** The last date a pre-operative assessment on `assessedOn` clears the patient for admission. */
export function preOpValidUntil(assessedOn: string, validDays = PRE_OP_VALID_DAYS): string {
  return addDays(assessedOn, validDays);
}

/** Fit (with or without conditions) and still valid on `onDate`: the patient may be admitted, or stand by, that day. */
export function preOpClears(status: PreOpStatus, validUntil: string | null, onDate: string): boolean {
  if (status === 'not_required') return true;
  return (status === 'fit' || status === 'fit_with_conditions') && validUntil !== null && onDate <= validUntil;
}

/**
 * Why a patient may not be admitted on `onDate` for want of pre-op, in the access centre's words; null when they may
 * (pre-op not required, or fit and still valid that day). A TCI offer and an admission are refused with it.
 */
export function preOpNotCleared(entry: { preOpRequired: boolean; preOpStatus: PreOpStatus; preOpValidUntil: string | null }, onDate: string): string | null {
  if (!entry.preOpRequired || preOpClears(entry.preOpStatus, entry.preOpValidUntil, onDate)) return null;
  switch (entry.preOpStatus) {
    case 'unfit': return 'Pre-op is not cleared: the patient was assessed unfit for surgery (a clinician reviews it)';
    case 'fit':
    case 'fit_with_conditions':
    case 'expired':
      return `Pre-op is not cleared: the assessment ${entry.preOpValidUntil ? `expires on ${entry.preOpValidUntil}, before ${onDate}` : 'has expired'}; assess again first`;
    default: return 'Pre-op is not cleared: the pre-operative assessment has not been done yet';
  }
}

/** The pre-op status as of a date: a fit assessment past its validity has expired and is repeated. */
export function preOpStatusOn(status: PreOpStatus, validUntil: string | null, onDate: string): PreOpStatus {
  if ((status === 'fit' || status === 'fit_with_conditions') && validUntil !== null && onDate > validUntil) return 'expired';
  return status;
}

/**
 * An admission stops the RTT clock (30) only when it is for the treatment itself [rules §1.3]: not when the procedure
 * was not done, nor for diagnostics or pre-treatment only.
 */
export const admissionStopsClock = (how: { procedureDone: boolean; diagnosticOnly: boolean }): boolean => how.procedureDone && !how.diagnosticOnly;
