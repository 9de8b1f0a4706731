// How far from today a date may plausibly be. A date outside these bounds is a typing slip (0001 for
// 2001) or an attack, never a real patient's date, so the API refuses it naming the field.
import { addDays, daysBetween, isIsoDate } from './dates';

export const OLDEST_BIRTH_YEAR = 1900;
export const MAX_AGE_YEARS = 130;
/** A referral older than this is back-dated by mistake; it would breach every target at once. */
export const MAX_REFERRAL_AGE_DAYS = 730;
/** A snooze hides work from claim-next; a year is the longest anyone should wait on an item. */
export const MAX_SNOOZE_DAYS = 366;
/** Leave longer than a year is not leave; a long absence is recorded again when it is renewed. */
export const MAX_LEAVE_DAYS = 366;
/** Leave is planned at most this far ahead. */
export const MAX_LEAVE_AHEAD_DAYS = 730;

const yearOf = (date: string) => Number(date.slice(0, 4));

/** Why a date of birth cannot be right, or null. */
export function dateOfBirthProblem(dob: string, today: string): string | null {
  if (!isIsoDate(dob)) return 'must be a real date written YYYY-MM-DD';
  if (yearOf(dob) < OLDEST_BIRTH_YEAR) return `must be in ${OLDEST_BIRTH_YEAR} or later`;
  if (daysBetween(today, dob) > 0) return 'cannot be in the future';
  if (dob < `${yearOf(today) - MAX_AGE_YEARS}${today.slice(4)}`) return `must be at most ${MAX_AGE_YEARS} years ago`;
  return null;
}

/** Why a referral's received date cannot be right, or null. */
export function referralReceivedProblem(receivedAt: string, today: string): string | null {
  if (!isIsoDate(receivedAt)) return 'must be a real date written YYYY-MM-DD';
  if (daysBetween(today, receivedAt) > 0) return 'cannot be in the future';
  if (daysBetween(receivedAt, today) > MAX_REFERRAL_AGE_DAYS) return `must be within the last ${MAX_REFERRAL_AGE_DAYS} days (2 years)`;
  return null;
}

/** A snooze until an instant (ms since the epoch): in the future and at most a year ahead. */
export function snoozeUntilProblem(untilMs: number, nowMs: number): string | null {
  if (!Number.isFinite(untilMs)) return 'must be a date (YYYY-MM-DD) or date-time';
  if (untilMs <= nowMs) return 'must be in the future';
  if (untilMs - nowMs > MAX_SNOOZE_DAYS * 86_400_000) return `must be at most ${MAX_SNOOZE_DAYS} days ahead`;
  return null;
}

type LeaveField = keyof { from: true; to: true };
/** Why leave from..to cannot be right, with the field it concerns, or null. */
export function leaveProblem(from: string, to: string, today: string): { field: LeaveField; message: string } | null {
  if (daysBetween(today, from) > MAX_LEAVE_AHEAD_DAYS) return { field: `from`, message: `must be at most ${MAX_LEAVE_AHEAD_DAYS} days ahead` };
  if (to < from) return { field: 'to', message: `must be on or after the first day of leave (${from})` };
  if (daysBetween(from, to) + 1 > MAX_LEAVE_DAYS) {
    return { field: 'to', message: `leave is at most ${MAX_LEAVE_DAYS} days (last day ${addDays(from, MAX_LEAVE_DAYS - 1)} at the latest)` };
  }
  return null;
}

/** A strict YYYY-MM-DD date in years 1..9999 (what Postgres `date` and JavaScript both read the same). */
export const isStorableDate = (v: unknown): v is string => isIsoDate(v) && yearOf(v) >= 1;

const dateTimePattern = /^(\d{4}-\d{2}-\d{2})T([01]\d|2[0-3]):[0-5]\d(:[0-5]\d(\.\d{1,6})?)?(Z|[+-]([01]\d|2[0-3]):?[0-5]\d)$/;
/** A full ISO 8601 date-time with a zone (2027-02-03T09:00:00Z), naming a real date. */
export const isIsoDateTime = (v: unknown): v is string => {
  if (typeof v !== 'string') return false;
  const m = dateTimePattern.exec(v);
  return Boolean(m && isStorableDate(m[1]) && Number.isFinite(Date.parse(v)));
};
