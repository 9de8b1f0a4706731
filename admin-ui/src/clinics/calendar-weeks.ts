// The clinic calendar's weeks (Monday to Sunday, as the API's calendar route counts them) and how a
// session's slots read as a bar. Pure: the unit tests use it as the calendar does.
import { addDays, isIsoDate } from '../../../domain/dates';
import { formatPlainDate } from '../components/dates';
import type { SlotCounts } from '../change-types';

/** The Monday of the week a date (YYYY-MM-DD) is in. */
export function weekStartOf(date: string): string {
  const weekday = new Date(`${date}T00:00:00Z`).getUTCDay() || 7; // Monday 1 … Sunday 7
  return addDays(date, 1 - weekday);
}

/** The Monday `weeks` weeks on (or back) from the week `date` is in. */
export function shiftWeek(date: string, weeks: number): string {
  return addDays(weekStartOf(date), 7 * weeks);
}

/** "30/11/2026 to 06/12/2026" */
export function weekLabel(weekStart: string): string {
  return `${formatPlainDate(weekStart)} to ${formatPlainDate(addDays(weekStart, 6))}`;
}

/** The week named in the address (?week=), or this week. */
export function weekFromSearch(search: string, today: string): string {
  const week = new URLSearchParams(search).get('week');
  return weekStartOf(week && isIsoDate(week) ? week : today);
}

export type BarPart = { key: 'booked' | 'free' | 'blocked'; label: string; count: number; percent: number };

/** A session's slots as booked / free / blocked parts of one bar (percent of the session's slots). */
export function utilisationParts(counts: SlotCounts): BarPart[] {
  const total = counts.total || counts.booked + counts.free + counts.blocked;
  const part = (key: BarPart['key'], label: string, count: number): BarPart => ({
    key, label, count, percent: total === 0 ? 0 : Math.round((count / total) * 1000) / 10,
  });
  return [part('booked', 'booked', counts.booked), part('free', 'free', counts.free), part('blocked', 'blocked', counts.blocked)];
}

/** "8 of 12 booked, 3 free, 1 blocked": the bar's words for a screen reader and a tooltip. */
export function utilisationWords(counts: SlotCounts): string {
  if (counts.total === 0) return 'No slots';
  const extra = [counts.free > 0 || counts.blocked === 0 ? `${counts.free} free` : '', counts.blocked > 0 ? `${counts.blocked} blocked` : '']
    .filter(Boolean);
  return [`${counts.booked} of ${counts.total} booked`, ...extra].join(', ');
}
