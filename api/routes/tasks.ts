import { z, type OpenAPIHono } from '@hono/zod-openapi';
import type { MiddlewareHandler } from 'hono';
import { and, eq, inArray, sql, type SQL } from 'drizzle-orm';
import { queryRows, type Database, type Queryable, type Tx } from '../../db/client';
import { staffOnLeaveSql } from '../../db/leave';
import { claimableSql, currentLeave, myWorkSql, type Worker } from '../../db/workable';
import { workOrderSql } from '../../db/work-order';
import { appointments, clinics, queues, referralPriority, staff, tasks, taskStatus, taskType } from '../../db/schema';
import { assertBreachConfirmed, assertWithinWardFormInterval, bookableSlot } from '../booking-checks';
import { writeAudit } from '../../activities/audit';
import type { AuditAction } from '../../domain/audit-actions';
import { assignmentNotice, notifyStaff } from '../../activities/staff-notifications';
import { namedQueues, notWorking, queuesNotWorkedBy } from '../../activities/queue-membership';
import { mayComplete, onLeaveMessage, snoozeUntilProblem, startOfWorkingDay, whoCompletes } from '../../domain';
import { WorkflowNotFoundError } from '@temporalio/client';
import { completeTaskUpdate } from '../../workflows';
import { startPathwayIfPending } from '../referral-intake';
import type { TaskOutcome } from '../../workflows/types';
import { onlyFor } from '../auth';
import { discardNoteIds, outcomeWithNoteIds } from '../notes';
import type { AppDeps, AppEnv, Role, SignedIn } from '../context';
import { AppError, forbiddenFor, fromWorkflowFailure, invalid, isWorkflowRefusal, notFound, taskTypeInWords, type ErrorCode } from '../errors';
import { enumFilter, iso, listResource, whereFor, type ListSpec } from '../list';
import { assignBody, attendanceOutcome, bookingOutcome, bulkAssignBody, claimNextBody, clinicalReviewOutcome, contactPatientOutcome, dnaReviewOutcome, partialBookingReviewOutcome,
  escalationOutcome, interpreterOutcome, MAX_BULK_MOVE, monitoringReviewOutcome, outcomeByTaskType, snoozeBody, triageOutcome, validationOutcome } from '../schemas';
import { body, errors, idParams, json, listRoute, registerSchema, route, router, showRoute, signedIn } from '../openapi';
import { bulkMoved, taskRecord } from '../records';
import { parseOutcome } from '../validate';
import { MAX_BODY_BYTES_EXTENSION, MAX_BULK_BODY_BYTES } from '../security';
import { completeSideItem, isSideItem, isStandaloneEscalation } from '../side-items';
import { communicationNeedsSql } from '../../db/communication-needs';

