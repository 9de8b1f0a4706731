// Booking: a new or follow-up appointment into a slot of the clinic triage chose; attendance is then
// recorded from the appointment's start. A rebook item after a hospital cancellation completes the same way.
import type { ToldAtBookingMethod } from '../../domain';
import type { BookingOutcome, CompleteTaskCommand } from '../types';
import type { Pathway } from './context';
import { bookFromList, bookingAnswersPartialBooking } from './follow-up';

export async function bookAppointment(p: Pathway, cmd: CompleteTaskCommand, outcome: BookingOutcome): Promise<void> {
  const { state } = p;
  // Issue 16: the clinician's book-anyway item: booking it takes the follow-up off the partial booking list too.
  if (bookingAnswersPartialBooking(p)) {
    await bookFromList(p, { entryId: state.partialBooking!.entryId, slotId: outcome.slotId, actorId: cmd.actorId, communicatedBy: outcome.communicatedBy as ToldAtBookingMethod | undefined }, cmd);
    return;
  }
  // A rebook after a hospital cancellation books the kind that was cancelled.
  const kind = state.openTaskType === 'rebook_appointment' ? state.appointmentKind ?? 'new' : state.openTaskType === 'book_follow_up' ? 'follow_up' : 'new';
  const result = await p.change('bookAppointment', {
    actorId: cmd.actorId,
    completeTask: { taskId: cmd.taskId, outcome },
    booking: {
      slotId: outcome.slotId, clinicId: state.clinicId!, kind, slotType: p.slotType(kind),
      ...(outcome.communicatedBy ? { communicatedBy: outcome.communicatedBy } : {}),
    },
    referral: { state: kind === 'new' ? 'booked' : 'follow_up_booked' },
    events: [{ kind: kind === 'new' ? 'appointment_booked' : 'follow_up_booked', date: p.today() }],
    openTasks: [p.task('record_attendance', 'appointment_start')],
    asOf: new Date().toISOString(),
  });
  state.stage = kind === 'new' ? 'booked' : 'follow_up_booked';
  state.firstBooked = true;
  state.appointmentId = result.appointment?.id ?? null;
  state.appointmentKind = kind;
  state.appointmentStart = result.appointment?.start ?? null;
  p.setOpenTask(result, 'record_attendance');
}
