// On-the-day cancellations and the 28-day guarantee (issue 15) [rules §6, §4.4]. POST /api/admissions/:id/cancel takes
// the TCI back in one transaction: the offer cancelled, its theatre minutes freed, the admission waiting again; for a
// hospital non-clinical cancellation on the day, a cancelled_operations row, the rebook item (due by day 28) and the
// cancelledOperation workflow that escalates it; for any on-the-day cancellation, the freed time offered to the
// stand-by list (an offer_stand_by item naming the session and the candidates in the stand-by order). The RTT clock
// keeps running [rules §1.3]. GET /api/cancelled-operations, /summary and .csv report them.
import { z, type OpenAPIHono } from '@hono/zod-openapi';
import { WorkflowExecutionAlreadyStartedError } from '@temporalio/client';
import { and, eq, sql } from 'drizzle-orm';
import { queryRows, type Tx } from '../../db/client';
import { newId } from '../../db/ids';
import { admissions, cancelledOperations, cancelledOperationStatus, pathways, referrals, tasks, tciOffers, theatreSessions } from '../../db/schema';
import { writeAudit } from '../../activities/audit';
import { cancelledOperationWorkflowId } from '../../activities/cancelled-operations';
import { priorityRank, queueFor } from '../../activities/pathway';
import {
  cancelledOperationGuarantee, cancelledOperationStatuses, endOfWorkingDay, formatDayDate, isIsoDate, rebookItemDueAt, standByOffer,
  queueFor as routeFor, surgicalPriorities, taskTitles, type ReferralPriority, type StandByCandidate,
} from '../../domain';
import { cancelledOperation } from '../../workflows';
import { onlyFor } from '../auth';
import type { AppDeps, AppEnv } from '../context';
import { listCsv, type CsvColumn } from '../csv';
import { AppError, invalid, notFound } from '../errors';
import { enumFilter, listResource, type ListSpec } from '../list';
import { body, errors, idParams, json, listRoute, route, router, showRoute, signedIn } from '../openapi';
import { admissionRecord, readAdmission } from './stand-by';

const str = z.string();
const strN = z.string().nullable();

export const cancelOperationBody = z.object({
  onTheDay: z.boolean().openapi({ description: 'Cancelled on the day the patient was due in, after arrival, or on the day of surgery' }),
  reason: z.string().trim().min(1, 'say why the operation was cancelled').max(2000),
  clinical: z.boolean().openapi({ description: 'A clinical reason (the patient unfit on the day): no 28-day guarantee' }),
}).strict().openapi('CancelOperation');

export const cancelledOperationRecord = z.object({
  id: str, admissionId: str, referralId: str, patientName: str, specialtyCode: str, cancelledOn: str, operationDate: str, reason: str,
  rebookBy: str, rebookedOn: strN, rebookedFor: strN, breachedOn: strN, escalationLevel: z.number().int(), status: z.enum(cancelledOperationStatuses),
}).openapi('CancelledOperation');

const standByCandidate = z.object({
  admissionId: str, referralId: str, procedure: str, surgicalPriority: z.enum(surgicalPriorities), targetDate: str, estimatedMinutes: z.number().int(),
}).openapi('StandByCandidate');
const standByOfferRecord = z.object({
  taskId: str, theatreSessionId: str, listName: str, date: str, minutesFree: z.number().int(), candidates: z.array(standByCandidate),
}).openapi('StandByOffer');

const cancelResult = z.object({
  admission: admissionRecord,
  cancelledOperation: cancelledOperationRecord.nullable(),
  standByOffer: standByOfferRecord.nullable().openapi({ description: 'The freed theatre time offered to the stand-by list, when on the day and anyone fits' }),
}).openapi('CancelOperationResult');