const select = sql`
  t.id, t.type, t.title, t.status, t.priority, ${iso(sql`t.due_at`)} as "dueAt", t.escalation_level as "escalationLevel",
  t.queue_id as "queueId", q.name as "queueName", t.assignee_id as "assigneeId", a.name as "assigneeName",
  t.referral_id as "referralId", t.patient_id as "patientId", p.given_name || ' ' || p.family_name as "patientName",
  p.nhs_number as "nhsNumber", t.payload->>'specialtyCode' as "specialtyCode", t.workflow_id as "workflowId",
  t.payload, t.outcome, t.version, ${iso(sql`t.created_at`)} as "createdAt", ${iso(sql`t.completed_at`)} as "completedAt",
  t.completed_by as "completedBy", ${iso(sql`t.snoozed_until`)} as "snoozedUntil", t.snooze_reason as "snoozeReason",
  t.breach_date::text as "breachDate", ${communicationNeedsSql(sql`p`)} as "communicationNeeds"`;
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
    specialtyCode: { column: sql`(t.payload->>'specialtyCode')` },
    breachDate: { column: sql`t.breach_date`, kind: 'date' }, // the home's "breaching this week"
  },
  search: [sql`coalesce(p.given_name || ' ' || p.family_name, '')`, sql`coalesce(p.nhs_number, '')`, sql`t.title`],
  sorts: {
    priority: sql`t.priority_rank`, dueAt: sql`t.due_at`, createdAt: sql`t.created_at`, escalationLevel: sql`t.escalation_level`,
    type: sql`t.type`, status: sql`t.status`, id: sql`t.id`, completedAt: sql`t.completed_at`, breachDate: sql`t.breach_date`,
  },
  defaultSort: ['priority', 'ASC'],
  // At 100,000 open items the exact count took twenty times the page; past 1,000 nobody pages by number.
  countCap: 1000,
  // Within any sort, the work order; sorted by priority, exactly the work order.
  tieBreak: { fixed: workOrderSql('t') },
  custom: {
    snoozed: (v) => (v === true || v === 'true' ? sql`t.snoozed_until > now()` : sql`(t.snoozed_until is null or t.snoozed_until <= now())`),
    escalated: (v) => (v === true || v === 'true' ? sql`t.escalation_level > 0` : sql`t.escalation_level = 0`),
    // The Escalations list: a leader's review or ops' capacity escalation, whatever else is filtered (type narrows it).
    escalation: (v) => (v === true || v === 'true'
      ? sql`t.type in ('escalation_review', 'capacity_escalation')` : sql`t.type not in ('escalation_review', 'capacity_escalation')`),
    // Still to work (open or claimed) or closed (done or cancelled): the Escalations list's Open/Closed.
    open: (v) => {
      if (v !== true && v !== 'true' && v !== false && v !== 'false') throw invalid('filter.open', 'must be true or false');
      return v === true || v === 'true' ? sql`t.status in ('open', 'claimed')` : sql`t.status in ('done', 'cancelled')`;
    },
  },
};

/** My work (db/workable.ts): `true` for My items, `'snoozed'` for the Snoozed tab, each what I may actually finish. */
export const mine = (me: SignedIn, now: Date) => (value: unknown) => {
  if (value === true || value === 'true') return myWorkSql('t', me, now, false);
  if (value === 'snoozed') return myWorkSql('t', me, now, true);
  if (value === false || value === 'false') return sql`true`;
  throw invalid('filter.mine', 'must be true, false or "snoozed"');
};

const leaders: Role[] = ['team_leader', 'admin'];

/** Someone on leave today (domain/leave.ts). */
export async function onLeave(db: Queryable, staffId: string, today: string): Promise<boolean> {
  const [row] = await queryRows<{ away: boolean }>(db, sql`select ${staffOnLeaveSql(staffId, today)} as away`);
  return row.away;
}

/**
 * Claims the first unassigned item of my queues in the work order (domain/work-order.ts). Row locks with
 * SKIP LOCKED make it atomic: however many officers claim at once, each item goes to exactly one of them.
 * One statement, as a job queue's fetch is (pg-boss's is the peer in tests/bench/work-queues.ts): the pick, the
 * claim and its audit entry commit together in one round trip instead of five (begin, select, update, insert, commit).
 */
export async function claimNextTask(db: Database, who: Worker, queueId?: string,
  opts: { anyQueue?: boolean; now?: Date; notOnLeaveOn?: string } = {}): Promise<string | null> {
  const [claimed] = await queryRows<{ id: string }>(db, claimNextSql(who, opts.now ?? new Date(), { queueId, anyQueue: opts.anyQueue }, opts.notOnLeaveOn));
  return claimed?.id ?? null;
}

/**
 * claimNextTask's one statement, answering the claimed item's id (no row when nothing waits). With `notOnLeaveOn`
 * (a date) it claims nothing for someone on leave that day, so the route asks about leave only when nothing came.
 */
