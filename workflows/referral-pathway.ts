// referralPathway: one referral from receipt to RTT clock stop. Owns the RTT clock, the cancer target
// dates and the booking escalation ladder; raises work items and takes officers' decisions as Updates.
// The core is here (state, one change at a time, the decision Update, the wait for a decision or the next
// rung); each stage's rules are in workflows/pathway/.
import {
  allHandlersFinished, condition, continueAsNew, defineQuery, defineUpdate, setHandler, workflowInfo,
} from '@temporalio/workflow';
import { Mutex } from 'async-mutex';
import {
  administrativeRttCodes, bookingEscalations, cancellationParties, isIsoDate, type EscalationRung, type WorkItemEscalationRung,
} from '../domain';
import { passOnRefusal, refusal } from './refusal';
import { createPathway, RTT_COMPLETE, terminalStages, type Pathway, type PathwayState } from './pathway/context';
import { recordTriage, startPathway } from './pathway/intake-and-triage';
import { bookAppointment } from './pathway/booking';
import { recordAttendance, reviewDna } from './pathway/attendance';
import {
  closeResolvedEscalations, escalateOverdue, escalateUnbooked, escalationWatch, nextItemRung, resolveEscalation,
} from './pathway/escalation';
import { reviewMonitoring } from './pathway/monitoring';
import {
  FOLLOW_UP_VALIDATION, nextFollowUpValidationOn, nextValidationOn, raiseFollowUpValidation, raiseValidation, recordValidation,
} from './pathway/validation';
import { recordAdministrativeEvent } from './pathway/administrative';
import {
  advancePartialBooking, bookFromList, bookFromListUpdate, checkBookableFromList, escalatePartialBookingUpdate, raiseReview, nextPartialBookingTimer, partialBookingWatch, reviewPartialBooking,
} from './pathway/follow-up';
import { cancelAppointment, recordOfferDecision, refuseAttendanceBeforeStart, reviewClinically } from './pathway/changes';
import {
  admissionRungMs, admissionWatch, escalateAdmission, nextAdmissionRung, recordAdmittedCare, recordPreOpBooked, reviewDeclinedTcis, reviewPreOp,
} from './pathway/admitted';
import { expirePifu, PIFU_ATTENDANCES, recordAttendanceOutsideClinic, triggerPifu } from './pathway/pifu';
import type {
  AttendanceOutsideClinicCommand, PifuTriggerCommand, PifuPeriod,
  AdmittedCareCommand, AdmittedCareResult, BookPreOpOutcome, PreOpReviewOutcome,
  CancelAppointmentCommand, CancelAppointmentResult, ClinicalReviewOutcome, OfferDecisionCommand,
  AttendanceOutcome, BookingOutcome, CompleteTaskCommand, DnaReviewOutcome, MonitoringReviewOutcome, PathwayInput, PathwayView, RttEventCommand,
  PartialBookingReviewOutcome, TriageOutcome, ValidationOutcome,
} from './types';

export type { PathwayState } from './pathway/context';
export { bookFromListUpdate, escalatePartialBookingUpdate } from './pathway/follow-up';

export const completeTaskUpdate = defineUpdate<PathwayView, [CompleteTaskCommand]>('completeTask');
export const pathwayQuery = defineQuery<PathwayView>('pathway');
/** An administrative RTT event (patch 2026-11-rtt-complete): POST /api/referrals/:id/rtt-events. */
export const recordRttEventUpdate = defineUpdate<PathwayView, [RttEventCommand]>('recordRttEvent');

