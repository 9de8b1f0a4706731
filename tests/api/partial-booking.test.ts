// Issue 16: the partial booking list (GET /api/partial-booking, the list contract and its CSV) and the follow-up backlog
// (GET /api/follow-up-backlog: open follow-ups past their due date by specialty, clinician and how far past the LCAD).
// Real Postgres; entries written as the pathway's activity writes them, with dates placed around today.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sql } from 'drizzle-orm';
import { addDays } from '../../domain';
import type { AccessDeskClient } from '../../bin/lib/api-client';
import { queryRows } from '../../db/client';
import { refusal } from '../support/api';
import { startTestStack, type TestStack } from '../support/stack';
import { referralBody } from '../support/fixtures';

let stack: TestStack;
let officer: AccessDeskClient;
let clinicianName: string;
const entries: Record<string, { referralId: string }> = {};

// [key, due date from today, LCAD from today, status]
const placed: Array<[string, number, number, string]> = [
  ['soon', 20, 34, 'waiting'], // not yet due: on the list, not in the backlog
  ['pastDue', -3, 11, 'invited'], // past due, not past LCAD
  ['past2w', -24, -10, 'chased'], // 0–4 weeks past LCAD
  ['past6w', -56, -42, 'in_review'], // 4–12 weeks
  ['past15w', -119, -105, 'waiting'], // over 12 weeks
  ['past15wToo', -120, -100, 'invited'], // over 12 weeks
  ['bookedLate', -60, -46, 'booked'], // booked: off the backlog
];

beforeAll(async () => {
  stack = await startTestStack({ database: 'postgres', temporal: 'dev' });
  officer = await stack.signIn('officer@demo.nhs.uk');
  [{ clinicianName }] = await queryRows<{ clinicianName: string }>(stack.db.db, sql`select clinician_name as "clinicianName" from clinics where id = 'clin_11'`);
  const today = stack.today();
  for (const [key, due, lcad, status] of placed) {
    const referral = await officer.post('/api/referrals', referralBody({ specialty: '101' }));
    entries[key] = { referralId: referral.id };
    await stack.db.db.execute(sql`insert into partial_booking_entries (id, entry_key, referral_id, patient_id, specialty_code, clinic_id,
        listed_on, due_date, lcad, status, invited_on)
      select ${`pbe_test_${key}`}, ${`test:${key}`}, r.id, r.patient_id, r.specialty_code, 'clin_11', ${addDays(today, due - 84)}::date,
        ${addDays(today, due)}::date, ${addDays(today, lcad)}::date, ${status}::partial_booking_status,
        ${status === 'waiting' ? null : addDays(today, due - 42)}::date
      from referrals r where r.id = ${referral.id}`);
  }
});
afterAll(async () => { await stack?.stop(); });

const ours = () => Object.values(entries).map((e) => e.referralId);

describe('the partial booking list', () => {
  it('answers the contract fields, soonest due first, with Content-Range', async () => {
    const res = await officer.request('GET', `/api/partial-booking?${new URLSearchParams({ filter: JSON.stringify({ referralId: ours() }), range: '[0,24]' })}`);
    expect(res.status).toBe(200);
    expect(res.headers.get('content-range')).toBe(`partial-booking 0-${placed.length - 1}/${placed.length}`);
    expect(Object.keys(res.body[0]).sort()).toEqual(['clinicianName', 'dueDate', 'id', 'invitedOn', 'lcad', 'patientName', 'referralId', 'specialtyCode', 'status']);
    expect(res.body.map((e: any) => e.id)).toEqual(['past15wToo', 'past15w', 'bookedLate', 'past6w', 'past2w', 'pastDue', 'soon'].map((k) => `pbe_test_${k}`));
    expect(res.body.find((e: any) => e.id === 'pbe_test_soon')).toEqual({
      id: 'pbe_test_soon', referralId: entries.soon.referralId, patientName: 'Ada Lovelace', specialtyCode: '101', clinicianName,
      dueDate: addDays(stack.today(), 20), lcad: addDays(stack.today(), 34), status: 'waiting', invitedOn: null,
    });
  });

  it('filters by status and open, refuses an unknown status naming the field, and exports the same rows as CSV', async () => {
    const chased = await officer.list('partial-booking', { filter: { referralId: ours(), status: 'chased' } });
    expect(chased.map((e: any) => e.id)).toEqual(['pbe_test_past2w']);
    const open = await officer.list('partial-booking', { filter: { referralId: ours(), open: true } });
    expect(open.map((e: any) => e.id)).not.toContain('pbe_test_bookedLate');
    expect(open).toHaveLength(placed.length - 1);
    const bad = await refusal(officer.list('partial-booking', { filter: { status: 'lost' } }));
    expect(bad.status).toBe(400);
    expect(JSON.stringify(bad.body)).toContain('status');
    const csv = await officer.get(`/api/partial-booking.csv?${new URLSearchParams({ filter: JSON.stringify({ referralId: ours(), status: 'chased' }) })}`);
    const lines = String(csv).trim().split(/\r\n/);
    expect(lines[0]).toBe('Patient,Specialty code,Clinician,Due date,LCAD,Status,Invited on,Entry id,Referral id');
    expect(lines.slice(1)).toHaveLength(1);
    expect(lines[1]).toContain('pbe_test_past2w');
    expect(lines[1]).toContain('Reminded');
  });

  it('answers 404 for an entry that does not exist, and 400 for a booking without a slot', async () => {
    expect((await refusal(officer.get('/api/partial-booking/pbe_nope'))).status).toBe(404);
    const noSlot = await refusal(officer.post('/api/partial-booking/pbe_test_soon/book', {}));
    expect(noSlot.status).toBe(400);
    expect(noSlot.body.errors).toHaveProperty('slotId');
  });
});

