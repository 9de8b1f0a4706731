// Issue 15: the admitted stage of the same pathway [rules §1.3, §1.4, §4.5, §6]. A decision to admit lists the patient
// (the clock runs on), pre-op is booked and recorded, TCI dates are offered and answered, and the admission stops the
// clock with 30 on its date, unless the procedure was not done or it was for diagnostics only. A decision not to treat
// ends the pathway with 34. The surgical-priority ladder watches the target date while the patient is not admitted.
import { proxyActivities } from '@temporalio/workflow';
import type { createCancelledOperationActivities } from '../../activities/cancelled-operations';
import {
  addDays, admissionAtRisk, londonInstant, workingDay, admissionStopsClock, needsTciClinicalReview, preOpValidUntil, rttBreachDate, surgicalPriorityEscalations,
  surgicalPriorityTargetDate, type AdmissionStatus, type EscalationRung, type PreOpStatus, type ReferralPriority, type SurgicalPriority,
} from '../../domain';
import { refusal } from '../refusal';
import type {
  AdmissionDecision, AdmissionUpdate, AdmittedCareCommand, BookPreOpOutcome, ClinicalReviewOutcome, CompleteTaskCommand, PathwayChange,
  PreOpReviewOutcome, TaskType,
} from '../types';
import { startActiveMonitoring } from './attendance';
import type { Pathway } from './context';

/** Issue 15: a decision to admit lists the patient on the admitted waiting list (new behaviour for running pathways). */
export const ADMITTED = '2026-11-admitted';
/**
 * Issue 15: a booked operation is cancelled through the pathway (it was written by the API beside it, leaving the
 * pathway's entry booked); without the 28-day guarantee a book_tci item opens; the guarantee's workflow is started by an
 * activity, retried until it lands.
 */
export const CANCEL_THROUGH_PATHWAY = '2026-11-cancel-through-pathway';

const guarantee = proxyActivities<Pick<ReturnType<typeof createCancelledOperationActivities>, 'startCancelledOperationGuarantee'>>({
  startToCloseTimeout: '30 seconds',
  retry: { initialInterval: '1 second', maximumInterval: '1 minute' },
});

/** The admitted waiting-list entry as the pathway holds it (no free text, no patient details). */
export type AdmissionState = {
  id: string;
  surgicalPriority: SurgicalPriority;
  decidedOn: string;
  targetDate: string;
  preOpRequired: boolean;
  preOpStatus: PreOpStatus;
  status: AdmissionStatus;
  tciDate: string | null;
  declinedReasonable: number;
  firstDeclinedDate: string | null;
  escalationLevel: number;
};

const openStatuses: AdmissionStatus[] = ['waiting', 'tci_booked', 'cancelled'];
const notListed = () => refusal('NOT_ON_ADMITTED_LIST', 'This patient is not waiting for admission on this pathway', 'admissionId');

/** An admitted item's work-order priority: P1 and P2 are urgent whatever the referral was; 2WW stays 2WW. */
function itemPriority(referral: ReferralPriority, surgical: SurgicalPriority): ReferralPriority {
  if (referral === 'two_week_wait') return referral;
  return surgical === 'P1a' || surgical === 'P1b' || surgical === 'P2' ? 'urgent' : referral;
}

function admittedTask(p: Pathway, type: TaskType, payload: Record<string, unknown> = {}) {
  const a = p.state.admission!;
  const soon = p.workingDaysAfter(p.today(), type === 'book_tci' ? 10 : 5);
  const due = a.targetDate < soon ? a.targetDate : soon;
  return p.task(type, p.dueBy(due < p.today() ? p.today() : due), {
    admissionId: a.id, surgicalPriority: a.surgicalPriority, targetDate: a.targetDate, ...payload,
  }, itemPriority(p.state.clinicalPriority, a.surgicalPriority));
}

