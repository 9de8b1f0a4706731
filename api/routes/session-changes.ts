// Cancelling or reducing a clinic session (issue 10). The preview answers who is affected and the slot each
// would be offered, changing nothing. Confirming is one transaction (the change, the session's free slots
// blocked, the patients listed in rebooking order, one audit entry) and then the clinicSessionChange workflow,
// which moves each patient through their own pathway. A change proposed by a template change is confirmed here too.
import { z, type OpenAPIHono } from '@hono/zod-openapi';
import { and, eq, sql } from 'drizzle-orm';
import {
  addDays, daysBetween, hasClinicChangeNotice, londonInstant, nextWorkingDay, planRebooking, sessionWindow, type ClinicSession,
  type ReferralPriority, type SessionChangeKind, type SlotType,
} from '../../domain';
import { queryRows, type Database, type Queryable } from '../../db/client';
import { newId } from '../../db/ids';
import { clinics, clinicSessionChanges, sessionChangeStatus, sessionChangePatients, slots } from '../../db/schema';
import { writeAudit } from '../../activities/audit';
import { capacityTaskKey, freeSlotsFor, sessionChangeWorkflowId, summaryOf } from '../../activities/session-changes';
import { startSessionChangeWorkflow } from '../session-change-start';
import { onlyFor } from '../auth';
import type { AppDeps, AppEnv, Role } from '../context';
import { AppError, invalid, notFound } from '../errors';
import { noteRecordMade, recordMadeUnder } from '../idempotency';
import { enumFilter, iso, listResource, type ListSpec } from '../list';
import { describeError } from '../log';
import { body, errors, idParams, json, listQuery, route, router, signedIn } from '../openapi';
import { sessionChangeDetail, sessionChangePreview, sessionChangeRecord } from '../records';
import { confirmSessionChangeBody, sessionChangeBody, type SessionChangeRequest } from '../schemas';

const leaders: Role[] = ['team_leader', 'admin'];

const select = sql`
  ch.id, ch.clinic_id as "clinicId", c.name as "clinicName", ch.session_date::text as "sessionDate", ch.session, ch.kind, ch.status,
  ch.reason, ch.within_notice as "withinNotice", ch.slot_ids as "slotIds", rq.name as "requestedByName", cf.name as "confirmedByName",
  ${iso(sql`ch.created_at`)} as "createdAt", ${iso(sql`ch.completed_at`)} as "completedAt", ch.summary`;
const from = sql`clinic_session_changes ch join clinics c on c.id = ch.clinic_id
  left join staff rq on rq.id = ch.requested_by left join staff cf on cf.id = ch.confirmed_by`;

type ChangeRow = Record<string, unknown> & { id: string; summary: Record<string, unknown> | null };

const emptySummary = { affected: 0, cancelled: 0, moved: 0, waitingForSlot: 0, atRisk: 0, skipped: 0, escalationTaskId: null };
const withSummary = (row: ChangeRow) => ({ ...row, summary: { ...emptySummary, ...(row.summary ?? {}) } });

export const sessionChangeListSpec: ListSpec<ChangeRow> = {
  resource: 'clinic-session-changes',
  select,
  from,
  filters: {
    id: { column: sql`ch.id` }, clinicId: { column: sql`ch.clinic_id` }, status: enumFilter(sql`ch.status`, sessionChangeStatus.enumValues),
    sessionDate: { column: sql`ch.session_date`, kind: 'date' },
  },
  sorts: { id: sql`ch.id`, sessionDate: sql`ch.session_date`, createdAt: sql`ch.created_at`, status: sql`ch.status`, clinicName: sql`c.name` },
  defaultSort: ['createdAt', 'DESC'],
  tieBreak: sql`ch.id`,
  map: withSummary,
};

/** A booked patient in the slots taken out, with what the rebooking rule needs and (for the preview) who they are. */
type Affected = {
  appointmentId: string; referralId: string; priority: ReferralPriority; breachDate: string; slotType: SlotType; currentStart: string;
  patientName: string; nhsNumber: string;
};

const idList = (ids: readonly string[]) => sql.join(ids.map((id) => sql`${id}`), sql`, `);

/**
 * Patients booked into these slots and not yet started, except any another running change is still moving
 * (that change has them; nobody is moved by two at once).
 */
async function affectedIn(db: Queryable, slotIds: readonly string[]): Promise<Affected[]> {
  if (slotIds.length === 0) return [];
  return queryRows<Affected>(db, sql`
    select a.id as "appointmentId", a.referral_id as "referralId", coalesce(r.clinical_priority, r.priority) as priority,
      pw.breach_date::text as "breachDate", s.type as "slotType", ${iso(sql`a.start`)} as "currentStart",
      p.given_name || ' ' || p.family_name as "patientName", p.nhs_number as "nhsNumber"
    from appointments a join slots s on s.id = a.slot_id join referrals r on r.id = a.referral_id
      join pathways pw on pw.referral_id = r.id join patients p on p.id = a.patient_id
    where a.slot_id in (${idList(slotIds)}) and a.state = 'booked' and a.start > now()
      and not exists (select 1 from session_change_patients x join clinic_session_changes y on y.id = x.change_id
        where x.appointment_id = a.id and x.done_at is null and y.status = 'running')`);
}

