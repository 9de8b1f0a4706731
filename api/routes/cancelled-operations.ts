// On-the-day cancellations and the 28-day guarantee (issue 15) [rules §6, §4.4]. POST /api/admissions/:id/cancel goes to
// the referral's pathway (the admittedCare Update), whose activity takes the TCI back in one transaction: the offer
// cancelled, its theatre minutes freed, the admission waiting again (a book_tci item), or, for a hospital non-clinical
// cancellation on the day, a cancelled_operations row and its rebook item (due by day 28), whose cancelledOperation
// workflow the pathway then starts; for any on-the-day cancellation, the freed time offered to the stand-by list (an
// offer_stand_by item naming the session and the candidates in the stand-by order). The RTT clock keeps running
// [rules §1.3]. GET /api/cancelled-operations, /summary and .csv report them.
import { z, type OpenAPIHono } from '@hono/zod-openapi';
import { eq, sql } from 'drizzle-orm';
import { queryRows } from '../../db/client';
import { admissions, cancelledOperationStatus, referrals, tasks } from '../../db/schema';
import { cancelledOperationStatuses, isIsoDate, surgicalPriorities } from '../../domain';
import { onlyFor } from '../auth';
import type { AppDeps, AppEnv } from '../context';
import { listCsv, type CsvColumn } from '../csv';
import { AppError, invalid, notFound } from '../errors';
import { enumFilter, listResource, type ListSpec } from '../list';
import { body, errors, idParams, json, listRoute, route, router, showRoute, signedIn } from '../openapi';
import { tellPathway, withNote } from './admitted';
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

/** POST /api/admissions/:id/cancel. */
export function operationCancelRoutes(deps: AppDeps & { today: () => string }): OpenAPIHono<AppEnv> {
  const { db } = deps;
  const readStandByOffer = async (taskId: string): Promise<z.infer<typeof standByOfferRecord> | null> => {
    const [t] = await db.select({ payload: tasks.payload }).from(tasks).where(eq(tasks.id, taskId));
    if (!t) return null;
    const p = t.payload as Omit<z.infer<typeof standByOfferRecord>, 'taskId'>;
    return { taskId, theatreSessionId: p.theatreSessionId, listName: p.listName, date: p.date, minutesFree: p.minutesFree, candidates: p.candidates };
  };
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
    const [entry] = await db.select({ referralId: admissions.referralId, workflowId: referrals.workflowId, status: admissions.status })
      .from(admissions).innerJoin(referrals, eq(referrals.id, admissions.referralId)).where(eq(admissions.id, id));
    if (!entry) throw notFound('admission', id);
    // Nothing booked: refused before the pathway is asked (which refuses it too, under its lock, for two at once).
    if (entry.status !== 'tci_booked') throw new AppError('ADMISSION_NOT_BOOKED', 'This operation has no TCI booked to cancel');
    // Through the pathway (its admitted entry, clock and items move together); the reason is a note, only its id goes to Temporal.
    // The pathway refuses a second cancellation (nothing booked), so no update id: a repeat gets 409, not the first answer.
    const done = await withNote(deps, entry.referralId, me.id, reason, (reasonNoteId) => tellPathway(deps, entry.workflowId, {
      kind: 'cancel_operation', actorId: me.id, admissionId: id, onTheDay, clinical, cancelledOn: deps.today(), reasonNoteId: reasonNoteId!,
    }));
    return c.json({
      admission: await readAdmission(db, id, deps.today()),
      cancelledOperation: done.cancelledOperationId ? await readCancelled(done.cancelledOperationId) : null,
      standByOffer: done.standByTaskId ? await readStandByOffer(done.standByTaskId) : null,
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