/** The pathway's open items but the one being completed: what a change that moves on from them cancels. */
function openItems(p: Pathway, except?: string): string[] {
  const { state } = p;
  return [state.openTaskId, state.reviewTaskId ?? null].filter((id): id is string => id !== null && id !== except);
}

/**
 * A decision to admit: from the route (`cmd`) or a clinic outcome (`fromOutcome`: the outcome's change records the
 * attendance and 20 itself). The first item is pre-op booking, or TCI booking when no pre-op is needed.
 */
export async function decideToAdmit(p: Pathway, how: {
  actorId: string; decidedOn: string; decision: AdmissionDecision; noteId?: string;
  completeTask?: PathwayChange['completeTask']; attendance?: PathwayChange['attendance']; rttFrom?: Record<string, unknown>;
}): Promise<string> {
  const { state } = p;
  if (state.admission && openStatuses.includes(state.admission.status)) {
    throw refusal('ALREADY_LISTED', 'This patient is already on the admitted waiting list for this referral');
  }
  if (state.clock.status !== 'running') throw refusal('STOP_NEEDS_RUNNING_CLOCK', 'A decision to admit needs a running RTT clock (start a new period first)');
  p.patched(ADMITTED);
  const { decision, decidedOn } = how;
  // A 20 unless the clock already says "decision to admit" (a clinic outcome listed the patient before issue 15's details).
  const already = state.stage === 'awaiting_admission' && state.clock.lastCode === 20;
  const clock = already ? state.clock : p.rtt(20, decidedOn);
  const targetDate = surgicalPriorityTargetDate(decidedOn, decision.surgicalPriority, rttBreachDate(state.clock.clockStart));
  const booked = state.stage === 'booked' || state.stage === 'follow_up_booked';
  // Held while its change runs (its items read it); a refused change leaves the pathway as it was.
  const previous = state.admission;
  state.admission = {
    id: '', surgicalPriority: decision.surgicalPriority, decidedOn, targetDate, preOpRequired: decision.preOpRequired,
    preOpStatus: decision.preOpRequired ? 'needed' : 'not_required', status: 'waiting', tciDate: null, declinedReasonable: 0,
    firstDeclinedDate: null, escalationLevel: 0,
  };
  const first: TaskType = decision.preOpRequired ? 'book_pre_op' : 'book_tci';
  const except = how.completeTask?.taskId;
  const result = await p.change('recordAdmittedCare', {
    actorId: how.actorId,
    ...(how.completeTask ? { completeTask: how.completeTask } : {}),
    ...(how.attendance ? { attendance: how.attendance } : {}),
    cancelTasks: openItems(p, except),
    releaseAppointmentId: booked && !how.attendance ? state.appointmentId : null,
    referral: { state: 'awaiting_admission' },
    clock,
    rttEvents: already ? [] : [p.rttEvent(20, decidedOn, how.attendance ? 'outcome' : 'administrative', { ...(how.rttFrom ?? {}), decisionToAdmit: true, noteId: how.noteId ?? null })],
    events: [{
      kind: 'added_to_waiting_list', rttCode: already ? null : 20, date: decidedOn, noteId: how.noteId,
      note: `Decision to admit (${decision.intendedManagement === 'day_case' ? 'day case' : 'inpatient'}, ${decision.surgicalPriority}, target ${targetDate}): on the admitted waiting list, RTT clock still running`,
    }],
    admission: { kind: 'create', decision, decidedOn, targetDate, ...(how.noteId ? { noteId: how.noteId } : {}) },
    openTasks: [admittedTask(p, first)],
  }).catch((err: unknown) => {
    state.admission = previous;
    throw err;
  });
  state.admission.id = result.admissionId!;
  Object.assign(state, { clock, stage: 'awaiting_admission', firstBooked: true });
  if (state.reviewTaskId) state.reviewTaskId = null;
  p.setOpenTask(result, first);
  return state.admission.id;
}

