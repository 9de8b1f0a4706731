// Ward forms and cash-up (issue 16) through the API: bad bodies answer 400 naming the field; a retried ward form makes
// one; a clinic's appointments without an outcome 48 hours after the clinic are on the Cash-up list (their attendance
// items already escalated by their ladder), and one pass outcomes the whole session through each pathway, once.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sql } from 'drizzle-orm';
import type { AccessDeskClient } from '../../bin/lib/api-client';
import { addDays, londonDate } from '../../domain';
import { queryRows } from '../../db/client';
import { refusal } from '../support/api';
import { parseCsv } from '../support/csv';
import { referralBody } from '../support/fixtures';
import { bookedClinicSession, type BookedSession } from '../support/cash-up';
import { startTestStack, type TestStack } from '../support/stack';

let stack: TestStack;
let officer: AccessDeskClient;
let clinician: AccessDeskClient;
let ops: AccessDeskClient;
const HOUR = 3_600_000;

beforeAll(async () => {
  stack = await startTestStack({ database: 'postgres', temporal: 'time-skipping' });
  officer = await stack.signIn('officer@demo.nhs.uk');
  clinician = await stack.signIn('clinician@demo.nhs.uk');
  ops = await stack.signIn('ops@demo.nhs.uk');
});
afterAll(async () => { await stack?.stop(); });

const rows = <T = any>(query: ReturnType<typeof sql>) => queryRows<T>(stack.db.db, query);

async function until<T>(read: () => Promise<T>, ok: (v: T) => boolean, what: string, timeoutMs = 20_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await read();
    if (ok(value)) return value;
    if (Date.now() > deadline) throw new Error(`Timed out waiting for ${what}: ${JSON.stringify(value)}`);
    await new Promise((r) => setTimeout(r, 150));
  }
}

/** GET /api/<path> as the client, with the list's filter and sort: the CSV's rows under its header. */
async function csvOf(client: AccessDeskClient, path: string, params: { filter: object; sort?: [string, string] }) {
  const q = new URLSearchParams({ filter: JSON.stringify(params.filter), ...(params.sort ? { sort: JSON.stringify(params.sort) } : {}) });
  const res = await fetch(`${stack.url}/api/${path}?${q}`, { headers: { cookie: (client as any).cookie } });
  expect(res.status, path).toBe(200);
  expect(res.headers.get('content-type')).toBe('text/csv; charset=utf-8');
  const [header, ...lines] = parseCsv(await res.text());
  return { header, lines, res, col: (name: string) => lines.map((l) => l[header.indexOf(name)]) };
}

const wardForm = (overrides: Record<string, unknown> = {}) => ({
  patient: referralBody().patient, ward: 'Ward 7 (medical)', dischargedOn: addDays(stack.today(), -2), specialty: '300',
  clinicianId: 'staff_clinician', followUpWithinWeeks: 4, note: 'See in clinic with bloods', ...overrides,
});

const bookedForm = {} as { form: any; late: { id: string; start: Date }; inTime: { id: string; start: Date }; free: Array<{ id: string; start: Date }>; other: { id: string; start: Date } };

