// Ward forms (issue 16): POST /api/ward-forms takes a ward's follow-up request (api/ward-forms.ts makes its pathway and
// first item); GET /api/ward-forms lists them with where each stands, read from its pathway and its first item.
import { z, type OpenAPIHono } from '@hono/zod-openapi';
import { sql } from 'drizzle-orm';
import { queryRows, type Queryable } from '../../db/client';
import { taskTypes, wardFormStatuses } from '../../domain';
import { onlyFor } from '../auth';
import type { AppDeps, AppEnv } from '../context';
import { notFound } from '../errors';
import { enumFilter, iso, listResource, type ListSpec } from '../list';
import { body, errors, json, listRoute, route, router, showRoute, signedIn } from '../openapi';
import { wardFormBody } from '../schemas';
import { receiveWardForm } from '../ward-forms';
import { terminalStages } from '../../workflows/pathway/context';

const str = z.string();
const strN = z.string().nullable();

export const wardFormRecord = z.object({
  id: str, referralId: str, patientId: str, patientName: str, nhsNumber: str, ward: str, dischargedOn: str, specialtyCode: str,
  clinicianId: str, clinicianName: str, followUpWithinWeeks: z.number().int(), bookBy: str, testsBefore: z.array(str), note: strN,
  intervalMet: z.boolean().openapi({ description: 'false: no follow-up slot was free within the interval at receipt, so the clinician decides' }),
  status: z.enum(wardFormStatuses).openapi({ description: 'to_book (in the Ward forms queue), with_clinician, booked, closed' }),
  taskId: strN, taskType: z.enum(taskTypes).nullable(), taskStatus: strN, escalationLevel: z.number().int(),
  receivedAt: str, dueAt: str.openapi({ description: 'To be actioned by: 48 hours of receipt, counted on working days' }),
  appointmentStart: strN.openapi({ description: 'The follow-up booked for this form, if any' }),
  otherOpenReferralIds: z.array(str).openapi({
    description: "The patient's other pathways in this specialty still open (not ended), oldest first: check them before booking a second follow-up",
  }),
}).openapi('WardForm');

const status = sql`case when r.state = 'awaiting_follow_up' then 'to_book' when r.state = 'awaiting_clinical_review' then 'with_clinician'
  when r.state in ('follow_up_booked', 'booked') then 'booked' else 'closed' end`;

export const wardFormListSpec: ListSpec<Record<string, unknown>> = {
  resource: 'ward-forms',
  select: sql`w.id, w.referral_id as "referralId", w.patient_id as "patientId", p.given_name || ' ' || p.family_name as "patientName",
    p.nhs_number as "nhsNumber", w.ward, w.discharged_on::text as "dischargedOn", w.specialty_code as "specialtyCode", w.clinician_id as "clinicianId",
    cs.name as "clinicianName", w.follow_up_within_weeks as "followUpWithinWeeks", w.book_by::text as "bookBy", w.tests_before as "testsBefore",
    n.body as note, w.interval_met as "intervalMet", ${status} as status, w.task_id as "taskId", t.type as "taskType", t.status as "taskStatus",
    coalesce(t.escalation_level, 0) as "escalationLevel", ${iso(sql`w.received_at`)} as "receivedAt", ${iso(sql`w.due_at`)} as "dueAt",
    (select ${iso(sql`min(a.start)`)} from appointments a where a.referral_id = w.referral_id and a.state <> 'cancelled_by_patient'
      and a.state <> 'cancelled_by_hospital') as "appointmentStart",
    array(select o.id from referrals o where o.patient_id = w.patient_id and o.specialty_code = w.specialty_code and o.id <> w.referral_id
      and o.state not in (${sql.join(terminalStages.map((s) => sql`${s}`), sql`, `)}) order by o.received_at, o.id) as "otherOpenReferralIds"`,
  from: sql`ward_forms w join referrals r on r.id = w.referral_id join patients p on p.id = w.patient_id join staff cs on cs.id = w.clinician_id
    left join notes n on n.id = w.note_id left join tasks t on t.id = w.task_id`,
  filters: {
    id: { column: sql`w.id` }, referralId: { column: sql`w.referral_id` }, patientId: { column: sql`w.patient_id` },
    specialtyCode: { column: sql`w.specialty_code` }, clinicianId: { column: sql`w.clinician_id` }, ward: { column: sql`w.ward` },
    status: enumFilter(status, wardFormStatuses), intervalMet: { column: sql`w.interval_met`, kind: 'bool' },
    receivedAt: { column: sql`w.received_at`, kind: 'timestamp' }, dischargedOn: { column: sql`w.discharged_on`, kind: 'date' },
  },
  search: [sql`w.ward`, sql`p.family_name`, sql`p.nhs_number`],
  sorts: { id: sql`w.id`, receivedAt: sql`w.received_at`, dueAt: sql`w.due_at`, bookBy: sql`w.book_by`, dischargedOn: sql`w.discharged_on`, ward: sql`w.ward` },
  defaultSort: ['dueAt', 'ASC'],
  tieBreak: sql`w.id`,
};

