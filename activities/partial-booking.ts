// Issue 16, partial booking [rules §4.6–4.7]: the pathway's writes to the partial booking list. Stage activities like
// those in activities/pathway.ts (one change key, one transaction, applied at most once), spread into its group.
import { and, eq, inArray } from 'drizzle-orm';
import type { Database, Tx } from '../db/client';
import { newId } from '../db/ids';
import { communications, partialBookingEntries, patients, referrals, slots, specialties } from '../db/schema';
import { composeMessage, londonDate, type PartialBookingStatus } from '../domain';
import { letterFormatFor, noticeChannels } from '../domain/outbox-plan';
import { writeAudit } from './audit';
import { queueDischargeLetters } from './discharge-letters';
import { bookingOfficePhone } from './outbox';
import {
  bookSlot, cancelInterpreterItems, cancelTasks, completeTask, moveClock, once, openTasks, recordAttendance, recordEvents, updateReferral, type Step,
} from './pathway';
import { refusal } from '../workflows/refusal';
import type {
  ChangeBase, PathwayChange, PathwayChangeResult, PathwayEvent, RttEventRecord, SlotBooking, TaskSpec,
} from '../workflows/types';
import type { RttClock } from '../domain';

type Given<K extends keyof PathwayChange> = Required<Pick<PathwayChange, K>>;
export type ListForPartialBooking = ChangeBase & Given<'completeTask' | 'referral' | 'clock' | 'events'> & Pick<PathwayChange, 'attendance' | 'rttEvents'> & {
  entry: { listedOn: string; dueDate: string; lcad: string; clinicId: string | null };
};
export type InvitePartialBooking = ChangeBase & { entryId: string; chase: boolean; on: string; replyBy: string; events: PathwayEvent[] };
export type RaisePartialBookingReview = ChangeBase & { entryId: string; events: PathwayEvent[]; openTasks: TaskSpec[] };
export type BookFromPartialBooking = ChangeBase & Pick<PathwayChange, 'completeTask'> & {
  entryId: string; booking: SlotBooking;
  /** From the list: the slot's day within ±tolerance of the due date (earliest..latest) and never after the LCAD. */
  window?: { earliest: string; latest: string; lcad: string }; referral: NonNullable<PathwayChange['referral']>; events: PathwayEvent[]; openTasks: TaskSpec[]; asOf: string;
};
export type ReviewPartialBooking = ChangeBase & Given<'completeTask' | 'events'> & Pick<PathwayChange, 'openTasks'> & {
  entryId: string;
  /** extend: the entry goes back on the list with its new dates; book_anyway: a booking item opens (the entry stays with the clinician until booked). */
  extend?: { dueDate: string; lcad: string };
};
export type DischargeFromPartialBooking = ChangeBase & Given<'completeTask' | 'cancelTasks' | 'referral' | 'clock' | 'events'> & {
  entryId: string; rttEvents?: RttEventRecord[];
};

export const openEntryStatuses: PartialBookingStatus[] = ['waiting', 'invited', 'chased', 'in_review'];
const open = openEntryStatuses;

/** Moves the entry from one of `from` to `to` (with the columns given), audited; an entry elsewhere is left as it is. */
export async function moveEntry(tx: Tx, { actorId, now }: Step, entryId: string, from: PartialBookingStatus[], to: PartialBookingStatus,
  set: Partial<typeof partialBookingEntries.$inferInsert> = {}): Promise<boolean> {
  const [before] = await tx.select({ status: partialBookingEntries.status, version: partialBookingEntries.version })
    .from(partialBookingEntries).where(eq(partialBookingEntries.id, entryId)).for('update');
  if (!before || !from.includes(before.status)) return false;
  await tx.update(partialBookingEntries).set({ ...set, status: to, version: before.version + 1, updatedAt: now })
    .where(and(eq(partialBookingEntries.id, entryId), inArray(partialBookingEntries.status, from)));
  await writeAudit(tx, { actorId, action: 'partial_booking.changed', entityType: 'partial_booking_entry', entityId: entryId,
    before: { status: before.status }, after: { status: to, ...set } });
  return true;
}

