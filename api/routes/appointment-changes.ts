// An appointment cancelled or moved (issue 10): POST /api/appointments/:id/cancel and /reschedule. The reason goes
// to `notes` (it may name the patient); the pathway is told through its cancelAppointment Update and answers with
// the item it raised. A slot taken under a reschedule refuses the whole change: nothing is cancelled.
import { z, type OpenAPIHono } from '@hono/zod-openapi';
import { and, eq } from 'drizzle-orm';
import { appointments, clinics, notes, referrals } from '../../db/schema';
import { newId } from '../../db/ids';
import { appointmentStates, cancellationParties, referralStates, taskTypes } from '../../domain';
import { cancelAppointmentUpdate } from '../../workflows';
import type { CancelAppointmentCommand, CancelAppointmentResult } from '../../workflows/types';
import { onlyFor } from '../auth';
import { assertBreachConfirmed, assertMoveWithinWardFormInterval, bookableSlot } from '../booking-checks';
import type { AppDeps, AppEnv, SignedIn } from '../context';
import { AppError, fromWorkflowFailure, isWorkflowRefusal, notFound } from '../errors';
import { body, errors, idParams, json, route, router, signedIn } from '../openapi';
import { cancelAppointmentBody, rescheduleAppointmentBody } from '../schemas';

const str = z.string();

export const appointmentChange = z.object({
  appointmentId: str,
  referralId: str,
  state: z.enum(appointmentStates).openapi({ description: 'The cancelled appointment\'s state: cancelled_by_patient or cancelled_by_hospital' }),
  stage: z.enum(referralStates).openapi({ description: "The referral's state after the change" }),
  raisedTask: z.object({ id: str, type: z.enum(taskTypes) }).nullable()
    .openapi({ description: 'The work item raised: a rebook item (hospital), a booking item or a clinical review (patient); null for a plain move' }),
  newAppointment: z.object({ id: str, slotId: str, start: str, clinicId: str, clinicName: str }).nullable(),
  patientCancellations: z.number().int().openapi({ description: 'Patient cancellations and patient reschedules on this pathway, counted towards a review' }),
}).openapi('AppointmentChange');

const changers = onlyFor(['officer', 'team_leader', 'admin'], 'cancel or move appointments');
const ended = () => new AppError('PATHWAY_ENDED', 'This pathway has ended');

