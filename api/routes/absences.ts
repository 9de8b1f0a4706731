// Leave and cover. Recording an absence starts its workflow, which owns the handover at the start and
// the hand-back at the end; cancelling or moving the last day goes through that workflow as an Update,
// so the leader sees the work back where it belongs in the same answer.
import type { OpenAPIHono } from '@hono/zod-openapi';
import { eq, sql } from 'drizzle-orm';
import type { z } from 'zod';
import { leaveProblem } from '../../domain';
import { queryRows, type Database } from '../../db/client';
import { newId } from '../../db/ids';
import { workOrderSql } from '../../db/work-order';
import { absenceHandover, absences, absenceStatus, staff } from '../../db/schema';
import { overlappingAbsences, workToHandOver } from '../../activities/absences';
import { writeAudit } from '../../activities/audit';
import { namedQueues, notWorking, queuesNotWorkedBy } from '../../activities/queue-membership';
import { changeAbsenceUpdate, staffAbsence } from '../../workflows';
import type { AbsenceChange, StaffAbsenceInput } from '../../workflows/staff-absence';
import { onlyFor } from '../auth';
import type { AppDeps, AppEnv, Role, SignedIn } from '../context';
import { AppError, fromWorkflowFailure, invalid, notFound } from '../errors';
import { enumFilter, iso, listResource, type ListSpec } from '../list';
import { body, errors, idParams, json, listRoute, route, router, showRoute, signedIn } from '../openapi';
import { absencePreview, absenceRecord } from '../records';
import { absencePreviewBody, changeAbsenceBody, createAbsenceBody } from '../schemas';
import { taskListSpec } from './tasks';
import { describeError } from '../log';

type LeavePlan = z.infer<typeof absencePreviewBody>;

const leaders: Role[] = ['team_leader', 'admin'];

const select = sql`
  a.id, a.staff_id as "staffId", s.name as "staffName", a."from"::text as "from", a."to"::text as "to", a.handover,
  a.cover_staff_id as "coverStaffId", c.name as "coverStaffName", a.return_on_end as "returnOnEnd", a.reason, a.status,
  a.workflow_id as "workflowId", ${iso(sql`a.created_at`)} as "createdAt"`;
const from = sql`absences a join staff s on s.id = a.staff_id left join staff c on c.id = a.cover_staff_id`;

export type AbsenceRecord = Record<string, unknown> & { staffId: string; reason: string | null };

/** Why someone is away is the leader's and their own business: other staff see that they are away and who covers. */
export const visibleTo = (me: SignedIn) => (row: AbsenceRecord): AbsenceRecord =>
  leaders.includes(me.role) || row.staffId === me.id ? row : { ...row, reason: null };

export const absenceListSpec = (me: SignedIn): ListSpec<AbsenceRecord> => ({
  resource: 'absences',
  select,
  from,
  filters: {
    id: { column: sql`a.id` }, staffId: { column: sql`a.staff_id` }, status: enumFilter(sql`a.status`, absenceStatus.enumValues),
    coverStaffId: { column: sql`a.cover_staff_id` }, handover: enumFilter(sql`a.handover`, absenceHandover.enumValues),
    from: { column: sql`a."from"`, kind: 'date' }, to: { column: sql`a."to"`, kind: 'date' },
  },
  search: [sql`s.name`, sql`coalesce(c.name, '')`],
  sorts: {
    id: sql`a.id`, from: sql`a."from"`, to: sql`a."to"`, status: sql`a.status`, createdAt: sql`a.created_at`,
    staffName: sql`s.name`, coverStaffName: sql`c.name`,
  },
  defaultSort: ['from', 'DESC'],
  tieBreak: sql`a.id`,
  map: visibleTo(me),
});

