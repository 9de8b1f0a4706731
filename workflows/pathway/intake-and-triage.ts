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
    rttEvents: [p.rttEvent(10, receivedAt, 'referral', { newPeriod: true })],
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
      rttEvents: [p.rttEvent(34, date, 'triage', { taskId: cmd.taskId, outcome: 'return_to_referrer', noteId: outcome.reasonNoteId ?? null })],
      event: { kind: 'returned_to_referrer', rttCode: 34, date, note: outcome.reason, noteId: outcome.reasonNoteId },
    });
    return;
  }
  // Upgraded to two-week wait at triage: the cancer targets run from the upgrade (issue 9).
  const upgraded = outcome.clinicalPriority === 'two_week_wait' && p.input.priority !== 'two_week_wait';
  state.clinicalPriority = outcome.clinicalPriority;
  state.clinicId = outcome.clinicId;
  const result = await p.change('recordTriage', {
    actorId: cmd.actorId,
    ...(upgraded ? {
      cancerTargets: { cancerClockStart: date, uscFirstSeenTarget: uscFirstSeenTargetDate(date), fdsTarget: fdsTargetDate(date), cancer62Target: cancer62TargetDate(date) },
    } : {}),
    completeTask: { taskId: cmd.taskId, outcome },
    referral: { state: 'awaiting_booking', clinicId: outcome.clinicId, clinicalPriority: outcome.clinicalPriority },
    events: [{ kind: 'triaged', date, note: `Accepted as ${outcome.clinicalPriority.replace(/_/g, ' ')}` }],
    openTasks: [p.bookingTask('new', bookingTargetDate(p.input.receivedAt, outcome.clinicalPriority))],
  });
  state.stage = 'awaiting_booking';
  p.setOpenTask(result, 'book_new_appointment');
}
