// Attendance: the clinic outcome of a booked appointment and the clinician's review of a DNA. Each outcome
// moves the RTT clock through applyRttEvent (p.rtt) and names the events it records: treated (30), active
// monitoring (32, or 31 when the patient chose it), declined treatment (35), decision not to treat (34),
// added to the waiting list (20 with a decision to admit; the clock runs on), referred on (21), discharged
// (34), follow-up (10 or 20), did not attend (33 only with evidence the patient was told; see recordDna).
import {
  activeMonitoringReviewDate, addDays, bookingTargetDate, dnaOutcome, restartRttClockAfterDna, rttStatusMeanings, type RttEventCause, type RttStatusCode,
} from '../../domain';
import type { AttendanceOutcome, CompleteTaskCommand, DnaReviewOutcome, PathwayChange, RttEventRecord } from '../types';
import { RTT_COMPLETE, type EndStage, type Pathway } from './context';
import { arrangeFollowUp } from './follow-up';
import { decideToAdmit } from './admitted';
import { moveToPifu, PIFU_ATTENDANCES } from './pifu';

/** `date`: the day the patient was seen (today at clinic; the attendance's date when recorded after the fact, issue 16). */
export async function recordAttendance(p: Pathway, cmd: CompleteTaskCommand, outcome: AttendanceOutcome, date = p.today()): Promise<void> {
  const { state } = p;
  const appointmentId = state.appointmentId!;
  if (outcome.outcome === 'did_not_attend') {
    await recordDna(p, cmd, outcome);
    return;
  }
  if (outcome.outcome === 'discharged') {
    const running = state.clock.status === 'running';
    await p.close(cmd, {
      stage: 'discharged',
      clock: running ? p.rtt(34, date) : state.clock,
      attendance: { appointmentId, state: 'attended', outcome: 'discharged' },
      rttEvents: running ? [p.rttEvent(34, date, 'outcome', { appointmentId, taskId: cmd.taskId, outcome: 'discharged', noteId: outcome.noteId ?? null })] : [],
      event: { kind: 'discharged', rttCode: 34, date, note: outcome.noteId ? undefined : outcome.note ?? 'Attended and discharged', noteId: outcome.noteId },
    });
    return;
  }
  // Pathways before the complete clock took every other outcome as a follow-up.
  if (outcome.outcome !== 'follow_up' && p.patched(RTT_COMPLETE)) {
    await recordClinicDecision(p, cmd, outcome, date);
    return;
  }
  await arrangeFollowUp(p, cmd, outcome);
}

/** The outcomes that end the pathway at clinic: the code that stops (or transfers) the clock and the stage it ends in. */
const endings: Partial<Record<AttendanceOutcome['outcome'], { code: RttStatusCode; stage: EndStage; words: string }>> = {
  treated: { code: 30, stage: 'treated', words: 'First definitive treatment in clinic: RTT clock stopped' },
  declined_treatment: { code: 35, stage: 'declined_treatment', words: 'The patient declined the treatment offered: RTT clock stopped' },
  decision_not_to_treat: { code: 34, stage: 'discharged', words: 'Decision not to treat: RTT clock stopped and discharged' },
  referred_on: { code: 21, stage: 'transferred', words: 'Referred on to another provider: the RTT period continues there' },
};