/** The slots of a session still in use (free or booked); blocked ones are out already. */
async function sessionSlots(db: Queryable, clinicId: string, date: string, session: ClinicSession | null) {
  const { from: start, to: end } = sessionWindow(date, session);
  return queryRows<{ id: string; status: string }>(db, sql`
    select id, status from slots where clinic_id = ${clinicId} and start >= ${new Date(start).toISOString()} and start < ${new Date(end).toISOString()}
      and status in ('free', 'booked') order by start, id`);
}

function notice(today: string, sessionDate: string) {
  return { withinNotice: !hasClinicChangeNotice({ requestedOn: today, sessionDate, change: 'cancellation' }), noticeDays: daysBetween(today, sessionDate) };
}

function requireLeaderConfirmation(withinNotice: boolean, confirmShortNotice: boolean | undefined, noticeDays: number) {
  if (withinNotice && confirmShortNotice !== true) {
    throw new AppError('SHORT_NOTICE_NEEDS_LEADER',
      `This session is ${noticeDays} days away, inside the 6-week notice period: a team leader confirms a short-notice change`,
      { confirmShortNotice: 'a team leader confirms a change inside the notice period' });
  }
}

/** The request checked against the clinic's session: field errors (400) first, then rule refusals (422). */
async function resolveRequest(db: Database, req: SessionChangeRequest, today: string) {
  const [clinic] = await db.select({ id: clinics.id, name: clinics.name, specialtyCode: clinics.specialtyCode }).from(clinics).where(eq(clinics.id, req.clinicId));
  if (!clinic) throw invalid('clinicId', 'no such clinic');
  if (req.date < today) throw invalid('date', `is in the past (today is ${today})`);
  if (req.kind === 'cancel' && req.slotIds !== undefined) throw invalid('slotIds', 'only when reducing a session; cancelling takes every slot');
  if (req.kind === 'reduce' && !req.slotIds?.length) throw invalid('slotIds', 'choose the slots to take out of the session');
  const session = req.session ?? null;
  const inSession = await sessionSlots(db, clinic.id, req.date, session);
  if (inSession.length === 0) {
    const which = session === 'am' ? 'morning' : session === 'pm' ? 'afternoon' : 'day';
    throw new AppError('SESSION_HAS_NO_SLOTS', `${clinic.name} has no slots in use on the ${which} of ${req.date}`, { date: 'no session with slots on this date' });
  }
  let taken = inSession.map((s) => s.id);
  if (req.kind === 'reduce') {
    const ids = new Set(taken);
    const outside = req.slotIds!.find((id) => !ids.has(id));
    if (outside) throw invalid('slotIds', `${outside} is not a slot in use in this session`);
    taken = [...new Set(req.slotIds!)];
  }
  return { clinic, session, slotIds: taken, ...notice(today, req.date) };
}

/** Who the change would affect and the slot each would be offered (the plan), changing nothing. */
async function previewOf(db: Database, req: SessionChangeRequest, resolved: Awaited<ReturnType<typeof resolveRequest>>, today: string) {
  const affected = await affectedIn(db, resolved.slotIds);
  const latestBreach = affected.map((a) => a.breachDate).sort().at(-1);
  const free = latestBreach ? await freeSlotsFor(db, {
    specialtyCode: resolved.clinic.specialtyCode, types: [...new Set(affected.map((a) => a.slotType))],
    session: { clinicId: resolved.clinic.id, date: req.date, session: resolved.session },
    from: londonInstant(nextWorkingDay(today), '00:00'), to: londonInstant(addDays(latestBreach, 1), '00:00'),
  }) : [];
  const plan = planRebooking(affected, free, today);
  const names = new Map(free.map((s) => [s.id, s.clinicName]));
  return {
    clinicId: resolved.clinic.id, clinicName: resolved.clinic.name, date: req.date, session: resolved.session, kind: req.kind,
    slotCount: resolved.slotIds.length, withinNotice: resolved.withinNotice, noticeDays: resolved.noticeDays,
    affected: plan.map((p) => ({
      position: p.position, appointmentId: p.appointmentId, referralId: p.referralId, patientName: p.patientName, nhsNumber: p.nhsNumber,
      priority: p.priority, breachDate: p.breachDate, slotType: p.slotType, currentStart: p.currentStart, wouldBreach: p.wouldBreach,
      offeredSlot: p.offeredSlot && { id: p.offeredSlot.id, start: p.offeredSlot.start, clinicId: p.offeredSlot.clinicId, clinicName: names.get(p.offeredSlot.id)! },
    })),
    summary: {
      affected: plan.length, wouldMove: plan.filter((p) => p.offeredSlot).length, wouldWait: plan.filter((p) => !p.offeredSlot).length,
      atRisk: plan.filter((p) => p.wouldBreach).length,
    },
  };
}

