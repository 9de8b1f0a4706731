// Active monitoring: the clock stopped with 31/32 and a review item is due at the policy interval (12 weeks by
// default). The review continues monitoring (the next review), decides to treat (a new period, code 11, whose
// PTL place keeps the original clock start: db/rtt.ts) or discharges.
import { activeMonitoringReviewDate, addDays, bookingTargetDate } from '../../domain';
import { PIFU_DISCHARGE_LETTERS } from './pifu';
import type { CompleteTaskCommand, MonitoringReviewOutcome, RttEventRecord } from '../types';
import type { Pathway } from './context';

export async function reviewMonitoring(p: Pathway, cmd: CompleteTaskCommand, outcome: MonitoringReviewOutcome): Promise<void> {
  const { state } = p;
  const date = p.today();
  const from: Partial<RttEventRecord> = { taskId: cmd.taskId, outcome: outcome.decision, noteId: outcome.noteId ?? null };
  if (outcome.decision === 'discharge') {
    // The review a PIFU expiry raised (the stage stays pifu): the patient and GP are told by letter, as at expiry.
    const letters = state.stage === 'pifu' && p.patched(PIFU_DISCHARGE_LETTERS);
    await p.close(cmd, {
      stage: 'discharged',
      clock: state.clock,
      event: {
        kind: 'discharged', rttCode: null, date, noteId: outcome.noteId,
        note: letters ? 'Discharged at the review after PIFU expired: letters to the patient and GP' : 'Discharged at the active monitoring review',
      },
      ...(letters ? { dischargeLetters: true } : {}),
    });
    return;
  }
  if (outcome.decision === 'continue_monitoring') {
    const reviewOn = outcome.reviewInWeeks ? addDays(date, outcome.reviewInWeeks * 7) : activeMonitoringReviewDate(date);
    const result = await p.change('recordOutcome', {
      actorId: cmd.actorId,
      completeTask: { taskId: cmd.taskId, outcome },
      referral: { state: 'active_monitoring' },
      clock: state.clock,
      rttEvents: [],
      events: [{ kind: 'monitoring_reviewed', date, note: `Active monitoring continues; next review by ${reviewOn}`, noteId: outcome.noteId }],
      openTasks: [p.task('active_monitoring_review', p.dueBy(reviewOn), { reviewOn })],
    });
    p.setOpenTask(result, 'active_monitoring_review');
    return;
  }
  // A decision to treat: a new period (11) from today; admitted care adds the patient to the waiting list (20 with
  // the decision to admit), outpatient care books a follow-up.
  const plan = outcome.plan ?? 'admit';
  const started = p.rtt(11, date);
  const rttEvents = [p.rttEvent(11, date, 'monitoring_review', { ...from, newPeriod: true })];
  let clock = started;
  if (plan === 'admit') {
    clock = p.rtt(20, date, started);
    rttEvents.push(p.rttEvent(20, date, 'monitoring_review', { ...from, decisionToAdmit: true }));
  }
  const stage = plan === 'admit' ? 'awaiting_admission' : 'awaiting_follow_up';
  const result = await p.change('recordOutcome', {
    actorId: cmd.actorId,
    completeTask: { taskId: cmd.taskId, outcome },
    referral: { state: stage },
    clock,
    rttEvents,
    events: [{
      kind: 'decision_to_treat', rttCode: 11, date, noteId: outcome.noteId,
      note: plan === 'admit'
        ? 'Decision to treat after active monitoring: a new RTT period (11) and a decision to admit'
        : 'Decision to treat after active monitoring: a new RTT period (11); follow-up appointment to book',
    }],
    openTasks: plan === 'admit' ? [] : [p.bookingTask('follow_up', bookingTargetDate(date, state.clinicalPriority))],
  });
  Object.assign(state, { clock, stage });
  p.setOpenTask(result, plan === 'admit' ? null : 'book_follow_up');
}