async function recordClinicDecision(p: Pathway, cmd: CompleteTaskCommand, outcome: AttendanceOutcome, date: string): Promise<void> {
  const { state } = p;
  const appointmentId = state.appointmentId!;
  const attendance = { appointmentId, state: 'attended' as const, outcome: outcome.outcome };
  const from: Partial<RttEventRecord> = { appointmentId, taskId: cmd.taskId, outcome: outcome.outcome, noteId: outcome.noteId ?? null };
  const ending = endings[outcome.outcome];
  if (ending) {
    const clock = p.rtt(ending.code, date);
    await p.close(cmd, {
      stage: ending.stage,
      clock,
      attendance,
      rttEvents: [p.rttEvent(ending.code, date, 'outcome', { ...from, ...(ending.code === 30 ? { admitted: false } : {}) })],
      event: { kind: outcome.outcome, rttCode: ending.code, date, note: ending.words, noteId: outcome.noteId },
    });
    return;
  }
  if (outcome.outcome === 'active_monitoring') {
    await startActiveMonitoring(p, cmd, {
      code: outcome.patientInitiated ? 31 : 32, reviewInWeeks: outcome.reviewInWeeks, noteId: outcome.noteId, cause: 'outcome', from, attendance, date,
    });
    return;
  }
  // Issue 16: patient-initiated follow-up (workflows/pathway/pifu.ts); a new outcome, so no history before it meets it.
  if (outcome.outcome === 'moved_to_pifu' && p.patched(PIFU_ATTENDANCES)) {
    await moveToPifu(p, cmd, outcome, { date, attendance, from });
    return;
  }
  // Issue 15: with the decision's details the patient joins the admitted list now (workflows/pathway/admitted.ts).
  if (outcome.admission) {
    await decideToAdmit(p, { actorId: cmd.actorId, decidedOn: date, decision: outcome.admission, ...(outcome.noteId ? { noteId: outcome.noteId } : {}),
      completeTask: { taskId: cmd.taskId, outcome }, attendance, rttFrom: from });
    return;
  }
  // added_to_waiting_list: a decision to admit; the clock runs on until the admission (30) stops it.
  const clock = p.rtt(20, date);
  const result = await p.change('recordOutcome', {
    actorId: cmd.actorId,
    completeTask: { taskId: cmd.taskId, outcome },
    attendance,
    referral: { state: 'awaiting_admission' },
    clock,
    rttEvents: [p.rttEvent(20, date, 'outcome', { ...from, decisionToAdmit: true })],
    events: [{ kind: 'added_to_waiting_list', rttCode: 20, date, note: 'Decision to admit: on the admitted waiting list, RTT clock still running', noteId: outcome.noteId }],
    openTasks: [],
  });
  Object.assign(state, { clock, stage: 'awaiting_admission' });
  p.setOpenTask(result, null);
}

/**
 * Active monitoring decided by a clinician (at clinic, or at a clinical review): the clock stops with 31 or 32 and a
 * review item opens. `cancelTasks` and `releaseAppointmentId`: what the decision replaces (a clinical review held
 * beside a booked appointment cancels its attendance item and frees it).
 */
export async function startActiveMonitoring(p: Pathway, cmd: CompleteTaskCommand, how: {
  code: 31 | 32; reviewInWeeks?: number; noteId?: string; cause: RttEventCause; from: Partial<RttEventRecord>;
  attendance?: PathwayChange['attendance']; cancelTasks?: string[]; releaseAppointmentId?: string | null; date?: string;
}): Promise<void> {
  const { state } = p;
  const { code, cause, from } = how;
  const date = how.date ?? p.today();
  const clock = p.rtt(code, date);
  const reviewOn = how.reviewInWeeks ? addDays(date, how.reviewInWeeks * 7) : activeMonitoringReviewDate(date);
  const result = await p.change('continuePathway', {
    actorId: cmd.actorId,
    completeTask: { taskId: cmd.taskId, outcome: cmd.outcome },
    cancelTasks: [...(how.cancelTasks ?? []), ...(state.validationTaskId ? [state.validationTaskId] : [])],
    ...(how.releaseAppointmentId ? { releaseAppointmentId: how.releaseAppointmentId } : {}),
    ...(how.attendance ? { attendance: how.attendance } : {}),
    referral: { state: 'active_monitoring' },
    clock,
    rttEvents: [p.rttEvent(code, date, cause, from)],
    events: [{ kind: 'active_monitoring', rttCode: code, date, note: `Active monitoring (${rttStatusMeanings[code]}): RTT clock stopped; review by ${reviewOn}`, noteId: how.noteId }],
    openTasks: [p.task('active_monitoring_review', p.dueBy(reviewOn), { reviewOn })],
  });
  Object.assign(state, { clock, stage: 'active_monitoring', validationTaskId: null });
  p.setOpenTask(result, 'active_monitoring_review');
}

/**
 * A DNA. A first-appointment DNA of a routine or urgent referral nullifies the clock (33) only when the
 * appointment records how and when the patient was told of it [A RTT-Rec25 §4 rule 5e]; without that evidence the
 * clock runs on and the referral goes straight back for rebooking. A 2WW first DNA and any follow-up DNA keep the
 * clock running and a clinician reviews. Pathways before the complete clock took every appointment as communicated.
 */