/** One step on the admitted entry: what it sets, the item it opens (if any), what the timeline says. */
async function step(p: Pathway, actorId: string, s: {
  set: AdmissionUpdate; note: string; date: string; open?: TaskType | null; completeTask?: CompleteTaskCommand; cancel?: string[];
  tciAnswer?: { offerId: string; decision: 'accepted' | 'declined'; reasonNoteId?: string }; conditionsNoteId?: string; noteId?: string;
  kind?: string;
}): Promise<void> {
  const { state } = p;
  const a = state.admission!;
  const result = await p.change('recordAdmittedCare', {
    actorId,
    ...(s.completeTask ? { completeTask: { taskId: s.completeTask.taskId, outcome: s.completeTask.outcome } } : {}),
    cancelTasks: s.cancel ?? [],
    events: [{ kind: s.kind ?? 'admitted_care', date: s.date, note: s.note, noteId: s.noteId }],
    admission: { kind: 'update', admissionId: a.id, set: s.set, ...(s.conditionsNoteId ? { conditionsNoteId: s.conditionsNoteId } : {}) },
    ...(s.tciAnswer ? { tciAnswer: s.tciAnswer } : {}),
    openTasks: s.open ? [admittedTask(p, s.open)] : [],
  });
  if (s.set.status) a.status = s.set.status;
  if (s.set.preOpStatus) a.preOpStatus = s.set.preOpStatus;
  if (s.set.tciDate !== undefined) a.tciDate = s.set.tciDate;
  if (s.set.declinedReasonableOffers !== undefined) a.declinedReasonable = s.set.declinedReasonableOffers;
  if (s.open !== undefined) p.setOpenTask(result, s.open);
}

/** book_pre_op done: the assessment's date; the pathway waits for its outcome. */
export async function recordPreOpBooked(p: Pathway, cmd: CompleteTaskCommand, outcome: BookPreOpOutcome): Promise<void> {
  await step(p, cmd.actorId, {
    completeTask: cmd, set: { preOpStatus: 'booked', preOpDate: outcome.preOpDate }, open: null, date: p.today(),
    note: `Pre-operative assessment booked for ${outcome.preOpDate}`, kind: 'pre_op_booked',
  });
}

/** The pre-op outcome: fit (with or without conditions) → TCI booking; unfit → a clinician reviews. */
async function recordPreOpOutcome(p: Pathway, cmd: Extract<AdmittedCareCommand, { kind: 'pre_op_outcome' }>): Promise<void> {
  const { state } = p;
  const a = state.admission!;
  const fit = cmd.outcome !== 'unfit';
  const booking = state.openTaskType === 'book_tci';
  // Fit: the TCI item opens unless one is open or a TCI is booked; unfit: the open item gives way to the review.
  const open: TaskType | null | undefined = fit ? (booking || a.status === 'tci_booked' ? undefined : 'book_tci') : 'pre_op_review';
  await step(p, cmd.actorId, {
    set: { preOpStatus: cmd.outcome, preOpAssessedOn: cmd.assessedOn, preOpValidUntil: fit ? preOpValidUntil(cmd.assessedOn) : null },
    conditionsNoteId: cmd.conditionsNoteId,
    cancel: open === undefined ? [] : openItems(p),
    open, date: cmd.assessedOn, kind: 'pre_op_outcome',
    note: fit ? `Pre-operative assessment: ${cmd.outcome === 'fit' ? 'fit' : 'fit with conditions'}, valid until ${preOpValidUntil(cmd.assessedOn)}`
      : 'Pre-operative assessment: unfit for surgery; a clinician reviews',
  });
}

/** A clinician's review of an unfit pre-op: assess again, active monitoring (32) or discharge (34). */
export async function reviewPreOp(p: Pathway, cmd: CompleteTaskCommand, outcome: PreOpReviewOutcome): Promise<void> {
  if (outcome.decision === 'reassess') {
    await step(p, cmd.actorId, {
      completeTask: cmd, set: { preOpStatus: 'needed' }, open: 'book_pre_op', date: p.today(), kind: 'pre_op_review',
      note: 'Unfit pre-op reviewed: assess again', noteId: outcome.noteId,
    });
    return;
  }
  await leaveList(p, cmd, outcome.decision, outcome.reviewInWeeks, outcome.noteId);
}

