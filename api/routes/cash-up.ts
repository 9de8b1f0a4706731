// Cash-up (issue 16) [rules §8]: a clinic's outcomes are recorded within 48 hours of the clinic. GET /api/cash-up lists
// the clinic sessions with appointments still without an outcome 48 hours on (their record-attendance items escalate
// on their own ladder as before: the holder told at 48 hours, the team leader at 96). GET /api/cash-up/:id is one
// session's appointments; POST /api/cash-up/:id outcomes a whole clinic in one pass, each appointment through its
// pathway (the record-attendance item's Update, or the cancellation Update for one the hospital cancelled). An
// appointment already outcomed is left as it is, so a repeat changes nothing.
import { z, type OpenAPIHono } from '@hono/zod-openapi';
import { and, eq, sql } from 'drizzle-orm';
import { queryRows, type Queryable } from '../../db/client';
import { newId } from '../../db/ids';
import { notes, tasks } from '../../db/schema';
import {
  appointmentKinds, appointmentStates, cashUpOutcomes, cashUpResults, clinicSessions, defaultAccessPolicy, parseClinicSessionId, taskTypes,
  type CashUpOutcome,
} from '../../domain';
import { cancelAppointmentUpdate, completeTaskUpdate } from '../../workflows';
import type { AttendanceOutcome, CancelAppointmentCommand } from '../../workflows/types';
import { onlyFor } from '../auth';
import type { AppDeps, AppEnv, SignedIn } from '../context';
import { AppError, fromWorkflowFailure, invalid, isWorkflowRefusal, notFound } from '../errors';
import { enumFilter, iso, listResource, type ListSpec } from '../list';
import { body, errors, idParams, json, listRoute, route, router, signedIn } from '../openapi';
import { cashUpBody } from '../schemas';
import { assertMayWork } from './tasks';

const str = z.string();
const strN = z.string().nullable();
const HOUR = 3_600_000;

export const cashUpSessionRecord = z.object({
  id: str.openapi({ description: 'The clinic session: clinic id, London date and half day (`clin_2~2026-11-27~am`)' }),
  clinicId: str, clinicName: str, specialtyCode: str, clinicianName: str, date: str, session: z.enum(clinicSessions),
  appointmentsWithoutOutcome: z.number().int(), firstStart: str,
  escalationLevel: z.number().int().openapi({ description: 'The highest rung its record-attendance items have reached (1: holder told, 2: team leader)' }),
}).openapi('CashUpSession');

const londonDay = sql`(a.start at time zone 'Europe/London')::date`;
const halfDay = sql`case when (a.start at time zone 'Europe/London')::time < time '13:00' then 'am' else 'pm' end`;
// The open record-attendance item of an appointment (its payload names the appointment).
const attendanceItem = sql`left join tasks t on t.referral_id = a.referral_id and t.type = 'record_attendance'
  and t.status in ('open', 'claimed') and t.payload->>'appointmentId' = a.id`;

/** Sessions with an appointment still booked (no outcome) whose start is 48 hours or more before `nowMs`. */
export function cashUpListSpec(nowMs: number): ListSpec<Record<string, unknown>> {
  const cutoff = new Date(nowMs - defaultAccessPolicy.outcomes.cashUpHours * HOUR).toISOString();
  return {
    resource: 'cash-up',
    select: sql`s.id, s."clinicId", s."clinicName", s."specialtyCode", s."clinicianName", s.date, s.session, s."appointmentsWithoutOutcome",
      ${iso(sql`s.first_start`)} as "firstStart", s."escalationLevel"`,
    from: sql`(select a.clinic_id || '~' || ${londonDay}::text || '~' || ${halfDay} as id, a.clinic_id as "clinicId", c.name as "clinicName",
        c.specialty_code as "specialtyCode", c.clinician_name as "clinicianName", ${londonDay}::text as date, ${halfDay} as session,
        count(*)::int as "appointmentsWithoutOutcome", min(a.start) as first_start, coalesce(max(t.escalation_level), 0)::int as "escalationLevel"
      from appointments a join clinics c on c.id = a.clinic_id ${attendanceItem}
      where a.state = 'booked' and a.start <= ${cutoff}::timestamptz
      group by a.clinic_id, c.name, c.specialty_code, c.clinician_name, ${londonDay}, ${halfDay}) s`,
    filters: {
      id: { column: sql`s.id` }, clinicId: { column: sql`s."clinicId"` }, specialtyCode: { column: sql`s."specialtyCode"` },
      date: { column: sql`s.date::date`, kind: 'date' }, session: enumFilter(sql`s.session`, clinicSessions),
    },
    search: [sql`s."clinicName"`, sql`s."clinicianName"`],
    sorts: { date: sql`s.first_start`, clinicName: sql`s."clinicName"`, appointmentsWithoutOutcome: sql`s."appointmentsWithoutOutcome"`, escalationLevel: sql`s."escalationLevel"` },
    defaultSort: ['date', 'ASC'],
    tieBreak: sql`s.id`,
  };
}

