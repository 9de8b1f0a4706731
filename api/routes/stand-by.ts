// The stand-by list (issue 15) [rules §6]: patients waiting for a date who will come in at short notice. Short-notice
// offers may be declined without effect, so being on it costs the patient nothing. The list shows those pre-op cleared
// (fit, or fit with conditions, and still valid today), in the stand-by order: surgical priority, target date, longest wait.
import { z, type OpenAPIHono } from '@hono/zod-openapi';
import { eq, sql } from 'drizzle-orm';
import { queryRows, type Queryable } from '../../db/client';
import { admissionStatus, admissions, preOpStatus } from '../../db/schema';
import { writeAudit } from '../../activities/audit';
import { admissionStatuses, intendedManagements, preOpStatuses, surgicalPriorities, waitingForDate } from '../../domain';
import { onlyFor } from '../auth';
import type { AppDeps, AppEnv } from '../context';
import { AppError, notFound } from '../errors';
import { enumFilter, listResource, type ListSpec } from '../list';
import { body, errors, idParams, json, listRoute, route, router, signedIn } from '../openapi';

const str = z.string();
const strN = z.string().nullable();

/** The admission record of the issue 15 contract (docs/api.md), as the stand-by list and the cancellation answer it. */
export const admissionRecord = z.object({
  id: str, referralId: str, patientName: str, specialtyCode: str, procedure: str, intendedManagement: z.enum(intendedManagements),
  surgicalPriority: z.enum(surgicalPriorities), consultantId: str, consultantName: strN, decidedOn: str, targetDate: str, breachDate: strN,
  status: z.enum(admissionStatuses), preOpRequired: z.boolean(), preOpStatus: z.enum(preOpStatuses), preOpValidUntil: strN,
  estimatedMinutes: z.number().int(), tciOfferId: strN, tciDate: strN, theatreSessionId: strN, ward: strN, standBy: z.boolean(),
  standByNoticeHours: z.number().int().nullable(), declinedReasonableOffers: z.number().int(), version: z.number().int(),
}).openapi('StandByAdmission');

// Surgical priority (the enum's order is P1a … P4), then target date, then the longest wait: the order freed time is offered in.
export const standByAdmissionSpec: ListSpec<Record<string, unknown>> = {
  resource: 'stand-by',
  select: sql`a.id, a.referral_id as "referralId", p.given_name || ' ' || p.family_name as "patientName", a.specialty_code as "specialtyCode", a.procedure,
    a.intended_management as "intendedManagement", a.surgical_priority as "surgicalPriority", a.consultant_id as "consultantId",
    cs.name as "consultantName", a.decided_on::text as "decidedOn", a.target_date::text as "targetDate", pw.breach_date::text as "breachDate",
    a.status, a.pre_op_required as "preOpRequired", a.pre_op_status as "preOpStatus", a.pre_op_valid_until::text as "preOpValidUntil",
    a.estimated_minutes as "estimatedMinutes", a.tci_offer_id as "tciOfferId", a.tci_date::text as "tciDate",
    a.theatre_session_id as "theatreSessionId", a.ward, a.stand_by as "standBy", a.stand_by_notice_hours as "standByNoticeHours",
    a.declined_reasonable_offers as "declinedReasonableOffers", a.version`,
  from: sql`admissions a join referrals r on r.id = a.referral_id join patients p on p.id = r.patient_id
    left join staff cs on cs.id = a.consultant_id left join pathways pw on pw.referral_id = a.referral_id`,
  filters: {
    id: { column: sql`a.id` }, referralId: { column: sql`a.referral_id` }, specialtyCode: { column: sql`a.specialty_code` },
    procedure: { column: sql`a.procedure` }, status: enumFilter(sql`a.status`, admissionStatus.enumValues),
    surgicalPriority: enumFilter(sql`a.surgical_priority`, surgicalPriorities), preOpStatus: enumFilter(sql`a.pre_op_status`, preOpStatus.enumValues),
  },
  search: [sql`a.procedure`],
  sorts: {
    id: sql`a.id`, surgicalPriority: sql`a.surgical_priority`, targetDate: sql`a.target_date`, decidedOn: sql`a.decided_on`,
    estimatedMinutes: sql`a.estimated_minutes`, procedure: sql`a.procedure`,
  },
  defaultSort: ['surgicalPriority', 'ASC'],
  tieBreak: { fixed: sql`a.target_date asc, a.decided_on asc, a.id asc` },
};

