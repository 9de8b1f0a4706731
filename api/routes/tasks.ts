import { Hono } from 'hono';
import { and, eq, inArray, sql } from 'drizzle-orm';
import { z } from 'zod';
import { WorkflowNotFoundError, WorkflowUpdateFailedError } from '@temporalio/client';
import { ApplicationFailure } from '@temporalio/common';
import { queryRows, type Database, type Queryable } from '../../db/client';
import { staffOnLeaveSql } from '../../db/leave';
import { workOrderSql } from '../../db/work-order';
import { clinics, queueMembers, queues, referralPriority, slots, staff, tasks, taskStatus, taskType } from '../../db/schema';
import { writeAudit } from '../../activities/audit';
import { notWorking, queuesNotWorkedBy } from '../../activities/queue-membership';
import { isIsoDateTime, isStorableDate, snoozeUntilProblem, startOfWorkingDay } from '../../domain';
import { completeTaskUpdate } from '../../workflows';
import type { TaskOutcome, TaskType } from '../../workflows/types';
import { assertRole } from '../auth';
import { discardNoteIds, outcomeWithNoteIds } from '../notes';
import type { AppDeps, AppEnv, Role, SignedIn } from '../context';
import { AppError, invalid, notFound, type ErrorCode } from '../errors';
import { enumFilter, iso, listResource, whereFor, type ListSpec } from '../list';
import { assignBody, outcomeByTaskType } from '../schemas';
import { parseBody } from '../validate';

const select = sql`
  t.id, t.type, t.title, t.status, t.priority, ${iso(sql`t.due_at`)} as "dueAt", t.escalation_level as "escalationLevel",
  t.queue_id as "queueId", q.name as "queueName", t.assignee_id as "assigneeId", a.name as "assigneeName",
  t.referral_id as "referralId", t.patient_id as "patientId", p.given_name || ' ' || p.family_name as "patientName",
  p.nhs_number as "nhsNumber", t.payload->>'specialtyCode' as "specialtyCode", t.workflow_id as "workflowId",
  t.payload, t.outcome, t.version, ${iso(sql`t.created_at`)} as "createdAt", ${iso(sql`t.completed_at`)} as "completedAt",
  t.completed_by as "completedBy", ${iso(sql`t.snoozed_until`)} as "snoozedUntil", t.snooze_reason as "snoozeReason",
  t.breach_date::text as "breachDate"`;
const from = sql`tasks t join queues q on q.id = t.queue_id left join staff a on a.id = t.assignee_id left join patients p on p.id = t.patient_id`;

export const taskListSpec: ListSpec<Record<string, unknown>> = {
  resource: 'tasks',
  select,
  from,
  filters: {
    id: { column: sql`t.id` }, status: enumFilter(sql`t.status`, taskStatus.enumValues), type: enumFilter(sql`t.type`, taskType.enumValues), queueId: { column: sql`t.queue_id` },
    assigneeId: { column: sql`t.assignee_id` }, referralId: { column: sql`t.referral_id` }, patientId: { column: sql`t.patient_id` },
    priority: enumFilter(sql`t.priority`, referralPriority.enumValues), escalationLevel: { column: sql`t.escalation_level`, kind: 'number' },
    dueAt: { column: sql`t.due_at`, kind: 'timestamp' }, completedBy: { column: sql`t.completed_by` },
    completedAt: { column: sql`t.completed_at`, kind: 'timestamp' },
  },
  search: [sql`coalesce(p.given_name || ' ' || p.family_name, '')`, sql`coalesce(p.nhs_number, '')`, sql`t.title`],
  sorts: {
    priority: sql`t.priority_rank`, dueAt: sql`t.due_at`, createdAt: sql`t.created_at`, escalationLevel: sql`t.escalation_level`,
    type: sql`t.type`, status: sql`t.status`, id: sql`t.id`, completedAt: sql`t.completed_at`, breachDate: sql`t.breach_date`,
  },
  defaultSort: ['priority', 'ASC'],
  // Within any sort, the work order; sorted by priority, exactly the work order.
  tieBreak: { fixed: workOrderSql('t') },
  custom: {
    snoozed: (v) => (v === true || v === 'true' ? sql`t.snoozed_until > now()` : sql`(t.snoozed_until is null or t.snoozed_until <= now())`),
    escalated: (v) => (v === true || v === 'true' ? sql`t.escalation_level > 0` : sql`t.escalation_level = 0`),
  },
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
  SLOT_NOT_FOUND: 'SLOT_NOT_FOUND', SLOT_WRONG_TYPE: 'SLOT_WRONG_TYPE', SLOT_WRONG_CLINIC: 'SLOT_WRONG_CLINIC',
  SLOT_WRONG_SPECIALTY: 'SLOT_WRONG_SPECIALTY', PATHWAY_ENDED: 'PATHWAY_ENDED', RTT_RULE: 'RTT_RULE', NO_QUEUE: 'NO_QUEUE',
  NOTE_NOT_FOUND: 'NOTE_NOT_FOUND', VALIDATION_FAILED: 'VALIDATION_FAILED',
};