export function claimNextSql(who: Worker, now: Date, scope: { queueId?: string; anyQueue?: boolean } = {}, notOnLeaveOn?: string): SQL {
  const action: AuditAction = 'task.claimed';
  const before = { status: 'open', assigneeId: null };
  const after = { status: 'claimed', assigneeId: who.id, via: 'claim-next' };
  return sql`
    with next as (
      select t.id from tasks t
      where ${claimableSql('t', who, now, scope)}${notOnLeaveOn ? sql` and not ${staffOnLeaveSql(who.id, notOnLeaveOn)}` : sql``}
      order by ${workOrderSql('t')}
      limit 1 for update skip locked
    ), claimed as (
      update tasks t set status = 'claimed', assignee_id = ${who.id}, version = t.version + 1, updated_at = now()
      from next where t.id = next.id
      returning t.id
    ), audited as (
      insert into audit_log (actor_id, action, entity_type, entity_id, before, after)
      select ${who.id}, ${action}, 'task', claimed.id, ${JSON.stringify(before)}::jsonb, ${JSON.stringify(after)}::jsonb from claimed
    )
    select id from claimed`;
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
  const refuse = (code: ErrorCode, why: string, named?: { id: string; name: string }[]) =>
    new AppError(code, `${person.name} ${why}`, { assigneeId: why }, named);
  if (!person.active) throw refuse('ASSIGNEE_INACTIVE', 'is not active');
  if (!to.confirmLeave && (await onLeave(db, person.id, today))) throw refuse('ASSIGNEE_ON_LEAVE', 'is on leave; confirm to assign anyway');
  const outside = await namedQueues(db, await queuesNotWorkedBy(db, person.id, itemQueueIds));
  if (outside.length) throw refuse('ASSIGNEE_NOT_IN_QUEUE', notWorking(outside), outside);
  return { assigneeId: person.id, status: 'claimed' };
}

/**
 * The person work was moved to hears of it in their inbox (issue 12), in the move's transaction; not a leader moving
 * work to themselves. Keyed by the first item's new version: a move is written once, and the next move is another.
 */
async function tellAssignee(tx: Tx, me: SignedIn, change: Partial<typeof tasks.$inferInsert>,
  moved: { id: string; version: number; title: string; referralId: string | null }[]) {
  if (!change.assigneeId || change.assigneeId === me.id || moved.length === 0) return;
  await notifyStaff(tx, assignmentNotice({ key: `assign:${moved[0].id}:v${moved[0].version + 1}`, to: change.assigneeId, by: me.name, items: moved }));
}

/**
 * Whether I may work on an item (claim, complete, snooze): team leaders and admins may act on any; the
 * person holding it may; anyone else only in a queue they work and only on a type their role completes.
 */
export async function assertMayWork(db: Queryable, me: SignedIn, task: typeof tasks.$inferSelect) {
  if (leaders.includes(me.role) || task.assigneeId === me.id) return;
  if (!mayComplete(me.role, task.type)) {
    throw new AppError('FORBIDDEN', whoCompletes(task.type));
  }
  if ((await queuesNotWorkedBy(db, me.id, [task.queueId])).length) {
    throw new AppError('NOT_IN_QUEUE', 'You do not work the queue this item is in', { queueId: 'you do not work this queue' });
  }
}

/** Attendance is recorded from the appointment's start (the pathway checks again in workflow time). */
async function assertAppointmentStarted(db: Database, payload: unknown, now: number) {
  const appointmentId = (payload as { appointmentId?: unknown } | null)?.appointmentId;
  if (typeof appointmentId !== 'string') return;
  const [appt] = await db.select({ start: appointments.start }).from(appointments).where(eq(appointments.id, appointmentId));
  if (appt && appt.start.getTime() > now) {
    throw new AppError('APPOINTMENT_NOT_STARTED', 'This appointment has not started yet: record the attendance once it has', { outcome: 'the appointment has not started' });
  }
}

/** Only the person holding an item (or a team leader) may act on it. */
function mayWorkOn(me: SignedIn, task: typeof tasks.$inferSelect) {
  if (task.status !== 'open' && task.status !== 'claimed') throw new AppError('TASK_NOT_OPEN', 'This work item is already done');
  if (task.assigneeId && task.assigneeId !== me.id && !leaders.includes(me.role)) throw new AppError('TASK_CLAIMED', 'Someone else is working on this item');
}

