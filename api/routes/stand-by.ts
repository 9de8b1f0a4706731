// The stand-by list (issue 15) [rules §6]: patients waiting for a date who will come in at short notice. Short-notice
// offers may be declined without effect, so being on it costs the patient nothing. The list shows those pre-op cleared
// (fit, or fit with conditions, and still valid today), in the stand-by order: surgical priority, target date, longest wait.
import { z, type OpenAPIHono } from '@hono/zod-openapi';
import { eq, sql } from 'drizzle-orm';
import { admissions } from '../../db/schema';
import { writeAudit } from '../../activities/audit';
import { waitingForDate } from '../../domain';
import { onlyFor } from '../auth';
import type { AppDeps, AppEnv } from '../context';
import { AppError, notFound } from '../errors';
import { listResource, type ListSpec } from '../list';
import { body, errors, idParams, json, listRoute, route, router, signedIn } from '../openapi';
import { admissionRecord, admissionSpec, readAdmission } from './admitted';

// One admission record and its select, admitted.ts's; the cancel route answers with it too.
export { admissionRecord, readAdmission };

export const standByBody = z.object({
  available: z.boolean().openapi({ description: 'Will come in at short notice (true) or no longer (false)' }),
  noticeHours: z.number().int('a whole number of hours').min(0).max(24 * 14).optional()
    .openapi({ description: "The least notice the patient needs, in hours (e.g. 24: the day before)" }),
}).strict().openapi('StandBy');

/** POST /api/admissions/:id/stand-by. */
export function standByCommandRoutes(deps: AppDeps & { today: () => string }): OpenAPIHono<AppEnv> {
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
    return c.json(await readAdmission(db, id, deps.today()));
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

/**
 * The stand-by list's spec on a day: the admission record in the order freed time is offered in (surgical priority, the
 * enum's order P1a … P4, then target date, then the longest wait); filter `onStandByList` keeps those on it and pre-op
 * cleared that day (the list and its CSV).
 */
export function standByListSpec(today: string): ListSpec<Record<string, unknown>> {
  const spec = admissionSpec(today);
  return {
    ...spec,
    resource: 'stand-by',
    tieBreak: { fixed: sql`a.target_date asc, a.decided_on asc, a.id asc` },
    custom: {
      onStandByList: () => sql`a.stand_by and a.status in ('waiting', 'cancelled') and (a.pre_op_status = 'not_required'
        or (a.pre_op_status in ('fit', 'fit_with_conditions') and a.pre_op_valid_until >= ${today}::date))`,
    },
  } as ListSpec<Record<string, unknown>>;
}
