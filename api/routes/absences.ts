// Leave and cover. Recording an absence starts its workflow, which owns the handover at the start and
// the hand-back at the end; cancelling or moving the last day goes through that workflow as an Update,
// so the leader sees the work back where it belongs in the same answer.
import { Hono } from 'hono';
import { eq, sql } from 'drizzle-orm';
import { z } from 'zod';
import { WorkflowNotFoundError, WorkflowUpdateFailedError } from '@temporalio/client';
import { ApplicationFailure } from '@temporalio/common';
import { absenceHandovers, isStorableDate, leaveProblem } from '../../domain';
import { queryRows, type Database } from '../../db/client';
import { newId } from '../../db/ids';
import { workOrderSql } from '../../db/work-order';
import { absenceHandover, absences, absenceStatus, staff } from '../../db/schema';
import { overlappingAbsences, workToHandOver } from '../../activities/absences';
import { writeAudit } from '../../activities/audit';
import { notWorking, queuesNotWorkedBy } from '../../activities/queue-membership';
import { changeAbsenceUpdate, staffAbsence } from '../../workflows';
import type { AbsenceChange, StaffAbsenceInput } from '../../workflows/staff-absence';
import { assertRole } from '../auth';
import type { AppDeps, AppEnv, Role, SignedIn } from '../context';
import { AppError, invalid, notFound } from '../errors';
import { enumFilter, iso, listResource, type ListSpec } from '../list';
import { parseBody } from '../validate';
import { taskListSpec } from './tasks';
import { describeError } from '../log';

const isoDate = z.string({ error: 'is required' }).refine((v) => isStorableDate(v), 'must be a real date written YYYY-MM-DD');
const leaveFields = {
  staffId: z.string({ error: 'is required' }).trim().min(1, 'is required'),
  from: isoDate,
  to: isoDate,
  coverStaffId: z.string().trim().min(1, 'choose a member of staff').nullish(),
  handover: z.enum(absenceHandovers).optional(),
  returnOnEnd: z.boolean().optional(),
};
export const absencePreviewBody = z.object(leaveFields);
export const createAbsenceBody = z.object({
  ...leaveFields,
  reason: z.string({ error: 'is required' }).trim().min(3, 'say why (e.g. annual leave)').max(500),
});
export const changeAbsenceBody = z.object({ to: isoDate });
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
    const outside = await queuesNotWorkedBy(db, cover.id, held.map((h) => h.queueId));
    if (outside.length) {
      const why = notWorking(outside, held.length);
      throw new AppError('ASSIGNEE_NOT_IN_QUEUE', `${cover.name} ${why}; choose cover who does, or send the work back to its queues`, { coverStaffId: why });
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

function refusalOf(err: unknown): unknown {
  if (err instanceof WorkflowUpdateFailedError && err.cause instanceof ApplicationFailure) {
    const message = err.cause.message;
    switch (err.cause.type) {
      case 'RULE_REFUSED': case 'LEAVE_ENDS_BEFORE_START': case 'LEAVE_SHORTEN_NOT_EARLIER': case 'LEAVE_EXTEND_NOT_LATER':
        return new AppError(err.cause.type, message, { to: message });
      case 'VALIDATION_FAILED':
      case 'INVALID': return new AppError('VALIDATION_FAILED', message);
      default: return new AppError('CONFLICT', message);
    }
  }
  if (err instanceof WorkflowNotFoundError) return new AppError('CONFLICT', 'This absence is no longer running');
  return err;
}

export function absenceRoutes(deps: AppDeps & { today: () => string }) {
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
      throw refusalOf(err);
    }
  };
  const stillOpen = (row: { status: string }) => {
    if (row.status === 'ended' || row.status === 'cancelled') {
      throw new AppError('CONFLICT', `This absence has already ${row.status === 'ended' ? 'ended' : 'been cancelled'}`);
    }
  };

  return new Hono<AppEnv>()
    .get('/', (c) => listResource(c, db, absenceListSpec(c.get('staff'))))
    .post('/preview', async (c) => {
      assertRole(c, leaders, 'plan staff leave');
      const plan = await parseBody(c, absencePreviewBody);
      await checkPlan(db, plan, deps.today());
      const items = await workToMove(db, plan.staffId);
      return c.json({ count: items.length, items });
    })
    .get('/:id', async (c) => c.json(await record(c.get('staff'), c.req.param('id'))))
    .post('/', async (c) => {
      assertRole(c, leaders, 'record staff leave');
      const me = c.get('staff');
      const body = await parseBody(c, createAbsenceBody);
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
    .post('/:id/cancel', async (c) => {
      assertRole(c, leaders, 'cancel staff leave');
      const me = c.get('staff');
      const row = await load(c.req.param('id'));
      stillOpen(row);
      await change(row.workflowId, { kind: 'cancel', actorId: me.id });
      return c.json(await record(me, row.id));
    })
    .put('/:id', async (c) => {
      assertRole(c, leaders, 'change staff leave');
      const me = c.get('staff');
      const row = await load(c.req.param('id'));
      const body = await parseBody(c, changeAbsenceBody);
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
