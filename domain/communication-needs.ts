// Communication needs (issue 12) [rules §9.2]: who needs an interpreter at an appointment, where texts can go, and
// when the interpreter must be booked by.
import { addDays } from './dates';
import { endOfWorkingDay, isWorkingDay, londonDate } from './trust-time';
import { aisNeedShortLabels } from './labels';
import type { AisNeed } from './model';

/** A UK mobile number as GOV.UK Notify takes it: 07… or +44 7… (spaces, dashes and brackets ignored). */
export function isUkMobile(phone: string | null | undefined): boolean {
  if (!phone) return false;
  const bare = phone.replace(/[\s\-()]/g, '');
  return /^(?:07\d{9}|\+447\d{9}|00447\d{9}|447\d{9})$/.test(bare);
}

/** The interpreter an appointment needs: the spoken language, or British Sign Language; null for none. */
export function interpreterNeeded(patient: { interpreterLanguage: string | null; aisNeeds: readonly AisNeed[] }): string | null {
  if (patient.interpreterLanguage) return patient.interpreterLanguage;
  return patient.aisNeeds.includes('bsl_interpreter') ? 'British Sign Language' : null;
}

/** The working day `workingDays` working days before `date` (`date` itself does not count; 0 returns it). */
export function workingDaysBefore(date: string, workingDays: number, bankHolidays?: Iterable<string>): string {
  if (!Number.isInteger(workingDays) || workingDays < 0) throw new RangeError(`workingDays must be a whole number, not negative: ${workingDays}`);
  let current = addDays(date, 0);
  for (let left = workingDays; left > 0; left -= 1) {
    do current = addDays(current, -1); while (!isWorkingDay(current, bankHolidays));
  }
  return current;
}

/**
 * When the interpreter item is due: the end of the working day `bookDaysBefore` working days before the appointment;
 * booked at shorter notice than that, the appointment's start (never overdue as it is raised, never after it).
 */
export function interpreterDueAt(appointmentStartMs: number, nowMs: number, bookDaysBefore: number): string {
  const byPolicy = Date.parse(endOfWorkingDay(workingDaysBefore(londonDate(appointmentStartMs), bookDaysBefore)));
  const due = Math.min(byPolicy, appointmentStartMs);
  return new Date(due > nowMs ? due : appointmentStartMs).toISOString();
}

/** The needs flag in a few words, as the console's chip and the PTL export say it: "Interpreter: Polish · Large print". */
export function communicationNeedsInWords(needs: { aisNeeds: readonly AisNeed[]; interpreterLanguage: string | null; viaCarer: boolean }, join = ' · '): string {
  return [
    ...(needs.interpreterLanguage ? [`Interpreter: ${needs.interpreterLanguage}`] : []),
    ...needs.aisNeeds.map((n) => aisNeedShortLabels[n]),
    ...(needs.viaCarer ? ['Contact via carer'] : []),
  ].join(join);
}
