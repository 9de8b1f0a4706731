import { Hono } from 'hono';
import { and, eq, sql } from 'drizzle-orm';
import { WorkflowNotFoundError, WorkflowUpdateFailedError } from '@temporalio/client';
import { ApplicationFailure } from '@temporalio/common';
import { queryRows } from '../../db/client';
import { queues, slots, staff, tasks } from '../../db/schema';
import { writeAudit } from '../../activities/audit';
import { completeTaskUpdate } from '../../workflows';
import type { TaskOutcome, TaskType } from '../../workflows/types';
import { assertRole } from '../auth';
import type { AppDeps, AppEnv, Role, SignedIn } from '../context';
import { AppError, invalid, notFound, type ErrorCode } from '../errors';
import { iso, listResource, type ListSpec } from '../list';
import { assignBody, outcomeByTaskType } from '../schemas';
import { parseBody } from '../validate';

const select = sql`
  t.id, t.type, t.title, t.status, t.priority, ${iso(sql`t.due_at`)} as "dueAt", t.escalation_level as "escalationLevel",
  t.queue_id as "queueId", q.name as "queueName", t.assignee_id as "assigneeId", a.name as "assigneeName",
  t.referral_id as "referralId", t.patient_id as "patientId", p.given_name || ' ' || p.family_name as "patientName",
  p.nhs_number as "nhsNumber", t.payload->>'specialtyCode' as "specialtyCode", t.workflow_id as "workflowId",
  t.payload, t.outcome, t.version, ${iso(sql`t.created_at`)} as "createdAt", ${iso(sql`t.completed_at`)} as "completedAt"`;
const from = sql`tasks t join queues q on q.id = t.queue_id left join staff a on a.id = t.assignee_id left join patients p on p.id = t.patient_id`;

export const taskListSpec: ListSpec<Record<string, unknown>> = {
  resource: 'tasks',
  select,
  from,
  filters: {
    id: { column: sql`t.id` }, status: { column: sql`t.status` }, type: { column: sql`t.type` }, queueId: { column: sql`t.queue_id` },
    assigneeId: { column: sql`t.assignee_id` }, referralId: { column: sql`t.referral_id` }, patientId: { column: sql`t.patient_id` },
    priority: { column: sql`t.priority` }, escalationLevel: { column: sql`t.escalation_level`, kind: 'number' },
    dueAt: { column: sql`t.due_at`, kind: 'timestamp' },
  },
  search: [sql`coalesce(p.given_name || ' ' || p.family_name, '')`, sql`coalesce(p.nhs_number, '')`, sql`t.title`],
  sorts: {
    priority: sql`t.priority_rank`, dueAt: sql`t.due_at`, createdAt: sql`t.created_at`, escalationLevel: sql`t.escalation_level`,
    type: sql`t.type`, status: sql`t.status`, id: sql`t.id`,
  },
  defaultSort: ['priority', 'ASC'],
  tieBreak: sql`t.due_at, t.id`,
};

const mine = (me: SignedIn) => (value: unknown) => (value === true || value === 'true'
  ? sql`(t.assignee_id = ${me.id} or (t.assignee_id is null and t.queue_id in (select queue_id from queue_members where staff_id = ${me.id})))`
  : sql`true`);

/** Who may record each kind of decision. */
const completers: Record<TaskType, Role[]> = {
  triage_referral: ['officer', 'team_leader', 'clinician', 'admin'],
  book_new_appointment: ['officer', 'team_leader', 'admin'],
  book_follow_up: ['officer', 'team_leader', 'admin'],
  record_attendance: ['officer', 'team_leader', 'clinician', 'admin'],
  dna_review: ['clinician', 'team_leader', 'admin'],
  escalation_review: ['team_leader', 'admin'],
  capacity_escalation: ['ops', 'admin'],
};
const leaders: Role[] = ['team_leader', 'admin'];

const updateRefusals: Partial<Record<string, ErrorCode>> = {
  SLOT_TAKEN: 'SLOT_TAKEN', TASK_NOT_OPEN: 'TASK_NOT_OPEN', TASK_BUSY: 'TASK_BUSY', RULE_REFUSED: 'RULE_REFUSED',
};

