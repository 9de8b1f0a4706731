// Administrative RTT events, recorded outside a clinic (POST /api/referrals/:id/rtt-events): the patient died,
// declined by phone, treated on admission, transferred, put on active monitoring, or no longer needs care. Each
// closes the open period through applyRttEvent, refused with the rule's own name; ending the pathway cancels its
// open items and frees an appointment still to come.
import { activeMonitoringReviewDate, rttStatusMeanings, type RttStatusCode } from '../../domain';
import { refusal } from '../refusal';
import type { RttEventCommand } from '../types';
import type { EndStage, Pathway } from './context';

const endStageFor: Partial<Record<RttStatusCode, EndStage>> = { 21: 'transferred', 30: 'treated', 34: 'discharged', 35: 'declined_treatment', 36: 'died' };
const kindFor: Partial<Record<RttStatusCode, string>> = {
  21: 'referred_on', 30: 'treated', 31: 'active_monitoring', 32: 'active_monitoring', 34: 'discharged', 35: 'declined_treatment', 36: 'died',
};

export async function recordAdministrativeEvent(p: Pathway, cmd: RttEventCommand): Promise<void> {
  const { state } = p;
  const { code, date, actorId } = cmd;
  if (date > p.today()) throw refusal('VALIDATION_FAILED', `An RTT event cannot be dated in the future (${date})`, 'date');
  const onAdmission = code === 30 && state.stage === 'awaiting_admission';
  const clock = p.rttByRule(code, date);
  const rttEvents = [p.rttEvent(code, date, onAdmission ? 'admission' : 'administrative', {
    noteId: cmd.noteId ?? null, ...(code === 30 ? { admitted: onAdmission } : {}),
  })];
  const note = onAdmission
    ? 'Admitted for treatment: RTT clock stopped (30, admitted)'
    : `Administrative RTT event ${code}: ${rttStatusMeanings[code]}`;
  const event = { kind: kindFor[code] ?? 'rtt_event', rttCode: code, date, note, noteId: cmd.noteId };
  const endStage = endStageFor[code];
  if (endStage) {
    await p.end({ actorId, stage: endStage, clock, rttEvents, event });
    return;
  }
  // 31/32: active monitoring from outside a clinic; what was pending is cancelled and a review item opens.
  const reviewOn = activeMonitoringReviewDate(date);
  const cancel = [state.openTaskId, ...state.openEscalationTaskIds, state.validationTaskId ?? null, state.reviewTaskId ?? null]
    .filter((id): id is string => id !== null);
  const booked = state.stage === 'booked' || state.stage === 'follow_up_booked';
  const result = await p.change('continuePathway', {
    actorId,
    cancelTasks: cancel,
    releaseAppointmentId: booked ? state.appointmentId : null,
    referral: { state: 'active_monitoring' },
    clock,
    rttEvents,
    events: [{ ...event, note: `${note}; review by ${reviewOn}` }],
    openTasks: [p.task('active_monitoring_review', p.dueBy(reviewOn), { reviewOn })],
  });
  Object.assign(state, { clock, stage: 'active_monitoring', openEscalationTaskIds: [], validationTaskId: null });
  if (state.reviewTaskId) state.reviewTaskId = null;
  p.setOpenTask(result, 'active_monitoring_review');
}
