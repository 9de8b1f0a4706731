// Issue 16: a patient seen outside a booked clinic (ward, phone, video), recorded after the fact, and patient-initiated
// follow-up (PIFU): the patient (or an officer from their call) asks to be seen, and the count of pathways on PIFU.
// Both decisions go to the pathway as Updates (workflows/pathway/pifu.ts), which write the rows [rules §4.8, §8].
import { z, type OpenAPIHono } from '@hono/zod-openapi';
import { and, eq, sql } from 'drizzle-orm';
import { queryRows } from '../../db/client';
import { newId } from '../../db/ids';
import { attendances, referrals, staff } from '../../db/schema';
import { attendanceOutcomes, attendanceSettings, pifuBookBy, referralStates, rttSummary, type RttStatusCode } from '../../domain';
import { attendanceOutsideClinicUpdate, pifuTriggerUpdate } from '../../workflows';
import type { AttendanceOutcome, PathwayView } from '../../workflows/types';
import { onlyFor } from '../auth';
import type { AppDeps, AppEnv } from '../context';
import { AppError, fromWorkflowFailure, invalid, notFound } from '../errors';
import { noteRecordMade, recordMadeUnder } from '../idempotency';
import { body, errors, idParams, json, route, router, signedIn } from '../openapi';
import { attendanceOutsideClinicBody, pifuTriggerBody } from '../schemas';
import { withNote } from './admitted';

const str = z.string();
const strN = z.string().nullable();

const clockRecord = z.object({
  status: z.enum(['running', 'stopped', 'nullified']), clockStart: str, clockStop: strN, lastCode: z.number().int(),
  daysWaited: z.number().int(), breachDate: str,
});

export const attendanceRecord = z.object({
  id: str, referralId: str, attendedOn: str, clinicianId: str, setting: z.enum(attendanceSettings), outcome: z.enum(attendanceOutcomes),
  followUpWeeks: z.number().int().nullable(), rttCode: z.number().int(), recordedBy: strN,
  stage: z.enum(referralStates).openapi({ description: "The referral's state after the outcome" }),
  clock: clockRecord,
}).openapi('AttendanceOutsideClinic');

export const pifuTriggerResult = z.object({
  referralId: str, stage: z.enum(referralStates), bookingTaskId: strN,
  bookBy: str.openapi({ description: 'The follow-up is to be booked by this date (the PIFU policy interval, 6 weeks)' }),
}).openapi('PifuTriggered');

export const pifuSummary = z.object({
  onPifu: z.number().int().openapi({ description: 'Pathways on patient-initiated follow-up now' }),
  atExpiry: z.object({ discharge: z.number().int(), review: z.number().int() }),
  expiringWithin28Days: z.number().int(),
  expired: z.number().int().openapi({ description: 'Past their expiry and still on PIFU: a clinician review is open' }),
  bySpecialty: z.array(z.object({ specialtyCode: str, onPifu: z.number().int() })),
}).openapi('PifuSummary');

const recorders = onlyFor(['officer', 'team_leader', 'clinician', 'admin'], 'record attendances and PIFU requests');
const ended = () => new AppError('PATHWAY_ENDED', 'This pathway has ended');

type Deps = AppDeps & { today: () => string };

function clockOf(view: PathwayView, today: string) {
  const { clock } = view;
  const asOf = clock.clockStop ?? (today < clock.clockStart ? clock.clockStart : today);
  const { daysWaited, breachDate } = rttSummary(clock, asOf);
  return { status: clock.status, clockStart: clock.clockStart, clockStop: clock.clockStop, lastCode: clock.lastCode, daysWaited, breachDate };
}

/** POST /api/attendances. */
export function attendanceRoutes(deps: Deps): OpenAPIHono<AppEnv> {
  const { db } = deps;
  return router().openapi(route({
    method: 'post', path: '/', tags: ['attendances'], operationId: 'record_attendance_outside_clinic',
    summary: 'Record a patient seen outside a booked clinic (ward, phone, video), after the fact: its outcome as a clinic outcome',
    description: 'Outcomes as at clinic (follow_up with followUpWeeks, moved_to_pifu with expiryWeeks and atExpiry, …), never did_not_attend. '
      + 'The RTT events are dated `attendedOn`; `rttCode` must be the code the outcome records on the clock as it stands (422 RTT_CODE_MISMATCH '
      + 'naming `rttCode` otherwise). What the pathway waited for is superseded: its open item cancelled, a booked appointment still to come freed. '
      + '409 PATHWAY_ENDED on a closed pathway; 400 naming the field for a bad body. Honours Idempotency-Key: a retry answers as the first did.',
    middleware: recorders,
    request: { body: body(attendanceOutsideClinicBody) },
    responses: { 201: json('The attendance and where the pathway stands after it', attendanceRecord), ...errors(...signedIn, 409, 422, 503) },
  }), async (c) => {
    const me = c.get('staff');
    const given = c.req.valid('json');
    const today = deps.today();
    if (given.attendedOn > today) throw invalid('attendedOn', `must not be in the future (today is ${today})`);
    const [referral] = await db.select({ id: referrals.id, workflowId: referrals.workflowId }).from(referrals).where(eq(referrals.id, given.referralId));
    if (!referral) throw invalid('referralId', `no referral with id ${given.referralId}`);
    const [clinician] = await db.select({ role: staff.role, active: staff.active }).from(staff).where(eq(staff.id, given.clinicianId));
    if (!clinician || !clinician.active || clinician.role !== 'clinician') throw invalid('clinicianId', 'must be an active clinician');
    // One attendance per Idempotency-Key: a retry after a lost answer sends the same id, and the pathway takes it once.
    const claim = c.get('idempotency');
    const attendanceId = await db.transaction(async (tx) => {
      const before = await recordMadeUnder(tx, claim);
      if (before) return before;
      const id = newId('att');
      await noteRecordMade(tx, claim, id);
      return id;
    });
    const outcome: AttendanceOutcome = {
      outcome: given.outcome,
      ...(given.followUpWeeks !== undefined ? { followUpWeeks: given.followUpWeeks } : {}),
      ...(given.expiryWeeks !== undefined ? { expiryWeeks: given.expiryWeeks, atExpiry: given.atExpiry } : {}),
      // Active monitoring chosen by the patient is 31, by the clinician 32 [rules §1.6].
      ...(given.outcome === 'active_monitoring' ? { patientInitiated: given.rttCode === 31 } : {}),
    };
    const view = await withNote(deps, referral.id, me.id, given.note, async (noteId) => {
      try {
        return await deps.temporal.client.workflow.getHandle(referral.workflowId).executeUpdate(attendanceOutsideClinicUpdate, {
          args: [{
            attendanceId, actorId: me.id, attendedOn: given.attendedOn, clinicianId: given.clinicianId, setting: given.setting,
            rttCode: given.rttCode as RttStatusCode, outcome: { ...outcome, ...(noteId ? { noteId } : {}) },
          }],
          updateId: `attendance-${attendanceId}`,
        });
      } catch (err) {
        throw fromWorkflowFailure(err, ended);
      }
    });
    const [row] = await db.select().from(attendances).where(eq(attendances.id, attendanceId));
    if (!row) throw notFound('attendance', attendanceId);
    return c.json({
      id: row.id, referralId: row.referralId, attendedOn: row.attendedOn, clinicianId: row.clinicianId, setting: row.setting,
      outcome: row.outcome as AttendanceOutcome['outcome'], followUpWeeks: row.followUpWeeks, rttCode: row.rttCode, recordedBy: row.recordedBy,
      stage: view.stage, clock: clockOf(view, today),
    }, 201);
  });
}