export const cancelledOperationListSpec: ListSpec<Record<string, unknown>> = {
  resource: 'cancelled-operations',
  select: sql`co.id, co.admission_id as "admissionId", co.referral_id as "referralId", p.given_name || ' ' || p.family_name as "patientName", co.specialty_code as "specialtyCode",
    co.cancelled_on::text as "cancelledOn", co.operation_date::text as "operationDate", co.reason, co.rebook_by::text as "rebookBy",
    co.rebooked_on::text as "rebookedOn", co.rebooked_for::text as "rebookedFor", co.breached_on::text as "breachedOn",
    co.escalation_level as "escalationLevel", co.status`,
  from: sql`cancelled_operations co join patients p on p.id = co.patient_id`,
  filters: {
    id: { column: sql`co.id` }, admissionId: { column: sql`co.admission_id` }, referralId: { column: sql`co.referral_id` },
    specialtyCode: { column: sql`co.specialty_code` }, status: enumFilter(sql`co.status`, cancelledOperationStatus.enumValues),
    cancelledOn: { column: sql`co.cancelled_on`, kind: 'date' }, rebookBy: { column: sql`co.rebook_by`, kind: 'date' },
  },
  custom: {
    // The report's period: cancelled on or after `from`, on or before `to`.
    from: (v) => { if (!isIsoDate(v)) throw invalid('filter.from', 'must be a date (YYYY-MM-DD)'); return sql`co.cancelled_on >= ${v}::date`; },
    to: (v) => { if (!isIsoDate(v)) throw invalid('filter.to', 'must be a date (YYYY-MM-DD)'); return sql`co.cancelled_on <= ${v}::date`; },
  },
  sorts: { id: sql`co.id`, cancelledOn: sql`co.cancelled_on`, rebookBy: sql`co.rebook_by`, status: sql`co.status`, specialtyCode: sql`co.specialty_code` },
  defaultSort: ['cancelledOn', 'DESC'],
  tieBreak: sql`co.id`,
};

export const cancelledOperationCsv: CsvColumn<Record<string, unknown>>[] = [
  { header: 'Patient', value: (r) => r.patientName, freeText: true },
  { header: 'Specialty', value: (r) => r.specialtyCode },
  { header: 'Operation date', value: (r) => r.operationDate },
  { header: 'Cancelled on', value: (r) => r.cancelledOn },
  { header: 'Reason', value: (r) => r.reason, freeText: true },
  { header: 'Rebook by', value: (r) => r.rebookBy },
  { header: 'Rebooked on', value: (r) => r.rebookedOn },
  { header: 'New date', value: (r) => r.rebookedFor },
  { header: 'Status', value: (r) => ({ open: 'Open', rebooked: 'Rebooked', breached: 'Breached (not rebooked within 28 days)' } as Record<string, string>)[String(r.status)] },
];

const bookers = onlyFor(['officer', 'team_leader', 'admin'], 'cancel an operation');

type Candidate = StandByCandidate & { referralId: string };

/** The stand-by list of a specialty on a date, for the freed session: read inside the cancellation's transaction. */
async function standByCandidates(tx: Tx, specialtyCode: string, onDate: string, excludeId: string): Promise<Candidate[]> {
  return queryRows<Candidate>(tx, sql`select a.id, a.referral_id as "referralId", a.surgical_priority as "surgicalPriority",
      a.target_date::text as "targetDate", a.decided_on::text as "decidedOn", a.stand_by as "standBy", a.pre_op_status as "preOpStatus",
      a.pre_op_valid_until::text as "preOpValidUntil", a.estimated_minutes as "estimatedMinutes", a.specialty_code as "specialtyCode",
      a.procedure, a.status
    from admissions a where a.stand_by and a.specialty_code = ${specialtyCode} and a.status in ('waiting', 'cancelled') and a.id <> ${excludeId}
      and (a.pre_op_status = 'not_required' or (a.pre_op_status in ('fit', 'fit_with_conditions') and a.pre_op_valid_until >= ${onDate}::date))`);
}

/** Starts (or finds) the guarantee's workflow: its id is the cancelled operation's, so a second start is harmless. */
export async function startCancelledOperationWorkflow(deps: AppDeps, id: string, cancelledOn: string): Promise<void> {
  try {
    await deps.temporal.client.workflow.start(cancelledOperation, {
      workflowId: cancelledOperationWorkflowId(id), taskQueue: deps.temporal.taskQueue, args: [{ cancelledOperationId: id, cancelledOn }],
      workflowIdConflictPolicy: 'USE_EXISTING', workflowIdReusePolicy: 'REJECT_DUPLICATE',
    });
  } catch (err) {
    if (err instanceof WorkflowExecutionAlreadyStartedError) return;
    throw err;
  }
}