export async function readWardForm(db: Queryable, id: string) {
  const [row] = await queryRows(db, sql`select ${wardFormListSpec.select} from ${wardFormListSpec.from} where w.id = ${id}`);
  if (!row) throw notFound('ward form', id);
  return row;
}

const wardFormAnswer = z.object({
  wardForm: wardFormRecord,
  item: z.object({ id: str, type: z.enum(taskTypes), queueId: str, dueAt: str }).nullable()
    .openapi({ description: 'The work item made: book the follow-up (Ward forms queue), or the clinician\'s review when the interval cannot be met' }),
  pathwayStarted: z.boolean(),
}).openapi('WardFormReceived');

export function wardFormRoutes(deps: AppDeps & { today: () => string }): OpenAPIHono<AppEnv> {
  const { db } = deps;
  const now = deps.now ?? Date.now;
  return router()
    .openapi(listRoute('ward-forms', 'Ward forms received, with where each stands (filter status, specialtyCode, ward, clinicianId; q searches)', wardFormRecord),
      (c) => listResource(c, db, wardFormListSpec))
    .openapi(route({
      method: 'post', path: '/', tags: ['ward-forms'], operationId: 'receive_ward_form',
      summary: "Take a ward's follow-up request: a follow-up booking item in the Ward forms queue, due within 48 hours (working days)",
      description: '`patient` is the patient\'s id or their details as intake takes them. When no follow-up slot of the clinician (or the '
        + 'specialty, if they hold no clinic) is free by discharge + followUpWithinWeeks, the item is a clinical review for the clinician '
        + 'instead (never a later date without them). Honours Idempotency-Key.',
      middleware: onlyFor(['officer', 'team_leader', 'clinician', 'admin'], 'take ward forms'),
      request: { body: body(wardFormBody) },
      responses: {
        201: json('Received; its pathway started', wardFormAnswer), 202: json('Saved; its pathway starts as soon as Temporal answers', wardFormAnswer),
        200: json('A retry (same Idempotency-Key): the form first made', wardFormAnswer), ...errors(...signedIn, 422, 503),
      },
    }), async (c) => {
      const received = await receiveWardForm({ ...deps, now }, c.req.valid('json'), c.get('staff').id, c.get('idempotency'));
      const wardForm = await readWardForm(db, received.wardFormId) as Record<string, unknown>;
      const [item] = await queryRows<{ id: string; type: string; queueId: string; dueAt: string }>(db, sql`
        select id, type, queue_id as "queueId", ${iso(sql`due_at`)} as "dueAt" from tasks where id = ${wardForm.taskId as string}`);
      return c.json({ wardForm, item: item ?? null, pathwayStarted: received.pathwayStarted },
        !received.pathwayStarted ? 202 : received.created ? 201 : 200);
    })
    .openapi(showRoute('ward-forms', 'A ward form and where it stands', wardFormRecord), async (c) => c.json(await readWardForm(db, c.req.valid('param').id)));
}