// Issue 10: changes (workflows/pathway/changes.ts; patch 2026-11-changes where an existing history would differ).
/** POST /api/appointments/:id/cancel and /reschedule, and a clinic session change moving a patient. */
export const cancelAppointmentUpdate = defineUpdate<CancelAppointmentResult, [CancelAppointmentCommand]>('cancelAppointment');
/** POST /api/offers/:id/accept and /decline. */
export const recordOfferDecisionUpdate = defineUpdate<PathwayView, [OfferDecisionCommand]>('recordOfferDecision');
/** Issue 15: the admitted pathway's decisions (decision to admit, pre-op outcome, TCI answers, admission, decision not to treat). */
export const admittedCareUpdate = defineUpdate<AdmittedCareResult, [AdmittedCareCommand]>('admittedCare');
/** Issue 16: a patient on PIFU asks to be seen (POST /api/referrals/:id/pifu-trigger). */
export const pifuTriggerUpdate = defineUpdate<PathwayView, [PifuTriggerCommand]>('pifuTrigger');
/** Issue 16: a patient seen outside a booked clinic (POST /api/attendances). */
export const attendanceOutsideClinicUpdate = defineUpdate<PathwayView, [AttendanceOutsideClinicCommand]>('attendanceOutsideClinic');
const admittedKinds: readonly string[] = ['decide_to_admit', 'pre_op_outcome', 'tci_decision', 'admit', 'not_treated', 'cancel_operation'];

const WORK_ITEM_LADDERS = '2026-11-work-item-ladders';
/** Issue 13: a pathway imported at go-live, or registered by intake, starts where it stands, its rows already written. */
export const IMPORTED = '2026-11-import';

// The work item someone is completing closed with the pathway: to them it is no longer open.
const pathwayEnded = () => refusal('TASK_NOT_OPEN', 'This pathway has ended');

/** The stage that takes a decision on the open work item. */
function decide(p: Pathway, cmd: CompleteTaskCommand): Promise<void> {
  const { state } = p;
  if (state.openEscalationTaskIds.includes(cmd.taskId)) return resolveEscalation(p, cmd);
  if (state.validationTaskId && cmd.taskId === state.validationTaskId) return recordValidation(p, cmd, cmd.outcome as ValidationOutcome);
  if (state.reviewTaskId && cmd.taskId === state.reviewTaskId) return reviewClinically(p, cmd, cmd.outcome as ClinicalReviewOutcome);
  switch (state.openTaskType) {
    case 'triage_referral': return recordTriage(p, cmd, cmd.outcome as TriageOutcome);
    case 'book_new_appointment': case 'book_follow_up': case 'rebook_appointment': return bookAppointment(p, cmd, cmd.outcome as BookingOutcome);
    case 'record_attendance': refuseAttendanceBeforeStart(p); return recordAttendance(p, cmd, cmd.outcome as AttendanceOutcome);
    case 'clinical_review': return reviewClinically(p, cmd, cmd.outcome as ClinicalReviewOutcome);
    case 'dna_review': return reviewDna(p, cmd, cmd.outcome as DnaReviewOutcome);
    case 'active_monitoring_review': return reviewMonitoring(p, cmd, cmd.outcome as MonitoringReviewOutcome);
    // Issue 15: the admitted items. A TCI is booked by its offer and the patient's answer (POST /api/tci-offers/:id/accept).
    case 'book_pre_op': return recordPreOpBooked(p, cmd, cmd.outcome as BookPreOpOutcome);
    case 'pre_op_review': return reviewPreOp(p, cmd, cmd.outcome as PreOpReviewOutcome);
    case 'tci_clinical_review': return reviewDeclinedTcis(p, cmd, cmd.outcome as ClinicalReviewOutcome);
    // Issue 16: the clinician's decision on a follow-up nobody booked from the partial booking list.
    case 'partial_booking_review': return reviewPartialBooking(p, cmd, cmd.outcome as PartialBookingReviewOutcome);
    case 'book_tci': throw refusal('RULE_REFUSED', "Book the admission by recording the TCI offer and the patient's answer: accepting it closes this item");
    default: return Promise.resolve();
  }
}