const letterDay = (date: string) => new Date(`${date}T12:00:00Z`).toLocaleDateString('en-GB', {
  timeZone: 'Europe/London', weekday: 'long', day: 'numeric', month: 'long', year: 'numeric',
}).replace(',', '');

async function specialtyOf(tx: Tx, referralId: string) {
  const [r] = await tx.select({ specialty: specialties.name, referrer: referrals.referrer })
    .from(referrals).innerJoin(specialties, eq(specialties.code, referrals.specialtyCode)).where(eq(referrals.id, referralId));
  return r;
}

/** The invitation (or the one chase) by every channel the patient prefers and we can reach: the outbox sends it. */
async function queueInvitation(tx: Tx, c: InvitePartialBooking) {
  const [patient] = await tx.select({ phone: patients.phone, email: patients.email, channels: patients.channels, aisNeeds: patients.aisNeeds, carer: patients.carer })
    .from(patients).where(eq(patients.id, c.patientId));
  const { specialty } = await specialtyOf(tx, c.referralId);
  const format = letterFormatFor(patient.aisNeeds);
  const fields = { specialty, reply_by: letterDay(c.replyBy), booking_office_phone: bookingOfficePhone };
  const recipient = patient.carer && !patient.phone && !patient.email ? 'carer' as const : 'patient' as const;
  await tx.insert(communications).values(noticeChannels(patient).map((channel) => {
    const to = channel === 'letter' ? 'patient' as const : recipient;
    const words = composeMessage('partial_booking_invitation', channel, fields, { format });
    return {
      id: newId('comm'), commKey: `${c.changeKey}:partial_booking_invitation:${channel}:${to}`, referralId: c.referralId, patientId: c.patientId,
      appointmentId: null, recipient: to, channel, template: 'partial_booking_invitation' as const, format,
      personalisation: fields, subject: words.subject, body: words.body,
    };
  })).onConflictDoNothing({ target: communications.commKey });
}

