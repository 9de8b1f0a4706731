// A clinic session with several booked first appointments, for the cash-up tests (issue 16): routine referrals
// triaged to one clinic and booked into its 'new' slots of one morning, through the API as officers do it.
import { sql } from 'drizzle-orm';
import type { AccessDeskClient } from '../../bin/lib/api-client';
import { queryRows } from '../../db/client';
import { clinicSessionId, londonDate } from '../../domain';
import { referralAwaitingBooking } from './fixtures';
import type { TestStack } from './stack';

export type BookedSession = { sessionId: string; clinicId: string; appointments: { id: string; referralId: string; start: string }[]; lastStart: string };

export async function bookedClinicSession(stack: TestStack, officer: AccessDeskClient, clinician: AccessDeskClient, count: number): Promise<BookedSession> {
  const [found] = await queryRows<{ clinic_id: string; specialty_code: string; ids: string[] }>(stack.db.db, sql`
    select s.clinic_id, c.specialty_code, (array_agg(s.id order by s.start))[1:${count}] as ids
    from slots s join clinics c on c.id = s.clinic_id
    where s.type = 'new' and s.status = 'free' and s.start > ${stack.now()}::timestamptz + interval '1 hour'
    group by s.clinic_id, c.specialty_code, (s.start at time zone 'Europe/London')::date
    having count(*) >= ${count} order by min(s.start) limit 1`);
  const appointments: BookedSession['appointments'] = [];
  for (const slotId of found.ids) {
    const { referral, booking } = await referralAwaitingBooking(officer, clinician, { specialty: found.specialty_code }, found.clinic_id);
    await officer.post(`/api/tasks/${booking.id}/complete`, { slotId });
    await officer.waitForOpenTask(referral.id, 'record_attendance');
    const [appt] = await queryRows<{ id: string; start: Date }>(stack.db.db, sql`select id, start from appointments where referral_id = ${referral.id} and state = 'booked'`);
    appointments.push({ id: appt.id, referralId: referral.id, start: new Date(appt.start).toISOString() });
  }
  appointments.sort((a, b) => a.start.localeCompare(b.start) || a.id.localeCompare(b.id));
  const first = Date.parse(appointments[0].start);
  return {
    sessionId: clinicSessionId(found.clinic_id, londonDate(first), 'am'), clinicId: found.clinic_id, appointments,
    lastStart: appointments[appointments.length - 1].start,
  };
}