/** Two declined reasonable TCIs reviewed: offer again, active monitoring (32, list position kept) or discharge (34). */
export async function reviewDeclinedTcis(p: Pathway, cmd: CompleteTaskCommand, outcome: ClinicalReviewOutcome): Promise<void> {
  if (outcome.decision === 'rebook') {
    await step(p, cmd.actorId, {
      completeTask: cmd, set: { declinedReasonableOffers: 0 }, open: 'book_tci', date: p.today(), kind: 'tci_clinical_review',
      note: 'Declined TCI dates reviewed: offer again', noteId: outcome.noteId,
    });
    p.state.admission!.firstDeclinedDate = null;
    return;
  }
  await leaveList(p, cmd, outcome.decision, outcome.reviewInWeeks, outcome.noteId);
}

/** Off the admitted list after a review: active monitoring stops the clock (32); discharge ends the pathway (34). */
async function leaveList(p: Pathway, cmd: CompleteTaskCommand, decision: 'active_monitoring' | 'discharge', reviewInWeeks?: number, noteId?: string) {
  const { state } = p;
  const a = state.admission!;
  if (decision === 'active_monitoring') {
    await startActiveMonitoring(p, cmd, { code: 32, reviewInWeeks, noteId, cause: 'clinical_review', from: { taskId: cmd.taskId }, cancelTasks: openItems(p, cmd.taskId) });
    await p.change('recordAdmittedCare', {
      actorId: cmd.actorId, events: [], admission: { kind: 'update', admissionId: a.id, set: { status: 'removed', standBy: false } },
    });
    a.status = 'removed';
    return;
  }
  const date = p.today();
  const clock = p.rtt(34, date);
  await p.change('recordAdmittedCare', {
    actorId: cmd.actorId,
    completeTask: { taskId: cmd.taskId, outcome: cmd.outcome },
    cancelTasks: [...openItems(p, cmd.taskId), ...state.openEscalationTaskIds, ...(state.validationTaskId ? [state.validationTaskId] : [])],
    referral: { state: 'discharged' },
    clock,
    rttEvents: [p.rttEvent(34, date, 'clinical_review', { taskId: cmd.taskId, noteId: noteId ?? null })],
    events: [{ kind: 'discharged', rttCode: 34, date, note: 'Discharged to the GP after clinical review: RTT clock stopped (34)', noteId }],
    admission: { kind: 'update', admissionId: a.id, set: { status: 'removed', standBy: false } },
  });
  a.status = 'removed';
  Object.assign(state, { clock, stage: 'discharged', openEscalationTaskIds: [], validationTaskId: null, reviewTaskId: null });
  p.setOpenTask({ openedTaskIds: [] }, null);
}