/**
 * Takes the slots out and lists the patients, in the confirming transaction: every slot is locked first, so an
 * officer booking one at this moment either finishes first (and their patient is listed) or finds it blocked.
 */
async function takeOutSlots(tx: Queryable, today: string, change: { id: string; kind: SessionChangeKind; clinicId: string; sessionDate: string; session: ClinicSession | null; withinNotice: boolean; reason: string }, slotIds: string[], actorId: string) {
  if (slotIds.length) await tx.execute(sql`select id from slots where id in (${idList(slotIds)}) order by id for update`);
  const blocked = slotIds.length
    ? await tx.update(slots).set({ status: 'blocked' }).where(and(sql`${slots.id} in (${idList(slotIds)})`, eq(slots.status, 'free'))).returning({ id: slots.id })
    : [];
  const affected = await affectedIn(tx, slotIds);
  const seen = new Set<string>();
  const plan = planRebooking(affected, [], today).filter((p) => !seen.has(p.referralId) && seen.add(p.referralId));
  if (plan.length) {
    await tx.insert(sessionChangePatients).values(plan.map((p, i) => ({
      changeId: change.id, appointmentId: p.appointmentId, referralId: p.referralId, position: i + 1, priority: p.priority, breachDate: p.breachDate,
    })));
  }
  await writeAudit(tx, { actorId, action: 'clinic_session.change_requested', entityType: 'clinic_session_change', entityId: change.id,
    after: { kind: change.kind, clinicId: change.clinicId, sessionDate: change.sessionDate, session: change.session, withinNotice: change.withinNotice,
      slotIds, slotsBlocked: blocked.length, patients: plan.length, reason: change.reason } });
}