/** POST /api/admissions/:id/cancel. */
export function operationCancelRoutes(deps: AppDeps & { today: () => string }): OpenAPIHono<AppEnv> {
  const { db } = deps;
  const readCancelled = async (id: string) => {
    const [row] = await queryRows<z.infer<typeof cancelledOperationRecord>>(db,
      sql`select ${cancelledOperationListSpec.select} from ${cancelledOperationListSpec.from} where co.id = ${id}`);
    return row ?? null;
  };
  return router().openapi(route({
    method: 'post', path: '/{id}/cancel', tags: ['admissions'], operationId: 'cancel_operation',
    summary: 'Cancel a booked operation; on the day for a non-clinical reason, the 28-day guarantee starts',
    description: 'The TCI is cancelled and its theatre minutes freed; the admission waits for a date again (status `cancelled` under the '
      + 'guarantee, `waiting` otherwise) and the RTT clock keeps running. `onTheDay && !clinical`: a cancelled operation to rebook by day 28 '
      + '(a `rebook_cancelled_operation` item, escalated to the team leader at day 14 and operations at day 21; breached if day 28 passes). '
      + '`onTheDay`: the freed time is offered to the stand-by list (`offer_stand_by`). 409 ADMISSION_NOT_BOOKED if there is no TCI booked; '
      + '422 NOT_ON_THE_DAY (`errors.onTheDay`) before the TCI date.',
    middleware: bookers,
    request: { params: idParams("The admission's id"), body: body(cancelOperationBody) },
    responses: { 200: json('The admission, and what the cancellation started', cancelResult), ...errors(...signedIn, 404, 409, 422, 503) },
  }), async (c) => {
    const me = c.get('staff');
    const id = c.req.valid('param').id;
    const { onTheDay, reason, clinical } = c.req.valid('json');
    const today = deps.today();
    const guaranteed = onTheDay && !clinical;
    const done = await db.transaction(async (tx) => {
      // The admission row is the lock: of two cancellations at once the second finds nothing booked.
      const [adm] = await tx.select({ a: admissions, patientId: referrals.patientId, priority: referrals.priority, breachDate: pathways.breachDate })
        .from(admissions).innerJoin(referrals, eq(referrals.id, admissions.referralId)).leftJoin(pathways, eq(pathways.referralId, admissions.referralId))
        .where(eq(admissions.id, id)).for('update', { of: admissions });
      if (!adm) throw notFound('admission', id);
      const a = adm.a;
      if (a.status !== 'tci_booked' || !a.tciOfferId || !a.tciDate) {
        throw new AppError('ADMISSION_NOT_BOOKED', 'This operation has no TCI booked to cancel');
      }
      if (onTheDay && a.tciDate > today) {
        throw new AppError('NOT_ON_THE_DAY', `The TCI is on ${formatDayDate(a.tciDate)}: an on-the-day cancellation is recorded on the day`, { onTheDay: 'the TCI date is still to come' });
      }
      const now = new Date();
      // The minutes the TCI held go back to its session.
      const [offer] = await tx.select({ theatreSessionId: tciOffers.theatreSessionId, minutesHeld: tciOffers.minutesHeld })
        .from(tciOffers).where(eq(tciOffers.id, a.tciOfferId)).for('update');
      await tx.update(tciOffers).set({ status: 'cancelled', minutesHeld: 0, updatedAt: now }).where(eq(tciOffers.id, a.tciOfferId));
      const freed = offer?.minutesHeld ?? 0;
      let session: { id: string; listName: string; date: string; minutesFree: number } | null = null;
      const sessionId = offer?.theatreSessionId ?? a.theatreSessionId;
      if (sessionId) {
        const [s] = await tx.update(theatreSessions)
          .set({ minutesBooked: sql`greatest(${theatreSessions.minutesBooked} - ${freed}, 0)`, updatedAt: now })
          .where(eq(theatreSessions.id, sessionId))
          .returning({ id: theatreSessions.id, listName: theatreSessions.listName, date: theatreSessions.date,
            minutesFree: sql<number>`${theatreSessions.minutesAvailable} - ${theatreSessions.minutesBooked}` });
        session = s ?? null;
      }
      await tx.update(admissions).set({
        status: guaranteed ? 'cancelled' : 'waiting', tciOfferId: null, tciDate: null, theatreSessionId: null, ward: null,
        version: sql`${admissions.version} + 1`, updatedAt: now,
      }).where(eq(admissions.id, id));
      const g = guaranteed ? cancelledOperationGuarantee(today) : null;
      await writeAudit(tx, { actorId: me.id, action: 'admission.operation_cancelled', entityType: 'admission', entityId: id,
        before: { status: a.status, tciOfferId: a.tciOfferId, tciDate: a.tciDate, theatreSessionId: a.theatreSessionId },
        after: { status: guaranteed ? 'cancelled' : 'waiting', onTheDay, clinical, reason, rebookBy: g?.rebookBy ?? null, minutesFreed: freed } });
      const priority = adm.priority as ReferralPriority;
      const taskBase = { priority, priorityRank: priorityRank[priority], referralId: a.referralId, patientId: adm.patientId, breachDate: adm.breachDate ?? null };
      let cancelledId: string | null = null;
      if (g) {
        cancelledId = newId('cop');
        const workflowId = cancelledOperationWorkflowId(cancelledId);
        const rebookTaskId = newId('task');
        await tx.insert(tasks).values({
          ...taskBase, id: rebookTaskId, taskKey: `${cancelledId}:rebook_cancelled_operation`, type: 'rebook_cancelled_operation',
          title: taskTitles.rebook_cancelled_operation, dueAt: new Date(rebookItemDueAt(g)),
          queueId: await queueFor(tx, routeFor('rebook_cancelled_operation', priority, a.specialtyCode)), workflowId,
          payload: { specialtyCode: a.specialtyCode, admissionId: id, cancelledOperationId: cancelledId, procedure: a.procedure,
            surgicalPriority: a.surgicalPriority, cancelledOn: today, operationDate: a.tciDate, rebookBy: g.rebookBy },
        });
        await writeAudit(tx, { actorId: me.id, action: 'task.opened', entityType: 'task', entityId: rebookTaskId,
          after: { type: 'rebook_cancelled_operation', priority, rebookBy: g.rebookBy } });
        await tx.insert(cancelledOperations).values({
          id: cancelledId, admissionId: id, referralId: a.referralId, patientId: adm.patientId, tciOfferId: a.tciOfferId,
          theatreSessionId: sessionId, specialtyCode: a.specialtyCode, priority, operationDate: a.tciDate, cancelledOn: today, reason,
          rebookBy: g.rebookBy, rebookTaskId, workflowId, cancelledBy: me.id,
        });
      }
      // Freed time on the day goes to the stand-by list: the candidates in the stand-by order, named on one item.
      let standBy: z.infer<typeof standByOfferRecord> | null = null;
      if (onTheDay && session && session.minutesFree > 0) {
        const all = await standByCandidates(tx, a.specialtyCode, session.date, id);
        const picked = standByOffer(all, { specialtyCode: a.specialtyCode, onDate: session.date, minutesFree: session.minutesFree, excludeIds: [id] });
        if (picked.length) {
          const taskId = newId('task');
          const candidates = picked.map((p) => ({ admissionId: p.id, referralId: p.referralId, procedure: p.procedure, surgicalPriority: p.surgicalPriority,
            targetDate: p.targetDate, estimatedMinutes: p.estimatedMinutes }));
          await tx.insert(tasks).values({
            ...taskBase, id: taskId, taskKey: `${a.tciOfferId}:offer_stand_by`, type: 'offer_stand_by', title: taskTitles.offer_stand_by,
            // Freed time is only worth anything today: due by the end of the session's day.
            priority: 'urgent', priorityRank: priorityRank.urgent, dueAt: new Date(endOfWorkingDay(session.date)),
            queueId: await queueFor(tx, routeFor('offer_stand_by', 'urgent', a.specialtyCode)), workflowId: `referral-${a.referralId}`,
            referralId: picked[0]!.referralId, patientId: null, breachDate: null,
            payload: { specialtyCode: a.specialtyCode, theatreSessionId: session.id, listName: session.listName, date: session.date,
              minutesFree: session.minutesFree, candidates },
          });
          await writeAudit(tx, { actorId: me.id, action: 'task.opened', entityType: 'task', entityId: taskId,
            after: { type: 'offer_stand_by', theatreSessionId: session.id, minutesFree: session.minutesFree, candidates: candidates.length } });
          if (cancelledId) await tx.update(cancelledOperations).set({ standByTaskId: taskId }).where(eq(cancelledOperations.id, cancelledId));
          standBy = { taskId, theatreSessionId: session.id, listName: session.listName, date: session.date, minutesFree: session.minutesFree, candidates };
        }
      }
      return { cancelledId, standBy };
    });
    if (done.cancelledId) await startCancelledOperationWorkflow(deps, done.cancelledId, today);
    return c.json({
      admission: await readAdmission(db, id),
      cancelledOperation: done.cancelledId ? await readCancelled(done.cancelledId) : null,
      standByOffer: done.standBy,
    });
  });
}

