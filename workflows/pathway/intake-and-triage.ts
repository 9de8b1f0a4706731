// Intake and triage: the pathway starts with the triage item; a clinician accepts (clinic and clinical
// priority, then booking) or returns the referral to the referrer, which ends the pathway.
import { bookingTargetDate, cancer62TargetDate, fdsTargetDate, triageDueDate, uscFirstSeenTargetDate } from '../../domain';
import type { CompleteTaskCommand, TriageOutcome } from '../types';
import type { Pathway } from './context';

export async function startPathway(p: Pathway): Promise<void> {
  const { receivedAt, priority } = p.input;
  const result = await p.change('startPathway', {
    actorId: null,
    startPathway: priority === 'two_week_wait'
      ? { uscFirstSeenTarget: uscFirstSeenTargetDate(receivedAt), fdsTarget: fdsTargetDate(receivedAt), cancer62Target: cancer62TargetDate(receivedAt) }
      : { uscFirstSeenTarget: null, fdsTarget: null, cancer62Target: null },
    clock: p.state.clock,
    events: [{ kind: 'referral_received', rttCode: null, date: receivedAt, note: 'RTT clock started on the date the referral was received' }],
    openTasks: [p.task('triage_referral', p.dueBy(p.trustTime ? triageDueDate(receivedAt) : triageDueDate(receivedAt, [])))],
  });
  p.setOpenTask(result, 'triage_referral');
}

export async function recordTriage(p: Pathway, cmd: CompleteTaskCommand, outcome: TriageOutcome): Promise<void> {
  const { state } = p;
  const date = p.today();
  if (outcome.decision === 'return_to_referrer') {
    await p.close(cmd, {
      stage: 'returned_to_referrer',
      clock: p.rtt(34, date),
      event: { kind: 'returned_to_referrer', rttCode: 34, date, note: outcome.reason, noteId: outcome.reasonNoteId },
    });
    return;
  }
  state.clinicalPriority = outcome.clinicalPriority;
  state.clinicId = outcome.clinicId;
  const result = await p.change('recordTriage', {
    actorId: cmd.actorId,
    completeTask: { taskId: cmd.taskId, outcome },
    referral: { state: 'awaiting_booking', clinicId: outcome.clinicId, clinicalPriority: outcome.clinicalPriority },
    events: [{ kind: 'triaged', date, note: `Accepted as ${outcome.clinicalPriority.replace(/_/g, ' ')}` }],
    openTasks: [p.bookingTask('new', bookingTargetDate(p.input.receivedAt, outcome.clinicalPriority))],
  });
  state.stage = 'awaiting_booking';
  p.setOpenTask(result, 'book_new_appointment');
}