/** A plan the rules accept, with its defaults filled in; field errors first (400), then rule refusals (422). */
async function checkPlan(db: Database, plan: LeavePlan, today: string) {
  const problem = leaveProblem(plan.from, plan.to, today);
  if (problem) throw invalid(problem.field, problem.message);
  if (plan.to < today) throw invalid('to', 'is in the past');
  const coverStaffId = plan.coverStaffId ?? null;
  const handover = plan.handover ?? (coverStaffId ? 'cover' : 'queue');
  if (handover === 'cover' && !coverStaffId) throw invalid('coverStaffId', 'is required when work goes to a cover person');
  if (coverStaffId && coverStaffId === plan.staffId) throw invalid('coverStaffId', 'must be someone other than the person on leave');

  const [person] = await db.select().from(staff).where(eq(staff.id, plan.staffId));
  if (!person) throw invalid('staffId', 'no such member of staff');
  const [cover] = coverStaffId ? await db.select().from(staff).where(eq(staff.id, coverStaffId)) : [];
  if (coverStaffId && !cover) throw invalid('coverStaffId', 'no such member of staff');

  if (!person.active) throw new AppError('RULE_REFUSED', `${person.name} is not active`, { staffId: 'is not active' });
  const [clash] = await overlappingAbsences(db, person.id, plan.from, plan.to);
  if (clash) {
    const why = `is already on leave ${clash.from} to ${clash.to}`;
    throw new AppError('RULE_REFUSED', `${person.name} ${why}`, { from: why });
  }
  if (cover) {
    if (!cover.active) throw new AppError('RULE_REFUSED', `${cover.name} is not active`, { coverStaffId: 'is not active' });
    const [away] = await overlappingAbsences(db, cover.id, plan.from, plan.to);
    if (away) {
      const why = `is on leave ${away.from} to ${away.to}`;
      throw new AppError('RULE_REFUSED', `${cover.name} ${why}`, { coverStaffId: why });
    }
  }
  if (cover && handover === 'cover') {
    // The same check as "Move work": cover takes only items of queues they work.
    const held = await queryRows<{ queueId: string }>(db, sql`select distinct t.queue_id as "queueId" from tasks t where ${workToHandOver(person.id)}`);
    const outside = await namedQueues(db, await queuesNotWorkedBy(db, cover.id, held.map((h) => h.queueId)));
    if (outside.length) {
      const why = notWorking(outside);
      throw new AppError('ASSIGNEE_NOT_IN_QUEUE', `${cover.name} ${why}; choose cover who does, or send the work back to its queues`, { coverStaffId: why }, outside);
    }
  }
  return { person, cover: cover ?? null, handover, coverStaffId, returnOnEnd: plan.returnOnEnd ?? true };
}

/** The work that would move if the leave started now: the same selection the start of leave uses. */
async function workToMove(db: Database, staffId: string) {
  const rows = await queryRows<Record<string, unknown>>(db, sql`
    select ${taskListSpec.select} from ${taskListSpec.from} where ${workToHandOver(staffId)}
    order by ${workOrderSql('t')}`);
  return taskListSpec.map ? rows.map(taskListSpec.map) : rows;
}

const absenceId = idParams('The absence id (abs_…)');
const absenceOk = { 200: json('The absence as it now is', absenceRecord) };

