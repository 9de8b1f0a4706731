// The month and ISO week a return is for, as the routes name them (YYYY-MM, YYYY-Www), and the ones
// a person most likely wants: the last complete month and the last complete week.
import { addDays } from '../../../domain/dates';

const pad = (n: number, width = 2) => String(n).padStart(width, '0');

/** The month before the one `today` (YYYY-MM-DD) is in. */
export function previousMonth(today: string): string {
  const [year, month] = today.split('-').map(Number);
  return month === 1 ? `${year - 1}-12` : `${year}-${pad(month - 1)}`;
}

/** The ISO week (Monday to Sunday) a date is in, as YYYY-Www. */
export function isoWeekOf(date: string): string {
  const d = new Date(`${date}T00:00:00Z`);
  const weekday = d.getUTCDay() || 7; // Monday 1 … Sunday 7
  const thursday = new Date(d.getTime() + (4 - weekday) * 86_400_000);
  const year = thursday.getUTCFullYear();
  const yearStart = Date.UTC(year, 0, 1);
  const week = Math.ceil(((thursday.getTime() - yearStart) / 86_400_000 + 1) / 7);
  return `${year}-W${pad(week)}`;
}

/** The last ISO week that has ended by `today`. */
export function previousIsoWeek(today: string): string {
  return isoWeekOf(addDays(today, -7));
}

export const isMonth = (value: string | null | undefined): value is string => !!value && /^\d{4}-(0[1-9]|1[0-2])$/.test(value);
export const isIsoWeek = (value: string | null | undefined): value is string => !!value && /^\d{4}-W(0[1-9]|[1-4]\d|5[0-3])$/.test(value);

/** "November 2026" for 2026-11. */
export function monthName(month: string): string {
  const [year, m] = month.split('-').map(Number);
  return new Intl.DateTimeFormat('en-GB', { month: 'long', year: 'numeric', timeZone: 'UTC' }).format(new Date(Date.UTC(year, m - 1, 1)));
}