export async function readAdmission(db: Queryable, id: string) {
  const [row] = await queryRows(db, sql`select ${standByAdmissionSpec.select} from ${standByAdmissionSpec.from} where a.id = ${id}`);
  if (!row) throw notFound('admission', id);
  return row;
}

export const standByBody = z.object({
  available: z.boolean().openapi({ description: 'Will come in at short notice (true) or no longer (false)' }),
  noticeHours: z.number().int('a whole number of hours').min(0).max(24 * 14).optional()
    .openapi({ description: "The least notice the patient needs, in hours (e.g. 24: the day before)" }),
}).strict().openapi('StandBy');

/** POST /api/admissions/:id/stand-by. */
export function standByCommandRoutes(deps: AppDeps): OpenAPIHono<AppEnv> {
  const { db } = deps;
  return router().openapi(route({
    method: 'post', path: '/{id}/stand-by', tags: ['admissions'], operationId: 'set_stand_by',
    summary: 'Put the patient on the stand-by list (will come at short notice), or take them off',
    description: 'Only a patient waiting for a date (no TCI booked) goes on the list: 422 STAND_BY_NOT_CLEARED (`errors.available`) otherwise. '
      + 'They are offered freed theatre time once their pre-op assessment clears them.',
    middleware: onlyFor(['officer', 'team_leader', 'admin'], 'change the stand-by list'),
    request: { params: idParams("The admission's id"), body: body(standByBody) },
    responses: { 200: json('The admission', admissionRecord), ...errors(...signedIn, 404, 422) },
  }), async (c) => {
    const me = c.get('staff');
    const id = c.req.valid('param').id;
    const { available, noticeHours } = c.req.valid('json');
    await db.transaction(async (tx) => {
      const [a] = await tx.select({ status: admissions.status, standBy: admissions.standBy, noticeHours: admissions.standByNoticeHours })
        .from(admissions).where(eq(admissions.id, id)).for('update');
      if (!a) throw notFound('admission', id);
      if (available && !waitingForDate(a.status)) {
        throw new AppError('STAND_BY_NOT_CLEARED', 'Only a patient still waiting for a date can go on the stand-by list', { available: 'not waiting for a date' });
      }
      const after = { standBy: available, noticeHours: available ? noticeHours ?? null : null };
      await tx.update(admissions).set({ standBy: after.standBy, standByNoticeHours: after.noticeHours, version: sql`${admissions.version} + 1`, updatedAt: new Date() })
        .where(eq(admissions.id, id));
      await writeAudit(tx, { actorId: me.id, action: 'admission.stand_by_changed', entityType: 'admission', entityId: id,
        before: { standBy: a.standBy, noticeHours: a.noticeHours }, after });
    });
    return c.json(await readAdmission(db, id));
  });
}

/** GET /api/stand-by: admission records on the stand-by list, pre-op cleared today, in the stand-by order. */
export function standByListRoutes(deps: AppDeps & { today: () => string }): OpenAPIHono<AppEnv> {
  const { db } = deps;
  return router().openapi(
    listRoute('stand-by', 'The stand-by list: pre-op cleared patients who will come at short notice (filter procedure, specialtyCode)', admissionRecord),
    (c) => listResource(c, db, standByListSpec(deps.today()), { onStandByList: true }),
  );
}

/** The stand-by list's spec on a day: filter `onStandByList` keeps those on it and pre-op cleared that day (the list and its CSV). */
export function standByListSpec(today: string): ListSpec<Record<string, unknown>> {
  return {
    ...standByAdmissionSpec,
    custom: {
      onStandByList: () => sql`a.stand_by and a.status in ('waiting', 'cancelled') and (a.pre_op_status = 'not_required'
        or (a.pre_op_status in ('fit', 'fit_with_conditions') and a.pre_op_valid_until >= ${today}::date))`,
    },
  };
}