/** POST /api/referrals/:id/pifu-trigger. */
export function referralPifuRoutes(deps: Deps): OpenAPIHono<AppEnv> {
  const { db } = deps;
  return router().openapi(route({
    method: 'post', path: '/{id}/pifu-trigger', tags: ['pifu'], operationId: 'trigger_pifu',
    summary: 'A patient on patient-initiated follow-up asks to be seen (or an officer asks for them, from a call)',
    description: 'Opens a follow-up booking item due within the PIFU policy interval (6 weeks) and ends the PIFU period. '
      + '409 NOT_ON_PIFU when the pathway is not on PIFU (a second trigger included); 409 PATHWAY_ENDED when it has ended. Honours Idempotency-Key.',
    middleware: recorders,
    request: { params: idParams("The referral's id"), body: body(pifuTriggerBody) },
    responses: { 200: json('The follow-up to book', pifuTriggerResult), ...errors(...signedIn, 404, 409, 503) },
  }), async (c) => {
    const me = c.get('staff');
    const id = c.req.valid('param').id;
    const { note } = c.req.valid('json');
    const [referral] = await db.select({ id: referrals.id, workflowId: referrals.workflowId, state: referrals.state }).from(referrals).where(eq(referrals.id, id));
    if (!referral) throw notFound('referral', id);
    if (referral.state !== 'pifu') throw new AppError('NOT_ON_PIFU', 'This pathway is not on patient-initiated follow-up');
    const view = await withNote(deps, id, me.id, note, async (noteId) => {
      try {
        return await deps.temporal.client.workflow.getHandle(referral.workflowId)
          .executeUpdate(pifuTriggerUpdate, { args: [{ actorId: me.id, ...(noteId ? { noteId } : {}) }] });
      } catch (err) {
        throw fromWorkflowFailure(err, ended);
      }
    });
    return c.json({ referralId: id, stage: view.stage, bookingTaskId: view.openTaskId, bookBy: pifuBookBy(deps.today()) });
  });
}

/** GET /api/pifu: how many pathways are on PIFU, and how they end. */
export function pifuRoutes(deps: Deps): OpenAPIHono<AppEnv> {
  const { db } = deps;
  return router().openapi(route({
    method: 'get', path: '/', tags: ['pifu'], operationId: 'pifu_summary',
    summary: 'Pathways on patient-initiated follow-up: how many, how they end at expiry, by specialty (the list is GET /api/referrals?filter={"state":"pifu"})',
    responses: { 200: json('The count', pifuSummary), ...errors(...signedIn) },
  }), async (c) => {
    const today = deps.today();
    const [totals] = await queryRows<{ onPifu: number; discharge: number; review: number; expiring: number; expired: number }>(db, sql`
      select count(*)::int as "onPifu",
        count(*) filter (where pw.pifu_at_expiry = 'discharge')::int as discharge,
        count(*) filter (where pw.pifu_at_expiry = 'review')::int as review,
        count(*) filter (where pw.pifu_expires_on <= ${today}::date + 28)::int as expiring,
        count(*) filter (where pw.pifu_expires_on <= ${today}::date)::int as expired
      from referrals r join pathways pw on pw.referral_id = r.id where r.state = 'pifu'`);
    const bySpecialty = await queryRows<{ specialtyCode: string; onPifu: number }>(db, sql`
      select r.specialty_code as "specialtyCode", count(*)::int as "onPifu" from referrals r where r.state = 'pifu'
      group by r.specialty_code order by r.specialty_code`);
    return c.json({
      onPifu: totals.onPifu, atExpiry: { discharge: totals.discharge, review: totals.review }, expiringWithin28Days: totals.expiring,
      expired: totals.expired, bySpecialty,
    });
  });
}

