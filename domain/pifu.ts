// Patient-initiated follow-up (PIFU) and attendances recorded after the fact (issue 16) [rules §1.3, §1.6, §4.8, §8].
import { addDays } from './dates';
import type { RttClock, RttStatusCode } from './rtt-clock';
import type { AttendanceOutcomeKind } from './model';

/** A PIFU trigger books a follow-up due within this many weeks (the partial-booking horizon, rules §4.6; a policy value). */
export const PIFU_BOOK_WITHIN_WEEKS = 6;
/** The longest PIFU period a clinician may set (NHSE PIFU guidance: typically 6 to 24 months; a policy value). */
export const PIFU_MAX_EXPIRY_WEEKS = 104;

/** The day a PIFU period ends when the patient has not asked to be seen. */
export function pifuExpiryDate(movedOn: string, expiryWeeks: number): string {
  return addDays(movedOn, expiryWeeks * 7);
}

/** The booking item's book-by date after a trigger. */
export function pifuBookBy(triggeredOn: string, weeks = PIFU_BOOK_WITHIN_WEEKS): string {
  return addDays(triggeredOn, weeks * 7);
}

/**
 * The RTT codes an outcome may carry, given the clock it meets [A RTT-Rec25 §4, Annex D; rules §1.6]. On a running
 * clock: a follow-up is activity (10 the first, 20 after), treatment 30, active monitoring 31/32, moving to PIFU is
 * clinician-initiated active monitoring (32: the clock stops, NHSE PIFU guidance), a discharge or decision not to treat
 * 34, declined 35, a decision to admit 20, referred on 21. On a stopped clock nothing is RTT activity: 90 after treatment,
 * 91 during active monitoring, 98 not applicable. A DNA is not an attendance.
 */
export function rttCodesForOutcome(outcome: AttendanceOutcomeKind, clock: Pick<RttClock, 'status' | 'lastCode'>, firstActivity: boolean): RttStatusCode[] {
  if (outcome === 'did_not_attend') return [];
  if (clock.status !== 'running') {
    // A stopped clock can only be seen again, discharged or moved to PIFU: none of them is RTT activity.
    return outcome === 'follow_up' || outcome === 'discharged' || outcome === 'moved_to_pifu' ? [90, 91, 98] : [];
  }
  switch (outcome) {
    case 'follow_up': return [firstActivity ? 10 : 20];
    case 'treated': return [30];
    case 'active_monitoring': return [31, 32];
    case 'moved_to_pifu': return [32];
    case 'discharged': case 'decision_not_to_treat': return [34];
    case 'declined_treatment': return [35];
    case 'added_to_waiting_list': return [20];
    case 'referred_on': return [21];
    default: return [];
  }
}

/** Codes any retrospective attendance may name (the API's first check; the pathway checks against its clock). */
export const attendanceRttCodes: readonly RttStatusCode[] = Object.freeze([10, 20, 21, 30, 31, 32, 34, 35, 90, 91, 98] as RttStatusCode[]);