/** A TCI offer answered. Accepted: booked. Declined: a reasonable one counts; at two, a clinical conversation [rules §1.4]. */
async function answerTci(p: Pathway, cmd: Extract<AdmittedCareCommand, { kind: 'tci_decision' }>): Promise<boolean> {
  const { state } = p;
  const a = state.admission!;
  const today = p.today();
  const answer = {
    offerId: cmd.offerId, decision: cmd.decision, ...(cmd.reasonNoteId ? { reasonNoteId: cmd.reasonNoteId } : {}), ...(cmd.answeredOn ? { on: cmd.answeredOn } : {}),
  };
  if (cmd.decision === 'accepted') {
    const bookingItem = state.openTaskType === 'book_tci' ? state.openTaskId : null;
    await step(p, cmd.actorId, {
      tciAnswer: answer,
      ...(bookingItem ? { completeTask: { taskId: bookingItem, actorId: cmd.actorId, outcome: { note: `TCI ${cmd.admissionDate} accepted` } } } : {}),
      set: { status: 'tci_booked', tciOfferId: cmd.offerId, tciDate: cmd.admissionDate, theatreSessionId: cmd.theatreSessionId, ward: cmd.ward },
      ...(bookingItem ? { open: null } : {}),
      date: today, kind: 'tci_booked', note: `TCI date ${cmd.admissionDate} accepted (ward ${cmd.ward})`,
    });
    return false;
  }
  if (!cmd.reasonable) {
    await step(p, cmd.actorId, { tciAnswer: answer, set: {}, date: today, kind: 'tci_declined', note: `Short-notice TCI date ${cmd.admissionDate} declined: no effect on the clock or the list` });
    return false;
  }
  const declined = a.declinedReasonable + 1;
  const review = needsTciClinicalReview(declined);
  await step(p, cmd.actorId, {
    tciAnswer: answer,
    set: { declinedReasonableOffers: declined },
    ...(review ? { cancel: openItems(p), open: 'tci_clinical_review' as const } : {}),
    date: today, kind: 'tci_declined',
    note: review ? `Reasonable TCI date ${cmd.admissionDate} declined (${declined}): a clinical conversation about active monitoring`
      : `Reasonable TCI date ${cmd.admissionDate} declined (${declined}); the next offer should fall by ${addDays(cmd.admissionDate, 42)}`,
  });
  if (a.firstDeclinedDate === null) a.firstDeclinedDate = cmd.admissionDate;
  return review;
}

/** Admitted: for the treatment itself, the clock stops with 30 on the admission date and the pathway ends; else it runs on. */
async function admit(p: Pathway, cmd: Extract<AdmittedCareCommand, { kind: 'admit' }>): Promise<void> {
  const { state } = p;
  const a = state.admission!;
  if (cmd.admittedOn > p.today()) throw refusal('VALIDATION_FAILED', `An admission cannot be dated in the future (${cmd.admittedOn})`, 'admittedOn');
  const how = { admittedOn: cmd.admittedOn, procedureDone: cmd.procedureDone, diagnosticOnly: cmd.diagnosticOnly };
  if (admissionStopsClock(cmd)) {
    const clock = p.rttByRule(30, cmd.admittedOn);
    await p.change('recordAdmittedCare', {
      actorId: cmd.actorId,
      cancelTasks: [...openItems(p), ...state.openEscalationTaskIds, ...(state.validationTaskId ? [state.validationTaskId] : [])],
      referral: { state: 'treated' },
      clock,
      rttEvents: [p.rttEvent(30, cmd.admittedOn, 'admission', { admitted: true })],
      events: [{ kind: 'treated', rttCode: 30, date: cmd.admittedOn, note: 'Admitted for treatment: RTT clock stopped (30, admitted)' }],
      admission: { kind: 'update', admissionId: a.id, set: { status: 'admitted', ...how, standBy: false } },
    });
    a.status = 'admitted';
    Object.assign(state, { clock, stage: 'treated', openEscalationTaskIds: [], validationTaskId: null, reviewTaskId: null });
    p.setOpenTask({ openedTaskIds: [] }, null);
    return;
  }
  // Not done, or diagnostics only: the clock runs to the admission for the treatment [rules §1.3]; a new TCI is booked.
  const why = cmd.diagnosticOnly ? 'for diagnostics only' : 'but the procedure was not done';
  await step(p, cmd.actorId, {
    set: { status: 'waiting', ...how, tciOfferId: null, tciDate: null, theatreSessionId: null },
    ...(state.openTaskType === 'book_tci' ? {} : { cancel: openItems(p), open: 'book_tci' as const }),
    date: cmd.admittedOn, kind: 'admitted_not_treated', note: `Admitted ${why}: RTT clock still running; a new TCI date to book`,
  });
}

