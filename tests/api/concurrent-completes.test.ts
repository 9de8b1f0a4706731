// Two or three people completing the same booking item at the same moment: one wins, the others are told
// the item is no longer open, and the patient has one appointment. Real Postgres, real Temporal dev server.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sql } from 'drizzle-orm';
import { ApiError, type AccessDeskClient } from '../../bin/lib/api-client';
import { queryRows } from '../../db/client';
import { applyPathwayChangeIn, createPathwayActivities } from '../../activities/pathway';
import type { PathwayChangeResult } from '../../workflows/types';
import { startTestStack, type TestStack } from '../support/stack';
import { referralAwaitingBooking } from '../support/fixtures';

let stack: TestStack;
let officer: AccessDeskClient;
let officer2: AccessDeskClient;
let leader: AccessDeskClient;
let clinician: AccessDeskClient;

const signInAll = async () => {
  [officer, officer2, leader, clinician] = await Promise.all(
    ['officer', 'officer2', 'leader', 'clinician'].map((who) => stack.signIn(`${who}@demo.nhs.uk`)),
  );
};

beforeAll(async () => {
  stack = await startTestStack({ database: 'postgres', temporal: 'dev', workflowCache: false });
  await signInAll();
});
afterAll(async () => { await stack?.stop(); });

const rows = <T = any>(query: ReturnType<typeof sql>) => queryRows<T>(stack.db.db, query);

/** Free new-patient slots of a clinic, a different one for each caller. */
async function freeSlots(clinicId: string, n: number): Promise<{ id: string }[]> {
  const slots = await officer.list<{ id: string }>('slots', { filter: { clinicId, status: 'free', type: 'new' }, sort: ['start', 'ASC'], range: [0, n - 1] });
  expect(slots).toHaveLength(n);
  return slots;
}

/** Takes `referrals` referrals to booking, then has each of `people` complete each booking item at once, with different slots. */
async function race(referrals: number, people: AccessDeskClient[], clinicId = 'clin_2') {
  const waiting = await Promise.all(Array.from({ length: referrals }, () => referralAwaitingBooking(officer, clinician, {}, clinicId)));
  const slots = await freeSlots(clinicId, referrals * people.length);
  const attempts = waiting.map(({ referral, booking }, r) => ({
    referral,
    slotIds: people.map((_, p) => slots[r * people.length + p].id),
    results: people.map((who, p) => who.request('POST', `/api/tasks/${booking.id}/complete`, { slotId: slots[r * people.length + p].id })
      .then((res) => ({ status: res.status, code: undefined as string | undefined }))
      .catch((err) => {
        if (err instanceof ApiError) return { status: err.status, code: err.body?.code as string | undefined };
        throw err;
      })),
  }));
  for (const attempt of attempts) {
    const results = await Promise.all(attempt.results);
    const id = attempt.referral.id as string;
    expect(results.filter((r) => r.status === 200), id).toHaveLength(1);
    expect(results.filter((r) => r.status !== 200), id).toEqual(Array(people.length - 1).fill({ status: 409, code: 'TASK_NOT_OPEN' }));
    const appts = await rows<{ slot_id: string }>(sql`select slot_id from appointments where referral_id = ${id}`);
    expect(appts, id).toHaveLength(1);
    const booked = await rows<{ id: string; status: string }>(sql`select id, status::text from slots where id in (${sql.join(attempt.slotIds.map((s) => sql`${s}`), sql`, `)})`);
    expect(booked.filter((s) => s.status === 'booked').map((s) => s.id), id).toEqual([appts[0].slot_id]);
    expect(booked.filter((s) => s.status === 'free'), id).toHaveLength(people.length - 1);
    const [{ letters }] = await rows<{ letters: number }>(sql`select count(*)::int as letters from communications
      where referral_id = ${id} and template = 'appointment_confirmation'`);
    expect(letters, id).toBe(1);
    const [{ items }] = await rows<{ items: number }>(sql`select count(*)::int as items from tasks
      where referral_id = ${id} and type = 'record_attendance'`);
    expect(items, id).toBe(1);
    // The pathway itself agrees: it waits on the one attendance item that exists.
    const attendance = await officer.waitForOpenTask(id, 'record_attendance');
    const view = await stack.system.client.workflow.getHandle(attempt.referral.workflowId).query<{ openTaskId: string; appointmentId: string }>('pathway');
    expect(view.openTaskId).toBe(attendance.id);
  }
}

