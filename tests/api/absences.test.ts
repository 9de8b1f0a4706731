// Leave and cover through the API on real Postgres and the Temporal dev server: the checks a team leader
// meets when recording leave, who may do it, and the list contract.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sql } from 'drizzle-orm';
import { addDays } from '../../domain';
import { ApiError, type AccessDeskClient } from '../../bin/lib/api-client';
import { londonToday } from '../../bin/lib/system';
import { queryRows } from '../../db/client';
import { startTestStack, type TestStack } from '../support/stack';
import { refusal } from '../support/api';

let stack: TestStack;
let officer: AccessDeskClient;
let leader: AccessDeskClient;

beforeAll(async () => {
  stack = await startTestStack({ database: 'postgres', temporal: 'dev' });
  [officer, leader] = await Promise.all(['officer', 'leader'].map((who) => stack.signIn(`${who}@demo.nhs.uk`)));
});
afterAll(async () => { await stack?.stop(); });


const rows = <T = any>(query: ReturnType<typeof sql>) => queryRows<T>(stack.db.db, query);
const inDays = (n: number) => addDays(londonToday(), n);
const leave = (overrides: Record<string, unknown> = {}) => ({
  staffId: 'staff_officer2', from: inDays(30), to: inDays(34), coverStaffId: 'staff_officer', reason: 'Annual leave', ...overrides,
});

describe('recording leave', () => {
  it('records planned leave with cover, starts its workflow and audits it', async () => {
    const { status, body } = await leader.request('POST', '/api/absences', leave());
    expect(status).toBe(201);
    expect(body).toMatchObject({
      staffId: 'staff_officer2', staffName: 'Omar Officer', from: inDays(30), to: inDays(34), handover: 'cover',
      coverStaffId: 'staff_officer', coverStaffName: 'Olivia Officer', returnOnEnd: true, reason: 'Annual leave', status: 'planned',
      workflowId: `absence-${body.id}`,
    });
    expect(body.id).toMatch(/^abs_/);
    const view = await stack.env.client.workflow.getHandle(body.workflowId).query('absence');
    expect(view).toMatchObject({ status: 'planned', handover: 'cover', coverStaffId: 'staff_officer' });
    const [entry] = await rows(sql`select actor_id, after from audit_log where action = 'absence.recorded' and entity_id = ${body.id}`);
    expect(entry).toMatchObject({ actor_id: 'staff_leader', after: { staffId: 'staff_officer2', from: inDays(30), to: inDays(34) } });

    const shown = await officer.get(`/api/absences/${body.id}`);
    expect(shown).toMatchObject({ id: body.id, staffName: 'Omar Officer', reason: null }); // why someone is away is not for everyone
  });

  it('sends work back to the queue when no cover is named', async () => {
    const body = await leader.post('/api/absences', leave({ staffId: 'staff_ops', coverStaffId: undefined, returnOnEnd: false }));
    expect(body).toMatchObject({ handover: 'queue', coverStaffId: null, coverStaffName: null, returnOnEnd: false });
  });

  it.each([
    ['to', { to: inDays(29) }],
    ['to', { to: '2026-02-30' }],
    ['from', { from: 'next week' }],
    ['staffId', { staffId: 'staff_nobody' }],
    ['coverStaffId', { coverStaffId: 'staff_officer2' }],
    ['coverStaffId', { coverStaffId: 'staff_nobody' }],
    ['coverStaffId', { coverStaffId: undefined, handover: 'cover' }],
    ['reason', { reason: undefined }],
    ['handover', { handover: 'colleague' }],
  ])('refuses bad input naming the field %s', async (field, override) => {
    const err = await refusal(leader.post('/api/absences', leave(override)));
    expect(err.status).toBe(400);
    expect(err.body.code).toBe('VALIDATION_FAILED');
    expect(Object.keys(err.body.errors)).toContain(field);
    expect(err.body.message).toContain(field);
  });

  it('refuses leave that overlaps leave already recorded, and cover by someone away then', async () => {
    const clash = await refusal(leader.post('/api/absences', leave({ from: inDays(33), to: inDays(36) })));
    expect(clash.status).toBe(422);
    expect(clash.body.code).toBe('RULE_REFUSED');
    expect(clash.body.errors.from).toMatch(/already on leave/);
    const coverAway = await refusal(leader.post('/api/absences', leave({ staffId: 'staff_leader', coverStaffId: 'staff_officer2', from: inDays(32), to: inDays(40) })));
    expect(coverAway.status).toBe(422);
    expect(coverAway.body.errors.coverStaffId).toMatch(/on leave/);
  });

  it('only team leaders and admins record, preview, change or cancel leave', async () => {
    for (const attempt of [
      () => officer.post('/api/absences', leave({ staffId: 'staff_clinician' })),
      () => officer.post('/api/absences/preview', leave({ staffId: 'staff_clinician' })),
    ]) {
      const err = await refusal(attempt());
      expect(err.status).toBe(403);
      expect(err.body.code).toBe('FORBIDDEN');
    }
    const [mine] = await officer.list('absences', { filter: { staffId: 'staff_officer2' } });
    expect((await refusal(officer.post(`/api/absences/${mine.id}/cancel`))).status).toBe(403);
    expect((await refusal(officer.request('PUT', `/api/absences/${mine.id}`, { to: inDays(35) }))).status).toBe(403);
  });
});

