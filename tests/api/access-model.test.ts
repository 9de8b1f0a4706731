// The access model has one definition (domain/model.ts, work-order.ts, leave.ts): the database's enums and
// the OpenAPI document list the same values, and claim-next, the work list and the leave preview hand out
// work in the domain's work order, on real Postgres.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sql } from 'drizzle-orm';
import { createApp } from '../../api/app';
import { silentLogger } from '../../api/log';
import { queryRows } from '../../db/client';
import { onLeaveSql } from '../../db/leave';
import { tasks } from '../../db/schema';
import {
  absenceStatuses, accessModelEnums, addDays, clinicalRank, compareWorkOrder, escalatedRank, isOnLeave,
  type AbsenceStatus, type ReferralPriority, type WorkOrderKey,
} from '../../domain';
import { createDemoTrustDatabase, type TestDatabase } from '../support/database';
import { demoPassword } from '../support/stack';

const today = '2026-12-09';
// The document as the app serves it (only the route table is read: no database or Temporal).
const openApiDocument = await (await createApp({ db: {} as never, temporal: {} as never, logger: silentLogger }).request('/api/openapi.json')).json();
let db: TestDatabase;
let app: ReturnType<typeof createApp>;
const rows = <T = any>(query: ReturnType<typeof sql>) => queryRows<T>(db.db, query);

type Caller = (method: string, path: string, body?: unknown) => Promise<{ status: number; body: any }>;
async function signedIn(email: string): Promise<Caller> {
  const call = (method: string, path: string, body: unknown, cookie = '') => app.fetch(new Request(`http://app.test${path}`, {
    method, headers: { cookie, origin: 'http://app.test', 'content-type': 'application/json' }, body: body === undefined ? undefined : JSON.stringify(body),
  }));
  const login = await call('POST', '/api/auth/login', { email, password: demoPassword });
  const cookie = (login.headers.get('set-cookie') ?? '').split(';')[0];
  return async (method, path, body) => {
    const res = await call(method, path, body, cookie);
    const text = await res.text();
    return { status: res.status, body: text ? JSON.parse(text) : null };
  };
}

beforeAll(async () => {
  db = await createDemoTrustDatabase('postgres', demoPassword);
  // Claim-next, lists and the leave preview never reach Temporal.
  app = createApp({ db: db.db, temporal: { client: {} as never, taskQueue: 'unused' }, logger: silentLogger, today: () => today });
});
afterAll(async () => { await db?.drop(); });

// Outcomes and decisions are kept inside a task's outcome (jsonb), so they have no database enum.
const notStoredAsEnums = [
  'triage_decision', 'attendance_outcome', 'dna_review_decision', 'ptl_stage', 'validation_outcome', 'validation_field', 'monitoring_review_decision',
  'ptl_next_event_type', 'ptl_alert', 'cancer_breach_risk', 'told_at_booking_method', 'treatment_plan', 'clinical_review_decision',
  'interpreter_booking_outcome', 'contact_patient_outcome', 'pre_op_outcome', 'pre_op_review_decision',
  // Issue 16: the partial-booking review's decision (in the item's outcome) and the backlog's LCAD band (computed).
  'partial_booking_review_decision', 'lcad_band',
  'ward_form_status', 'cash_up_outcome', 'cash_up_result', // issue 16: read from the pathway, or a request's own words
];

describe('the database enums', () => {
  it('are the domain lists, value for value and in order', async () => {
    const found = await rows<{ name: string; values: string[] }>(sql`
      select t.typname as name, array_agg(e.enumlabel::text order by e.enumsortorder) as values
      from pg_enum e join pg_type t on t.oid = e.enumtypid join pg_namespace n on n.oid = t.typnamespace
      where n.nspname = 'public' group by t.typname order by t.typname`);
    const expected = Object.entries(accessModelEnums).filter(([name]) => !notStoredAsEnums.includes(name))
      .map(([name, values]) => ({ name, values: [...values] })).sort((a, b) => a.name.localeCompare(b.name));
    expect(found).toEqual(expected);
  });
});