const MAX_BULK_MOVE = 20_000;

export const claimNextBody = z.object({ queueId: z.string().min(1).optional() });
export const snoozeBody = z.object({
  until: z.string().refine((v) => isStorableDate(v) || isIsoDateTime(v), 'must be a real date (YYYY-MM-DD) or an ISO date-time with a zone'),
  reason: z.string().trim().min(3, 'say why the item waits').max(500),
});
export const bulkAssignBody = z.object({
  ids: z.array(z.string().min(1)).min(1).max(MAX_BULK_MOVE).optional(),
  filter: z.record(z.string(), z.unknown()).optional(),
  assigneeId: z.string().min(1).optional(),
  queueId: z.string().min(1).optional(),
  confirmLeave: z.boolean().optional(),
}).refine((b) => (b.ids === undefined) !== (b.filter === undefined), { message: 'give either ids or filter', path: ['ids'] })
  .refine((b) => (b.assigneeId === undefined) !== (b.queueId === undefined), { message: 'give either assigneeId or queueId', path: ['assigneeId'] });

/** Someone on leave today (domain/leave.ts). */
export async function onLeave(db: Queryable, staffId: string, today: string): Promise<boolean> {
  const [row] = await queryRows<{ away: boolean }>(db, sql`select ${staffOnLeaveSql(staffId, today)} as away`);
  return row.away;
}

/**
 * Claims the first unassigned item of my queues in the work order (domain/work-order.ts). Row locks with
 * SKIP LOCKED make it atomic: however many officers claim at once, each item goes to exactly one of them.
 */
export async function claimNextTask(db: Database, staffId: string, queueId?: string,
  opts: { types?: readonly TaskType[]; anyQueue?: boolean } = {}): Promise<string | null> {
  return db.transaction(async (tx) => {
    const [next] = await queryRows<{ id: string; queue_id: string }>(tx, sql`
      select t.id, t.queue_id from tasks t
      where t.status = 'open' and t.assignee_id is null and (t.snoozed_until is null or t.snoozed_until <= now())
        ${opts.anyQueue && queueId ? sql`` : sql`and t.queue_id in (select queue_id from queue_members where staff_id = ${staffId})`}
        ${queueId ? sql`and t.queue_id = ${queueId}` : sql``}
        ${opts.types ? sql`and t.type in (${sql.join(opts.types.map((t) => sql`${t}`), sql`, `)})` : sql``}
      order by ${workOrderSql('t')}
      limit 1 for update skip locked`);
    if (!next) return null;
    await tx.update(tasks).set({ status: 'claimed', assigneeId: staffId, version: sql`${tasks.version} + 1`, updatedAt: new Date() }).where(eq(tasks.id, next.id));
    await writeAudit(tx, { actorId: staffId, action: 'task.claimed', entityType: 'task', entityId: next.id,
      before: { status: 'open', assigneeId: null }, after: { status: 'claimed', assigneeId: staffId, via: 'claim-next' } });
    return next.id;
  });
}

type AssignTo = { assigneeId?: string; queueId?: string; confirmLeave?: boolean };

/** The change a move makes, after the checks a team leader would expect: active, not on leave, in the item's team. */
async function assignment(db: Queryable, to: AssignTo, itemQueueIds: string[], today: string): Promise<Partial<typeof tasks.$inferInsert>> {
  if (to.queueId) {
    const [queue] = await db.select().from(queues).where(eq(queues.id, to.queueId));
    if (!queue) throw invalid('queueId', 'no such queue');
    return { queueId: queue.id, assigneeId: null, status: 'open' };
  }
  const [person] = await db.select().from(staff).where(eq(staff.id, to.assigneeId!));
  if (!person) throw invalid('assigneeId', 'no such member of staff');
  const refuse = (code: ErrorCode, why: string) => new AppError(code, `${person.name} ${why}`, { assigneeId: why });
  if (!person.active) throw refuse('ASSIGNEE_INACTIVE', 'is not active');
  if (!to.confirmLeave && (await onLeave(db, person.id, today))) throw refuse('ASSIGNEE_ON_LEAVE', 'is on leave; confirm to assign anyway');
  const outside = await queuesNotWorkedBy(db, person.id, itemQueueIds);
  if (outside.length) throw refuse('ASSIGNEE_NOT_IN_QUEUE', notWorking(outside, itemQueueIds.length));
  return { assigneeId: person.id, status: 'claimed' };
}