export const cashUpAppointment = z.object({
  appointmentId: str, referralId: str, patientName: str, nhsNumber: str, start: str, kind: z.enum(appointmentKinds), state: z.enum(appointmentStates),
  outcome: strN, taskId: strN.openapi({ description: 'The open record-attendance item' }), escalationLevel: z.number().int(),
}).openapi('CashUpAppointment');

export const cashUpSessionDetail = z.object({
  id: str, clinicId: str, clinicName: str, date: str, session: z.enum(clinicSessions), appointments: z.array(cashUpAppointment),
}).openapi('CashUpSessionDetail');

export const cashUpResult = z.object({
  id: str,
  results: z.array(z.object({
    appointmentId: str, outcome: z.enum(cashUpOutcomes),
    result: z.enum(cashUpResults).openapi({ description: 'already_recorded: it had an outcome before; nothing changed' }),
    code: strN, message: strN, raisedTask: z.object({ id: str, type: z.enum(taskTypes) }).nullable(),
  })),
  remaining: z.number().int().openapi({ description: 'Appointments of the session still without an outcome' }),
}).openapi('CashUpResult');

type SessionAppointment = z.infer<typeof cashUpAppointment> & { workflowId: string };

async function sessionAppointments(db: Queryable, id: string): Promise<{ clinicId: string; clinicName: string; date: string; session: 'am' | 'pm'; rows: SessionAppointment[] }> {
  const parsed = parseClinicSessionId(id);
  if (!parsed) throw notFound('clinic session', id);
  const [clinic] = await queryRows<{ name: string }>(db, sql`select name from clinics where id = ${parsed.clinicId}`);
  if (!clinic) throw notFound('clinic session', id);
  const rows = await queryRows<SessionAppointment>(db, sql`
    select a.id as "appointmentId", a.referral_id as "referralId", p.given_name || ' ' || p.family_name as "patientName", p.nhs_number as "nhsNumber",
      ${iso(sql`a.start`)} as start, a.kind, a.state, a.outcome, t.id as "taskId", coalesce(t.escalation_level, 0)::int as "escalationLevel",
      r.workflow_id as "workflowId"
    from appointments a join patients p on p.id = a.patient_id join referrals r on r.id = a.referral_id ${attendanceItem}
    where a.clinic_id = ${parsed.clinicId} and ${londonDay} = ${parsed.date}::date and ${halfDay} = ${parsed.session}
      and a.state <> 'cancelled_by_patient' and a.rebooked_appointment_id is null
    order by a.start, a.id`);
  return { clinicId: parsed.clinicId, clinicName: clinic.name, date: parsed.date, session: parsed.session, rows };
}

const outcomeFor: Record<Exclude<CashUpOutcome, 'cancelled_by_hospital'>, AttendanceOutcome['outcome']> = {
  // Attended and seen to the end in clinic: the clinic's treatment (RTT 30 on a running clock).
  attended: 'treated', did_not_attend: 'did_not_attend', follow_up: 'follow_up', discharged: 'discharged',
};