const taskId = idParams('The work item id (task_…)');
const taskOk = { 200: json('The work item as it now is', taskRecord) };
/** A command on one work item, answering the item as it now is. */
function command<B extends z.ZodType = z.ZodNever>(path: string, operationId: string, summary: string, also: number[],
  opts: { body?: B; middleware?: MiddlewareHandler<AppEnv> } = {}) {
  const request = { params: taskId, ...(opts.body ? { body: body(opts.body) } : {}) } as { params: typeof taskId; body: ReturnType<typeof body<B>> };
  return route({
    method: 'post', path, tags: ['tasks'], operationId, summary, request,
    ...(opts.middleware ? { middleware: opts.middleware } : {}),
    responses: { ...taskOk, ...errors(...signedIn, ...also) },
  });
}
// Each task type has its own outcome, checked once the item is loaded; the document lists them all.
const outcomes = {
  TriageOutcome: triageOutcome, BookingOutcome: bookingOutcome, AttendanceOutcome: attendanceOutcome,
  DnaReviewOutcome: dnaReviewOutcome, EscalationOutcome: escalationOutcome, ValidationOutcome: validationOutcome,
  MonitoringReviewOutcome: monitoringReviewOutcome, ClinicalReviewOutcome: clinicalReviewOutcome,
  InterpreterOutcome: interpreterOutcome, ContactPatientOutcome: contactPatientOutcome,
  PartialBookingReviewOutcome: partialBookingReviewOutcome,
};
const anyOutcome = z.unknown().openapi({ anyOf: Object.keys(outcomes).map((name) => ({ $ref: `#/components/schemas/${name}` })) });

