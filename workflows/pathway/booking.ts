// Booking: a new or follow-up appointment into a slot of the clinic triage chose; attendance is then
// recorded from the appointment's start. Partial booking and rebooking after cancellations extend this stage.
import type { BookingOutcome, CompleteTaskCommand } from '../types';
import type { Pathway } from './context';

export async function bookAppointment(p: Pathway, cmd: CompleteTaskCommand, outcome: BookingOutcome): Promise<void> {
  const { state } = p;
  const kind = state.openTaskType === 'book_follow_up' ? 'follow_up' : 'new';
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
  });
  state.stage = kind === 'new' ? 'booked' : 'follow_up_booked';
  state.firstBooked = true;
  state.appointmentId = result.appointment?.id ?? null;
  state.appointmentKind = kind;
  p.setOpenTask(result, 'record_attendance');
}