type Wake = { timedOut: false } | {
  timedOut: true; rung?: EscalationRung; itemRung?: WorkItemEscalationRung; taskAtWait: string | null; validationOn?: string | null;
  admissionRung?: EscalationRung; partialBookingStep?: ReturnType<typeof nextPartialBookingTimer>; pifuAtWait?: PifuPeriod | null;
  followUpValidationOn?: string | null;
};

/**
 * Waits for whatever comes first: a decision that changes what is pending, the booking ladder's next rung,
 * or the open item's next rung. Pathways started before the item ladders wait without them.
 */
async function decisionOrNextRung(p: Pathway): Promise<Wake> {
  const { state } = p;
  // The booking ladder: escalate while the referral is still not booked (policy from the rules engine).
  const rung = state.firstBooked ? undefined
    : bookingEscalations(p.input.receivedAt, state.clinicalPriority).find((r) => r.level > state.escalationLevel);
  // The work item's own ladder once it is overdue; items before the first booking are the booking ladder's.
  const ladders = p.patched(WORK_ITEM_LADDERS);
  const itemRung = ladders ? nextItemRung(p) : undefined;
  // Waiting-list validation while the clock runs (patch 2026-11-rtt-complete): the next point, one item at a time.
  const complete = p.patched(RTT_COMPLETE);
  const validationOn = complete ? nextValidationOn(state) : null;
  // Issue 16: a follow-up waiting unbooked past its due date on a stopped clock (patch asked only when one waits).
  const followUpDue = complete ? nextFollowUpValidationOn(state) : null;
  const followUpValidationOn = followUpDue && p.patched(FOLLOW_UP_VALIDATION) ? followUpDue : null;
  const priorityAtWait = state.clinicalPriority;
  const taskAtWait = state.openTaskId;
  const clockAtWait = state.clock;
  const validationAtWait = state.validationTaskId;
  // Issue 15: the surgical-priority ladder, only on a pathway with an admitted entry (older histories never have one).
  const admissionRung = nextAdmissionRung(p);
  const admissionAtWait = admissionWatch(p);
  // Issue 16: the partial booking list's next step (invite, chase, review), only on a pathway with an entry.
  const partialBookingStep = nextPartialBookingTimer(p);
  const partialBookingAtWait = partialBookingWatch(p);
  // Issue 16: a PIFU period's expiry (only a pathway moved to PIFU has one; older histories never do).
  const pifuAtWait = state.pifu ?? null;
  const wake = () => (state.pifu ?? null) !== pifuAtWait || p.ended() || (rung !== undefined && state.firstBooked) || state.clinicalPriority !== priorityAtWait
    || (ladders && state.openTaskId !== taskAtWait) || workflowInfo().continueAsNewSuggested
    || (complete && (state.clock !== clockAtWait || state.validationTaskId !== validationAtWait))
    || admissionWatch(p) !== admissionAtWait || partialBookingWatch(p) !== partialBookingAtWait;
  const dueTimes = [rung && p.deadlineMs(rung.date), itemRung && Date.parse(itemRung.at), validationOn ? p.deadlineMs(validationOn) : undefined,
    admissionRung && admissionRungMs(admissionRung), partialBookingStep?.at, pifuAtWait ? p.deadlineMs(pifuAtWait.expiresOn) : undefined,
    followUpValidationOn ? p.deadlineMs(followUpValidationOn) : undefined]
    .filter((t): t is number => typeof t === 'number');
  const woke = dueTimes.length ? await condition(wake, Math.max(0, Math.min(...dueTimes) - Date.now())) : (await condition(wake), true);
  return woke ? { timedOut: false } : {
    timedOut: true, rung, itemRung, taskAtWait, validationOn, admissionRung, partialBookingStep, pifuAtWait, followUpValidationOn,
  };
}

