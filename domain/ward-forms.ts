// Ward forms [rules §8]: a follow-up asked for by a ward at discharge is actioned within 48 hours of receipt, and an
// interval that cannot be met goes to the clinician, never to a silently later date. Cash-up: a clinic's outcomes are
// recorded within 48 hours of the clinic.
import { addDays } from './dates';
import { addWorkingDays, isWorkingDay, londonDate, londonInstant, londonOffsetMs, workingDay, workingDayFrom } from './trust-time';

/** 48 hours counted as the trust counts them: two working days; a form received on a closed day counts from the next one's start. */
export const WARD_FORM_ACTION_WORKING_DAYS = 2;

export function wardFormDueAt(receivedMs: number, bankHolidays?: Iterable<string>): string {
  const date = londonDate(receivedMs);
  if (!isWorkingDay(date, bankHolidays)) {
    const from = workingDayFrom(date, bankHolidays);
    return new Date(londonInstant(addWorkingDays(from, WARD_FORM_ACTION_WORKING_DAYS, bankHolidays), workingDay.start)).toISOString();
  }
  const time = new Date(receivedMs + londonOffsetMs(receivedMs)).toISOString().slice(11, 16);
  return new Date(londonInstant(addWorkingDays(date, WARD_FORM_ACTION_WORKING_DAYS, bankHolidays), time)).toISOString();
}

/** The latest date the follow-up may be: the interval the ward asked for, counted from discharge. */
export const wardFormBookBy = (dischargedOn: string, followUpWithinWeeks: number): string => addDays(dischargedOn, followUpWithinWeeks * 7);

/** A clinic session's id on the cash-up list: clinic, London date and half day (`clin_2~2026-11-27~am`). */
export const clinicSessionId = (clinicId: string, date: string, session: 'am' | 'pm') => `${clinicId}~${date}~${session}`;
export function parseClinicSessionId(id: string): { clinicId: string; date: string; session: 'am' | 'pm' } | null {
  const m = /^(.+)~(\d{4}-\d{2}-\d{2})~(am|pm)$/.exec(id);
  return m ? { clinicId: m[1], date: m[2], session: m[3] as 'am' | 'pm' } : null;
}
