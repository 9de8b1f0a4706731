// Two team leaders changing the same running leave at the same moment: one change wins, the other is told the
// leave has already ended or been cancelled, and the moved work comes back once. Real Postgres, real Temporal dev server.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sql } from 'drizzle-orm';
import { addDays } from '../../domain';
import { ApiError, type AccessDeskClient } from '../../bin/lib/api-client';
import { londonToday } from '../../bin/lib/system';
import { queryRows } from '../../db/client';
import { absenceQuery } from '../../workflows';
import { startTestStack, type TestStack } from '../support/stack';
import { referralBody } from '../support/fixtures';

let stack: TestStack;
let officer: AccessDeskClient;
let leader: AccessDeskClient;
let admin: AccessDeskClient;

beforeAll(async () => {
  stack = await startTestStack({ database: 'postgres', temporal: 'dev' });
  [officer, leader, admin] = await Promise.all(['officer', 'leader', 'admin'].map((who) => stack.signIn(`${who}@demo.nhs.uk`)));
});
afterAll(async () => { await stack?.stop(); });

const rows = <T = any>(query: ReturnType<typeof sql>) => queryRows<T>(stack.db.db, query);

async function waitFor<T>(read: () => Promise<T>, ok: (v: T) => boolean, timeoutMs = 15_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await read();
    if (ok(value) || Date.now() > deadline) return value;
    await new Promise((r) => setTimeout(r, 50));
  }
}

/** Routine referrals whose triage items the team leader gives to Olivia Officer. */
async function officersWork(n: number): Promise<string[]> {
  return Promise.all(Array.from({ length: n }, async () => {
    const referral = await officer.post('/api/referrals', referralBody({ receivedAt: londonToday(), priority: 'routine' }));
    const triage = await officer.waitForOpenTask(referral.id, 'triage_referral');
    expect((await leader.request('POST', `/api/tasks/${triage.id}/assign`, { assigneeId: 'staff_officer' })).status).toBe(200);
    return triage.id as string;
  }));
}

const holders = async (ids: string[]) => {
  const found = await rows<{ id: string; assignee_id: string | null }>(sql`select id, assignee_id from tasks where id in ${ids}`);
  const byId = Object.fromEntries(found.map((t) => [t.id, t.assignee_id]));
  return ids.map((id) => byId[id] ?? null);
};
const auditCount = async (absenceId: string, action: string) => {
  const [{ n }] = await rows<{ n: number }>(sql`select count(*)::int as n from audit_log where action = ${action}
    and (entity_id = ${absenceId} or after->>'absenceId' = ${absenceId})`);
  return n;
};

type Outcome = { status: number; code?: string };
const outcome = (attempt: Promise<{ status: number }>): Promise<Outcome> => attempt
  .then((res) => ({ status: res.status }))
  .catch((err) => {
    if (err instanceof ApiError) return { status: err.status, code: err.body?.code as string | undefined };
    throw err;
  });

/** Olivia's leave from today with Omar as cover, running (her work moved) before the race starts. */
async function runningLeave(ids: string[]) {
  const today = londonToday();
  const absence = await leader.post('/api/absences', {
    staffId: 'staff_officer', from: today, to: addDays(today, 5), coverStaffId: 'staff_officer2', reason: 'Annual leave',
  });
  expect(await waitFor(() => holders(ids), (h) => h.every((a) => a === 'staff_officer2'))).toEqual(ids.map(() => 'staff_officer2'));
  return absence;
}

/** The finished workflow's view must agree with the absence row: one end, whoever made it. */
async function settled(absence: { id: string; workflowId: string }, ids: string[]) {
  const handle = stack.env.client.workflow.getHandle(absence.workflowId);
  await handle.result();
  const view = await handle.query(absenceQuery);
  const [row] = await rows<{ status: string; to: string }>(sql`select status::text, "to"::text from absences where id = ${absence.id}`);
  expect(view.status, absence.id).toBe(row.status);
  expect(view.to, absence.id).toBe(row.to);
  expect(view, absence.id).toMatchObject({ moved: ids.length, returned: ids.length });
  expect(await holders(ids), absence.id).toEqual(ids.map(() => 'staff_officer'));
  expect(await auditCount(absence.id, 'task.absence_returned'), absence.id).toBe(ids.length);
  expect(await auditCount(absence.id, 'absence.cancelled') + await auditCount(absence.id, 'absence.ended'), absence.id).toBe(1);
  return { view, row };
}

describe('changing the same leave at the same moment', () => {
  let ids: string[]; // Olivia's work: moved to Omar at the start of each leave and back at its end
  beforeAll(async () => { ids = await officersWork(2); });

  it('two leaders cancelling a running leave at once: one cancels, the other is told it is already cancelled, the work comes back once', async () => {
    for (let round = 0; round < 6; round++) {
      const absence = await runningLeave(ids);
      const results = await Promise.all([leader, admin].map((who) => outcome(who.request('POST', `/api/absences/${absence.id}/cancel`))));
      expect(results.filter((r) => r.status === 200), absence.id).toHaveLength(1);
      expect(results.filter((r) => r.status !== 200), absence.id).toEqual([{ status: 409, code: 'ABSENCE_CLOSED' }]);
      const { row } = await settled(absence, ids);
      expect(row.status).toBe('cancelled');
      expect(await auditCount(absence.id, 'absence.cancelled'), absence.id).toBe(1);
    }
  });

  it('a cancel and a shorten-to-today at once: whichever ends the leave first wins, and the other changes nothing', async () => {
    for (let round = 0; round < 6; round++) {
      const absence = await runningLeave(ids);
      const today = londonToday();
      const results = await Promise.all([
        outcome(leader.request('POST', `/api/absences/${absence.id}/cancel`)),
        outcome(admin.request('PUT', `/api/absences/${absence.id}`, { to: today })),
      ]);
      expect(results.filter((r) => r.status === 200), absence.id).toHaveLength(1);
      expect(results.filter((r) => r.status !== 200), absence.id).toEqual([{ status: 409, code: 'ABSENCE_CLOSED' }]);
      const { row } = await settled(absence, ids);
      const cancelWon = results[0].status === 200;
      expect(row, absence.id).toEqual(cancelWon ? { status: 'cancelled', to: addDays(today, 5) } : { status: 'ended', to: today });
      // A cancelled leave's dates are not changed afterwards.
      expect(await auditCount(absence.id, 'absence.changed'), absence.id).toBe(cancelWon ? 0 : 1);
    }
  });
});