export function taskRoutes(deps: AppDeps) {
  const { db } = deps;
  const record = async (id: string) => {
    const [row] = await queryRows<Record<string, unknown>>(db, sql`select ${select} from ${from} where t.id = ${id}`);
    if (!row) throw notFound('work item', id);
    return row;
  };
  const load = async (id: string) => {
    const [row] = await db.select().from(tasks).where(eq(tasks.id, id));
    if (!row) throw notFound('work item', id);
    return row;
  };

  return new Hono<AppEnv>()
    .get('/', (c) => listResource(c, db, { ...taskListSpec, custom: { mine: mine(c.get('staff')) } }))
    .get('/:id', async (c) => c.json(await record(c.req.param('id'))))
    .post('/:id/complete', async (c) => {
      const me = c.get('staff');
      const task = await load(c.req.param('id'));
      assertRole(c, completers[task.type], `complete a ${task.type.replace(/_/g, ' ')} work item`);
      if (task.status !== 'open' && task.status !== 'claimed') throw new AppError('TASK_NOT_OPEN', 'This work item is already done');
      if (task.assigneeId && task.assigneeId !== me.id && !leaders.includes(me.role)) {
        throw new AppError('TASK_CLAIMED', 'Someone else is working on this item');
      }
      const outcome = await parseBody(c, outcomeByTaskType[task.type]) as TaskOutcome;
      const raw = (await c.req.json()) as { version?: unknown };
      if (raw.version !== undefined && raw.version !== task.version) {
        throw new AppError('STALE_VERSION', 'This work item changed since you opened it; reload and try again');
      }
      if ('slotId' in outcome) {
        const [slot] = await db.select({ id: slots.id }).from(slots).where(eq(slots.id, outcome.slotId));
        if (!slot) throw invalid('slotId', 'no such slot');
      }
      try {
        await deps.temporal.client.workflow.getHandle(task.workflowId)
          .executeUpdate(completeTaskUpdate, { args: [{ taskId: task.id, actorId: me.id, outcome }] });
      } catch (err) {
        if (err instanceof WorkflowUpdateFailedError && err.cause instanceof ApplicationFailure) {
          const code = updateRefusals[err.cause.type ?? ''] ?? 'CONFLICT';
          throw new AppError(code, err.cause.message, code === 'RULE_REFUSED' ? { slotId: err.cause.message } : undefined);
        }
        if (err instanceof WorkflowNotFoundError) throw new AppError('TASK_NOT_OPEN', 'This pathway has ended');
        throw err;
      }
      return c.json(await record(task.id));
    })
    .post('/:id/claim', async (c) => {
      const me = c.get('staff');
      const id = c.req.param('id');
      const before = await load(id);
      const claimed = await db.transaction(async (tx) => {
        const rows = await tx.update(tasks).set({ status: 'claimed', assigneeId: me.id, version: sql`${tasks.version} + 1`, updatedAt: new Date() })
          .where(and(eq(tasks.id, id), eq(tasks.status, 'open'), sql`(${tasks.assigneeId} is null or ${tasks.assigneeId} = ${me.id})`))
          .returning({ id: tasks.id });
        if (rows.length) await writeAudit(tx, { actorId: me.id, action: 'task.claimed', entityType: 'task', entityId: id,
          before: { status: before.status, assigneeId: before.assigneeId }, after: { status: 'claimed', assigneeId: me.id } });
        return rows.length > 0;
      });
      if (!claimed) {
        if (before.assigneeId === me.id && before.status === 'claimed') return c.json(await record(id));
        throw before.status === 'open' || before.status === 'claimed'
          ? new AppError('TASK_CLAIMED', 'Someone else is working on this item')
          : new AppError('TASK_NOT_OPEN', 'This work item is already done');
      }
      return c.json(await record(id));
    })
    .post('/:id/release', async (c) => {
      const me = c.get('staff');
      const id = c.req.param('id');
      const before = await load(id);
      if (before.status !== 'claimed' || (before.assigneeId !== me.id && !leaders.includes(me.role))) {
        throw new AppError('CONFLICT', 'Only the person working on this item can release it');
      }
      await db.transaction(async (tx) => {
        await tx.update(tasks).set({ status: 'open', assigneeId: null, version: sql`${tasks.version} + 1`, updatedAt: new Date() }).where(eq(tasks.id, id));
        await writeAudit(tx, { actorId: me.id, action: 'task.released', entityType: 'task', entityId: id,
          before: { status: before.status, assigneeId: before.assigneeId }, after: { status: 'open', assigneeId: null } });
      });
      return c.json(await record(id));
    })
    .post('/:id/assign', async (c) => {
      assertRole(c, leaders, 'reassign work');
      const me = c.get('staff');
      const id = c.req.param('id');
      const body = await parseBody(c, assignBody);
      const before = await load(id);
      if (before.status !== 'open' && before.status !== 'claimed') throw new AppError('TASK_NOT_OPEN', 'This work item is already done');
      let change: Partial<typeof tasks.$inferInsert>;
      if ('assigneeId' in body) {
        const [person] = await db.select().from(staff).where(eq(staff.id, body.assigneeId));
        if (!person) throw invalid('assigneeId', 'no such member of staff');
        if (!person.active) throw new AppError('RULE_REFUSED', `${person.name} is not active`, { assigneeId: 'is not active' });
        change = { assigneeId: person.id, status: 'claimed' };
      } else {
        const [queue] = await db.select().from(queues).where(eq(queues.id, body.queueId));
        if (!queue) throw invalid('queueId', 'no such queue');
        change = { queueId: queue.id, assigneeId: null, status: 'open' };
      }
      await db.transaction(async (tx) => {
        await tx.update(tasks).set({ ...change, version: sql`${tasks.version} + 1`, updatedAt: new Date() }).where(eq(tasks.id, id));
        await writeAudit(tx, { actorId: me.id, action: 'task.assigned', entityType: 'task', entityId: id,
          before: { queueId: before.queueId, assigneeId: before.assigneeId, status: before.status }, after: change });
      });
      return c.json(await record(id));
    });
}

