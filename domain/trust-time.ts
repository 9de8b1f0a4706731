// Trust time: the one place that knows the trust's clock. Rules count calendar dates in Europe/London;
// deadlines people meet count working days (Monday to Friday, not a bank holiday); a deadline on a date
// falls at the start of that working day and a due time at its end. Pure, so the workflows use it too:
// the UK daylight-saving rule is computed here rather than read from Intl, whose zone data a workflow
// sandbox need not carry and which could differ between the worker that ran a pathway and one replaying it.
import { bankHolidaysOf } from './bank-holidays';
import { addDays, isIsoDate } from './dates';

export const TRUST_TIME_ZONE = 'Europe/London';

/** The working day, in London wall-clock time: policy values, not literals scattered through the code. */
export const workingDay = { start: '09:00', end: '17:00' } as const;

const HOUR = 3_600_000;

/** 01:00 UTC on the last Sunday of a month: when Europe/London changes between GMT and BST. */
function lastSundayAt1amUtc(year: number, monthIndex: number): number {
  const last = new Date(Date.UTC(year, monthIndex + 1, 0, 1));
  return last.getTime() - last.getUTCDay() * 24 * HOUR;
}

/** London's offset from UTC at an instant: an hour in British Summer Time, none in winter. */
export function londonOffsetMs(instantMs: number): number {
  const year = new Date(instantMs).getUTCFullYear();
  return instantMs >= lastSundayAt1amUtc(year, 2) && instantMs < lastSundayAt1amUtc(year, 9) ? HOUR : 0;
}

/** The London calendar date of an instant ('YYYY-MM-DD'). */
export function londonDate(instantMs: number): string {
  return new Date(instantMs + londonOffsetMs(instantMs)).toISOString().slice(0, 10);
}

/** The instant of a London wall-clock time ('HH:MM') on a date; in the repeated autumn hour, the first. */
export function londonInstant(date: string, time: string): number {
  if (!isIsoDate(date) || !/^\d{2}:\d{2}$/.test(time)) throw new RangeError(`Not a London date and time: ${date} ${time}`);
  const wall = Date.parse(`${date}T${time}:00Z`);
  return londonOffsetMs(wall - HOUR) === HOUR ? wall - HOUR : wall;
}

const holidaysFor = (date: string, given?: Iterable<string>): ReadonlySet<string> =>
  given === undefined ? bankHolidaysOf(Number(date.slice(0, 4))) : given instanceof Set ? given : new Set(given);

/**
 * Monday to Friday and not a bank holiday. Without a list, England and Wales's shipped bank holidays;
 * a list replaces them (tests, or a trust's own closures).
 */
export function isWorkingDay(date: string, bankHolidays?: Iterable<string>): boolean {
  if (!isIsoDate(date)) throw new RangeError(`Not a calendar date (YYYY-MM-DD): ${JSON.stringify(date)}`);
  const holidays = holidaysFor(date, bankHolidays); // first, so a date beyond the data fails even on a weekend
  const weekday = new Date(`${date}T00:00:00Z`).getUTCDay();
  return weekday !== 0 && weekday !== 6 && !holidays.has(date);
}

/** The first working day after `date`. */
export function nextWorkingDay(date: string, bankHolidays?: Iterable<string>): string {
  let current = addDays(date, 1);
  while (!isWorkingDay(current, bankHolidays)) current = addDays(current, 1);
  return current;
}

/** `date` when it is a working day, otherwise the next one: where a deadline on a closed day lands. */
export function workingDayFrom(date: string, bankHolidays?: Iterable<string>): string {
  return isWorkingDay(date, bankHolidays) ? date : nextWorkingDay(date, bankHolidays);
}

/**
 * The date `workingDays` working days after `date`, for deadlines people meet (triage in 3 working days).
 * `date` itself does not count; 0 returns `date` unchanged.
 */
export function addWorkingDays(date: string, workingDays: number, bankHolidays?: Iterable<string>): string {
  if (!Number.isInteger(workingDays) || workingDays < 0) throw new RangeError(`workingDays must be a whole number, not negative: ${workingDays}`);
  let current = addDays(date, 0); // checks `date` even when no day is added
  for (let left = workingDays; left > 0; left -= 1) current = nextWorkingDay(current, bankHolidays);
  return current;
}

/** When a deadline on `date` falls: the start of that working day, or of the next one if the trust is closed. */
export function startOfWorkingDay(date: string, bankHolidays?: Iterable<string>): number {
  return londonInstant(workingDayFrom(date, bankHolidays), workingDay.start);
}

/** When work due on `date` is due: the end of that working day, or of the next one if the trust is closed. */
export function endOfWorkingDay(date: string, bankHolidays?: Iterable<string>): string {
  return new Date(londonInstant(workingDayFrom(date, bankHolidays), workingDay.end)).toISOString();
}