export function taskRoutes(deps: AppDeps): OpenAPIHono<AppEnv> {
  const { db } = deps;
  const now = deps.now ?? Date.now;
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

  // Who may work an item is known before its body is read: 404, 403 and 409 come before 400.
  const mayWork: MiddlewareHandler<AppEnv> = async (c, next) => {
    const me = c.get('staff');
    const item = await load(c.req.param('id') ?? '');
    mayWorkOn(me, item);
    await assertMayWork(db, me, item);
    await next();
  };
  const app = router();
  for (const [name, schema] of Object.entries(outcomes)) registerSchema(app, name, schema);
  return app
    .openapi(listRoute('tasks', 'List work items', taskRecord), (c) => listResource(c, db, { ...taskListSpec, custom: { ...taskListSpec.custom, mine: mine(c.get('staff'), new Date(now())) } }))
    .openapi(route({
      method: 'post', path: '/claim-next', tags: ['tasks'], operationId: 'claim_next', summary: 'Claim the most urgent unassigned item of my queues',
      request: { body: body(claimNextBody) },
      responses: { 200: json('The item, now mine', taskRecord), 204: { description: 'Nothing waiting that I may finish' }, ...errors(...signedIn, 409) },
    }), async (c) => {
      const me = c.get('staff');
      const body = c.req.valid('json');
      const leader = leaders.includes(me.role);
      if (body.queueId && !leader && (await queuesNotWorkedBy(db, me.id, [body.queueId])).length) {
        throw new AppError('NOT_IN_QUEUE', 'You do not work this queue', { queueId: 'you do not work this queue' });
      }
      // Leave is checked inside the claim (one round trip fewer); only an empty answer asks why.
      const today = deps.today!();
      const claimed = await claimNextTask(db, me, body.queueId, { anyQueue: leader, now: new Date(now()), notOnLeaveOn: today });
      if (claimed) return c.json(await record(claimed));
      const leave = await currentLeave(db, me.id, today);
      if (leave) throw new AppError('ON_LEAVE', onLeaveMessage(leave));
      return c.body(null, 204);
    })
    .openapi(route({
      method: 'post', path: '/bulk-assign', tags: ['tasks'], operationId: 'bulk_assign', summary: 'Move many work items at once (team leaders)',
      middleware: onlyFor(leaders, 'reassign work'), request: { body: body(bulkAssignBody) }, [MAX_BODY_BYTES_EXTENSION]: MAX_BULK_BODY_BYTES,
      responses: { 200: json('What moved', bulkMoved), ...errors(...signedIn, 422) },
    }), async (c) => {
      const me = c.get('staff');
      const body = c.req.valid('json');
      const ids = body.ids ?? (await queryRows<{ id: string }>(db, sql`select t.id from ${from}
        where ${whereFor(taskListSpec, body.filter!)} and t.status in ('open', 'claimed')`)).map((r) => r.id);
      if (ids.length === 0) return c.json({ moved: 0, ids: [] });
      if (ids.length > MAX_BULK_MOVE) {
        throw new AppError('RULE_REFUSED', `That is ${ids.length} items; move at most ${MAX_BULK_MOVE} at once (narrow the filter)`, { filter: 'matches too many items' });
      }
      const moved = await db.transaction(async (tx) => {
        const before = await tx.select({ id: tasks.id, queueId: tasks.queueId, assigneeId: tasks.assigneeId, status: tasks.status,
          version: tasks.version, title: tasks.title, referralId: tasks.referralId })
          .from(tasks).where(and(inArray(tasks.id, ids), inArray(tasks.status, ['open', 'claimed']))).orderBy(tasks.id).for('update');
        if (before.length === 0) return [];
        const change = await assignment(tx, body, [...new Set(before.map((t) => t.queueId))], deps.today!());
        await tx.update(tasks).set({ ...change, version: sql`${tasks.version} + 1`, updatedAt: new Date() })
          .where(inArray(tasks.id, before.map((t) => t.id)));
        await writeAudit(tx, before.map((t) => ({ actorId: me.id, action: 'task.assigned', entityType: 'task', entityId: t.id,
          before: { queueId: t.queueId, assigneeId: t.assigneeId, status: t.status }, after: { ...change, bulk: true } })));
        await tellAssignee(tx, me, change, before.filter((t) => t.assigneeId !== change.assigneeId));
        return before.map((t) => t.id);
      });
      return c.json({ moved: moved.length, ids: moved });
    })
    .openapi(showRoute('tasks', 'A work item', taskRecord), async (c) => c.json(await record(c.req.valid('param').id)))
    .openapi(command('/{id}/complete', 'complete_task', "Complete a work item with its type's outcome", [404, 409, 422, 503],
      { body: anyOutcome }), async (c) => {
      const me = c.get('staff');
      const task = await load(c.req.valid('param').id);
      if (!mayComplete(me.role, task.type)) throw new AppError('FORBIDDEN', whoCompletes(task.type));
      await assertMayWork(db, me, task);
      if (task.status !== 'open' && task.status !== 'claimed') throw new AppError('TASK_NOT_OPEN', 'This work item is already done');
      if (task.assigneeId && task.assigneeId !== me.id && !leaders.includes(me.role)) {
        throw new AppError('TASK_CLAIMED', 'Someone else is working on this item');
      }
      const raw = c.req.valid('json') as { version?: unknown };
      const outcome = parseOutcome(outcomeByTaskType[task.type], raw) as TaskOutcome;
      if (raw.version !== undefined && raw.version !== task.version) {
        throw new AppError('STALE_VERSION', 'This work item changed since you opened it; reload and try again');
      }
      if (isSideItem(task.type) || isStandaloneEscalation(task)) {
        await completeSideItem(db, { ...task, type: task.type as Parameters<typeof completeSideItem>[1]['type'] },
          outcome as Parameters<typeof completeSideItem>[2], me.id);
        return c.json(await record(task.id));
      }
      if ('slotId' in outcome) {
        const slot = await bookableSlot(db, outcome.slotId, now());
        // A rebook after a hospital cancellation past the breach date needs a team leader (issue 10).
        if (task.type === 'rebook_appointment' && task.referralId) {
          await assertBreachConfirmed(db, me, task.referralId, slot.start, (outcome as { confirmPastBreach?: boolean }).confirmPastBreach);
        }
        if (task.type === 'book_follow_up' || task.type === 'rebook_appointment') await assertWithinWardFormInterval(db, task.id, slot.start);
      }
      if (task.type === 'record_attendance') await assertAppointmentStarted(db, task.payload, now());
      // An unknown clinic would fail inside the pathway's activity and hold the update until it times out.
      if ('clinicId' in outcome) {
        const [clinic] = await db.select({ id: clinics.id }).from(clinics).where(eq(clinics.id, outcome.clinicId));
        if (!clinic) throw invalid('clinicId', 'no such clinic');
      }
      // Notes and reasons go to Postgres; the workflow's history carries only their ids.
      const carried = await outcomeWithNoteIds(db, task, me.id, outcome);
      const decide = () => deps.temporal.client.workflow.getHandle(task.workflowId)
        .executeUpdate(completeTaskUpdate, { args: [{ taskId: task.id, actorId: me.id, outcome: carried }] });
      try {
        // A triage item saved while Temporal was away has no workflow yet: start it (idempotent) and decide once more.
        await decide().catch(async (err: unknown) => {
          if (!(err instanceof WorkflowNotFoundError) || !task.referralId || !(await startPathwayIfPending(deps, task.referralId))) throw err;
          await decide();
        });
      } catch (err) {
        // Refused, or no pathway to take it: nothing will read this attempt's notes, so they go (a failed delete is
        // logged; the refusal is still the answer). Any other failure (a timeout, Temporal unavailable) leaves the
        // outcome unknown and the pathway may still apply the change and read them, so they stay.
        if (isWorkflowRefusal(err)) await discardNoteIds(db, task, me.id, carried).catch((e: unknown) => deps.logger.warn('could not discard refused notes',
          { taskId: task.id, error: e instanceof Error ? e.message : String(e) }));
        throw fromWorkflowFailure(err, () => new AppError('TASK_NOT_OPEN', 'This pathway has ended'));
      }
      return c.json(await record(task.id));
    })
    .openapi(command('/{id}/claim', 'claim_task', 'Take a work item of a queue I work', [404, 409]), async (c) => {
      const me = c.get('staff');
      const id = c.req.valid('param').id;
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
    .openapi(command('/{id}/release', 'release_task', 'Put a work item back in its queue', [404, 409]), async (c) => {
      const me = c.get('staff');
      const id = c.req.valid('param').id;
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
    .openapi(command('/{id}/snooze', 'snooze_task', 'Hide a work item from claim-next until a date (at most 366 days ahead)', [404, 409],
      { body: snoozeBody, middleware: mayWork }), async (c) => {
      const me = c.get('staff');
      const id = c.req.valid('param').id;
      const before = await load(id);
      const body = c.req.valid('json');
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
    .openapi(command('/{id}/unsnooze', 'unsnooze_task', 'Show a snoozed work item again', [404, 409], { middleware: mayWork }), async (c) => {
      const me = c.get('staff');
      const id = c.req.valid('param').id;
      const before = await load(id);
      await db.transaction(async (tx) => {
        await tx.update(tasks).set({ snoozedUntil: null, snoozeReason: null, version: sql`${tasks.version} + 1`, updatedAt: new Date() }).where(eq(tasks.id, id));
        await writeAudit(tx, { actorId: me.id, action: 'task.unsnoozed', entityType: 'task', entityId: id, before: { snoozedUntil: before.snoozedUntil }, after: { snoozedUntil: null } });
      });
      return c.json(await record(id));
    })
    .openapi(command('/{id}/assign', 'assign_task', 'Move a work item to a person or queue (team leaders)', [404, 409, 422],
      { body: assignBody, middleware: onlyFor(leaders, 'reassign work') }), async (c) => {
      const me = c.get('staff');
      const id = c.req.valid('param').id;
      const body = c.req.valid('json');
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
        if (before.assigneeId !== change.assigneeId) await tellAssignee(tx, me, change, [before]);
      });
      return c.json(await record(id));
    });
}

