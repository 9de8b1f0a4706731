// Rebooking the patients of a cancelled or reduced clinic session [rules §4.4, §7]: who is affected, in
// compareForRebooking order, and the slot each would be offered. Pure: the API's preview and the
// clinicSessionChange workflow's live choice (activities/session-changes.ts) follow the same rule.
import { addDays, daysBetween } from './dates';
import { londonDate, londonInstant, nextWorkingDay } from './trust-time';
import { compareForRebooking } from './work-order';
import { defaultAccessPolicy, type AccessPolicy } from './booking-policy';
import type { ClinicSession, ReferralPriority, SlotType } from './model';

/** A booked patient in the slots taken out. */
export type AffectedPatient = {
  appointmentId: string;
  referralId: string;
  priority: ReferralPriority;
  breachDate: string;
  /** The type of the slot they were booked into: they are offered one of the same type. */
  slotType: SlotType;
};

/** A free slot of the same specialty, outside the session being changed. */
export type FreeSlot = { id: string; start: string; clinicId: string; type: SlotType };

export type PlannedMove<P extends AffectedPatient = AffectedPatient> = P & {
  position: number;
  offeredSlot: FreeSlot | null;
  /** No suitable slot on or before the breach date: the patient waits on the Rebooking queue. */
  wouldBreach: boolean;
};

/** Morning sessions end at 13:00 London time; the afternoon runs from then to midnight. */
export const SESSION_SPLIT = '13:00';

/** The instants [from, to) of a clinic session on a London date: am, pm, or the whole day. */
export function sessionWindow(date: string, session: ClinicSession | null): { from: number; to: number } {
  const midnight = londonInstant(date, '00:00');
  const split = londonInstant(date, SESSION_SPLIT);
  const nextMidnight = londonInstant(addDays(date, 1), '00:00');
  if (session === 'am') return { from: midnight, to: split };
  if (session === 'pm') return { from: split, to: nextMidnight };
  return { from: midnight, to: nextMidnight };
}

/**
 * The first date a patient may be offered: routine patients get reasonable notice (3 weeks); urgent and 2WW
 * patients the next working day, since a short-notice date is better for them than a later one (they may
 * decline it without effect [rules §4.1]).
 */
export function earliestRebookingDate(priority: ReferralPriority, today: string, policy: AccessPolicy = defaultAccessPolicy): string {
  return priority === 'routine' ? addDays(today, policy.offers.reasonableNoticeDays) : nextWorkingDay(today);
}

/** A free slot this patient may be moved into: the same slot type, from their earliest date, on or before their breach date. */
export function slotSuits(patient: Pick<AffectedPatient, 'priority' | 'breachDate' | 'slotType'>, slot: FreeSlot, today: string, policy: AccessPolicy = defaultAccessPolicy): boolean {
  if (slot.type !== patient.slotType) return false;
  const date = londonDate(Date.parse(slot.start));
  return date >= earliestRebookingDate(patient.priority, today, policy) && daysBetween(date, patient.breachDate) >= 0;
}

/**
 * The plan: patients in compareForRebooking order (2WW, urgent, routine; nearest breach first), each given the
 * earliest suitable slot not already given to someone before them. Slots are taken in start order.
 */
export function planRebooking<P extends AffectedPatient>(
  patients: readonly P[], freeSlots: readonly FreeSlot[], today: string, policy: AccessPolicy = defaultAccessPolicy,
): PlannedMove<P>[] {
  const ordered = [...patients].sort((a, b) => compareForRebooking(a, b) || (a.appointmentId < b.appointmentId ? -1 : a.appointmentId > b.appointmentId ? 1 : 0));
  const slots = [...freeSlots].sort((a, b) => Date.parse(a.start) - Date.parse(b.start) || (a.id < b.id ? -1 : 1));
  const given = new Set<string>();
  return ordered.map((patient, i) => {
    const slot = slots.find((s) => !given.has(s.id) && slotSuits(patient, s, today, policy)) ?? null;
    if (slot) given.add(slot.id);
    return { ...patient, position: i + 1, offeredSlot: slot, wouldBreach: slot === null };
  });
}