describe('the follow-up backlog', () => {
  it('counts open follow-ups past their due date by specialty, clinician and how far past the LCAD, furthest first', async () => {
    const rows = await officer.list('follow-up-backlog', { filter: { specialtyCode: '101', clinicianName } });
    expect(rows.map((r: any) => [r.band, r.followUps])).toEqual([
      ['over_12_weeks', 2], ['4_to_12_weeks', 1], ['up_to_4_weeks', 1], ['not_past_lcad', 1],
    ]);
    const worst = rows[0];
    expect(worst).toEqual({
      id: `101|${clinicianName}|over_12_weeks`, specialtyCode: '101', specialtyName: expect.any(String), clinicianName, band: 'over_12_weeks',
      followUps: 2, oldestDueDate: addDays(stack.today(), -120), mostDaysPastLcad: 105, onPartialBookingList: 2, bookingItems: 0, wardForms: 0,
    });
    const band = await officer.list('follow-up-backlog', { filter: { specialtyCode: '101', band: 'up_to_4_weeks' } });
    expect(band.map((r: any) => r.followUps)).toEqual([1]);
    expect((await refusal(officer.list('follow-up-backlog', { filter: { band: 'soon' } }))).status).toBe(400);
  });

  it('exports the backlog as CSV in the same order', async () => {
    const csv = String(await officer.get(`/api/follow-up-backlog.csv?${new URLSearchParams({ filter: JSON.stringify({ specialtyCode: '101', clinicianName }) })}`));
    const lines = csv.trim().split(/\r\n/);
    expect(lines[0]).toBe('Specialty,Specialty code,Clinician,Past LCAD,Follow-ups,Oldest due date,Most days past LCAD,'
      + 'On partial booking list,Booking items,Ward forms');
    expect(lines.slice(1).map((l) => l.split(',')[3])).toEqual(['Over 12 weeks past LCAD', '4–12 weeks past LCAD', '0–4 weeks past LCAD', 'Not past LCAD']);
  });
});

/** An open book_follow_up item as the pathway's bookingTask opens it: due by `bookBy`, in the clinic the patient was seen in. */
async function bookingItem(referralId: string, clinicId: string | null, bookBy: string, status = 'open', extra: Record<string, unknown> = {}) {
  const [r] = await queryRows<{ specialtyCode: string }>(stack.db.db, sql`select specialty_code as "specialtyCode" from referrals where id = ${referralId}`);
  const id = `task_test_${referralId}_${bookBy}`;
  await stack.db.db.execute(sql`insert into tasks (id, task_key, type, title, status, priority, priority_rank, due_at, queue_id, workflow_id,
      referral_id, patient_id, payload)
    select ${id}, ${`${referralId}:9:book_follow_up:${bookBy}`}, 'book_follow_up', 'Book follow-up', ${status}::task_status, 'routine', 2,
      ${bookBy}::date, (select id from queues order by id limit 1), r.workflow_id, r.id, r.patient_id,
      ${JSON.stringify({ specialtyCode: r.specialtyCode, clinicId, slotType: 'follow_up', bookBy, ...extra })}::jsonb
    from referrals r where r.id = ${referralId}`);
  return id;
}