export function absenceRoutes(deps: AppDeps & { today: () => string }): OpenAPIHono<AppEnv> {
  const { db } = deps;
  const record = async (me: SignedIn, id: string) => {
    const [row] = await queryRows<AbsenceRecord>(db, sql`select ${select} from ${from} where a.id = ${id}`);
    if (!row) throw notFound('absence', id);
    return visibleTo(me)(row);
  };
  const load = async (id: string) => {
    const [row] = await db.select({ id: absences.id, from: absences.from, to: absences.to, status: absences.status, workflowId: absences.workflowId })
      .from(absences).where(eq(absences.id, id));
    if (!row) throw notFound('absence', id);
    return row;
  };
  const change = async (workflowId: string, cmd: AbsenceChange) => {
    try {
      await deps.temporal.client.workflow.getHandle(workflowId).executeUpdate(changeAbsenceUpdate, { args: [cmd] });
    } catch (err) {
      throw fromWorkflowFailure(err, () => new AppError('ABSENCE_CLOSED', 'This absence is no longer running'));
    }
  };
  const stillOpen = (row: { status: string }) => {
    if (row.status === 'ended' || row.status === 'cancelled') {
      throw new AppError('ABSENCE_CLOSED', `This absence has already ${row.status === 'ended' ? 'ended' : 'been cancelled'}`);
    }
  };

  return router()
    .openapi(listRoute('absences', 'List staff leave', absenceRecord), (c) => listResource(c, db, absenceListSpec(c.get('staff'))))
    .openapi(route({
      method: 'post', path: '/preview', tags: ['absences'], operationId: 'preview_absence', summary: 'What would move if this leave were recorded',
      middleware: onlyFor(leaders, 'plan staff leave'), request: { body: body(absencePreviewBody) },
      responses: { 200: json('The work that would move', absencePreview), ...errors(...signedIn, 422) },
    }), async (c) => {
      const plan = c.req.valid('json');
      await checkPlan(db, plan, deps.today());
      const items = await workToMove(db, plan.staffId);
      return c.json({ count: items.length, items });
    })
    .openapi(showRoute('absences', 'A period of leave', absenceRecord), async (c) => c.json(await record(c.get('staff'), c.req.valid('param').id)))
    .openapi(route({
      method: 'post', path: '/', tags: ['absences'], operationId: 'record_absence', summary: 'Record leave with cover (team leaders)',
      middleware: onlyFor(leaders, 'record staff leave'), request: { body: body(createAbsenceBody) },
      responses: { 201: json('Recorded; its workflow started', absenceRecord), ...errors(...signedIn, 422, 503) },
    }), async (c) => {
      const me = c.get('staff');
      const body = c.req.valid('json');
      const plan = await checkPlan(db, body, deps.today());
      const id = newId('abs');
      const workflowId = `absence-${id}`;
      const input: StaffAbsenceInput = {
        absenceId: id, staffId: plan.person.id, from: body.from, to: body.to, handover: plan.handover,
        coverStaffId: plan.coverStaffId, returnOnEnd: plan.returnOnEnd,
      };
      await db.transaction(async (tx) => {
        await tx.insert(absences).values({
          id, staffId: input.staffId, from: input.from, to: input.to, handover: input.handover, coverStaffId: input.coverStaffId,
          returnOnEnd: input.returnOnEnd, reason: body.reason, workflowId, createdBy: me.id,
        });
        await writeAudit(tx, { actorId: me.id, action: 'absence.recorded', entityType: 'absence', entityId: id,
          after: { staffId: input.staffId, from: input.from, to: input.to, handover: input.handover, coverStaffId: input.coverStaffId,
            returnOnEnd: input.returnOnEnd, status: 'planned' } });
      });
      try {
        await deps.temporal.client.workflow.start(staffAbsence, {
          workflowId, taskQueue: deps.temporal.taskQueue, args: [input], workflowIdConflictPolicy: 'USE_EXISTING',
        });
      } catch (err) {
        // No workflow, no handover: an absence nobody would act on is withdrawn rather than left looking planned.
        await db.transaction(async (tx) => {
          const withdrawn = await tx.update(absences).set({ status: 'cancelled', updatedAt: new Date() })
            .where(eq(absences.id, id)).returning({ id: absences.id });
          if (withdrawn.length) await writeAudit(tx, { actorId: me.id, action: 'absence.cancelled', entityType: 'absence', entityId: id,
            before: { status: 'planned' }, after: { status: 'cancelled', note: 'could not start the absence workflow' } });
        });
        c.get('logger').error('could not start absence workflow', { absenceId: id, error: describeError(err) });
        throw new AppError('UNAVAILABLE', 'Leave could not be scheduled just now; nothing was changed. Try again shortly');
      }
      return c.json(await record(me, id), 201);
    })
    .openapi(route({
      method: 'post', path: '/{id}/cancel', tags: ['absences'], operationId: 'cancel_absence', summary: 'Cancel leave; moved work goes back at once',
      middleware: onlyFor(leaders, 'cancel staff leave'), request: { params: absenceId },
      responses: { ...absenceOk, ...errors(...signedIn, 404, 409, 503) },
    }), async (c) => {
      const me = c.get('staff');
      const row = await load(c.req.valid('param').id);
      stillOpen(row);
      await change(row.workflowId, { kind: 'cancel', actorId: me.id });
      return c.json(await record(me, row.id));
    })
    .openapi(route({
      method: 'put', path: '/{id}', tags: ['absences'], operationId: 'change_absence', summary: 'Shorten or extend leave (at most 366 days)',
      middleware: onlyFor(leaders, 'change staff leave'), request: { params: absenceId, body: body(changeAbsenceBody) },
      responses: { ...absenceOk, ...errors(...signedIn, 404, 409, 422, 503) },
    }), async (c) => {
      const me = c.get('staff');
      const row = await load(c.req.valid('param').id);
      const body = c.req.valid('json');
      stillOpen(row);
      const problem = leaveProblem(row.from, body.to, row.from);
      if (problem) throw invalid(problem.field, problem.message);
      if (body.to === row.to) return c.json(await record(me, row.id));
      if (body.to > row.to) {
        const [person] = await db.select({ staffId: absences.staffId }).from(absences).where(eq(absences.id, row.id));
        const [clash] = await overlappingAbsences(db, person.staffId, row.from, body.to, row.id);
        if (clash) throw new AppError('RULE_REFUSED', `Already on leave ${clash.from} to ${clash.to}`, { to: `overlaps leave ${clash.from} to ${clash.to}` });
      }
      await change(row.workflowId, { kind: body.to < row.to ? 'shorten' : 'extend', to: body.to, actorId: me.id });
      return c.json(await record(me, row.id));
    });
}
