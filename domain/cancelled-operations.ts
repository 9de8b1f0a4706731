// The cancelled operations guarantee, the stand-by list and ward capacity (issue 15) [rules §6, §4.4, §1.3].
// A hospital that cancels an elective operation on the day for non-clinical reasons must offer another binding date
// within 28 days of the cancelled date (or fund treatment elsewhere); the RTT clock keeps running meanwhile. Freed
// theatre time goes to patients who said they will come at short notice, pre-op cleared, most urgent first.
import { addDays, daysBetween } from './dates';
import { defaultAccessPolicy, type AccessPolicy } from './booking-policy';
import { isWorkingDay, londonInstant, startOfWorkingDay, workingDay } from './trust-time';
import type { CancelledOperationStatus, PreOpStatus, SurgicalPriority } from './model';
import { preOpClears, surgicalPriorityRank } from './admitted';

export type CancelledOperationRung = { level: 1 | 2; target: 'team_leader' | 'ops'; afterDays: number; date: string };
export type CancelledOperationGuarantee = {
  cancelledOn: string;
  /** The last date a new operation date may fall on: cancelled date + 28 days [A Hansard 2003]. */
  rebookBy: string;
  /** The rebook item's ladder, well before day 28: the team leader, then operations. */
  rungs: CancelledOperationRung[];
  /** The first date on which the guarantee is breached if nothing was rebooked: the day after rebookBy. */
  breachedOn: string;
};

/** The 28-day guarantee for an operation cancelled on `cancelledOn` (a London date). */
export function cancelledOperationGuarantee(cancelledOn: string, policy: AccessPolicy = defaultAccessPolicy): CancelledOperationGuarantee {
  const { rebookWithinDays, escalateToLeaderAfterDays, escalateToOpsAfterDays } = policy.cancelledOperations;
  if (!(escalateToLeaderAfterDays < escalateToOpsAfterDays && escalateToOpsAfterDays < rebookWithinDays)) {
    throw new RangeError('Access policy cancelledOperations: the leader, then operations, must be told before the rebook-by day');
  }
  const rebookBy = addDays(cancelledOn, rebookWithinDays);
  return {
    cancelledOn,
    rebookBy,
    rungs: [
      { level: 1, target: 'team_leader', afterDays: escalateToLeaderAfterDays, date: addDays(cancelledOn, escalateToLeaderAfterDays) },
      { level: 2, target: 'ops', afterDays: escalateToOpsAfterDays, date: addDays(cancelledOn, escalateToOpsAfterDays) },
    ],
    breachedOn: addDays(rebookBy, 1),
  };
}

/** When a rung fires: the start of its working day (a weekend rung waits for Monday, still well before day 28). */
export const cancelledOperationRungAt = (rung: CancelledOperationRung): number => startOfWorkingDay(rung.date);
/** When the guarantee is lost: London midnight at the end of day 28, whatever the day of the week. */
export const cancelledOperationBreachAt = (g: CancelledOperationGuarantee): number => londonInstant(g.breachedOn, '00:00');

/** The rebook item is due at the end of the last working day on or before rebookBy: never after the guarantee. */
export function rebookItemDueAt(g: Pick<CancelledOperationGuarantee, 'rebookBy'>): string {
  let day = g.rebookBy;
  while (!isWorkingDay(day)) day = addDays(day, -1);
  return new Date(londonInstant(day, workingDay.end)).toISOString();
}

/** Whether a new admission date keeps the guarantee: on or before rebookBy (a later date only by the patient's choice). */
export const keepsGuarantee = (rebookBy: string, newAdmissionDate: string): boolean => daysBetween(newAdmissionDate, rebookBy) >= 0;

/** The status a cancelled operation has on `today`, from its rebook-by date and whether a new date was accepted. */
export function cancelledOperationStatusOn(
  { rebookBy, rebookedOn }: { rebookBy: string; rebookedOn: string | null }, today: string,
): CancelledOperationStatus {
  // A date accepted after day 28 does not undo the breach: the return counts it as not rebooked within 28 days.
  if (rebookedOn !== null && daysBetween(rebookedOn, rebookBy) >= 0) return 'rebooked';
  return daysBetween(rebookBy, today) > 0 ? 'breached' : 'open';
}

// ---- The stand-by list -------------------------------------------------------------------------------------------

export type StandByCandidate = {
  id: string;
  surgicalPriority: SurgicalPriority;
  targetDate: string;
  /** Longest wait first: the decision to admit (ties after priority and target). */
  decidedOn: string;
  standBy: boolean;
  preOpStatus: string;
  preOpValidUntil: string | null;
  estimatedMinutes: number;
  specialtyCode: string;
  procedure: string;
  status: string;
};

/** Pre-op cleared on `onDate`: fit, or fit with conditions, and the assessment still valid that day [rules §6]. */
export const preOpClearedOn = (c: Pick<StandByCandidate, 'preOpStatus' | 'preOpValidUntil'>, onDate: string): boolean =>
  preOpClears(c.preOpStatus as PreOpStatus, c.preOpValidUntil, onDate);

/** Still waiting for a date: on the list with no TCI booked, or waiting again after a cancelled operation. */
export const waitingForDate = (status: string): boolean => status === 'waiting' || status === 'cancelled';

/** On the stand-by list on `onDate`: willing to come at short notice, waiting, pre-op cleared. */
export const onStandByList = (c: StandByCandidate, onDate: string): boolean =>
  c.standBy && waitingForDate(c.status) && preOpClearedOn(c, onDate);

/** The stand-by order: surgical priority, then the earlier target date, then the longest wait, then id (stable). */
export function compareStandBy(
  a: Pick<StandByCandidate, 'surgicalPriority' | 'targetDate' | 'decidedOn' | 'id'>,
  b: Pick<StandByCandidate, 'surgicalPriority' | 'targetDate' | 'decidedOn' | 'id'>,
): number {
  return surgicalPriorityRank(a.surgicalPriority) - surgicalPriorityRank(b.surgicalPriority)
    || daysBetween(b.targetDate, a.targetDate)
    || daysBetween(b.decidedOn, a.decidedOn)
    || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0);
}

/** How many candidates an offer_stand_by item names: enough to ring down the list if the first cannot come. */
export const STAND_BY_OFFER_SIZE = 5;

/**
 * Who is offered freed theatre time in a session of `specialtyCode` on `onDate` with `minutesFree`: stand-by patients
 * of that specialty whose operation fits the time, in the stand-by order, the first `limit`. Nobody who cannot fit.
 */
export function standByOffer<T extends StandByCandidate>(
  candidates: readonly T[],
  { specialtyCode, onDate, minutesFree, excludeIds = [], limit = STAND_BY_OFFER_SIZE }:
    { specialtyCode: string; onDate: string; minutesFree: number; excludeIds?: readonly string[]; limit?: number },
): T[] {
  return candidates
    .filter((c) => c.specialtyCode === specialtyCode && c.estimatedMinutes <= minutesFree && !excludeIds.includes(c.id) && onStandByList(c, onDate))
    .sort(compareStandBy)
    .slice(0, limit);
}

// ---- Ward capacity -----------------------------------------------------------------------------------------------

/** A day's booked admissions on a ward above the beds the trust set aside for electives: bed management must act. */
export const wardOverCapacity = (bookedAdmissions: number, electiveBeds: number): boolean => bookedAdmissions > electiveBeds;

/** One bed_management item per ward and day, however many bookings push it over. */
export const bedManagementTaskKey = (wardCode: string, date: string): string => `ward:${wardCode}:${date}:bed_management`;