describe('the OpenAPI document', () => {
  // Every enum the document lists, with where it is.
  const enums: { at: string; property: string; values: string[] }[] = [];
  (function walk(node: unknown, at: string, property: string) {
    if (Array.isArray(node)) node.forEach((child, i) => walk(child, `${at}[${i}]`, property));
    else if (node && typeof node === 'object') {
      for (const [key, child] of Object.entries(node)) {
        // A nullable enum lists null too (OpenAPI 3.0.3); the domain's list is the rest.
        if (key === 'enum' && Array.isArray(child)) enums.push({ at, property, values: child.filter((v) => v !== null) });
        else walk(child, `${at}.${key}`, key === 'properties' || key === 'items' ? property : key);
      }
    }
  })(openApiDocument, '', '');
  // The FHIR API's vocabularies are FHIR R4's value sets (issue type, link relation, status), not Access Desk's lists:
  // tests/api/fhir.test.ts checks those answers against the FHIR R4 schema.
  const ours = enums.filter(({ at }) => !at.startsWith('.components.schemas.Fhir') && !at.startsWith('.paths./fhir'));
  it('leaves out only the FHIR API\'s value sets', () => {
    expect(ours.length).toBeGreaterThan(50);
    expect(enums.length - ours.length).toBeLessThan(40);
  });
  const lists = Object.values(accessModelEnums).map((values) => [...values] as string[]);

  it('lists the priorities, sources and handovers it takes', () => {
    const properties = new Set(ours.map((e) => e.property));
    for (const property of ['priority', 'clinicalPriority', 'source', 'handover', 'outcome', 'decision']) expect(properties).toContain(property);
  });

  // Fields whose name says which list; any other enum (a `status`, a `kind`) must still be one of the lists, or one value of one.
  const byProperty: Record<string, readonly string[]> = {
    priority: accessModelEnums.referral_priority, clinicalPriority: accessModelEnums.referral_priority,
    source: accessModelEnums.referral_source, handover: accessModelEnums.absence_handover, role: accessModelEnums.staff_role,
    rttStatus: accessModelEnums.rtt_clock_status,
  };
  // An `outcome` is a clinic outcome, an FDS outcome, a contact's, an interpreter or contact-patient item's, a pre-op
  // assessment's (issue 15), a cash-up row's (issue 16): the whole of its list.
  const outcomeLists = [accessModelEnums.attendance_outcome, accessModelEnums.fds_outcome, accessModelEnums.contact_outcome,
    accessModelEnums.interpreter_booking_outcome, accessModelEnums.contact_patient_outcome, accessModelEnums.pre_op_outcome,
    accessModelEnums.cash_up_outcome].map((l) => [...l] as string[]);

  it.each(ours)('$at lists a domain list', ({ property, values }) => {
    if (values.every((v) => typeof v === 'boolean')) return; // a `true` the body must carry (patient confirmed), not a vocabulary
    if (values.every((v) => v === '')) return; // a blank that clears a contact detail, not a vocabulary
    if (values.length === 1) expect(lists.some((list) => list.includes(values[0]))).toBe(true);
    else if (property === 'outcome') expect(outcomeLists).toContainEqual(values);
    else if (byProperty[property]) expect(values).toEqual([...byProperty[property]]);
    else expect(lists).toContainEqual(values);
  });
});

describe('on leave on a date', () => {
  it('is the same in SQL as in the domain, for every status on the days around the leave', async () => {
    const cases = absenceStatuses.flatMap((status) => [
      { status, from: today, to: addDays(today, 4) },
      { status, from: addDays(today, -3), to: today },
      { status, from: addDays(today, -2), to: addDays(today, -1) },
      { status, from: addDays(today, 1), to: addDays(today, 2) },
    ]);
    const dates = [-4, -1, 0, 1, 5].map((d) => addDays(today, d));
    for (const date of dates) {
      const found = await rows<{ away: boolean }>(sql`
        select ${onLeaveSql('a', date)} as away
        from (values ${sql.join(cases.map((c, i) => sql`(${i}::int, ${c.status}::absence_status, ${c.from}::date, ${c.to}::date)`), sql`, `)})
          as a(n, status, "from", "to") order by n`);
      expect(found.map((r) => r.away), date).toEqual(cases.map((c) => isOnLeave(c, date)));
    }
    expect(cases.some((c) => isOnLeave(c, today)) && cases.some((c) => !isOnLeave(c, today))).toBe(true);
  });

  it('keeps work from someone on leave today: claim-next gives them nothing and says why', async () => {
    await rows(sql`insert into absences (id, staff_id, "from", "to", handover, reason, status, workflow_id)
      values ('abs_model', 'staff_ops', ${today}, ${addDays(today, 2)}, 'queue', 'Annual leave', 'planned', 'absence-abs_model')`);
    const ops = await signedIn('ops@demo.nhs.uk');
    await rows(sql`insert into tasks (id, task_key, type, title, priority, priority_rank, due_at, queue_id, workflow_id)
      values ('task_model_capacity', 'model:capacity', 'capacity_escalation', 'Capacity escalation', 'routine', 2, now(), 'queue_capacity', 'test-model')`);
    expect((await ops('POST', '/api/tasks/claim-next', {})).status).toBe(409); // ON_LEAVE (issue 11), not "nothing waiting"
    await rows(sql`update absences set status = 'cancelled' where id = 'abs_model'`);
    expect((await ops('POST', '/api/tasks/claim-next', {})).body.id).toBe('task_model_capacity');
  });
});