export function appointmentChangeRoutes(deps: AppDeps): OpenAPIHono<AppEnv> {
  const { db } = deps;
  const now = deps.now ?? Date.now;

  /** Checks what can be answered at once, stores the reason, tells the pathway, and answers the change. */
  async function change(me: SignedIn, appointmentId: string, by: CancelAppointmentCommand['by'], reason: string,
    move?: { slotId: string; communicatedBy?: CancelAppointmentCommand['communicatedBy']; confirmPastBreach?: boolean }) {
    const [appt] = await db.select({ id: appointments.id, state: appointments.state, start: appointments.start, referralId: appointments.referralId,
      workflowId: referrals.workflowId, referralState: referrals.state })
      .from(appointments).innerJoin(referrals, eq(referrals.id, appointments.referralId)).where(eq(appointments.id, appointmentId));
    if (!appt) throw notFound('appointment', appointmentId);
    if (appt.state !== 'booked') {
      throw new AppError('APPOINTMENT_NOT_BOOKED', `This appointment is ${appt.state.replace(/_/g, ' ')}, no longer booked`);
    }
    if (appt.start.getTime() <= now()) {
      throw new AppError('APPOINTMENT_NOT_BOOKED', 'This appointment has already started: record the attendance instead');
    }
    if (move) {
      const slot = await bookableSlot(db, move.slotId, now());
      await assertBreachConfirmed(db, me, appt.referralId, slot.start, move.confirmPastBreach);
      await assertMoveWithinWardFormInterval(db, appointmentId, slot.start);
    }
    const noteId = newId('note');
    await db.insert(notes).values({ id: noteId, referralId: appt.referralId, authorId: me.id, body: reason });
    const cmd: CancelAppointmentCommand = {
      appointmentId, by, actorId: me.id, reasonNoteId: noteId,
      ...(move ? { newSlotId: move.slotId, ...(move.communicatedBy ? { communicatedBy: move.communicatedBy } : {}), confirmPastBreach: move.confirmPastBreach ?? false } : {}),
    };
    let result: CancelAppointmentResult;
    try {
      result = await deps.temporal.client.workflow.getHandle(appt.workflowId).executeUpdate(cancelAppointmentUpdate, { args: [cmd] });
    } catch (err) {
      // Refused: nothing will read the reason, so it goes. Any other failure leaves the outcome unknown: it stays.
      if (isWorkflowRefusal(err)) {
        await db.delete(notes).where(and(eq(notes.id, noteId), eq(notes.authorId, me.id))).catch((e: unknown) => deps.logger.warn('could not discard refused note',
          { appointmentId, error: e instanceof Error ? e.message : String(e) }));
      }
      throw fromWorkflowFailure(err, ended);
    }
    let newAppointment = null;
    if (result.appointment) {
      const [row] = await db.select({ id: appointments.id, slotId: appointments.slotId, start: appointments.start, clinicId: appointments.clinicId, clinicName: clinics.name })
        .from(appointments).innerJoin(clinics, eq(clinics.id, appointments.clinicId)).where(eq(appointments.id, result.appointment.id));
      newAppointment = { ...row, start: row.start.toISOString() };
    }
    return {
      appointmentId, referralId: appt.referralId, state: by === 'patient' ? 'cancelled_by_patient' as const : 'cancelled_by_hospital' as const,
      stage: result.stage,
      raisedTask: result.raisedTaskId && result.raisedTaskType ? { id: result.raisedTaskId, type: result.raisedTaskType } : null,
      newAppointment, patientCancellations: result.patientCancellations ?? 0,
    };
  }

  const refusals = [404, 409, 422, 503];
  return router()
    .openapi(route({
      method: 'post', path: '/{id}/cancel', tags: ['appointments'], operationId: 'cancel_appointment',
      summary: 'Cancel a booked appointment, by the patient or the hospital; the RTT clock keeps running',
      description: `By the hospital: a rebook item in the Rebooking queue, due at the original book-by date. By the patient: counted (${cancellationParties.join('/')}); `
        + 'below the policy limit a booking item, at the limit a clinical review (never a discharge). 422 APPOINTMENT_NOT_BOOKED once it is '
        + 'attended, missed, cancelled or has started; 422 APPOINTMENT_NOT_CURRENT if it is not the pathway\'s current booking; 409 PATHWAY_ENDED.',
      middleware: changers,
      request: { params: idParams("The appointment's id"), body: body(cancelAppointmentBody) },
      responses: { 200: json('The change: what the pathway raised', appointmentChange), ...errors(...signedIn, ...refusals) },
    }), async (c) => {
      const { by, reason } = c.req.valid('json');
      return c.json(await change(c.get('staff'), c.req.valid('param').id, by, reason));
    })
    .openapi(route({
      method: 'post', path: '/{id}/reschedule', tags: ['appointments'], operationId: 'reschedule_appointment',
      summary: 'Move a booked appointment to another slot in one step (cancel and book); the RTT clock keeps running',
      description: '409 SLOT_TAKEN if the slot has gone (nothing changes); 422 SLOT_IN_PAST, SLOT_NOT_FREE, SLOT_WRONG_TYPE/CLINIC/SPECIALTY; '
        + '422 PAST_BREACH_NEEDS_LEADER for a slot after the breach date without a team leader\'s `confirmPastBreach: true`; '
        + "422 AFTER_WARD_FORM_INTERVAL for a ward form's follow-up moved after the date the ward asked for (send it to the clinician). "
        + 'A reschedule by the patient counts as a patient cancellation.',
      middleware: changers,
      request: { params: idParams("The appointment's id"), body: body(rescheduleAppointmentBody) },
      responses: { 200: json('The change, with the new appointment', appointmentChange), ...errors(...signedIn, ...refusals) },
    }), async (c) => {
      const { by, reason, slotId, communicatedBy, confirmPastBreach } = c.req.valid('json');
      return c.json(await change(c.get('staff'), c.req.valid('param').id, by, reason, { slotId, communicatedBy, confirmPastBreach }));
    });
}
