// Intake and triage: the pathway starts with the triage item; a clinician accepts (clinic and clinical
// priority, then booking) or returns the referral to the referrer, which ends the pathway.
import {
  bookingTargetDate, cancer62TargetDate, fdsTargetDate, queueFor, rttPolicyVersion, rttRuleFor, startRttClock, taskTitles, triageDueDate,
  uscFirstSeenTargetDate,
} from '../../domain';
import type { CompleteTaskCommand, PathwayInput, StartPathway, TriageOutcome } from '../types';
import type { Pathway } from './context';

/**
 * A pathway's first change: its RTT clock (code 10 on receipt), cancer targets for a 2WW, the timeline's first entry and
 * the triage item (change key `<referralId>:1`). Pure, so intake can apply it before the workflow starts (issue 13) and
 * the workflow applies the very same change when it was not (a referral saved while Temporal was away, older pathways).
 */
export function firstChange(input: Pick<PathwayInput, 'referralId' | 'receivedAt' | 'priority' | 'specialtyCode'>, dueBy: (date: string) => string,
  trustTime = true): Omit<StartPathway, 'changeKey' | 'referralId' | 'patientId'> {
  const { receivedAt, priority, referralId, specialtyCode } = input;
  return {
    actorId: null,
    startPathway: priority === 'two_week_wait'
      ? { uscFirstSeenTarget: uscFirstSeenTargetDate(receivedAt), fdsTarget: fdsTargetDate(receivedAt), cancer62Target: cancer62TargetDate(receivedAt) }
      : { uscFirstSeenTarget: null, fdsTarget: null, cancer62Target: null },
    clock: startRttClock(receivedAt),
    rttEvents: [{ code: 10, date: receivedAt, cause: 'referral', rule: rttRuleFor(10, 'referral'), policyVersion: rttPolicyVersion, newPeriod: true }],
    events: [{ kind: 'referral_received', rttCode: null, date: receivedAt, note: 'RTT clock started on the date the referral was received' }],
    openTasks: [{
      taskKey: `${referralId}:1:triage_referral`, type: 'triage_referral', title: taskTitles.triage_referral,
      queue: queueFor('triage_referral', priority, specialtyCode), priority,
      dueAt: dueBy(trustTime ? triageDueDate(receivedAt) : triageDueDate(receivedAt, [])), payload: { specialtyCode },
    }],
  };
}

export async function startPathway(p: Pathway): Promise<void> {
  const result = await p.change('startPathway', firstChange(p.input, p.dueBy, p.trustTime));
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