export const createPartialBookingActivities = ({ db }: { db: Database }) => ({
  /** A follow-up due beyond the horizon: the clinic outcome recorded and the patient put on the partial booking list. */
  async listForPartialBooking(c: ListForPartialBooking): Promise<PathwayChangeResult> {
    return once(db, c, async (tx, step) => {
      await completeTask(tx, step, c.completeTask);
      if (c.attendance) await recordAttendance(tx, step, c.attendance);
      await updateReferral(tx, step, c.referral);
      await moveClock(tx, step, c.clock, c.rttEvents);
      await recordEvents(tx, step, c.events);
      const [referral] = await tx.select({ specialtyCode: referrals.specialtyCode }).from(referrals).where(eq(referrals.id, c.referralId));
      const id = newId('pbe');
      await tx.insert(partialBookingEntries).values({
        id, entryKey: c.changeKey, referralId: c.referralId, patientId: c.patientId, specialtyCode: referral.specialtyCode,
        clinicId: c.entry.clinicId, listedOn: c.entry.listedOn, dueDate: c.entry.dueDate, lcad: c.entry.lcad,
      });
      await writeAudit(tx, { actorId: step.actorId, action: 'partial_booking.listed', entityType: 'partial_booking_entry', entityId: id,
        after: { referralId: c.referralId, dueDate: c.entry.dueDate, lcad: c.entry.lcad, status: 'waiting' } });
      return { openedTaskIds: [], partialBookingEntryId: id };
    });
  },

  /** The invitation to book goes out (or, the response window passed, the one chase): the entry is invited or chased. */
  async invitePartialBooking(c: InvitePartialBooking): Promise<PathwayChangeResult> {
    return once(db, c, async (tx, step) => {
      const moved = c.chase
        ? await moveEntry(tx, step, c.entryId, ['invited'], 'chased', { chasedOn: c.on })
        : await moveEntry(tx, step, c.entryId, ['waiting'], 'invited', { invitedOn: c.on, chasedOn: null });
      if (moved) {
        await queueInvitation(tx, c);
        await recordEvents(tx, step, c.events);
      }
      return { openedTaskIds: [] };
    });
  },

  /** Nobody answered, or the LCAD came unbooked: a clinician decides (book anyway, extend, discharge). */
  async raisePartialBookingReview(c: RaisePartialBookingReview): Promise<PathwayChangeResult> {
    return once(db, c, async (tx, step) => {
      const openedTaskIds = await openTasks(tx, step, c.openTasks, undefined, undefined);
      await moveEntry(tx, step, c.entryId, ['waiting', 'invited', 'chased'], 'in_review', { reviewTaskId: openedTaskIds[0] ?? null });
      await recordEvents(tx, step, c.events);
      return { openedTaskIds };
    });
  },

  /** Booked from the list (the patient answered) or from the clinician's book-anyway item: the invitation is answered. */
  async bookFromPartialBooking(c: BookFromPartialBooking): Promise<PathwayChangeResult> {
    return once(db, c, async (tx, step) => {
      if (c.completeTask) await completeTask(tx, step, c.completeTask);
      const [entry] = await tx.select({ status: partialBookingEntries.status }).from(partialBookingEntries).where(eq(partialBookingEntries.id, c.entryId));
      if (!entry || !open.includes(entry.status)) throw refusal('PARTIAL_BOOKING_NOT_OPEN', 'This follow-up is no longer waiting to be booked');
      if (c.window) {
        const [slot] = await tx.select({ start: slots.start }).from(slots).where(eq(slots.id, c.booking.slotId));
        const day = slot && londonDate(slot.start.getTime());
        if (day && day > c.window.lcad) {
          throw refusal('PAST_LCAD', `That slot (${day}) is after the latest clinically appropriate date (${c.window.lcad}): ask the clinician instead`, 'slotId');
        }
        if (day && (day < c.window.earliest || day > c.window.latest)) {
          throw refusal('OUTSIDE_TOLERANCE', `Book between ${c.window.earliest} and ${c.window.latest} (two weeks either side of the due date)`, 'slotId');
        }
      }
      const appointment = await bookSlot(tx, c, step.actorId, { now: new Date(Math.max(Date.parse(c.asOf), step.now.getTime())) });
      await moveEntry(tx, step, c.entryId, open, 'booked', { appointmentId: appointment.id });
      await updateReferral(tx, step, c.referral);
      await recordEvents(tx, step, c.events);
      return { openedTaskIds: await openTasks(tx, step, c.openTasks, undefined, appointment), appointment };
    });
  },

  /** The clinician's review: extend (back on the list with new dates) or book anyway (a booking item). */
  async reviewPartialBooking(c: ReviewPartialBooking): Promise<PathwayChangeResult> {
    return once(db, c, async (tx, step) => {
      await completeTask(tx, step, c.completeTask);
      if (c.extend) {
        await moveEntry(tx, step, c.entryId, ['in_review'], 'waiting', {
          dueDate: c.extend.dueDate, lcad: c.extend.lcad, invitedOn: null, chasedOn: null, reviewTaskId: null,
        });
      }
      await recordEvents(tx, step, c.events);
      return { openedTaskIds: await openTasks(tx, step, c.openTasks ?? [], undefined, undefined) };
    });
  },

  /** Discharged at the review: the clock stops (34 while it runs), letters to the patient and GP, the pathway ends. */
  async dischargeFromPartialBooking(c: DischargeFromPartialBooking): Promise<PathwayChangeResult> {
    return once(db, c, async (tx, step) => {
      await completeTask(tx, step, c.completeTask);
      await cancelTasks(tx, step, c.cancelTasks);
      await cancelInterpreterItems(tx, step, { referralId: c.referralId }, 'pathway closed');
      await moveEntry(tx, step, c.entryId, open, 'discharged');
      await updateReferral(tx, step, c.referral);
      await moveClock(tx, step, c.clock as RttClock, c.rttEvents);
      await recordEvents(tx, step, c.events);
      await queueDischargeLetters(tx, c);
      return { openedTaskIds: [] };
    });
  },
});