/**
 * A booked operation cancelled by the hospital [rules §4.4, §6]: the TCI and its theatre minutes go back and the clock runs
 * on. On the day for a non-clinical reason, the 28-day guarantee: the entry is `cancelled` and the guarantee's own workflow
 * (started here by an activity) owns its rebook item. Otherwise the entry waits again and a book_tci item opens. Either way
 * the pathway's entry and its surgical-priority ladder see the TCI gone.
 */
async function cancelOperation(p: Pathway, cmd: Extract<AdmittedCareCommand, { kind: 'cancel_operation' }>) {
  const { state } = p;
  const a = state.admission!;
  if (a.status !== 'tci_booked' || a.tciDate === null) throw refusal('ADMISSION_NOT_BOOKED', 'This operation has no TCI booked to cancel');
  if (cmd.onTheDay && a.tciDate > cmd.cancelledOn) {
    throw refusal('NOT_ON_THE_DAY', `The TCI is on ${a.tciDate}: an on-the-day cancellation is recorded on the day`, 'onTheDay');
  }
  p.patched(CANCEL_THROUGH_PATHWAY);
  const guaranteed = cmd.onTheDay && !cmd.clinical;
  const rebookHere = !guaranteed && state.openTaskType !== 'book_tci';
  const result = await p.change('recordAdmittedCare', {
    actorId: cmd.actorId,
    cancelTasks: rebookHere ? openItems(p) : [],
    events: [{
      kind: 'operation_cancelled', date: cmd.cancelledOn, noteId: cmd.reasonNoteId,
      note: guaranteed ? `Operation on ${a.tciDate} cancelled on the day by the hospital (non-clinical): a new date is due within 28 days; RTT clock still running`
        : `Operation on ${a.tciDate} cancelled${cmd.clinical ? ' for a clinical reason' : ''}: a new TCI date to book; RTT clock still running`,
    }],
    admission: { kind: 'update', admissionId: a.id, set: { status: guaranteed ? 'cancelled' : 'waiting', tciOfferId: null, tciDate: null, theatreSessionId: null, ward: null } },
    cancelOperation: { admissionId: a.id, onTheDay: cmd.onTheDay, clinical: cmd.clinical, cancelledOn: cmd.cancelledOn, reasonNoteId: cmd.reasonNoteId },
    openTasks: rebookHere ? [admittedTask(p, 'book_tci')] : [],
  });
  a.status = guaranteed ? 'cancelled' : 'waiting';
  a.tciDate = null;
  if (rebookHere) p.setOpenTask(result, 'book_tci');
  const cancelledOperationId = result.cancelledOperationId ?? null;
  if (cancelledOperationId) await guarantee.startCancelledOperationGuarantee({ cancelledOperationId, cancelledOn: cmd.cancelledOn });
  return { admissionId: a.id, cancelledOperationId, standByTaskId: result.standByTaskId ?? null };
}

/** A decision not to treat after admission (or while listed): the pathway ends with 34 [rules §1.3]. */
async function decideNotToTreat(p: Pathway, cmd: Extract<AdmittedCareCommand, { kind: 'not_treated' }>): Promise<void> {
  const { state } = p;
  const a = state.admission!;
  if (cmd.decidedOn > p.today()) throw refusal('VALIDATION_FAILED', `A decision cannot be dated in the future (${cmd.decidedOn})`, 'decidedOn');
  const clock = p.rttByRule(34, cmd.decidedOn);
  await p.change('recordAdmittedCare', {
    actorId: cmd.actorId,
    cancelTasks: [...openItems(p), ...state.openEscalationTaskIds, ...(state.validationTaskId ? [state.validationTaskId] : [])],
    referral: { state: 'discharged' },
    clock,
    rttEvents: [p.rttEvent(34, cmd.decidedOn, 'administrative', { noteId: cmd.noteId ?? null })],
    events: [{ kind: 'decision_not_to_treat', rttCode: 34, date: cmd.decidedOn, note: 'Decision not to treat: discharged, RTT clock stopped (34)', noteId: cmd.noteId }],
    admission: { kind: 'update', admissionId: a.id, set: { status: 'not_treated', notTreatedOn: cmd.decidedOn, standBy: false } },
  });
  a.status = 'not_treated';
  Object.assign(state, { clock, stage: 'discharged', openEscalationTaskIds: [], validationTaskId: null, reviewTaskId: null });
  p.setOpenTask({ openedTaskIds: [] }, null);
}

