// Issue 16: patient-initiated follow-up (PIFU) and attendances recorded after the fact [rules §4.8, §8].
// Moved to PIFU, the clock stops with 32 if it still runs (clinician-initiated active monitoring, as NHSE's PIFU guidance
// has it) and the pathway waits, on the `pifu` stage, for the patient to ask to be seen or for the period to expire:
// a trigger opens a follow-up booking item due within the policy interval; expiry discharges (letters to the patient and
// GP) or raises a clinician's review. An attendance outside a booked clinic supersedes what the pathway waited for and
// records its outcome as a clinic outcome would, dated the day the patient was seen.
import {
  daysBetween, firstActivityDue, pifuBookBy, pifuExpiryDate, rttCodesForOutcome, rttStatusMeanings,
} from '../../domain';
import { refusal } from '../refusal';
import type {
  AttendanceOutcome, AttendanceOutsideClinicCommand, CompleteTaskCommand, PathwayChange, PifuTriggerCommand, RttEventRecord,
} from '../types';
import type { Pathway } from './context';
import { arrangeFollowUp } from './follow-up';
import { recordAttendance } from './attendance';

/** The patch behind PIFU, its trigger and expiry, and attendances outside clinic. */
export const PIFU_ATTENDANCES = '2026-11-pifu-attendances';
/** A PIFU discharge (at expiry, or at the review expiry raised) queues the discharge letters to the patient and GP. */
export const PIFU_DISCHARGE_LETTERS = '2026-11-pifu-discharge-letters';
/** A follow-up recorded after the fact is dated the day the patient was seen (its RTT code and its due date). */
export const FOLLOW_UP_ATTENDED_ON = '2026-11-follow-up-attended-on';

export async function moveToPifu(p: Pathway, cmd: CompleteTaskCommand, outcome: AttendanceOutcome, how: {
  date: string; attendance?: PathwayChange['attendance']; from: Partial<RttEventRecord>;
}): Promise<void> {
  const { state } = p;
  const { date } = how;
  const running = state.clock.status === 'running';
  const clock = running ? p.rtt(32, date) : state.clock;
  const pifu = { expiresOn: pifuExpiryDate(date, outcome.expiryWeeks ?? 52), atExpiry: outcome.atExpiry ?? 'discharge' } as const;
  const then = pifu.atExpiry === 'discharge' ? 'discharge to the GP' : 'a clinician reviews';
  const result = await p.change('continuePathway', {
    actorId: cmd.actorId,
    completeTask: { taskId: cmd.taskId, outcome: cmd.outcome },
    cancelTasks: state.validationTaskId ? [state.validationTaskId] : [],
    ...(how.attendance ? { attendance: how.attendance } : {}),
    referral: { state: 'pifu' },
    clock,
    rttEvents: running ? [p.rttEvent(32, date, 'outcome', how.from)] : [],
    events: [{
      kind: 'moved_to_pifu', rttCode: running ? 32 : null, date, noteId: outcome.noteId,
      note: `Moved to patient-initiated follow-up until ${pifu.expiresOn}, then ${then}${running ? `: RTT clock stopped (32, ${rttStatusMeanings[32]})` : ''}`,
    }],
    openTasks: [],
    pifu,
  });
  Object.assign(state, { clock, stage: 'pifu', validationTaskId: null, pifu });
  p.setOpenTask(result, null);
}

/** The patient asks to be seen: a follow-up to book within the policy interval; the PIFU period ends. */
export async function triggerPifu(p: Pathway, cmd: PifuTriggerCommand): Promise<void> {
  const { state } = p;
  if (state.stage !== 'pifu') throw refusal('NOT_ON_PIFU', 'This pathway is not on patient-initiated follow-up');
  const date = p.today();
  const bookBy = pifuBookBy(date);
  // A review raised at expiry and still open is answered by the patient's call.
  const cancel = [state.openTaskId, state.reviewTaskId ?? null].filter((id): id is string => id !== null);
  const result = await p.change('continuePathway', {
    actorId: cmd.actorId,
    cancelTasks: cancel,
    referral: { state: 'awaiting_follow_up' },
    events: [{ kind: 'pifu_triggered', date, note: `The patient asked to be seen (PIFU): follow-up to book by ${bookBy}`, noteId: cmd.noteId }],
    openTasks: [p.bookingTask('follow_up', bookBy)],
  });
  Object.assign(state, { stage: 'awaiting_follow_up', pifu: null });
  p.setOpenTask(result, 'book_follow_up');
}