export function sessionChangeRoutes(deps: AppDeps & { today: () => string }): OpenAPIHono<AppEnv> {
  const { db } = deps;

  const detail = async (id: string) => {
    const [row] = await queryRows<ChangeRow>(db, sql`select ${select} from ${from} where ch.id = ${id}`);
    if (!row) throw notFound('session change', id);
    const patients = await queryRows(db, sql`
      select p.position, p.appointment_id as "appointmentId", p.referral_id as "referralId", pt.given_name || ' ' || pt.family_name as "patientName",
        p.priority, p.breach_date::text as "breachDate", p.outcome, p.new_appointment_id as "newAppointmentId", ${iso(sql`na.start`)} as "newStart",
        nc.name as "newClinicName", p.at_risk as "atRisk", p.task_id as "taskId"
      from session_change_patients p join referrals r on r.id = p.referral_id join patients pt on pt.id = r.patient_id
        left join appointments na on na.id = p.new_appointment_id left join clinics nc on nc.id = na.clinic_id
      where p.change_id = ${id} order by p.position`);
    // Read from the patients' rows, so a running change shows how far it has got.
    const [task] = await queryRows<{ id: string }>(db, sql`select id from tasks where task_key = ${capacityTaskKey(id)}`);
    return { ...row, summary: await summaryOf(db, id, task?.id ?? null), patients };
  };

  /** Starts the change's workflow; if Temporal is away, the sweeper (startPendingSessionChanges) starts it later. */
  const startWorkflow = async (changeId: string, actorId: string) => {
    try {
      await startSessionChangeWorkflow(deps.temporal, changeId, actorId);
    } catch (err) {
      deps.logger.error('could not start session change workflow', { changeId, error: describeError(err) });
      throw new AppError('UNAVAILABLE', 'The change is saved and its slots are blocked; rebooking will start by itself within a minute or two');
    }
  };

  return router()
    .openapi(route({
      method: 'post', path: '/changes', tags: ['clinic-sessions'], operationId: 'change_clinic_session',
      summary: 'Cancel or reduce a clinic session (team leaders); ?preview=true answers who is affected and changes nothing',
      description: 'Confirming blocks the session\'s free slots at once and starts rebooking its patients (202); the change\'s '
        + 'summary then says who was moved and who waits on the Rebooking queue. Honours Idempotency-Key.',
      middleware: onlyFor(leaders, 'cancel or reduce a clinic session'),
      request: {
        query: z.object({ preview: z.string().optional().openapi({ description: '`true`: answer the preview only', example: 'true' }) }),
        body: body(sessionChangeBody),
      },
      responses: {
        200: json('The preview: nothing changed', sessionChangePreview), 202: json('Confirmed; rebooking has started', sessionChangeDetail),
        ...errors(...signedIn, 422, 503),
      },
    }), async (c) => {
      const me = c.get('staff');
      const { preview } = c.req.valid('query');
      if (preview !== undefined && preview !== 'true' && preview !== 'false') throw invalid('preview', 'must be true or false');
      const req = c.req.valid('json');
      const today = deps.today();
      const claim = c.get('idempotency');
      // A retry of a confirmed request (its answer lost) finds its change and makes sure rebooking runs.
      const madeBefore = claim && preview !== 'true' ? await db.transaction((tx) => recordMadeUnder(tx, claim)) : null;
      if (madeBefore) {
        await startWorkflow(madeBefore, me.id);
        return c.json(await detail(madeBefore), 202);
      }
      const resolved = await resolveRequest(db, req, today);
      if (preview === 'true') return c.json(await previewOf(db, req, resolved, today), 200);
      requireLeaderConfirmation(resolved.withinNotice, req.confirmShortNotice, resolved.noticeDays);
      const changeId = await db.transaction(async (tx) => {
        const again = await recordMadeUnder(tx, claim);
        if (again) return again;
        const id = newId('chg');
        const change = {
          id, clinicId: resolved.clinic.id, sessionDate: req.date, session: resolved.session, kind: req.kind, reason: req.reason,
          withinNotice: resolved.withinNotice,
        };
        await tx.insert(clinicSessionChanges).values({
          ...change, slotIds: resolved.slotIds, status: 'running', requestedBy: me.id, confirmedBy: me.id, workflowId: sessionChangeWorkflowId(id),
        });
        await takeOutSlots(tx, today, change, resolved.slotIds, me.id);
        await noteRecordMade(tx, claim, id);
        return id;
      });
      await startWorkflow(changeId, me.id);
      return c.json(await detail(changeId), 202);
    })
    .openapi(route({
      method: 'get', path: '/changes', tags: ['clinic-sessions'], operationId: 'list_clinic_session_changes', summary: 'List clinic session changes',
      description: 'The react-admin list contract; filters clinicId, status, sessionDate. Records omit `patients`.',
      request: { query: listQuery },
      responses: {
        200: { ...json('The changes of the page', z.array(sessionChangeRecord)), headers: { 'Content-Range': { description: 'clinic-session-changes <first>-<last>/<total>', schema: { type: 'string' } } } },
        ...errors(...signedIn),
      },
    }), (c) => listResource(c, db, sessionChangeListSpec))
    .openapi(route({
      method: 'get', path: '/changes/{id}', tags: ['clinic-sessions'], operationId: 'get_clinic_session_change',
      summary: 'A clinic session change with its patients and summary', request: { params: idParams('The change id (chg_…)') },
      responses: { 200: json('The change', sessionChangeDetail), ...errors(...signedIn, 404) },
    }), async (c) => c.json(await detail(c.req.valid('param').id)))
    .openapi(route({
      method: 'post', path: '/changes/{id}/confirm', tags: ['clinic-sessions'], operationId: 'confirm_clinic_session_change',
      summary: 'Confirm a change proposed by a template change (team leaders): rebooking starts',
      middleware: onlyFor(leaders, 'confirm a clinic session change'),
      request: { params: idParams('The change id (chg_…)'), body: body(confirmSessionChangeBody) },
      responses: { 202: json('Confirmed; rebooking has started', sessionChangeDetail), ...errors(...signedIn, 404, 409, 422, 503) },
    }), async (c) => {
      const me = c.get('staff');
      const id = c.req.valid('param').id;
      const { confirmShortNotice } = c.req.valid('json');
      const [row] = await db.select().from(clinicSessionChanges).where(eq(clinicSessionChanges.id, id));
      if (!row) throw notFound('session change', id);
      const started = () => new AppError('SESSION_CHANGE_STARTED', 'This change has already been confirmed');
      if (row.status !== 'proposed') throw started();
      const { withinNotice, noticeDays } = notice(deps.today(), row.sessionDate);
      requireLeaderConfirmation(withinNotice, confirmShortNotice, noticeDays);
      await db.transaction(async (tx) => {
        const [claimed] = await tx.update(clinicSessionChanges)
          .set({ status: 'running', confirmedBy: me.id, withinNotice, workflowId: sessionChangeWorkflowId(id) })
          .where(and(eq(clinicSessionChanges.id, id), eq(clinicSessionChanges.status, 'proposed'))).returning();
        if (!claimed) throw started();
        await takeOutSlots(tx, deps.today(), { ...claimed, withinNotice }, claimed.slotIds, me.id);
      });
      await startWorkflow(id, me.id);
      return c.json(await detail(id), 202);
    });
}