/** The admittedCare Update's work: each kind checked against the pathway's own admitted entry. */
export async function recordAdmittedCare(p: Pathway, cmd: AdmittedCareCommand): Promise<{
  admissionId: string | null; tciReviewRaised?: boolean; cancelledOperationId?: string | null; standByTaskId?: string | null;
}> {
  const { state } = p;
  if (cmd.kind === 'decide_to_admit') {
    const { kind: _k, actorId, decidedOn, noteId, ...decision } = cmd;
    if (decidedOn > p.today()) throw refusal('VALIDATION_FAILED', `A decision to admit cannot be dated in the future (${decidedOn})`, 'decidedOn');
    return { admissionId: await decideToAdmit(p, { actorId, decidedOn, decision, ...(noteId ? { noteId } : {}) }) };
  }
  const a = state.admission;
  if (!a || a.id !== cmd.admissionId || !openStatuses.includes(a.status)) throw notListed();
  switch (cmd.kind) {
    case 'pre_op_outcome': await recordPreOpOutcome(p, cmd); break;
    case 'tci_decision': return { admissionId: a.id, tciReviewRaised: await answerTci(p, cmd) };
    case 'admit': await admit(p, cmd); break;
    case 'not_treated': await decideNotToTreat(p, cmd); break;
    case 'cancel_operation': return cancelOperation(p, cmd);
  }
  return { admissionId: a.id };
}

/** The surgical-priority ladder's next rung while the patient is not admitted (or booked only after the target). */
export function nextAdmissionRung({ state }: Pathway): EscalationRung | undefined {
  const a = state.admission;
  if (!a || !a.id || !admissionAtRisk(a, a.targetDate)) return undefined;
  return surgicalPriorityEscalations(a.decidedOn, a.surgicalPriority, a.targetDate).find((r) => r.level > a.escalationLevel);
}

/**
 * When a rung is due: 09:00 London time on its calendar date. Surgical priority counts calendar days (a P1b's 72 hours
 * do not wait for a bank holiday to pass), unlike the booking ladders' working days.
 */
export const admissionRungMs = (rung: EscalationRung): number => londonInstant(rung.date, workingDay.start);

/** What the ladder's wait wakes on: any change to the entry's status, TCI date or level. */
export const admissionWatch = ({ state }: Pathway): string =>
  (state.admission ? `${state.admission.id}:${state.admission.status}:${state.admission.tciDate}:${state.admission.escalationLevel}` : '');

export async function escalateAdmission(p: Pathway, rung: EscalationRung): Promise<void> {
  const { state } = p;
  const a = state.admission!;
  const type: TaskType = rung.target === 'ops' ? 'capacity_escalation' : 'escalation_review';
  const reason = `${a.surgicalPriority} patient not yet admitted: surgical-priority target ${a.targetDate}`;
  const result = await p.change('escalate', {
    actorId: null,
    events: [{ kind: 'escalated', date: rung.date, note: `${reason}: escalated to ${rung.target === 'ops' ? 'operations' : 'team leader'}` }],
    openTasks: [p.task(type, p.dueBy(p.workingDaysAfter(rung.date, 1)), {
      escalatedTaskId: state.openTaskId, escalatedTaskType: state.openTaskType, level: rung.level, ladder: 'surgical_priority',
      admissionId: a.id, reason,
    }, itemPriority(state.clinicalPriority, a.surgicalPriority))],
  });
  a.escalationLevel = rung.level;
  state.openEscalationTaskIds.push(...result.openedTaskIds);
}
