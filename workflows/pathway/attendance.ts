// Attendance: the clinic outcome of a booked appointment (discharged, follow-up, did not attend) and the
// clinician's review of a DNA (discharge, or rebook with a new RTT clock after a nullified first one).
import { addDays, bookingTargetDate, dnaOutcome, restartRttClockAfterDna } from '../../domain';
import type { AttendanceOutcome, CompleteTaskCommand, DnaReviewOutcome } from '../types';
import type { Pathway } from './context';
import { arrangeFollowUp } from './follow-up';

export async function recordAttendance(p: Pathway, cmd: CompleteTaskCommand, outcome: AttendanceOutcome): Promise<void> {
  const { state } = p;
  const date = p.today();
  const appointmentId = state.appointmentId!;
  if (outcome.outcome === 'did_not_attend') {
    const first = state.appointmentKind === 'new';
    const dna = dnaOutcome({ appointment: first ? 'first' : 'follow_up', priority: state.clinicalPriority, clearlyCommunicated: true });
    const clock = dna.rttCode === 33 ? p.rtt(33, date) : state.clock;
    const result = await p.change('recordOutcome', {
      actorId: cmd.actorId,
      completeTask: { taskId: cmd.taskId, outcome },
      attendance: { appointmentId, state: 'did_not_attend', outcome: 'did_not_attend' },
      referral: { state: 'awaiting_dna_review' },
      clock,
      events: [{
        kind: 'did_not_attend', rttCode: dna.rttCode, date,
        note: dna.clock === 'nullified' ? 'First appointment DNA: RTT clock nullified; clinician to review' : 'DNA: clock continues; clinician to review',
      }],
      openTasks: [p.task('dna_review', p.dueBy(p.workingDaysAfter(date, 2)), { appointmentId })],
    });
    Object.assign(state, { clock, stage: 'awaiting_dna_review' });
    p.setOpenTask(result, 'dna_review');
    return;
  }
  if (outcome.outcome === 'discharged') {
    await p.close(cmd, {
      stage: 'discharged',
      clock: state.clock.status === 'running' ? p.rtt(34, date) : state.clock,
      attendance: { appointmentId, state: 'attended', outcome: 'discharged' },
      event: { kind: 'discharged', rttCode: 34, date, note: outcome.noteId ? undefined : outcome.note ?? 'Attended and discharged', noteId: outcome.noteId },
    });
    return;
  }
  await arrangeFollowUp(p, cmd, outcome);
}

export async function reviewDna(p: Pathway, cmd: CompleteTaskCommand, outcome: DnaReviewOutcome): Promise<void> {
  const { state } = p;
  const date = p.today();
  if (outcome.decision === 'discharge') {
    const clock = state.clock.status === 'running' ? p.rtt(34, date) : state.clock;
    await p.close(cmd, {
      stage: 'discharged',
      clock,
      event: {
        kind: 'discharged', rttCode: clock.status === 'stopped' ? 34 : null, date,
        note: outcome.noteId ? undefined : outcome.note ?? 'Discharged by clinician after DNA', noteId: outcome.noteId,
      },
    });
    return;
  }
  // A nullified first-appointment clock restarts from the clinician's decision to rebook (RTT-Rec25 §3.4.5).
  const restarted = state.clock.status === 'nullified';
  const clock = restarted ? restartRttClockAfterDna(state.clock, { clinicianDecidedOn: date }) : state.clock;
  const kind = state.appointmentKind === 'follow_up' ? 'follow_up' : 'new';
  const bookBy = kind === 'new' ? bookingTargetDate(clock.clockStart, state.clinicalPriority) : addDays(date, 14);
  const result = await p.change('recordOutcome', {
    actorId: cmd.actorId,
    completeTask: { taskId: cmd.taskId, outcome },
    referral: { state: kind === 'new' ? 'awaiting_booking' : 'awaiting_follow_up' },
    clock,
    events: [{
      kind: 'rebook_after_dna', rttCode: restarted ? 10 : null, date,
      note: restarted ? 'New RTT clock from the decision to rebook' : outcome.note, noteId: restarted ? undefined : outcome.noteId,
    }],
    openTasks: [p.bookingTask(kind, bookBy)],
  });
  Object.assign(state, { clock, stage: kind === 'new' ? 'awaiting_booking' : 'awaiting_follow_up' });
  p.setOpenTask(result, kind === 'new' ? 'book_new_appointment' : 'book_follow_up');
}