describe('ward forms through the API', () => {
  it('refuses bad bodies with a 400 naming the field', async () => {
    const cases: [Record<string, unknown>, string][] = [
      [{ ...wardForm(), ward: '' }, 'ward'],
      [{ ...wardForm(), followUpWithinWeeks: 0 }, 'followUpWithinWeeks'],
      [{ ...wardForm(), followUpWithinWeeks: 2.5 }, 'followUpWithinWeeks'],
      [{ ...wardForm(), dischargedOn: '2026-02-30' }, 'dischargedOn'],
      [{ ...wardForm(), dischargedOn: addDays(stack.today(), 3) }, 'dischargedOn'],
      [{ ...wardForm(), specialty: 'urology' }, 'specialty'],
      [{ ...wardForm(), specialty: '999' }, 'specialty'],
      [{ ...wardForm(), clinicianId: 'staff_officer' }, 'clinicianId'],
      [{ ...wardForm(), patient: 'pat_nobody' }, 'patient'],
      [{ ...wardForm(), note: undefined }, 'note'],
      [{ ...wardForm(), testsBefore: [''] }, 'testsBefore.0'],
      [{ ...wardForm(), surprise: true }, ''],
    ];
    for (const [body, field] of cases) {
      const err = await refusal(officer.post('/api/ward-forms', body));
      expect(err.status, JSON.stringify(body)).toBe(400);
      if (field) expect(Object.keys(err.body.errors), `${field}: ${JSON.stringify(err.body)}`).toContain(field);
    }
    expect(await rows(sql`select id from ward_forms`)).toEqual([]);
    expect((await refusal(ops.post('/api/ward-forms', wardForm()))).status).toBe(403);
  });

  it('takes the patient by id, and a retry with the same Idempotency-Key makes one ward form and one pathway', async () => {
    const first = await officer.post('/api/ward-forms', wardForm());
    const patientId = first.wardForm.patientId;
    const body = wardForm({ patient: patientId, ward: 'Ward 9', testsBefore: ['FBC', 'U&E'] });
    const headers = { 'Idempotency-Key': `ward-form-${Date.now()}` };
    const [a, b] = [await officer.request('POST', '/api/ward-forms', body, headers), await officer.request('POST', '/api/ward-forms', body, headers)];
    expect(a.status).toBe(201);
    expect(b.body.wardForm.id).toBe(a.body.wardForm.id);
    expect(a.body.wardForm).toMatchObject({ patientId, ward: 'Ward 9', testsBefore: ['FBC', 'U&E'], status: 'to_book' });
    const forms = await rows(sql`select id from ward_forms where patient_id = ${patientId}`);
    expect(forms).toHaveLength(2);
    const listed = await officer.list('ward-forms', { filter: { patientId }, sort: ['receivedAt', 'ASC'] });
    expect(listed.map((w: any) => w.id)).toEqual([first.wardForm.id, a.body.wardForm.id]);
    // A second form in the same specialty is flagged with the pathway already open (staff decide; nothing is merged).
    expect(first.wardForm.otherOpenReferralIds).toEqual([]);
    expect(a.body.wardForm.otherOpenReferralIds).toEqual([first.wardForm.referralId]);
    expect(listed.map((w: any) => w.otherOpenReferralIds)).toEqual([[a.body.wardForm.referralId], [first.wardForm.referralId]]);
    // An ended pathway is no longer one to check.
    await rows(sql`update referrals set state = 'discharged' where id = ${first.wardForm.referralId}`);
    expect((await officer.get(`/api/ward-forms/${a.body.wardForm.id}`)).otherOpenReferralIds).toEqual([]);
  });

  it('exports the ward forms the list shows, with its filters and order, as CSV', async () => {
    const patientId = (await officer.post('/api/ward-forms', wardForm({ ward: 'Ward 3', followUpWithinWeeks: 6 }))).wardForm.patientId;
    await officer.post('/api/ward-forms', wardForm({ patient: patientId, ward: '=Ward 5', testsBefore: ['FBC', 'ECG'] }));
    for (const sort of [['receivedAt', 'ASC'], ['ward', 'DESC']] as [string, string][]) {
      const listed = await officer.list('ward-forms', { filter: { patientId }, sort });
      const csv = await csvOf(officer, 'ward-forms.csv', { filter: { patientId }, sort });
      expect(csv.res.headers.get('content-disposition')).toBe(`attachment; filename="ward-forms-${stack.today()}.csv"`);
      expect(csv.col('Ward form id')).toEqual(listed.map((w: any) => w.id));
      expect(csv.lines).toHaveLength(2);
    }
    const listed = await officer.list('ward-forms', { filter: { patientId }, sort: ['ward', 'ASC'] });
    const csv = await csvOf(officer, 'ward-forms.csv', { filter: { patientId }, sort: ['ward', 'ASC'] });
    expect(csv.header.slice(0, 3)).toEqual(['Patient', 'NHS number', 'Ward']);
    // The ward's own words never run as a formula; the codes are in people's words.
    const byWard = (ward: string) => csv.lines[listed.findIndex((w: any) => w.ward === ward)];
    expect(byWard('=Ward 5')[csv.header.indexOf('Ward')]).toBe("'=Ward 5");
    expect(byWard('=Ward 5')[csv.header.indexOf('Tests before')]).toBe('FBC; ECG');
    expect(byWard('Ward 3')[csv.header.indexOf('Tests before')]).toBe('');
    expect(csv.col('Where it stands')).toEqual(['To book', 'To book']);
    // A filter the list refuses is the same 400 before any CSV.
    const bad = await fetch(`${stack.url}/api/ward-forms.csv?${new URLSearchParams({ filter: JSON.stringify({ status: 'lost' }) })}`,
      { headers: { cookie: (officer as any).cookie } });
    expect(bad.status).toBe(400);
    expect(Object.keys((await bad.json()).errors)).toContain('filter.status');
  });

  it("refuses to book the form's follow-up into a slot after the date the ward asked for, and books one within it", async () => {
    const received = await officer.post('/api/ward-forms', wardForm({ followUpWithinWeeks: 2 }));
    const { wardForm: form, item } = received;
    expect(received.pathwayStarted).toBe(true);
    expect(item.type).toBe('book_follow_up');
    // The officer works the Ward forms queue, as the access centre's ward-form officers do.
    await rows(sql`insert into queue_members (queue_id, staff_id) values (${item.queueId}, 'staff_officer') on conflict do nothing`);
    const free = await rows<{ id: string; start: Date }>(sql`select s.id, s.start from slots s join clinics c on c.id = s.clinic_id
      where c.specialty_code = '300' and c.active and s.type = 'follow_up' and s.status = 'free' and s.start > ${stack.now()}::timestamptz
      order by s.start`);
    const late = free.find((x) => londonDate(new Date(x.start).getTime()) > form.bookBy);
    const inTime = free.find((x) => londonDate(new Date(x.start).getTime()) <= form.bookBy);
    expect(late, 'a free follow-up slot after bookBy').toBeDefined();
    expect(inTime, 'a free follow-up slot by bookBy').toBeDefined();
    const err = await refusal(officer.post(`/api/tasks/${item.id}/complete`, { slotId: late!.id }));
    expect(err.status).toBe(422);
    expect(err.body.code).toBe('AFTER_WARD_FORM_INTERVAL');
    expect(err.body.errors.slotId).toBe('after the date the ward asked for: send it to the clinician');
    expect(err.body.message).toContain(form.bookBy);
    // Nothing was booked and the item is still open for a date within the interval.
    expect(await rows(sql`select id from appointments where referral_id = ${form.referralId}`)).toEqual([]);
    const [still] = await rows(sql`select status from tasks where id = ${item.id}`);
    expect(['open', 'claimed']).toContain(still.status);
    await officer.post(`/api/tasks/${item.id}/complete`, { slotId: inTime!.id });
    const booked = await until(() => officer.get(`/api/ward-forms/${form.id}`), (w: any) => w.status === 'booked', 'the ward form booked');
    expect(booked.appointmentStart).toBe(new Date(inTime!.start).toISOString());
    Object.assign(bookedForm, { form, late: late!, inTime: inTime!, free });
  });

  it("refuses to move the form's follow-up after the ward's date, by a reschedule or a rebook after the hospital cancels it", async () => {
    const { form, late, inTime, free } = bookedForm;
    const [appt] = await rows<{ id: string }>(sql`select id from appointments where referral_id = ${form.referralId} and state = 'booked'`);
    const moveLate = await refusal(officer.post(`/api/appointments/${appt.id}/reschedule`, { by: 'patient', reason: 'Away that week', slotId: late.id }));
    expect(moveLate.status).toBe(422);
    expect(moveLate.body.code).toBe('AFTER_WARD_FORM_INTERVAL');
    expect(moveLate.body.errors.slotId).toBe('after the date the ward asked for: send it to the clinician');
    expect(await rows(sql`select id, state from appointments where referral_id = ${form.referralId}`)).toEqual([{ id: appt.id, state: 'booked' }]);
    // A move within the interval is made, and the moved appointment is still the ward's follow-up.
    const other = free.find((x) => x.id !== inTime.id && londonDate(new Date(x.start).getTime()) <= form.bookBy);
    expect(other, 'a second free follow-up slot by bookBy').toBeDefined();
    const moved = await officer.post(`/api/appointments/${appt.id}/reschedule`, { by: 'hospital', reason: 'Clinic room closed', slotId: other!.id });
    expect(moved.newAppointment.slotId).toBe(other!.id);
    const again = await refusal(officer.post(`/api/appointments/${moved.newAppointment.id}/reschedule`, { by: 'patient', reason: 'Away that week', slotId: late.id }));
    expect(again.body.code).toBe('AFTER_WARD_FORM_INTERVAL');
    // The hospital cancels it: the rebook item is still the ward's follow-up.
    const cancelled = await officer.post(`/api/appointments/${moved.newAppointment.id}/cancel`, { by: 'hospital', reason: 'Clinician off sick' });
    expect(cancelled.raisedTask.type).toBe('rebook_appointment');
    const rebookLate = await refusal(officer.post(`/api/tasks/${cancelled.raisedTask.id}/complete`, { slotId: late.id }));
    expect(rebookLate.status).toBe(422);
    expect(rebookLate.body.code).toBe('AFTER_WARD_FORM_INTERVAL');
    await officer.post(`/api/tasks/${cancelled.raisedTask.id}/complete`, { slotId: inTime.id });
    await until(() => officer.get(`/api/ward-forms/${form.id}`), (w: any) => w.status === 'booked', 'the ward form booked again');
    Object.assign(bookedForm, { other: other! });
  });

  it("holds the booking item after the patient cancels the form's follow-up to the ward's date too", async () => {
    const { form, late, other } = bookedForm;
    const [appt] = await rows<{ id: string }>(sql`select id from appointments where referral_id = ${form.referralId} and state = 'booked'`);
    const cancelled = await officer.post(`/api/appointments/${appt.id}/cancel`, { by: 'patient', reason: 'Cannot make that day' });
    expect(cancelled.raisedTask.type).toBe('book_follow_up');
    // Before: the item after a patient's cancellation was not the ward's, and the later slot was booked silently.
    const bookLate = await refusal(officer.post(`/api/tasks/${cancelled.raisedTask.id}/complete`, { slotId: late.id }));
    expect(bookLate.status).toBe(422);
    expect(bookLate.body.code).toBe('AFTER_WARD_FORM_INTERVAL');
    expect(await rows(sql`select id from appointments where referral_id = ${form.referralId} and state = 'booked'`)).toEqual([]);
    await officer.post(`/api/tasks/${cancelled.raisedTask.id}/complete`, { slotId: other.id });
    await until(() => officer.get(`/api/ward-forms/${form.id}`), (w: any) => w.status === 'booked', 'the ward form booked after the patient cancelled');
  });
});

