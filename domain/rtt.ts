// Referral to treatment: weeks-waited arithmetic as the national return counts it
// [A RTT-Rec25 §10.1.7].

import { addDays, daysBetween } from './dates';

/** 18 weeks, inclusive: a patient at day 126 is still within 18 weeks [A RTT-Rec25 §10.1.7]. */
export const rttMaxDays = 126;

/** Days at which the "104+" band starts [A RTT-Rec25 §10.1.7]. */
const over104WeeksDays = 729;

function requireDays(days: number): void {
  // The national checks reject negative or decimal waits [A RTT-Rec25 Annex B].
  if (!Number.isInteger(days) || days < 0) {
    throw new RangeError(`Days waited must be a whole number from 0, got ${days}`);
  }
}

/**
 * Calendar days from clock start to `asOf` (end − start; same day is 0) [A RTT-Rec25 §10.1.7].
 * Throws if `asOf` is before the clock start: a negative wait is a data error, not a wait.
 */
export function rttDaysWaited(clockStart: string, asOf: string): number {
  const days = daysBetween(clockStart, asOf);
  if (days < 0) throw new RangeError(`${asOf} is before the clock start ${clockStart}`);
  return days;
}

/** Last day still within 18 weeks: clock start + 126 [A RTT-Rec25 §10.1.7]. */
export function rttLastCompliantDate(clockStart: string): string {
  return addDays(clockStart, rttMaxDays);
}

/** First day over 18 weeks (the breach date the PTL shows): clock start + 127 [A RTT-Rec25 §10.1.7]. */
export function rttBreachDate(clockStart: string): string {
  return addDays(clockStart, rttMaxDays + 1);
}

/** Within 18 weeks ⇔ days waited ≤ 126 [A RTT-Rec25 §10.1.7]. */
export function isWithin18Weeks(clockStart: string, asOf: string): boolean {
  return rttDaysWaited(clockStart, asOf) <= rttMaxDays;
}

/**
 * The national return's week band, named by its upper week: days 0–7 → 1, days 7(n−1)+1 … 7n → n,
 * 729 days or more → 105 (the "104+" band) [A RTT-Rec25 §10.1.7].
 */
export function rttWeekBand(days: number): number {
  requireDays(days);
  if (days >= over104WeeksDays) return 105;
  return Math.max(1, Math.ceil(days / 7));
}

export type LongWaitBand = 52 | 65 | 78 | 104;

/**
 * The largest long-wait threshold passed: over 52 / 65 / 78 / 104 weeks ⇔ ≥ 365 / 456 / 547 / 729
 * days [E from the band rule, A RTT-Rec25 §10.1.7], or null under 52 weeks.
 */
export function longWaitBand(days: number): LongWaitBand | null {
  requireDays(days);
  if (days >= over104WeeksDays) return 104;
  if (days >= 547) return 78;
  if (days >= 456) return 65;
  if (days >= 365) return 52;
  return null;
}