/** The PIFU period ran out with no call: discharge (the letters say so) or a clinician's review (stage stays pifu). */
export async function expirePifu(p: Pathway): Promise<void> {
  const { state } = p;
  const pifu = state.pifu!;
  const date = p.today();
  state.pifu = null;
  if (pifu.atExpiry === 'discharge') {
    await p.end({
      actorId: null, stage: 'discharged', clock: state.clock, rttEvents: [],
      ...(p.patched(PIFU_DISCHARGE_LETTERS) ? { dischargeLetters: true } : {}),
      event: { kind: 'discharged', rttCode: null, date, note: `PIFU expired on ${pifu.expiresOn} with no request to be seen: discharged to the GP; letters to the patient and GP` },
    });
    return;
  }
  const result = await p.change('continuePathway', {
    actorId: null,
    referral: { state: 'pifu' },
    events: [{ kind: 'pifu_expired', date, note: `PIFU expired on ${pifu.expiresOn} with no request to be seen: a clinician reviews` }],
    openTasks: [p.task('active_monitoring_review', p.dueBy(p.workingDaysAfter(date, 5)), { reviewOn: date, reason: 'pifu_expired' })],
  });
  p.setOpenTask(result, 'active_monitoring_review');
}

/**
 * A patient seen outside a booked clinic. The code given must be the one the outcome records on this clock; then the
 * attendance is written, what the pathway waited for is cancelled (a booked appointment still to come freed), and the
 * outcome completes a record_attendance item for it as a clinic outcome does.
 */
export async function recordAttendanceOutsideClinic(p: Pathway, cmd: AttendanceOutsideClinicCommand): Promise<void> {
  const { state } = p;
  const { outcome, attendedOn } = cmd;
  if (attendedOn > p.today()) throw refusal('VALIDATION_FAILED', `The attendance cannot be in the future (${attendedOn})`, 'attendedOn');
  if (daysBetween(state.clock.clockStart, attendedOn) < 0) {
    throw refusal('EVENT_BEFORE_CLOCK_START', `The attendance on ${attendedOn} is before the clock started on ${state.clock.clockStart}`, 'attendedOn');
  }
  const first = firstActivityDue(state.clock);
  const allowed = rttCodesForOutcome(outcome.outcome, state.clock, first);
  if (!allowed.includes(cmd.rttCode)) {
    throw refusal('RTT_CODE_MISMATCH', `${outcome.outcome.replace(/_/g, ' ')} on a ${state.clock.status} clock records ${allowed.join(' or ') || 'nothing'}, `
      + `not ${cmd.rttCode}`, 'rttCode');
  }
  const open = [state.openTaskId, state.reviewTaskId ?? null].filter((id): id is string => id !== null);
  const booked = state.stage === 'booked' || state.stage === 'follow_up_booked';
  const result = await p.change('recordAttendanceOutsideClinic', {
    actorId: cmd.actorId,
    attendance: {
      id: cmd.attendanceId, attendedOn, clinicianId: cmd.clinicianId, setting: cmd.setting, outcome: outcome.outcome,
      followUpWeeks: outcome.followUpWeeks ?? null, rttCode: cmd.rttCode,
    },
    cancelTasks: open,
    releaseAppointmentId: booked ? state.appointmentId : null,
    events: [{ kind: 'attended_outside_clinic', date: attendedOn, note: `Seen outside clinic (${cmd.setting}); recorded after the fact` }],
    openTasks: [p.task('record_attendance', p.dueBy(p.today()), { attendanceId: cmd.attendanceId, setting: cmd.setting, attendedOn })],
  });
  if (state.reviewTaskId) state.reviewTaskId = null;
  p.setOpenTask(result, 'record_attendance');
  Object.assign(state, { appointmentId: cmd.attendanceId, appointmentKind: first ? 'new' : 'follow_up', appointmentStart: null, pifu: null });
  const done: CompleteTaskCommand = { taskId: state.openTaskId!, actorId: cmd.actorId, outcome };
  if (outcome.outcome === 'follow_up') {
    await arrangeFollowUp(p, done, outcome, p.patched(FOLLOW_UP_ATTENDED_ON) ? attendedOn : undefined);
  } else {
    await recordAttendance(p, done, outcome, attendedOn);
  }
  state.appointmentKind = 'follow_up';
}