async function recordDna(p: Pathway, cmd: CompleteTaskCommand, outcome: AttendanceOutcome): Promise<void> {
  const { state } = p;
  const date = p.today();
  const appointmentId = state.appointmentId!;
  const first = state.appointmentKind === 'new';
  const needsEvidence = first && (state.clinicalPriority === 'routine' || state.clinicalPriority === 'urgent');
  let clearlyCommunicated = true;
  if (needsEvidence && p.patched(RTT_COMPLETE)) {
    const evidence = await p.evidenceOf(appointmentId);
    clearlyCommunicated = evidence.communicatedAt !== null && evidence.communicatedBy !== null;
  }
  const attendance = { appointmentId, state: 'did_not_attend' as const, outcome: 'did_not_attend' };
  if (!clearlyCommunicated) {
    const soonest = p.workingDaysAfter(date, 2);
    const target = bookingTargetDate(state.clock.clockStart, state.clinicalPriority);
    const bookBy = target > soonest ? target : soonest;
    const result = await p.change('recordOutcome', {
      actorId: cmd.actorId,
      completeTask: { taskId: cmd.taskId, outcome },
      attendance,
      referral: { state: 'awaiting_booking' },
      clock: state.clock,
      rttEvents: [],
      events: [{
        kind: 'did_not_attend', rttCode: null, date, noteId: outcome.noteId,
        note: 'First appointment DNA, but nothing records how or when the patient was told of it: RTT clock continues '
          + '(RTT-Rec25 §4 rule 5e); back for rebooking',
      }],
      openTasks: [p.bookingTask('new', bookBy)],
    });
    state.stage = 'awaiting_booking';
    p.setOpenTask(result, 'book_new_appointment');
    return;
  }
  const dna = dnaOutcome({ appointment: first ? 'first' : 'follow_up', priority: state.clinicalPriority, clearlyCommunicated });
  const clock = dna.rttCode === 33 ? p.rtt(33, date) : state.clock;
  const result = await p.change('recordOutcome', {
    actorId: cmd.actorId,
    completeTask: { taskId: cmd.taskId, outcome },
    attendance,
    referral: { state: 'awaiting_dna_review' },
    clock,
    rttEvents: dna.rttCode === 33 ? [p.rttEvent(33, date, 'outcome', { appointmentId, taskId: cmd.taskId, outcome: 'did_not_attend' })] : [],
    events: [{
      kind: 'did_not_attend', rttCode: dna.rttCode, date,
      note: dna.clock === 'nullified' ? 'First appointment DNA: RTT clock nullified; clinician to review' : 'DNA: clock continues; clinician to review',
    }],
    openTasks: [p.task('dna_review', p.dueBy(p.workingDaysAfter(date, 2)), { appointmentId })],
  });
  // A nullified clock needs no validation; a validation item still open closes when the pathway next moves.
  Object.assign(state, { clock, stage: 'awaiting_dna_review' });
  p.setOpenTask(result, 'dna_review');
}

export async function reviewDna(p: Pathway, cmd: CompleteTaskCommand, outcome: DnaReviewOutcome): Promise<void> {
  const { state } = p;
  const date = p.today();
  const from: Partial<RttEventRecord> = { taskId: cmd.taskId, outcome: outcome.decision, noteId: outcome.noteId ?? null };
  if (outcome.decision === 'discharge') {
    const running = state.clock.status === 'running';
    const clock = running ? p.rtt(34, date) : state.clock;
    await p.close(cmd, {
      stage: 'discharged',
      clock,
      rttEvents: running ? [p.rttEvent(34, date, 'dna_review', from)] : [],
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
    rttEvents: restarted ? [p.rttEvent(10, clock.clockStart, 'dna_review', { ...from, newPeriod: true })] : [],
    events: [{
      kind: 'rebook_after_dna', rttCode: restarted ? 10 : null, date,
      note: restarted ? 'New RTT clock from the decision to rebook' : outcome.note, noteId: restarted ? undefined : outcome.noteId,
    }],
    openTasks: [p.bookingTask(kind, bookBy)],
  });
  Object.assign(state, { clock, stage: kind === 'new' ? 'awaiting_booking' : 'awaiting_follow_up' });
  p.setOpenTask(result, kind === 'new' ? 'book_new_appointment' : 'book_follow_up');
}
