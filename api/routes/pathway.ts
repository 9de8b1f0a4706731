// The RTT clock outside a clinic: administrative RTT events on a referral's pathway (patient died, declined by
// phone, treated on admission, transferred, active monitoring, no longer needs care), and the evidence that a
// patient was told of an appointment (what a first-appointment DNA needs before it may nullify a clock).
import { z, type OpenAPIHono } from '@hono/zod-openapi';
import { and, desc, eq } from 'drizzle-orm';
import { daysBetween, rttSummary, type RttClock } from '../../domain';
import { appointments, notes, pathways, referrals, rttPeriods } from '../../db/schema';
import { writeAudit } from '../../activities/audit';
import { newId } from '../../db/ids';
import { recordRttEventUpdate } from '../../workflows';
import type { PathwayView, RttEventCommand } from '../../workflows/types';
import { onlyFor } from '../auth';
import type { AppDeps, AppEnv } from '../context';
import { AppError, fromWorkflowFailure, invalid, isWorkflowRefusal, notFound } from '../errors';
import { appointmentCommunicationBody, rttEventBody } from '../schemas';
import { body, errors, idParams, json, route, router, signedIn } from '../openapi';

const str = z.string();
const strN = z.string().nullable();

export const rttEventResult = z.object({
  referralId: str,
  stage: str.openapi({ description: 'The referral state after the event (treated, died, active_monitoring, …)' }),
  clock: z.object({
    status: z.enum(['running', 'stopped', 'nullified']), clockStart: str, clockStop: strN, lastCode: z.number().int(),
    daysWaited: z.number().int(), weekBand: z.number().int(), breachDate: str,
  }),
}).openapi('RttEventResult');

export const appointmentCommunication = z.object({
  id: str, referralId: str, start: str, state: str, communicatedAt: strN, communicatedBy: strN,
}).openapi('AppointmentCommunication');

const recorders = onlyFor(['officer', 'team_leader', 'clinician', 'admin'], 'record RTT events');

/** POST /api/referrals/:id/rtt-events. */
export function rttEventRoutes(deps: AppDeps & { today: () => string }): OpenAPIHono<AppEnv> {
  const { db } = deps;
  return router().openapi(route({
    method: 'post', path: '/{id}/rtt-events', tags: ['referrals'], operationId: 'record_rtt_event',
    summary: 'Record an administrative RTT event (21, 30, 31, 32, 34, 35, 36) that closes the open RTT period',
    description: 'Refused with 422 and the clock rule in `code` (e.g. STOP_NEEDS_RUNNING_CLOCK) when the period is not open; '
      + '400 naming `date` for a date in the future or before the clock start.',
    middleware: recorders,
    request: { params: idParams("The referral's id"), body: body(rttEventBody) },
    responses: { 200: json('The event recorded: the stage and the clock after it', rttEventResult), ...errors(...signedIn, 404, 409, 422, 503) },
  }), async (c) => {
    const me = c.get('staff');
    const id = c.req.valid('param').id;
    const { code, date, note } = c.req.valid('json');
    const [referral] = await db.select({ id: referrals.id, workflowId: referrals.workflowId }).from(referrals).where(eq(referrals.id, id));
    if (!referral) throw notFound('referral', id);
    const today = deps.today();
    if (date > today) throw invalid('date', `must not be in the future (today is ${today})`);
    // The period as recorded: only an open (running) period can be closed, whether or not its pathway still runs.
    const [period] = await db.select({ status: rttPeriods.status, clockStart: rttPeriods.clockStart }).from(rttPeriods)
      .where(eq(rttPeriods.referralId, id)).orderBy(desc(rttPeriods.periodNo)).limit(1);
    // A pathway with no period rows yet is read from its clock.
    const [clockRow] = period ? [] : await db.select({ status: pathways.rttStatus, clockStart: pathways.clockStart }).from(pathways).where(eq(pathways.referralId, id));
    const open = period ?? clockRow;
    if (!open || open.status !== 'running') {
      const rule = code === 21 ? 'ACTIVITY_NEEDS_RUNNING_CLOCK' : 'STOP_NEEDS_RUNNING_CLOCK';
      throw new AppError(rule, `Code ${code} closes an open RTT period; this referral's period is ${open?.status ?? 'not started'}`);
    }
    if (daysBetween(open.clockStart, date) < 0) {
      throw new AppError('EVENT_BEFORE_CLOCK_START', `Code ${code} is dated ${date}, before the clock started on ${open.clockStart}`,
        { date: `must not be before the clock start ${open.clockStart}` });
    }
    let noteId: string | undefined;
    if (note) {
      noteId = newId('note');
      await db.insert(notes).values({ id: noteId, referralId: id, authorId: me.id, body: note });
    }
    const cmd: RttEventCommand = { code: code as RttEventCommand['code'], date, actorId: me.id, ...(noteId ? { noteId } : {}) };
    let view: PathwayView;
    try {
      view = await deps.temporal.client.workflow.getHandle(referral.workflowId).executeUpdate(recordRttEventUpdate, { args: [cmd] });
    } catch (err) {
      if (isWorkflowRefusal(err) && noteId) {
        await db.delete(notes).where(and(eq(notes.id, noteId), eq(notes.authorId, me.id))).catch((e: unknown) => deps.logger.warn('could not discard refused note',
          { referralId: id, error: e instanceof Error ? e.message : String(e) }));
      }
      throw fromWorkflowFailure(err, () => new AppError('STOP_NEEDS_RUNNING_CLOCK', 'This pathway has ended: its RTT period is closed'));
    }
    const clock: RttClock = view.clock;
    const asOf = clock.clockStop ?? (today < clock.clockStart ? clock.clockStart : today);
    const { daysWaited, weekBand, breachDate } = rttSummary(clock, asOf);
    return c.json({
      referralId: id, stage: view.stage,
      clock: { status: clock.status, clockStart: clock.clockStart, clockStop: clock.clockStop, lastCode: clock.lastCode, daysWaited, weekBand, breachDate },
    });
  });
}

