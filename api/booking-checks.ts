// The booking rules the API answers at once, before a pathway is asked (issue 10): a slot that has started or is
// blocked cannot be booked, and a slot after the patient's RTT breach date needs a team leader's confirmation. The
// pathway's activity checks the first two again inside its transaction; the breach rule is the API's alone. Issue 16:
// a ward form's follow-up item is booked no later than the date the ward asked for (checked at receipt and here).
import { eq } from 'drizzle-orm';
import type { Database } from '../db/client';
import { pathways, slots } from '../db/schema';
import { wardFormBookByOfAppointment, wardFormBookByOfItem } from '../db/ward-form-follow-up';
import { londonDate } from '../domain';
import type { Role, SignedIn } from './context';
import { AppError, invalid } from './errors';

const leaders: readonly Role[] = ['team_leader', 'admin'];

/** The slot, refused early if it does not exist, has started or is blocked. `SLOT_TAKEN` is left to the booking itself. */
export async function bookableSlot(db: Database, slotId: string, now = Date.now()) {
  const [slot] = await db.select().from(slots).where(eq(slots.id, slotId));
  if (!slot) throw invalid('slotId', 'no such slot');
  if (slot.start.getTime() <= now) throw new AppError('SLOT_IN_PAST', 'That slot has already started; pick one still to come', { slotId: 'has already started' });
  if (slot.status === 'blocked') {
    throw new AppError('SLOT_NOT_FREE', 'That slot is blocked (its session was cancelled or reduced); pick another', { slotId: 'is blocked' });
  }
  return slot;
}

/**
 * A slot whose London date is after the pathway's breach date: only a team leader (or admin) who says so with
 * `confirmPastBreach: true` may book it.
 */
export async function assertBreachConfirmed(db: Database, me: SignedIn, referralId: string, slotStart: Date, confirmPastBreach: boolean | undefined) {
  const [pathway] = await db.select({ breachDate: pathways.breachDate }).from(pathways).where(eq(pathways.referralId, referralId));
  const on = londonDate(slotStart.getTime());
  if (!pathway || on <= pathway.breachDate) return;
  if (confirmPastBreach && leaders.includes(me.role)) return;
  throw new AppError('PAST_BREACH_NEEDS_LEADER',
    `That slot (${on}) is after this patient's RTT breach date (${pathway.breachDate}): a team leader must confirm it`,
    { slotId: leaders.includes(me.role) ? 'after the breach date: confirm to book it' : 'after the breach date: a team leader must confirm it' });
}

const afterWardDate = (on: string, bookBy: string, moving: boolean) => new AppError('AFTER_WARD_FORM_INTERVAL',
  `That slot (${on}) is after the date the ward asked for (${bookBy}): ${moving ? 'keep the appointment or ' : ''}send it to the clinician`,
  { slotId: 'after the date the ward asked for: send it to the clinician' });

/**
 * A ward form's follow-up item (the form's first work item, or the rebook item when the hospital cancelled the
 * follow-up booked from it) booked into a slot after the form's bookBy date: refused, for the clinician to decide
 * [rules §8], never a silently later date. Any other item is not the form's to judge.
 */
export async function assertWithinWardFormInterval(db: Database, taskId: string, slotStart: Date) {
  const bookBy = await wardFormBookByOfItem(db, taskId);
  const on = londonDate(slotStart.getTime());
  if (bookBy && on > bookBy) throw afterWardDate(on, bookBy, false);
}

/** The same when a ward form's follow-up is moved (a reschedule): the new slot no later than the ward's date. */
export async function assertMoveWithinWardFormInterval(db: Database, appointmentId: string, slotStart: Date) {
  const bookBy = await wardFormBookByOfAppointment(db, appointmentId);
  const on = londonDate(slotStart.getTime());
  if (bookBy && on > bookBy) throw afterWardDate(on, bookBy, true);
}
