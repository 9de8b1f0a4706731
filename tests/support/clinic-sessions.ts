// A specialty of its own with two clinics, slots made by SQL and patients booked through the API: what the
// session change tests and benchmark cancel sessions of.
import { sql } from 'drizzle-orm';
import type { AccessDeskClient } from '../../bin/lib/api-client';
import { queryRows, type Database } from '../../db/client';
import { newId } from '../../db/ids';
import { clinics, queueMembers, queues, slots, specialties } from '../../db/schema';
import { addDays, londonInstant, type ReferralPriority, type SlotType } from '../../domain';
import { referralAwaitingBooking } from './fixtures';

export const SESSION_SPECIALTY = '140';
export const SESSION_CLINIC = 'clin_t_session';
export const OTHER_CLINIC = 'clin_t_other';
export const OTHER_CLINIC_NAME = 'Oral Surgery – Other (T)';
export const SESSION_CLINIC_NAME = 'Oral Surgery – Session (T)';

/** The specialty, its queue (worked by the demo officer, leader, clinician and admin) and its two clinics. */
export async function addSessionSpecialty(db: Database) {
  await db.insert(specialties).values({ code: SESSION_SPECIALTY, name: 'Oral Surgery' });
  await db.insert(queues).values({ id: `queue_${SESSION_SPECIALTY}`, name: 'Oral Surgery (140)', kind: 'specialty', specialtyCode: SESSION_SPECIALTY });
  await db.insert(queueMembers).values(['staff_officer', 'staff_leader', 'staff_clinician', 'staff_admin']
    .map((staffId) => ({ queueId: `queue_${SESSION_SPECIALTY}`, staffId })));
  await db.insert(clinics).values([
    { id: SESSION_CLINIC, name: SESSION_CLINIC_NAME, specialtyCode: SESSION_SPECIALTY, clinicianName: 'Ms S Session', site: 'Ormskirk DGH' },
    { id: OTHER_CLINIC, name: OTHER_CLINIC_NAME, specialtyCode: SESSION_SPECIALTY, clinicianName: 'Mr O Other', site: 'Southport DGH' },
  ]);
}

/** `count` slots of a type from a London time on a date, `minutes` apart; their ids in time order. */
export async function addSlots(db: Database, clinicId: string, date: string, time: string, type: SlotType, count: number, minutes = 5) {
  const first = londonInstant(date, time);
  const values = Array.from({ length: count }, (_, i) => {
    const start = new Date(first + i * minutes * 60_000);
    return { id: newId('slot'), clinicId, start, end: new Date(start.getTime() + minutes * 60_000), type };
  });
  if (values.length) await db.insert(slots).values(values);
  return values.map((v) => v.id);
}

/** One slot a day at 10:00 for `count` days from `from`. */
export async function dailySlots(db: Database, clinicId: string, from: string, count: number, type: SlotType) {
  const out: string[] = [];
  for (let i = 0; i < count; i++) out.push(...await addSlots(db, clinicId, addDays(from, i), '10:00', type, 1));
  return out;
}

/** A patient registered, triaged to `clinicId` and booked into `slotId` by a team leader (past the breach date if need be). */
export async function bookedPatient(
  db: Database, as: { officer: AccessDeskClient; clinician: AccessDeskClient; leader: AccessDeskClient },
  priority: ReferralPriority, receivedAt: string, clinicId: string, slotId: string,
) {
  const { referral, booking } = await referralAwaitingBooking(as.officer, as.clinician, { priority, receivedAt, specialty: SESSION_SPECIALTY }, clinicId);
  await as.leader.post(`/api/tasks/${booking.id}/complete`, { slotId, confirmPastBreach: true });
  const [appt] = await queryRows<{ id: string }>(db, sql`select id from appointments where referral_id = ${referral.id} and state = 'booked'`);
  return { referralId: referral.id as string, appointmentId: appt.id };
}

/** Runs the jobs over `lanes` concurrent loops, keeping each answer in its job's place. */
export async function inLanes<T>(lanes: number, jobs: Array<() => Promise<T>>): Promise<T[]> {
  const out: T[] = new Array(jobs.length);
  let next = 0;
  await Promise.all(Array.from({ length: lanes }, async () => {
    while (next < jobs.length) { const i = next++; out[i] = await jobs[i](); }
  }));
  return out;
}

/**
 * A morning session of `patients` booked patients (one in ten 2WW, two in ten urgent, the rest routine with
 * breach dates spread over 100 days) on `date` in the session clinic; its slot ids by type.
 */
export async function bookedSession(
  db: Database, as: Parameters<typeof bookedPatient>[1], date: string, today: string, patients: number, lanes = 6,
) {
  const twoWeekWait = Math.round(patients / 10);
  const urgent = Math.round(patients / 5);
  const routine = patients - twoWeekWait - urgent;
  const sessionSlots = {
    two_week_wait: await addSlots(db, SESSION_CLINIC, date, '08:00', 'two_week_wait', twoWeekWait, 2),
    urgent: await addSlots(db, SESSION_CLINIC, date, '09:00', 'urgent', urgent, 2),
    new: await addSlots(db, SESSION_CLINIC, date, '10:00', 'new', routine, 2),
  };
  const plan = [
    ...sessionSlots.two_week_wait.map((slotId, i) => ({ priority: 'two_week_wait' as const, receivedAt: addDays(today, -(i % 5)), slotId })),
    ...sessionSlots.urgent.map((slotId, i) => ({ priority: 'urgent' as const, receivedAt: addDays(today, -((2 * i) % 20)), slotId })),
    ...sessionSlots.new.map((slotId, i) => ({ priority: 'routine' as const, receivedAt: addDays(today, -((i * 37) % 100)), slotId })),
  ];
  const booked = await inLanes(lanes, plan.map((p) => () => bookedPatient(db, as, p.priority, p.receivedAt, SESSION_CLINIC, p.slotId)));
  return { sessionSlots, patients: booked };
}