describe('cash-up', () => {
  let session: BookedSession;

  it('lists a clinic whose appointments have no outcome 48 hours after it, once its attendance items have escalated', async () => {
    session = await bookedClinicSession(stack, officer, clinician, 4);
    expect((await officer.list('cash-up', { filter: { clinicId: session.clinicId } }))).toEqual([]);
    await stack.sleepUntil(new Date(Date.parse(session.lastStart) + 48 * HOUR + 10 * 60_000).toISOString());
    const [listed] = await until(() => officer.list('cash-up', { filter: { clinicId: session.clinicId } }),
      (l) => l.length === 1 && l[0].escalationLevel >= 1, 'the clinic on the cash-up list, escalated');
    expect(listed).toMatchObject({ id: session.sessionId, clinicId: session.clinicId, session: 'am', appointmentsWithoutOutcome: 4 });
    const detail = await officer.get(`/api/cash-up/${encodeURIComponent(session.sessionId)}`);
    expect(detail.appointments.map((a: any) => a.appointmentId)).toEqual(session.appointments.map((a) => a.id));
    expect(detail.appointments.every((a: any) => a.state === 'booked' && a.taskId && a.escalationLevel >= 1)).toBe(true);
  });

  it('exports the cash-up list with its filters and order as CSV', async () => {
    const listed = await officer.list('cash-up', { filter: { clinicId: session.clinicId } });
    const csv = await csvOf(officer, 'cash-up.csv', { filter: { clinicId: session.clinicId } });
    expect(csv.res.headers.get('content-disposition')).toBe(`attachment; filename="cash-up-${stack.today()}.csv"`);
    expect(csv.col('Clinic session id')).toEqual(listed.map((r: any) => r.id));
    expect(csv.col('Clinic session id')).toEqual([session.sessionId]);
    expect(csv.col('Without outcome')).toEqual(['4']);
    expect(csv.col('Session')).toEqual(['Morning']);
    // The whole list, in the list's order (another clinic's sessions included).
    const all = await officer.list('cash-up', { filter: {}, sort: ['clinicName', 'DESC'], range: [0, 999] });
    expect((await csvOf(officer, 'cash-up.csv', { filter: {}, sort: ['clinicName', 'DESC'] })).col('Clinic session id')).toEqual(all.map((r: any) => r.id));
  });

  it('refuses a bad pass with a 400 naming the row and field, changing nothing', async () => {
    const path = `/api/cash-up/${encodeURIComponent(session.sessionId)}`;
    const [a0] = session.appointments;
    const cases: [unknown, string][] = [
      [{}, 'outcomes'],
      [{ outcomes: [] }, 'outcomes'],
      [{ outcomes: [{ appointmentId: a0.id, outcome: 'follow_up' }] }, 'outcomes.0.followUpWeeks'],
      [{ outcomes: [{ appointmentId: a0.id, outcome: 'seen' }] }, 'outcomes.0.outcome'],
      [{ outcomes: [{ appointmentId: 'appt_elsewhere', outcome: 'discharged' }] }, 'outcomes.0.appointmentId'],
      [{ outcomes: [{ appointmentId: a0.id, outcome: 'discharged' }, { appointmentId: a0.id, outcome: 'attended' }] }, 'outcomes.1.appointmentId'],
    ];
    for (const [body, field] of cases) {
      const err = await refusal(officer.post(path, body));
      expect(err.status, JSON.stringify(body)).toBe(400);
      expect(Object.keys(err.body.errors), JSON.stringify(err.body)).toContain(field);
    }
    expect((await refusal(officer.post('/api/cash-up/not-a-session', { outcomes: [{ appointmentId: a0.id, outcome: 'discharged' }] }))).status).toBe(404);
    expect((await refusal(ops.post(path, { outcomes: [{ appointmentId: a0.id, outcome: 'discharged' }] }))).status).toBe(403);
    const states = await rows(sql`select state from appointments where id in (${sql.join(session.appointments.map((a) => sql`${a.id}`), sql`, `)})`);
    expect(states.every((s: any) => s.state === 'booked')).toBe(true);
  });

  it('outcomes the whole clinic in one pass through each pathway, and a second pass changes nothing', async () => {
    const path = `/api/cash-up/${encodeURIComponent(session.sessionId)}`;
    const [a, b, c, d] = session.appointments;
    const pass = { outcomes: [
      { appointmentId: a.id, outcome: 'attended' }, { appointmentId: b.id, outcome: 'did_not_attend' },
      { appointmentId: c.id, outcome: 'follow_up', followUpWeeks: 4 }, { appointmentId: d.id, outcome: 'cancelled_by_hospital' },
    ] };
    const answer = await officer.post(path, pass);
    expect(answer.results.map((r: any) => [r.appointmentId, r.result, r.message])).toEqual(session.appointments.map((x) => [x.id, 'recorded', null]));
    expect(answer.remaining).toBe(0);
    const after = await rows<{ id: string; state: string; outcome: string | null; referral_state: string }>(sql`
      select a.id, a.state, a.outcome, r.state as referral_state from appointments a join referrals r on r.id = a.referral_id
      where a.id in (${sql.join(session.appointments.map((x) => sql`${x.id}`), sql`, `)})`);
    const of = (id: string) => after.find((x) => x.id === id);
    expect(of(a.id)).toMatchObject({ state: 'attended', referral_state: 'treated' });
    expect(of(b.id)).toMatchObject({ state: 'did_not_attend' });
    expect(of(c.id)).toMatchObject({ state: 'attended', outcome: 'follow_up', referral_state: 'awaiting_follow_up' });
    expect(of(d.id)).toMatchObject({ state: 'cancelled_by_hospital' });
    // Each outcome as the pathway takes it: the clock stopped (30), a rebook after the hospital's cancellation.
    const [clock] = await rows(sql`select rtt_status, last_rtt_code from pathways where referral_id = ${a.referralId}`);
    expect(clock).toEqual({ rtt_status: 'stopped', last_rtt_code: 30 });
    expect(answer.results[3].raisedTask?.type).toBe('rebook_appointment');
    expect(answer.results[2].raisedTask?.type).toBe('book_follow_up');
    // No attendance item is left open, and the clinic has left the cash-up list.
    const open = await rows(sql`select id from tasks where type = 'record_attendance' and status in ('open', 'claimed')
      and referral_id in (${sql.join(session.appointments.map((x) => sql`${x.referralId}`), sql`, `)})`);
    expect(open).toEqual([]);
    expect(await officer.list('cash-up', { filter: { clinicId: session.clinicId } })).toEqual([]);

    const [tasksBefore] = await rows(sql`select count(*)::int as n from tasks`);
    const again = await officer.post(path, pass);
    expect(again.results.map((r: any) => r.result)).toEqual(['already_recorded', 'already_recorded', 'already_recorded', 'already_recorded']);
    const [tasksAfter] = await rows(sql`select count(*)::int as n from tasks`);
    expect(tasksAfter.n).toBe(tasksBefore.n);
  });
});
