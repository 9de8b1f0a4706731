// Everything on screen is in the trust's local time and written the British way: "Fri 4 Dec 2026",
// "4 Dec 2026, 09:30", 24-hour clock, whatever the browser's own locale.
import { daysBetween, isIsoDate } from '../../../domain/dates';

const timeZone = 'Europe/London';

// Calendar dates ('2026-12-04') are formatted as noon UTC so no time zone can move them a day.
const dayFormat = new Intl.DateTimeFormat('en-GB', { timeZone, day: 'numeric', month: 'short', year: 'numeric' });
const weekdayDayFormat = new Intl.DateTimeFormat('en-GB', { timeZone, weekday: 'short', day: 'numeric', month: 'short', year: 'numeric' });
const dayMonthFormat = new Intl.DateTimeFormat('en-GB', { timeZone, day: 'numeric', month: 'short' });

const timeFormat = new Intl.DateTimeFormat('en-GB', {
  timeZone,
  hour: '2-digit',
  minute: '2-digit',
  hourCycle: 'h23',
});

// 'YYYY-MM-DD' in London, for comparing an instant with calendar dates.
const isoDateFormat = new Intl.DateTimeFormat('en-CA', {
  timeZone,
  year: 'numeric',
  month: '2-digit',
  day: '2-digit',
});

function toDate(value: string | Date): Date | null {
  const date = value instanceof Date ? value : new Date(value);
  return Number.isNaN(date.getTime()) ? null : date;
}

const calendarNoon = (isoDate: string) => new Date(`${isoDate}T12:00:00Z`);

/** The instant to format: a calendar date at noon (never shifted a day), anything else as it is. */
function toShown(value: string | Date): Date | null {
  if (typeof value === 'string' && isIsoDate(value)) return calendarNoon(value);
  return toDate(value);
}

// Intl writes "Fri, 4 Dec 2026" in some engines and "Fri 4 Dec 2026" in others: one way here.
const tidy = (text: string) => text.replace(/,/g, '').replace(/\s+/g, ' ').trim();

/** Fri 4 Dec 2026. A calendar date ('2026-12-04') is printed as written, never shifted by a time zone. */
export function formatDate(value: string | Date | null | undefined): string {
  if (value == null || value === '') return '';
  const date = toShown(value);
  return date ? tidy(weekdayDayFormat.format(date)) : String(value);
}

/** 4 Dec 2026, without the weekday: dates of birth and other dates where the day of the week means nothing. */
export function formatPlainDate(value: string | Date | null | undefined): string {
  if (value == null || value === '') return '';
  const date = toShown(value);
  return date ? tidy(dayFormat.format(date)) : String(value);
}

/** 4 Dec 2026, 09:30 */
export function formatDateTime(value: string | Date | null | undefined): string {
  if (value == null || value === '') return '';
  if (typeof value === 'string' && isIsoDate(value)) return formatDate(value);
  const date = toDate(value);
  return date ? `${tidy(dayFormat.format(date))}, ${timeFormat.format(date)}` : String(value);
}

/** "1 to 4 Dec", "30 Nov to 4 Dec", "30 Dec 2026 to 2 Jan 2027": a span of calendar dates, as said aloud. */
export function formatDateRange(from: string, to: string): string {
  if (!isIsoDate(from) || !isIsoDate(to)) return `${from} to ${to}`;
  if (from === to) return tidy(dayMonthFormat.format(calendarNoon(from)));
  const sameYear = from.slice(0, 4) === to.slice(0, 4);
  if (!sameYear) return `${formatPlainDate(from)} to ${formatPlainDate(to)}`;
  const end = tidy(dayMonthFormat.format(calendarNoon(to)));
  const start = from.slice(0, 7) === to.slice(0, 7) ? String(Number(from.slice(8))) : tidy(dayMonthFormat.format(calendarNoon(from)));
  return `${start} to ${end}`;
}

/** 09:30 */
export function formatTime(value: string | Date | null | undefined): string {
  if (value == null || value === '') return '';
  const date = toDate(value);
  return date ? timeFormat.format(date) : String(value);
}

/** Tue 14 Jan 2025, 09:30: how a slot is offered to a patient on the phone. */
export function formatSlotStart(value: string | Date | null | undefined): string {
  if (value == null || value === '') return '';
  const date = toDate(value);
  return date ? `${tidy(weekdayDayFormat.format(date))}, ${timeFormat.format(date)}` : String(value);
}

/** Today's date in London, 'YYYY-MM-DD'. */
export function londonToday(now: Date = new Date()): string {
  return isoDateFormat.format(now);
}

/** The London calendar date of an instant or date string, 'YYYY-MM-DD'. */
export function londonDate(value: string | Date): string | null {
  if (typeof value === 'string' && isIsoDate(value)) return value;
  const date = toDate(value);
  return date ? isoDateFormat.format(date) : null;
}

/** Whole days from today to `value` (negative once it has passed), or null if unreadable. */
export function daysFromToday(value: string | null | undefined, now: Date = new Date()): number | null {
  if (!value) return null;
  const date = londonDate(value);
  if (!date) return null;
  try {
    return daysBetween(londonToday(now), date);
  } catch {
    return null;
  }
}

/** True once an instant (a work item's due time) has gone by. */
export function isPast(value: string | null | undefined, now: Date = new Date()): boolean {
  if (!value) return false;
  if (isIsoDate(value)) return value < londonToday(now);
  const date = toDate(value);
  return date ? date.getTime() < now.getTime() : false;
}
