// The calendar of the national returns: a monthly RTT return counts to the last day of its month (the
// census), the weekly WLMDS extract to the Sunday that ends its ISO week; and the words for why a
// pathway left the waiting list between two weekly extracts.
import { addDays } from './dates';
import { rttStatusMeanings, type RttStatusCode } from './rtt-clock';

const monthPattern = /^(\d{4})-(0[1-9]|1[0-2])$/;
const weekPattern = /^(\d{4})-W(\d{2})$/;

const pad = (n: number, width = 2) => String(n).padStart(width, '0');
const utcDate = (d: Date) => d.toISOString().slice(0, 10);

/** The first and last day (the census) of a reporting month `YYYY-MM`; null if it is not one. */
export function returnMonth(month: string): { month: string; first: string; census: string } | null {
  const m = monthPattern.exec(month);
  if (!m) return null;
  const year = Number(m[1]);
  const mon = Number(m[2]);
  if (year < 1900) return null;
  return { month, first: `${m[1]}-${m[2]}-01`, census: utcDate(new Date(Date.UTC(year, mon, 0))) };
}

/** ISO weekday, 1 Monday … 7 Sunday, of a date. */
function isoWeekday(date: string): number {
  const day = new Date(`${date}T00:00:00Z`).getUTCDay();
  return day === 0 ? 7 : day;
}

/** The ISO week `YYYY-Www` a date falls in. */
export function isoWeekOf(date: string): string {
  const thursday = addDays(date, 4 - isoWeekday(date));
  const year = Number(thursday.slice(0, 4));
  const firstThursday = addDays(`${year}-01-04`, 4 - isoWeekday(`${year}-01-04`));
  const week = 1 + Math.round((Date.parse(thursday) - Date.parse(firstThursday)) / (7 * 86_400_000));
  return `${pad(year, 4)}-W${pad(week)}`;
}

/**
 * An ISO week `YYYY-Www` with its census (the Sunday that ends it) and the week before; null if it is not
 * a week (week 53 only in the years that have one).
 */
export function returnWeek(week: string): { week: string; census: string; previousWeek: string; previousCensus: string } | null {
  const m = weekPattern.exec(week);
  if (!m) return null;
  const year = Number(m[1]);
  const n = Number(m[2]);
  if (year < 1900 || n < 1 || n > 53) return null;
  const jan4 = `${m[1]}-01-04`;
  const mondayOfWeek1 = addDays(jan4, 1 - isoWeekday(jan4));
  const census = addDays(mondayOfWeek1, 7 * (n - 1) + 6);
  if (isoWeekOf(census) !== week) return null; // week 53 of a 52-week year
  const previousCensus = addDays(census, -7);
  return { week, census, previousWeek: isoWeekOf(previousCensus), previousCensus };
}

/** Why a period open at last week's census was not open at this one: the summary's key and the extract's words. */
export type WlmdsLeaverReason = { reason: string; label: string };

export function wlmdsLeaverReason(status: string, stopCode: number | null, stopCause: string | null): WlmdsLeaverReason {
  if (status === 'nullified') return { reason: '33', label: 'nullified (33)' };
  if (status === 'transferred') return { reason: '21', label: 'transferred (21)' };
  if (stopCause === 'validation') return { reason: 'validation', label: 'validation' };
  if (stopCode === null) return { reason: 'unknown', label: 'no longer open' };
  const meaning = rttStatusMeanings[stopCode as RttStatusCode] ?? 'clock stop';
  return { reason: String(stopCode), label: `${stopCode}: ${meaning}` };
}

/** Why a period is on this week's extract and was not on last week's: its start. */
export function wlmdsJoinerReason(startCode: number): string {
  return `${startCode}: ${rttStatusMeanings[startCode as RttStatusCode] ?? 'clock start'}`;
}

/** The columns of the weekly extract, in order (docs/returns.md says what each holds). */
export const wlmdsColumns = Object.freeze([
  'week_ending', 'referral_id', 'period_no', 'nhs_number', 'local_patient_id', 'ppid_or_ubrn', 'tfc', 'specialty_code', 'priority',
  'clinical_priority', 'clock_start', 'start_known', 'days_waited', 'week_band', 'last_rtt_code', 'decision_to_admit_on',
  'next_appointment_date', 'stage',
] as const);
export type WlmdsColumn = (typeof wlmdsColumns)[number];

/** What a week-on-week change compares; the week band is left out (it moves every week by itself). */
export const wlmdsComparedFields = Object.freeze([
  'last_rtt_code', 'decision_to_admit_on', 'next_appointment_date', 'priority', 'clinical_priority', 'stage',
] as const satisfies readonly WlmdsColumn[]);
