// Issue 16: a ward form's follow-up is booked no later than the date the ward asked for (`bookBy`) [rules §8]. That
// follow-up is the appointment booked from the form's own item, and whatever replaced it when it was moved (a
// reschedule or a session change: `rebooked_appointment_id`) or rebooked after a cancellation (the hospital's
// `rebook_appointment` item, or the booking item after the patient's, names the cancelled appointment). Items the
// clinician raises later are theirs to judge.
import { sql } from 'drizzle-orm';
import { queryRows, type Queryable } from './client';

/** The appointments that are ward forms' follow-ups, with the date each ward asked for. */
const wardFormAppointments = sql`with recursive chain(id, book_by) as (
    select a.id, w.book_by from ward_forms w join tasks t on t.id = w.task_id and t.type = 'book_follow_up'
      join appointments a on a.referral_id = w.referral_id and a.slot_id = t.outcome->>'slotId'
    union
    select n.id, c.book_by from chain c cross join lateral (
      select a.rebooked_appointment_id as id from appointments a where a.id = c.id and a.rebooked_appointment_id is not null
      union all
      select b.id from tasks t join appointments b on b.referral_id = t.referral_id and b.slot_id = t.outcome->>'slotId'
      where t.type in ('rebook_appointment', 'book_follow_up') and t.status = 'done' and t.payload->>'cancelledAppointmentId' = c.id) n
  )`;

/** The ward's date for this appointment if it is a ward form's follow-up (booked from the form's item, or moved from one). */
export async function wardFormBookByOfAppointment(db: Queryable, appointmentId: string): Promise<string | null> {
  const [row] = await queryRows<{ bookBy: string }>(db, sql`${wardFormAppointments}
    select min(book_by)::text as "bookBy" from chain where id = ${appointmentId} having count(*) > 0`);
  return row?.bookBy ?? null;
}

/** The ward's date for a booking item: the form's own item, or the item raised when its follow-up was cancelled (by either party). */
export async function wardFormBookByOfItem(db: Queryable, taskId: string): Promise<string | null> {
  const [row] = await queryRows<{ bookBy: string }>(db, sql`${wardFormAppointments}
    select min(b)::text as "bookBy" from (
      select w.book_by as b from ward_forms w join tasks t on t.id = w.task_id where t.id = ${taskId} and t.type = 'book_follow_up'
      union all
      select c.book_by from tasks t join chain c on c.id = t.payload->>'cancelledAppointmentId'
      where t.id = ${taskId} and t.type in ('rebook_appointment', 'book_follow_up')
    ) x having count(*) > 0`);
  return row?.bookBy ?? null;
}