describe('changing leave', () => {
  it('extends, then cancels a planned leave; a cancelled leave cannot change again', async () => {
    const absence = await leader.post('/api/absences', leave({ staffId: 'staff_clinician', coverStaffId: undefined, from: inDays(50), to: inDays(51) }));
    const extended = await leader.request('PUT', `/api/absences/${absence.id}`, { to: inDays(55) });
    expect(extended.status).toBe(200);
    expect(extended.body).toMatchObject({ to: inDays(55), status: 'planned' });
    const early = await refusal(leader.request('PUT', `/api/absences/${absence.id}`, { to: inDays(49) }));
    expect(early.status).toBe(400);
    expect(early.body.errors).toHaveProperty('to');

    const cancelled = await leader.request('POST', `/api/absences/${absence.id}/cancel`);
    expect(cancelled.status).toBe(200);
    expect(cancelled.body.status).toBe('cancelled');
    const audit = await rows<{ action: string }>(sql`select action from audit_log where entity_id = ${absence.id} order by id`);
    expect(audit.map((a) => a.action)).toEqual(['absence.recorded', 'absence.changed', 'absence.cancelled']);

    for (const again of [() => leader.post(`/api/absences/${absence.id}/cancel`), () => leader.request('PUT', `/api/absences/${absence.id}`, { to: inDays(52) })]) {
      const err = await refusal(again());
      expect(err.status).toBe(409);
      expect(err.body.code).toBe('ABSENCE_CLOSED');
    }
  });

  it('answers 404 for an absence that does not exist', async () => {
    for (const attempt of [
      () => leader.get('/api/absences/abs_nothing'),
      () => leader.post('/api/absences/abs_nothing/cancel'),
      () => leader.request('PUT', '/api/absences/abs_nothing', { to: inDays(3) }),
    ]) {
      const err = await refusal(attempt());
      expect(err.status).toBe(404);
      expect(err.body.code).toBe('NOT_FOUND');
    }
  });
});

describe('listing leave', () => {
  it('follows the list contract with staff names, filters and Content-Range', async () => {
    const all = await leader.request('GET', `/api/absences?${new URLSearchParams({ sort: JSON.stringify(['from', 'ASC']), range: JSON.stringify([0, 1]) })}`);
    expect(all.status).toBe(200);
    expect(all.headers.get('content-range')).toBe('absences 0-1/3');
    expect(all.body.map((a: any) => a.from)).toEqual([inDays(30), inDays(30)]);
    const planned = await leader.request('GET', `/api/absences?${new URLSearchParams({ filter: JSON.stringify({ staffId: 'staff_officer2', status: 'planned' }) })}`);
    expect(planned.headers.get('content-range')).toBe('absences 0-0/1');
    expect(planned.body[0]).toMatchObject({ staffName: 'Omar Officer', coverStaffName: 'Olivia Officer', reason: 'Annual leave' });
    const cancelled = await leader.list('absences', { filter: { status: ['cancelled'] } });
    expect(cancelled.map((a: any) => a.staffId)).toEqual(['staff_clinician']);
    const err = await refusal(leader.list('absences', { filter: { reason: 'x' } }));
    expect(err.status).toBe(400);
  });

  it('previews what would move: nothing for someone with no open work', async () => {
    const preview = await leader.post('/api/absences/preview', { staffId: 'staff_admin', from: inDays(1), to: inDays(2) });
    expect(preview).toEqual({ count: 0, items: [] });
  });
});
