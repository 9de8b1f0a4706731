// Partial booking (issue 16) [rules §4.6–4.7]: a follow-up due beyond the booking horizon waits on the partial
// booking list with its due date and LCAD; the patient is invited the policy interval before it is due, chased once
// when the response window passes, and a clinician reviews it if nobody answers, or once its LCAD is reached unbooked.
import { addDays, daysBetween } from './dates';
import { bookBeforeLeavingClinic, defaultAccessPolicy, partialBookingDates, type AccessPolicy } from './booking-policy';
import type { LcadBand, PartialBookingStatus } from './model';

export type FollowUpPlan = { dueDate: string; lcad: string; partialBooking: boolean };

/**
 * When a follow-up asked for at clinic on `clinicDate` is due, its LCAD (given in weeks from clinic, else the due date
 * plus the booking tolerance) and whether it waits on the partial booking list (due beyond the horizon, 6 weeks).
 */
export function followUpPlan(clinicDate: string, weeks: number, lcadWeeks?: number, policy: AccessPolicy = defaultAccessPolicy): FollowUpPlan {
  const dueDate = addDays(clinicDate, weeks * 7);
  const lcad = lcadWeeks !== undefined ? addDays(clinicDate, Math.max(lcadWeeks, weeks) * 7) : addDays(dueDate, policy.partialBooking.toleranceDays);
  return { dueDate, lcad, partialBooking: !bookBeforeLeavingClinic(clinicDate, dueDate, policy) };
}

/** Why a clinician is asked to decide on a partial-booking follow-up. */
export type PartialBookingReviewReason = 'no_response' | 'lcad_reached' | 'no_slot_by_lcad';

export type PartialBookingEntryState = {
  entryId: string;
  dueDate: string;
  lcad: string;
  status: PartialBookingStatus;
  invitedOn: string | null;
  chasedOn: string | null;
};

export type PartialBookingStep = { kind: 'invite' | 'chase' | 'review'; on: string; reason?: PartialBookingReviewReason };

/**
 * What the pathway does next for an entry still on the list, and on which date: invite `inviteDaysBeforeDue` before
 * the due date, chase when the response window has passed, review when the chase's window has passed too; and
 * whatever the stage, a clinician's review on the LCAD if it comes first (never booked silently later).
 */
export function nextPartialBookingStep(entry: PartialBookingEntryState, policy: AccessPolicy = defaultAccessPolicy): PartialBookingStep | null {
  const { responseWindowDays } = policy.partialBooking;
  let next: PartialBookingStep;
  if (entry.status === 'waiting') next = { kind: 'invite', on: partialBookingDates(entry.dueDate, policy).inviteOn };
  else if (entry.status === 'invited') next = { kind: 'chase', on: addDays(entry.invitedOn ?? entry.dueDate, responseWindowDays) };
  else if (entry.status === 'chased') next = { kind: 'review', on: addDays(entry.chasedOn ?? entry.dueDate, responseWindowDays), reason: 'no_response' };
  else return null;
  return entry.lcad < next.on ? { kind: 'review', on: entry.lcad, reason: 'lcad_reached' } : next;
}

/**
 * The dates a follow-up may be booked on: within ± the tolerance of the due date, and never after its LCAD
 * [rules §4.6, §4.7]. A date outside is refused; one past the LCAD goes to the clinician instead.
 */
export function partialBookingWindow(dueDate: string, lcad: string, policy: AccessPolicy = defaultAccessPolicy): { earliest: string; latest: string } {
  const { earliest, latest } = partialBookingDates(dueDate, policy);
  return { earliest, latest: latest < lcad ? latest : lcad };
}

/** The backlog's bands [rules §4.7]: how far past its LCAD a follow-up past its due date is. */
export const lcadBandLabels: Record<LcadBand, string> = {
  not_past_lcad: 'Not past LCAD', up_to_4_weeks: '0–4 weeks past LCAD', '4_to_12_weeks': '4–12 weeks past LCAD', over_12_weeks: 'Over 12 weeks past LCAD',
};

export function lcadBand(lcad: string, asOf: string): LcadBand {
  const past = daysBetween(lcad, asOf);
  if (past <= 0) return 'not_past_lcad';
  if (past <= 28) return 'up_to_4_weeks';
  if (past <= 84) return '4_to_12_weeks';
  return 'over_12_weeks';
}