describe('the work order on real Postgres', () => {
  // Different priorities, breach dates and ages, one escalated item, and due times the other way round,
  // so any other order (by due time, or age before breach date) shows.
  const items: { name: string; priority: ReferralPriority; escalated?: boolean; breachDate: string | null; createdAt: string }[] = [
    { name: 'routine, breach 10 Jan, raised Oct', priority: 'routine', breachDate: '2027-01-10', createdAt: '2026-10-01' },
    { name: 'urgent, breach 1 Mar', priority: 'urgent', breachDate: '2027-03-01', createdAt: '2026-11-01' },
    { name: '2WW, latest breach', priority: 'two_week_wait', breachDate: '2027-04-01', createdAt: '2026-11-20' },
    { name: 'urgent, breach 1 Feb', priority: 'urgent', breachDate: '2027-02-01', createdAt: '2026-11-15' },
    { name: 'routine, breach 10 Jan, raised Sep', priority: 'routine', breachDate: '2027-01-10', createdAt: '2026-09-01' },
    { name: 'escalated routine, breach 20 Jan', priority: 'routine', escalated: true, breachDate: '2027-01-20', createdAt: '2026-11-25' },
    { name: 'urgent, no breach date, oldest', priority: 'urgent', breachDate: null, createdAt: '2026-01-01' },
    { name: 'routine, earliest breach, newest', priority: 'routine', breachDate: '2027-01-05', createdAt: '2026-11-28' },
  ];
  const expected = [
    '2WW, latest breach', 'escalated routine, breach 20 Jan', 'urgent, breach 1 Feb', 'urgent, breach 1 Mar',
    'urgent, no breach date, oldest', 'routine, earliest breach, newest', 'routine, breach 10 Jan, raised Sep', 'routine, breach 10 Jan, raised Oct',
  ];
  const idOf = (name: string) => `task_order_${items.findIndex((i) => i.name === name)}`;
  const names = (ids: string[]) => ids.map((id) => items[Number(id.slice('task_order_'.length))].name);

  beforeAll(async () => {
    await db.db.insert(tasks).values(items.map((item, i) => ({
      id: `task_order_${i}`, taskKey: `order:${i}`, type: 'book_new_appointment' as const, title: 'Book new appointment',
      priority: item.priority, priorityRank: item.escalated ? escalatedRank(clinicalRank(item.priority)) : clinicalRank(item.priority),
      escalationLevel: item.escalated ? 1 : 0, breachDate: item.breachDate, createdAt: new Date(`${item.createdAt}T09:00:00Z`),
      // Due the other way round: the first to work is due last.
      dueAt: new Date(Date.parse(`${today}T09:00:00Z`) + (items.length - expected.indexOf(item.name)) * 86_400_000),
      queueId: 'queue_rebooking', assigneeId: 'staff_officer2', status: 'claimed' as const, workflowId: 'test-order',
    })));
  });

  it('is the domain order', async () => {
    const keys = await rows<WorkOrderKey>(sql`select priority_rank as "priorityRank", breach_date::text as "breachDate",
      to_char(created_at at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"') as "createdAt", id from tasks where workflow_id = 'test-order'`);
    expect(names(keys.sort(compareWorkOrder).map((k) => k.id))).toEqual(expected);
  });

  it('the leave preview and the work list (by default and sorted by priority) show it', async () => {
    const leader = await signedIn('leader@demo.nhs.uk');
    const preview = await leader('POST', '/api/absences/preview', { staffId: 'staff_officer2', from: today, to: addDays(today, 2) });
    expect(preview.status).toBe(200);
    expect(names(preview.body.items.map((t: { id: string }) => t.id))).toEqual(expected);
    const filter = encodeURIComponent(JSON.stringify({ queueId: 'queue_rebooking', status: ['open', 'claimed'] }));
    const byDefault = await leader('GET', `/api/tasks?filter=${filter}&range=[0,99]`);
    expect(names(byDefault.body.map((t: { id: string }) => t.id))).toEqual(expected);
    const byPriority = await leader('GET', `/api/tasks?filter=${filter}&range=[0,99]&sort=${encodeURIComponent('["priority","ASC"]')}`);
    expect(names(byPriority.body.map((t: { id: string }) => t.id))).toEqual(expected);
    // Sorted by another field, the work order still breaks its ties.
    const byType = await leader('GET', `/api/tasks?filter=${filter}&range=[0,99]&sort=${encodeURIComponent('["type","DESC"]')}`);
    expect(names(byType.body.map((t: { id: string }) => t.id))).toEqual(expected);
  });

  it('claim-next hands it out', async () => {
    await rows(sql`update tasks set assignee_id = null, status = 'open' where workflow_id = 'test-order'`);
    const officer = await signedIn('officer@demo.nhs.uk');
    const claimed: string[] = [];
    for (const _ of items) claimed.push((await officer('POST', '/api/tasks/claim-next', { queueId: 'queue_rebooking' })).body.id);
    expect(names(claimed)).toEqual(expected);
    expect((await officer('POST', '/api/tasks/claim-next', { queueId: 'queue_rebooking' })).status).toBe(204);
    expect(idOf(expected[0])).toBe(claimed[0]);
  });
});