export async function referralPathway(input: PathwayInput, resumed?: PathwayState): Promise<PathwayView> {
  const p = createPathway(input, resumed);
  const { state } = p;
  // One change at a time: every decision and escalation runs under this lock and re-checks the state inside it,
  // so two officers' Updates in one activation cannot both act on the same work item.
  const oneAtATime = new Mutex();

  const view = (): PathwayView => ({
    referralId: input.referralId,
    stage: state.stage,
    clock: state.clock,
    openTaskId: state.openTaskId,
    openTaskType: state.openTaskType,
    openEscalationTaskIds: [...state.openEscalationTaskIds],
    escalationLevel: state.escalationLevel,
    appointmentId: state.appointmentId,
    validationTaskId: state.validationTaskId ?? null,
  });

  /**
   * Every Update that changes the pathway: one at a time under the lock, refused once the pathway has ended (`ended`),
   * then `check`; escalations the change resolved close after it (unless `closeEscalations` is false); the answer is
   * the pathway's view with what `run` returns. A refused booking or rule comes back to the officer as a clear answer
   * (its code and field), not a stuck workflow.
   */
  const pathwayCommand = <C, R extends object | void = void>(
    ended: () => unknown, run: (cmd: C) => Promise<R>, opts: { check?: (cmd: C) => void; closeEscalations?: boolean } = {},
  ) => (cmd: C) => oneAtATime.runExclusive(async () => {
    if (p.ended()) throw ended();
    opts.check?.(cmd);
    try {
      const watch = escalationWatch(p);
      const more = await run(cmd);
      if (opts.closeEscalations !== false) await closeResolvedEscalations(p, watch);
      return { ...view(), ...(more as R & object) };
    } catch (err) {
      throw passOnRefusal(err);
    }
  });

  setHandler(pathwayQuery, view);
  setHandler(
    completeTaskUpdate,
    pathwayCommand(pathwayEnded, (cmd) => decide(p, cmd), {
      check: (cmd) => {
        if (cmd.taskId !== state.openTaskId && !state.openEscalationTaskIds.includes(cmd.taskId) && cmd.taskId !== state.validationTaskId
          && cmd.taskId !== state.reviewTaskId) {
          throw refusal('TASK_NOT_OPEN', 'This work item is no longer open on the pathway');
        }
      },
    }),
    {
      // Refused before it enters history; the checks that depend on work in flight run in the handler.
      validator: (cmd) => {
        if (terminalStages.includes(state.stage)) throw pathwayEnded();
        if (!cmd || typeof cmd.taskId !== 'string' || typeof cmd.actorId !== 'string' || typeof cmd.outcome !== 'object') {
          throw refusal('VALIDATION_FAILED', 'A decision needs a taskId, an actorId and an outcome', 'outcome');
        }
      },
    },
  );
  setHandler(
    recordRttEventUpdate,
    pathwayCommand(() => refusal('STOP_NEEDS_RUNNING_CLOCK', 'This pathway has ended: its RTT period is closed'), (cmd) => recordAdministrativeEvent(p, cmd)),
    {
      validator: (cmd) => {
        if (terminalStages.includes(state.stage)) throw refusal('STOP_NEEDS_RUNNING_CLOCK', 'This pathway has ended: its RTT period is closed');
        if (!cmd || typeof cmd.actorId !== 'string') throw refusal('VALIDATION_FAILED', 'An RTT event needs an actorId', 'actorId');
        if (!administrativeRttCodes.includes(cmd.code)) {
          throw refusal('VALIDATION_FAILED', `Code ${String(cmd.code)} is not an administrative RTT event (${administrativeRttCodes.join(', ')})`, 'code');
        }
        if (!isIsoDate(cmd.date)) throw refusal('VALIDATION_FAILED', 'An RTT event needs a date written YYYY-MM-DD', 'date');
      },
    },
  );

  // Issue 10: an appointment cancelled or moved; a reasonable offer declined. Refused before history on an ended pathway.
  const changesEnded = () => refusal('PATHWAY_ENDED', 'This pathway has ended');
  setHandler(
    cancelAppointmentUpdate,
    // SLOT_TAKEN and the rest come back with their code and field: a session change can catch them and try another slot.
    pathwayCommand(changesEnded, async (cmd) => {
      const raised = await cancelAppointment(p, cmd);
      return { cancelledAppointmentId: cmd.appointmentId, patientCancellations: state.patientCancellations ?? 0, ...raised };
    }),
    {
      validator: (cmd) => {
        if (terminalStages.includes(state.stage)) throw changesEnded();
        if (!cmd || typeof cmd.appointmentId !== 'string') throw refusal('VALIDATION_FAILED', 'A cancellation needs the appointmentId', 'appointmentId');
        if (!cancellationParties.includes(cmd.by)) throw refusal('VALIDATION_FAILED', 'A cancellation is by the patient or the hospital', 'by');
        if (cmd.newSlotId !== undefined && (typeof cmd.newSlotId !== 'string' || cmd.newSlotId === '')) {
          throw refusal('VALIDATION_FAILED', 'A reschedule needs the new slot', 'slotId');
        }
      },
    },
  );
  setHandler(
    recordOfferDecisionUpdate,
    pathwayCommand(changesEnded, (cmd) => recordOfferDecision(p, cmd)),
    {
      validator: (cmd) => {
        if (terminalStages.includes(state.stage)) throw changesEnded();
        if (!cmd || typeof cmd.offerId !== 'string' || typeof cmd.actorId !== 'string' || typeof cmd.reasonable !== 'boolean'
          || (cmd.decision !== 'accepted' && cmd.decision !== 'declined')) {
          throw refusal('VALIDATION_FAILED', 'An offer decision needs the offerId, the actorId, accepted or declined, and whether it was reasonable', 'decision');
        }
      },
    },
  );

  // Issue 15: the admitted pathway. Refused before history when the pathway has ended or the command is malformed.
  setHandler(
    admittedCareUpdate,
    pathwayCommand(changesEnded, (cmd) => recordAdmittedCare(p, cmd)),
    {
      validator: (cmd) => {
        if (terminalStages.includes(state.stage)) throw changesEnded();
        if (!cmd || !admittedKinds.includes(cmd.kind) || typeof cmd.actorId !== 'string') {
          throw refusal('VALIDATION_FAILED', 'An admitted-care decision needs its kind and the actorId', 'kind');
        }
      },
    },
  );

  // Issue 16: a follow-up booked from the partial booking list (the patient answered the invitation).
  setHandler(
    bookFromListUpdate,
    pathwayCommand(changesEnded, (cmd) => bookFromList(p, cmd), { check: (cmd) => checkBookableFromList(p, cmd) }),
    {
      validator: (cmd) => {
        if (terminalStages.includes(state.stage)) throw changesEnded();
        if (!cmd || typeof cmd.entryId !== 'string' || typeof cmd.slotId !== 'string' || typeof cmd.actorId !== 'string') {
          throw refusal('VALIDATION_FAILED', 'A booking from the partial booking list needs the entryId, the slotId and the actorId', 'slotId');
        }
        checkBookableFromList(p, cmd);
      },
    },
  );

  setHandler(
    escalatePartialBookingUpdate,
    pathwayCommand(changesEnded, (cmd) => raiseReview(p, 'no_slot_by_lcad', cmd.actorId), { check: (cmd) => checkBookableFromList(p, cmd), closeEscalations: false }),
    {
      validator: (cmd) => {
        if (terminalStages.includes(state.stage)) throw changesEnded();
        if (!cmd || typeof cmd.entryId !== 'string' || typeof cmd.actorId !== 'string') {
          throw refusal('VALIDATION_FAILED', 'An escalation needs the entryId and the actorId', 'entryId');
        }
        checkBookableFromList(p, cmd);
      },
    },
  );

  // Issue 16: PIFU triggers and attendances outside clinic, behind their patch; refused before history when the pathway has ended.
  if (p.patched(PIFU_ATTENDANCES)) {
    setHandler(pifuTriggerUpdate, pathwayCommand(changesEnded, (cmd: PifuTriggerCommand) => triggerPifu(p, cmd)), {
      validator: (cmd) => {
        if (terminalStages.includes(state.stage)) throw changesEnded();
        if (!cmd || typeof cmd.actorId !== 'string') throw refusal('VALIDATION_FAILED', 'A PIFU trigger needs the actorId', 'actorId');
        if (state.stage !== 'pifu') throw refusal('NOT_ON_PIFU', 'This pathway is not on patient-initiated follow-up');
      },
    });
    setHandler(attendanceOutsideClinicUpdate, pathwayCommand(changesEnded, (cmd: AttendanceOutsideClinicCommand) => recordAttendanceOutsideClinic(p, cmd)), {
      validator: (cmd) => {
        if (terminalStages.includes(state.stage)) throw changesEnded();
        if (!cmd || typeof cmd.attendanceId !== 'string' || typeof cmd.actorId !== 'string' || !isIsoDate(cmd.attendedOn) || typeof cmd.outcome !== 'object') {
          throw refusal('VALIDATION_FAILED', 'An attendance needs its id, the actorId, the date seen and the outcome', 'outcome');
        }
      },
    });
  }

  // Under the lock: the triage item is in Postgres before its id is here, and an early decision must wait for it.
  if (!resumed) {
    // Only new histories carry `imported`, so the marker never meets a history recorded before it.
    if (input.imported && p.patched(IMPORTED)) {
      // The import (or intake's first change) counts as change 1: its item keys are `<referralId>:1:<type>`, the next is 2.
      Object.assign(state, { ...input.imported, step: 1 });
    } else {
      await oneAtATime.runExclusive(() => startPathway(p));
    }
  }

  while (!p.ended()) {
    const woke = await decisionOrNextRung(p);
    if (woke.timedOut) {
      // A decision may have landed while the timer fired: the rung re-checks the state once it holds the lock.
      const { rung, itemRung, taskAtWait, validationOn, admissionRung, partialBookingStep, pifuAtWait, followUpValidationOn } = woke;
      await oneAtATime.runExclusive(async () => {
        if (p.ended()) return;
        if (rung && !state.firstBooked && p.deadlineMs(rung.date) <= Date.now()) await escalateUnbooked(p, rung);
        else if (itemRung && state.openTaskId === taskAtWait && Date.parse(itemRung.at) <= Date.now()) await escalateOverdue(p, itemRung);
        if (validationOn && !p.ended() && nextValidationOn(state) === validationOn && p.deadlineMs(validationOn) <= Date.now()) {
          await raiseValidation(p, validationOn);
        }
        if (admissionRung && !p.ended() && nextAdmissionRung(p)?.level === admissionRung.level && admissionRungMs(admissionRung) <= Date.now()) {
          await escalateAdmission(p, admissionRung);
        }
        const due = partialBookingStep && !p.ended() ? nextPartialBookingTimer(p) : null;
        if (due && partialBookingStep && due.step.kind === partialBookingStep.step.kind && due.at === partialBookingStep.at && due.at <= Date.now()) {
          await advancePartialBooking(p, due.step);
        }
        if (pifuAtWait && !p.ended() && state.pifu === pifuAtWait && p.deadlineMs(pifuAtWait.expiresOn) <= Date.now()) await expirePifu(p);
        if (followUpValidationOn && !p.ended() && nextFollowUpValidationOn(state) === followUpValidationOn
          && p.deadlineMs(followUpValidationOn) <= Date.now()) {
          await raiseFollowUpValidation(p, followUpValidationOn);
        }
      });
      continue;
    }
    if (workflowInfo().continueAsNewSuggested && !p.ended()) {
      await condition(allHandlersFinished);
      await continueAsNew<typeof referralPathway>(input, state);
    }
  }
  await condition(allHandlersFinished);
  return view();
}