/**
 * Whether I may work on an item (claim, complete, snooze): team leaders and admins may act on any; the
 * person holding it may; anyone else only in a queue they work and only on a type their role completes.
 */
async function assertMayWork(db: Queryable, me: SignedIn, task: typeof tasks.$inferSelect) {
  if (leaders.includes(me.role) || task.assigneeId === me.id) return;
  if (!completers[task.type].includes(me.role)) {
    throw new AppError('FORBIDDEN', `A ${me.role.replace('_', ' ')} cannot work a ${task.type.replace(/_/g, ' ')} item`);
  }
  if ((await queuesNotWorkedBy(db, me.id, [task.queueId])).length) {
    throw new AppError('NOT_IN_QUEUE', 'You do not work the queue this item is in', { queueId: 'you do not work this queue' });
  }
}

/** Only the person holding an item (or a team leader) may act on it. */
function mayWorkOn(me: SignedIn, task: typeof tasks.$inferSelect) {
  if (task.status !== 'open' && task.status !== 'claimed') throw new AppError('TASK_NOT_OPEN', 'This work item is already done');
  if (task.assigneeId && task.assigneeId !== me.id && !leaders.includes(me.role)) throw new AppError('TASK_CLAIMED', 'Someone else is working on this item');
}

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
    .get('/', (c) => listResource(c, db, { ...taskListSpec, custom: { ...taskListSpec.custom, mine: mine(c.get('staff')) } }))
    .post('/claim-next', async (c) => {
      const me = c.get('staff');
      const body = await parseBody(c, claimNextBody);
      const leader = leaders.includes(me.role);
      if (body.queueId && !leader && (await queuesNotWorkedBy(db, me.id, [body.queueId])).length) {
        throw new AppError('NOT_IN_QUEUE', 'You do not work this queue', { queueId: 'you do not work this queue' });
      }
      if (await onLeave(db, me.id, deps.today!())) return c.body(null, 204);
      const types = leader ? undefined : (Object.keys(completers) as TaskType[]).filter((t) => completers[t].includes(me.role));
      const claimed = await claimNextTask(db, me.id, body.queueId, { types, anyQueue: leader });
      return claimed ? c.json(await record(claimed)) : c.body(null, 204);
    })
    .post('/bulk-assign', async (c) => {
      assertRole(c, leaders, 'reassign work');
      const me = c.get('staff');
      const body = await parseBody(c, bulkAssignBody);
      const ids = body.ids ?? (await queryRows<{ id: string }>(db, sql`select t.id from ${from}
        where ${whereFor(taskListSpec, body.filter!)} and t.status in ('open', 'claimed')`)).map((r) => r.id);
      if (ids.length === 0) return c.json({ moved: 0, ids: [] });
      if (ids.length > MAX_BULK_MOVE) {
        throw new AppError('RULE_REFUSED', `That is ${ids.length} items; move at most ${MAX_BULK_MOVE} at once (narrow the filter)`, { filter: 'matches too many items' });
      }
      const moved = await db.transaction(async (tx) => {
        const before = await tx.select({ id: tasks.id, queueId: tasks.queueId, assigneeId: tasks.assigneeId, status: tasks.status })
          .from(tasks).where(and(inArray(tasks.id, ids), inArray(tasks.status, ['open', 'claimed']))).for('update');
        if (before.length === 0) return [];
        const change = await assignment(tx, body, [...new Set(before.map((t) => t.queueId))], deps.today!());
        await tx.update(tasks).set({ ...change, version: sql`${tasks.version} + 1`, updatedAt: new Date() })
          .where(inArray(tasks.id, before.map((t) => t.id)));
        await writeAudit(tx, before.map((t) => ({ actorId: me.id, action: 'task.assigned', entityType: 'task', entityId: t.id,
          before: { queueId: t.queueId, assigneeId: t.assigneeId, status: t.status }, after: { ...change, bulk: true } })));
        return before.map((t) => t.id);
      });
      return c.json({ moved: moved.length, ids: moved });
    })
    .get('/:id', async (c) => c.json(await record(c.req.param('id'))))
    .post('/:id/complete', async (c) => {
      const me = c.get('staff');
      const task = await load(c.req.param('id'));
      assertRole(c, completers[task.type], `complete a ${task.type.replace(/_/g, ' ')} work item`);
      await assertMayWork(db, me, task);
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
      // An unknown clinic would fail inside the pathway's activity and hold the update until it times out.
      if ('clinicId' in outcome) {
        const [clinic] = await db.select({ id: clinics.id }).from(clinics).where(eq(clinics.id, outcome.clinicId));
        if (!clinic) throw invalid('clinicId', 'no such clinic');
      }
      // Notes and reasons go to Postgres; the workflow's history carries only their ids.
      const carried = await outcomeWithNoteIds(db, task, me.id, outcome);
      try {
        await deps.temporal.client.workflow.getHandle(task.workflowId)
          .executeUpdate(completeTaskUpdate, { args: [{ taskId: task.id, actorId: me.id, outcome: carried }] });
      } catch (err) {
        // Refused, or no pathway to take it: nothing will read this attempt's notes, so they go (a failed delete is
        // logged; the refusal is still the answer). Any other failure (a timeout, Temporal unavailable) leaves the
        // outcome unknown and the pathway may still apply the change and read them, so they stay.
        const refused = (err instanceof WorkflowUpdateFailedError && err.cause instanceof ApplicationFailure) || err instanceof WorkflowNotFoundError;
        if (refused) await discardNoteIds(db, task, me.id, carried).catch((e: unknown) => deps.logger.warn('could not discard refused notes',
          { taskId: task.id, error: e instanceof Error ? e.message : String(e) }));
        if (err instanceof WorkflowUpdateFailedError && err.cause instanceof ApplicationFailure) {
          const code = updateRefusals[err.cause.type ?? ''] ?? 'CONFLICT';
          const field = (err.cause.details?.[0] as { field?: string } | undefined)?.field;
          throw new AppError(code, err.cause.message, field ? { [field]: err.cause.message } : undefined);
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
      await assertMayWork(db, me, before);
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
    .post('/:id/snooze', async (c) => {
      const me = c.get('staff');
      const id = c.req.param('id');
      const before = await load(id);
      mayWorkOn(me, before);
      await assertMayWork(db, me, before);
      const body = await parseBody(c, snoozeBody);
      const bare = /^\d{4}-\d{2}-\d{2}$/.test(body.until);
      const asked = new Date(bare ? `${body.until}T00:00:00Z` : body.until);
      const problem = snoozeUntilProblem(asked.getTime(), Date.now());
      if (problem) throw invalid('until', problem);
      // A bare date wakes the item when the trust opens that day (or the next working day), not at UTC midnight.
      const until = bare ? new Date(startOfWorkingDay(body.until)) : asked;
      await db.transaction(async (tx) => {
        await tx.update(tasks).set({ snoozedUntil: until, snoozeReason: body.reason, version: sql`${tasks.version} + 1`, updatedAt: new Date() }).where(eq(tasks.id, id));
        await writeAudit(tx, { actorId: me.id, action: 'task.snoozed', entityType: 'task', entityId: id,
          before: { snoozedUntil: before.snoozedUntil }, after: { snoozedUntil: until.toISOString(), reason: body.reason } });
      });
      return c.json(await record(id));
    })
    .post('/:id/unsnooze', async (c) => {
      const me = c.get('staff');
      const id = c.req.param('id');
      const before = await load(id);
      mayWorkOn(me, before);
      await assertMayWork(db, me, before);
      await db.transaction(async (tx) => {
        await tx.update(tasks).set({ snoozedUntil: null, snoozeReason: null, version: sql`${tasks.version} + 1`, updatedAt: new Date() }).where(eq(tasks.id, id));
        await writeAudit(tx, { actorId: me.id, action: 'task.unsnoozed', entityType: 'task', entityId: id, before: { snoozedUntil: before.snoozedUntil }, after: { snoozedUntil: null } });
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
      if (body.version !== undefined && body.version !== before.version) {
        throw new AppError('STALE_VERSION', 'This work item changed since you loaded it; reload and try again');
      }
      const change = await assignment(db, body, [before.queueId], deps.today!());
      await db.transaction(async (tx) => {
        // The version guard makes a concurrent move lose cleanly rather than overwrite.
        const updated = await tx.update(tasks).set({ ...change, version: sql`${tasks.version} + 1`, updatedAt: new Date() })
          .where(and(eq(tasks.id, id), eq(tasks.version, before.version))).returning({ id: tasks.id });
        if (updated.length === 0) throw new AppError('STALE_VERSION', 'This work item changed while you were moving it; reload and try again');
        await writeAudit(tx, { actorId: me.id, action: 'task.assigned', entityType: 'task', entityId: id,
          before: { queueId: before.queueId, assigneeId: before.assigneeId, status: before.status }, after: change });
      });
      return c.json(await record(id));
    });
}