export function cashUpRoutes(deps: AppDeps): OpenAPIHono<AppEnv> {
  const { db } = deps;
  const now = deps.now ?? Date.now;
  const cashers = onlyFor(['officer', 'team_leader', 'clinician', 'admin'], 'record clinic outcomes');

  /** One appointment's outcome through its pathway; a refusal is this row's answer, not the whole request's. */
  async function apply(me: SignedIn, appt: SessionAppointment, row: { outcome: CashUpOutcome; followUpWeeks?: number; note?: string }) {
    const answer = { appointmentId: appt.appointmentId, outcome: row.outcome, code: null as string | null, message: null as string | null,
      raisedTask: null as { id: string; type: string } | null };
    if (appt.state !== 'booked') return { ...answer, result: 'already_recorded' as const };
    const noteId = row.note ? newId('note') : undefined;
    if (noteId) await db.insert(notes).values({ id: noteId, referralId: appt.referralId, taskId: appt.taskId, authorId: me.id, body: row.note! });
    try {
      if (row.outcome === 'cancelled_by_hospital') {
        const reasonNoteId = noteId ?? newId('note');
        if (!noteId) await db.insert(notes).values({ id: reasonNoteId, referralId: appt.referralId, authorId: me.id, body: 'Cancelled by the hospital (recorded at cash-up)' });
        const cmd: CancelAppointmentCommand = { appointmentId: appt.appointmentId, by: 'hospital', actorId: me.id, reasonNoteId, atCashUp: true };
        const result = await deps.temporal.client.workflow.getHandle(appt.workflowId).executeUpdate(cancelAppointmentUpdate, { args: [cmd] });
        return { ...answer, result: 'recorded' as const, raisedTask: result.raisedTaskId && result.raisedTaskType ? { id: result.raisedTaskId, type: result.raisedTaskType } : null };
      }
      if (!appt.taskId) throw new AppError('TASK_NOT_OPEN', 'This appointment has no open attendance item');
      const [task] = await db.select().from(tasks).where(eq(tasks.id, appt.taskId));
      await assertMayWork(db, me, task);
      if (task.assigneeId && task.assigneeId !== me.id && me.role !== 'team_leader' && me.role !== 'admin') {
        throw new AppError('TASK_CLAIMED', 'Someone else is working on this item');
      }
      const outcome: AttendanceOutcome = {
        outcome: outcomeFor[row.outcome], ...(row.outcome === 'follow_up' ? { followUpWeeks: row.followUpWeeks } : {}), ...(noteId ? { noteId } : {}),
      };
      const view = await deps.temporal.client.workflow.getHandle(appt.workflowId)
        .executeUpdate(completeTaskUpdate, { args: [{ taskId: task.id, actorId: me.id, outcome }] });
      return { ...answer, result: 'recorded' as const, raisedTask: view.openTaskId && view.openTaskType ? { id: view.openTaskId, type: view.openTaskType } : null };
    } catch (err) {
      if (noteId && (err instanceof AppError || isWorkflowRefusal(err))) {
        await db.delete(notes).where(and(eq(notes.id, noteId), eq(notes.authorId, me.id))).catch(() => undefined);
      }
      const known = err instanceof AppError ? err : fromWorkflowFailure(err, () => new AppError('TASK_NOT_OPEN', 'This pathway has ended'));
      if (!(known instanceof AppError) || known.status >= 500) throw known;
      // Another officer recorded it a moment ago: the appointment is no longer booked, so this one is done already.
      if (known.code === 'TASK_NOT_OPEN' || known.code === 'APPOINTMENT_NOT_CURRENT') {
        const [still] = await queryRows<{ state: string }>(db, sql`select state from appointments where id = ${appt.appointmentId}`);
        if (still && still.state !== 'booked') return { ...answer, result: 'already_recorded' as const };
      }
      return { ...answer, result: 'refused' as const, code: known.code, message: known.message };
    }
  }

  return router()
    .openapi(listRoute('cash-up', 'Clinic sessions with appointments still without an outcome 48 hours after the clinic (filter clinicId, specialtyCode, date)',
      cashUpSessionRecord), (c) => listResource(c, db, cashUpListSpec(now())))
    .openapi(route({
      method: 'get', path: '/{id}', tags: ['cash-up'], operationId: 'get_cash-up',
      summary: "A clinic session's appointments, with those still to outcome and their record-attendance items",
      request: { params: idParams('The clinic session (clinic~date~am|pm)', 'clin_2~2026-11-27~am') },
      responses: { 200: json('The session', cashUpSessionDetail), ...errors(...signedIn, 404) },
    }), async (c) => {
      const { rows, ...session } = await sessionAppointments(db, c.req.valid('param').id);
      return c.json({ id: c.req.valid('param').id, ...session, appointments: rows.map(({ workflowId: _w, ...r }) => r) });
    })
    .openapi(route({
      method: 'post', path: '/{id}', tags: ['cash-up'], operationId: 'cash_up_clinic_session',
      summary: 'Outcome a whole clinic session in one pass: attended (treated in clinic), did not attend, cancelled by the hospital, follow-up in N weeks, discharged',
      description: 'Each appointment goes through its pathway as its own outcome would; an appointment already outcomed answers '
        + '`already_recorded` and is not changed (a repeat changes nothing; Idempotency-Key replays the first answer). A pathway\'s '
        + 'refusal is that row\'s `refused` with its code. 400 naming `outcomes.N.appointmentId` for an appointment not in the session, '
        + '422 APPOINTMENT_NOT_STARTED for one still to start.',
      middleware: cashers,
      request: { params: idParams('The clinic session (clinic~date~am|pm)', 'clin_2~2026-11-27~am'), body: body(cashUpBody) },
      responses: { 200: json('Each appointment\'s answer', cashUpResult), ...errors(...signedIn, 404, 422, 503) },
    }), async (c) => {
      const me = c.get('staff');
      const id = c.req.valid('param').id;
      const { outcomes } = c.req.valid('json');
      const { rows } = await sessionAppointments(db, id);
      const byId = new Map(rows.map((r) => [r.appointmentId, r]));
      const seen = new Set<string>();
      outcomes.forEach((o, i) => {
        const appt = byId.get(o.appointmentId);
        if (!appt) throw invalid(`outcomes.${i}.appointmentId`, 'is not an appointment of this clinic session');
        if (seen.has(o.appointmentId)) throw invalid(`outcomes.${i}.appointmentId`, 'is named twice');
        seen.add(o.appointmentId);
        if (appt.state === 'booked' && Date.parse(appt.start) > now()) {
          throw new AppError('APPOINTMENT_NOT_STARTED', 'This appointment has not started yet: record the attendance once it has',
            { [`outcomes.${i}.appointmentId`]: 'has not started yet' });
        }
      });
      const results = [];
      for (const o of outcomes) results.push(await apply(me, byId.get(o.appointmentId)!, o));
      const [left] = await queryRows<{ n: number }>(db, sql`select count(*)::int as n from appointments
        where state = 'booked' and id in (${sql.join(rows.map((r) => sql`${r.appointmentId}`), sql`, `)})`);
      return c.json({ id, results, remaining: left?.n ?? 0 });
    });
}