describe('the follow-up backlog beyond the partial booking list', () => {
  it('counts overdue booking items and ward forms not booked by the ward\'s date, each once, with where they wait', async () => {
    const today = stack.today();
    const [clinic] = await queryRows<{ id: string; clinicianName: string }>(stack.db.db,
      sql`select id, clinician_name as "clinicianName" from clinics where specialty_code = '300' and active order by id limit 1`);
    const referralIn300 = async () => (await officer.post('/api/referrals', referralBody({ specialty: '300' }))).id as string;
    // Short follow-ups: LCAD is the tolerance (14 days) after the book-by date, as the list's default.
    await bookingItem(await referralIn300(), clinic.id, addDays(today, -10)); // 4 days before the LCAD
    await bookingItem(await referralIn300(), clinic.id, addDays(today, -40), 'claimed'); // 26 days past it
    await bookingItem(await referralIn300(), clinic.id, addDays(today, 3)); // not yet due
    await bookingItem(await referralIn300(), clinic.id, addDays(today, -50), 'done'); // booked
    // The clinician's "book anyway" for an entry with them is that entry's follow-up: counted once, on the list.
    await bookingItem(entries.past6w.referralId, 'clin_11', addDays(today, -42));

    // A ward form whose date has passed unbooked: due and LCAD are both the date the ward asked for.
    const form = await officer.post('/api/ward-forms', {
      patient: referralBody().patient, ward: 'Ward 7 (medical)', dischargedOn: addDays(today, -2), specialty: '300',
      clinicianId: 'staff_clinician', followUpWithinWeeks: 2, note: 'See in clinic with bloods',
    });
    expect(form.item.type).toBe('book_follow_up');
    const wardDate = addDays(today, -3);
    await stack.db.db.execute(sql`update ward_forms set book_by = ${wardDate}::date where id = ${form.wardForm.id}`);
    await stack.db.db.execute(sql`update tasks set payload = payload || ${JSON.stringify({ bookBy: wardDate })}::jsonb where id = ${form.item.id}`);

    const inClinic = await officer.list('follow-up-backlog', { filter: { specialtyCode: '300', clinicianName: clinic.clinicianName } });
    expect(inClinic.map((r: any) => [r.band, r.followUps, r.bookingItems, r.onPartialBookingList, r.wardForms, r.oldestDueDate, r.mostDaysPastLcad]))
      .toEqual([['up_to_4_weeks', 1, 1, 0, 0, addDays(today, -40), 26], ['not_past_lcad', 1, 1, 0, 0, addDays(today, -10), 0]]);
    const [ward] = await officer.list('follow-up-backlog', { filter: { specialtyCode: '300', clinicianName: 'Dr Carl Clinician' } });
    expect(ward).toMatchObject({
      id: '300|Dr Carl Clinician|up_to_4_weeks', band: 'up_to_4_weeks', followUps: 1, wardForms: 1, bookingItems: 0, onPartialBookingList: 0,
      oldestDueDate: wardDate, mostDaysPastLcad: 3,
    });
    // The entry with the clinician is still one follow-up, on the list, not a booking item as well.
    const withClinician = await officer.list('follow-up-backlog', { filter: { specialtyCode: '101', clinicianName, band: '4_to_12_weeks' } });
    expect(withClinician.map((r: any) => [r.followUps, r.onPartialBookingList, r.bookingItems])).toEqual([[1, 1, 0]]);

    // Booked, the ward form's follow-up leaves the backlog.
    await stack.db.db.execute(sql`update tasks set status = 'done', completed_at = now() where id = ${form.item.id}`);
    expect(await officer.list('follow-up-backlog', { filter: { specialtyCode: '300', clinicianName: 'Dr Carl Clinician' } })).toEqual([]);
    const csv = String(await officer.get(`/api/follow-up-backlog.csv?${new URLSearchParams({ filter: JSON.stringify({ specialtyCode: '300', clinicianName: clinic.clinicianName }) })}`));
    expect(csv.trim().split(/\r\n/).slice(1).map((l) => l.split(',').slice(-3).join(','))).toEqual(['0,1,0', '0,1,0']);
  });
});