describe('completing the same booking item at the same moment', () => {
  it('books one appointment for each patient when two officers complete the same item with different slots', async () => {
    await race(8, [officer, officer2]);
  });

  it('books one appointment for each patient when three people complete the same item at once', async () => {
    await race(8, [officer, officer2, leader]);
  });

  it('books one appointment for each patient right after a worker restart', async () => {
    await stack.restartWorker();
    await signInAll();
    await race(6, [officer, officer2, leader]);
  });
});

describe('the pathway change activity', () => {
  it('of two changes completing the same item with different keys, one applies and the other is refused whole', async () => {
    for (let round = 0; round < 4; round++) {
      const { referral, booking } = await referralAwaitingBooking(officer, clinician);
      const [a, b] = await freeSlots('clin_2', 2);
      const change = (key: string, slotId: string) => applyPathwayChangeIn(stack.db.db, {
        changeKey: `${referral.id}:race-${key}`, referralId: referral.id, patientId: referral.patientId, actorId: 'staff_officer',
        completeTask: { taskId: booking.id, outcome: { slotId } },
        booking: { slotId, clinicId: 'clin_2', kind: 'new', slotType: 'new' },
        referral: { state: 'booked' },
        events: [{ kind: 'appointment_booked', date: stack.today() }],
      });
      const results = await Promise.allSettled([change('a', a.id), change('b', b.id)]);
      const ok = results.filter((r): r is PromiseFulfilledResult<PathwayChangeResult> => r.status === 'fulfilled');
      const refused = results.filter((r): r is PromiseRejectedResult => r.status === 'rejected');
      expect(ok).toHaveLength(1);
      expect(refused).toHaveLength(1);
      expect(refused[0].reason.type).toBe('TASK_NOT_OPEN');
      const appts = await rows(sql`select id from appointments where referral_id = ${referral.id}`);
      expect(appts).toHaveLength(1);
      const [{ booked }] = await rows<{ booked: number }>(sql`select count(*)::int as booked from slots where id in (${a.id}, ${b.id}) and status = 'booked'`);
      expect(booked).toBe(1);
      const [{ letters }] = await rows<{ letters: number }>(sql`select count(*)::int as letters from communications where referral_id = ${referral.id} and template = 'appointment_confirmation'`);
      expect(letters).toBe(1);
    }
  });

  it('books once however often bookAppointment is retried with its key, and refuses a done item with another key', async () => {
    const { bookAppointment } = createPathwayActivities({ db: stack.db.db });
    const { referral, booking } = await referralAwaitingBooking(officer, clinician);
    const [a, b] = await freeSlots('clin_2', 2);
    const change = (key: string, slotId: string) => bookAppointment({
      changeKey: `${referral.id}:retry-${key}`, referralId: referral.id, patientId: referral.patientId, actorId: 'staff_officer',
      completeTask: { taskId: booking.id, outcome: { slotId } },
      booking: { slotId, clinicId: 'clin_2', kind: 'new', slotType: 'new' },
      referral: { state: 'booked' },
      events: [{ kind: 'appointment_booked', date: stack.today() }],
      openTasks: [],
    });
    const first = await change('a', a.id);
    const retries = await Promise.all([change('a', a.id), change('a', a.id), change('a', a.id)]);
    expect(retries).toEqual([first, first, first]);
    await expect(change('b', b.id)).rejects.toMatchObject({ type: 'TASK_NOT_OPEN' });
    expect(await rows(sql`select id from appointments where referral_id = ${referral.id}`)).toHaveLength(1);
    const [{ letters }] = await rows<{ letters: number }>(sql`select count(*)::int as letters from communications where referral_id = ${referral.id} and template = 'appointment_confirmation'`);
    expect(letters).toBe(1);
  });
});