/** POST /api/appointments/:id/communication. */
export function appointmentRoutes(deps: AppDeps): OpenAPIHono<AppEnv> {
  const { db } = deps;
  return router().openapi(route({
    method: 'post', path: '/{id}/communication', tags: ['appointments'], operationId: 'record_appointment_communication',
    summary: 'Record how and when the patient was told of an appointment (the evidence a first-appointment DNA needs)',
    middleware: onlyFor(['officer', 'team_leader', 'clinician', 'admin'], 'record how a patient was told of an appointment'),
    request: { params: idParams("The appointment's id"), body: body(appointmentCommunicationBody) },
    responses: { 200: json('The appointment with its evidence', appointmentCommunication), ...errors(...signedIn, 404, 422) },
  }), async (c) => {
    const me = c.get('staff');
    const id = c.req.valid('param').id;
    const { communicatedBy, communicatedAt } = c.req.valid('json');
    const at = new Date(communicatedAt);
    if (at.getTime() > (deps.now ?? Date.now)()) throw invalid('communicatedAt', 'must not be in the future');
    const updated = await db.transaction(async (tx) => {
      const [appt] = await tx.select().from(appointments).where(eq(appointments.id, id)).for('update');
      if (!appt) throw notFound('appointment', id);
      if (at >= appt.start) throw invalid('communicatedAt', 'must be before the appointment starts');
      // Evidence counts for an appointment still to happen; once attendance is recorded, the DNA has been decided.
      if (appt.state !== 'booked') throw new AppError('APPOINTMENT_NOT_BOOKED', `This appointment is ${appt.state.replace(/_/g, ' ')}, no longer booked`);
      const [row] = await tx.update(appointments).set({ communicatedAt: at, communicatedBy }).where(eq(appointments.id, id)).returning();
      await writeAudit(tx, { actorId: me.id, action: 'appointment.communicated', entityType: 'appointment', entityId: id,
        before: { communicatedAt: appt.communicatedAt, communicatedBy: appt.communicatedBy }, after: { communicatedAt: at, communicatedBy } });
      return row;
    });
    return c.json({
      id: updated.id, referralId: updated.referralId, start: updated.start.toISOString(), state: updated.state,
      communicatedAt: updated.communicatedAt?.toISOString() ?? null, communicatedBy: updated.communicatedBy ?? null,
    });
  });
}