const summaryQuery = z.object({
  from: z.string().refine(isIsoDate, 'must be a date (YYYY-MM-DD)').openapi({ description: 'Cancelled on or after', example: '2026-10-01' }),
  to: z.string().refine(isIsoDate, 'must be a date (YYYY-MM-DD)').openapi({ description: 'Cancelled on or before', example: '2026-12-31' }),
});
const summaryRecord = z.object({
  from: str, to: str, cancelled: z.number().int(), rebookedWithin28Days: z.number().int(), notRebookedWithin28Days: z.number().int(),
  open: z.number().int().openapi({ description: 'Still inside their 28 days with no new date' }),
}).openapi('CancelledOperationsSummary');

/** GET /api/cancelled-operations, /summary, /:id; GET /api/cancelled-operations.csv (mounted at /api). */
export function cancelledOperationRoutes(deps: AppDeps & { today: () => string }): OpenAPIHono<AppEnv> {
  const { db } = deps;
  return router()
    .openapi(route({
      method: 'get', path: '/summary', tags: ['cancelled-operations'], operationId: 'cancelled_operations_summary',
      summary: 'The quarterly return: operations cancelled on the day for non-clinical reasons, and how many were not rebooked within 28 days',
      request: { query: summaryQuery },
      responses: { 200: json('Counts for the period', summaryRecord), ...errors(...signedIn) },
    }), async (c) => {
      const { from, to } = c.req.valid('query');
      if (from > to) throw invalid('to', 'must not be before from');
      const [row] = await queryRows<{ cancelled: number; rebooked: number; breached: number; open: number }>(db, sql`select count(*)::int as cancelled,
          (count(*) filter (where status = 'rebooked'))::int as rebooked, (count(*) filter (where status = 'breached'))::int as breached,
          (count(*) filter (where status = 'open'))::int as open
        from cancelled_operations where cancelled_on between ${from}::date and ${to}::date`);
      return c.json({ from, to, cancelled: row.cancelled, rebookedWithin28Days: row.rebooked, notRebookedWithin28Days: row.breached, open: row.open });
    })
    .openapi(listRoute('cancelled-operations', 'Operations cancelled on the day for non-clinical reasons (filter from, to, status)', cancelledOperationRecord),
      (c) => listResource(c, db, cancelledOperationListSpec))
    .openapi(showRoute('cancelled-operations', 'A cancelled operation', cancelledOperationRecord), async (c) => {
      const id = c.req.valid('param').id;
      const [row] = await queryRows(db, sql`select ${cancelledOperationListSpec.select} from ${cancelledOperationListSpec.from} where co.id = ${id}`);
      if (!row) throw notFound('cancelled operation', id);
      return c.json(row);
    });
}

/** GET /api/cancelled-operations.csv: the report's list with its filters and order, every row. */
export function cancelledOperationExportRoutes(deps: AppDeps & { today: () => string }): OpenAPIHono<AppEnv> {
  return router().openapi(route({
    method: 'get', path: '/cancelled-operations.csv', tags: ['exports'], operationId: 'export_cancelled_operations',
    summary: "Cancelled operations as CSV (the list's filters and order, every row)",
    request: { query: z.object({ sort: z.string().optional(), filter: z.string().optional() }) },
    responses: { 200: { description: 'CSV, one line per row', content: { 'text/csv': { schema: z.string() } } }, ...errors(...signedIn) },
  }), (c) => listCsv(c, deps.db, cancelledOperationListSpec, cancelledOperationCsv, { filename: `cancelled-operations-${deps.today()}.csv` }));
}
