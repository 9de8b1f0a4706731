// Everything on screen is in the trust's local time and written the British way:
// dd/mm/yyyy, 24-hour clock.
import { daysBetween, isIsoDate } from '../../../domain/dates';

const timeZone = 'Europe/London';

const dateFormat = new Intl.DateTimeFormat('en-GB', {
  timeZone,
  day: '2-digit',
  month: '2-digit',
  year: 'numeric',
});

const timeFormat = new Intl.DateTimeFormat('en-GB', {
  timeZone,
  hour: '2-digit',
  minute: '2-digit',
  hourCycle: 'h23',
});

const weekdayFormat = new Intl.DateTimeFormat('en-GB', { timeZone, weekday: 'short' });

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

/** 14/01/2025. A calendar date ('2025-01-14') is printed as written, never shifted by a time zone. */
export function formatDate(value: string | Date | null | undefined): string {
  if (value == null || value === '') return '';
  if (typeof value === 'string' && isIsoDate(value)) {
    const [year, month, day] = value.split('-');
    return `${day}/${month}/${year}`;
  }
  const date = toDate(value);
  return date ? dateFormat.format(date) : String(value);
}

/** 14/01/2025 09:30 */
export function formatDateTime(value: string | Date | null | undefined): string {
  if (value == null || value === '') return '';
  if (typeof value === 'string' && isIsoDate(value)) return formatDate(value);
  const date = toDate(value);
  return date ? `${dateFormat.format(date)} ${timeFormat.format(date)}` : String(value);
}

/** 09:30 */
export function formatTime(value: string | Date | null | undefined): string {
  if (value == null || value === '') return '';
  const date = toDate(value);
  return date ? timeFormat.format(date) : String(value);
}

/** Tue 14/01/2025 09:30: how a slot is offered to a patient on the phone. */
export function formatSlotStart(value: string | Date | null | undefined): string {
  if (value == null || value === '') return '';
  const date = toDate(value);
  return date ? `${weekdayFormat.format(date)} ${formatDateTime(date)}` : String(value);
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
