// referralPathway: one referral from receipt to RTT clock stop. Owns the RTT clock, the cancer target
// dates and the booking escalation ladder; raises work items and takes officers' decisions as Updates.
import {
  ApplicationFailure, ActivityFailure, allHandlersFinished, condition, continueAsNew, defineQuery, defineUpdate,
  patched, proxyActivities, setHandler, workflowInfo,
} from '@temporalio/workflow';
import { Mutex } from 'async-mutex';
import {
  addDays, addWorkingDays, applyRttEvent, bookingEscalations, bookingTargetDate, cancer62TargetDate, dnaOutcome,
  endOfWorkingDay, fdsTargetDate, restartRttClockAfterDna, startOfWorkingDay, startRttClock, triageDueDate,
  uscFirstSeenTargetDate, workItemEscalations,
  type EscalationRung, type ReferralPriority, type RttClock, type WorkItemEscalationRung,
} from '../domain';
import { utcStartOfDayMs, utcToday, workflowToday } from './workflow-time';
import { refusal } from './refusal';
import type { createPathwayActivities } from '../activities/pathway';
import type {
  AttendanceOutcome, BookingOutcome, CompleteTaskCommand, DnaReviewOutcome, PathwayChange, PathwayChangeResult,
  PathwayInput, PathwayView, ReferralState, SlotType, TaskSpec, TaskType, TriageOutcome,
} from './types';

const { applyPathwayChange } = proxyActivities<ReturnType<typeof createPathwayActivities>>({
  startToCloseTimeout: '30 seconds',
  retry: { initialInterval: '1 second', maximumInterval: '30 seconds', nonRetryableErrorTypes: ['SLOT_TAKEN', 'RULE_REFUSED'] },
});

export const completeTaskUpdate = defineUpdate<PathwayView, [CompleteTaskCommand]>('completeTask');
export const pathwayQuery = defineQuery<PathwayView>('pathway');

type PathwayState = {
  stage: ReferralState;
  clock: RttClock;
  clinicalPriority: ReferralPriority;
  clinicId: string | null;
  openTaskId: string | null;
  openTaskType: TaskType | null;
  openEscalationTaskIds: string[];
  escalationLevel: number; // highest booking-ladder rung fired
  firstBooked: boolean; // the booking ladder stops once the first appointment is booked
  appointmentId: string | null;
  appointmentKind: 'new' | 'follow_up' | null;
  step: number; // numbers this pathway's changes: the idempotency key of each
  // Added with the work item ladders (patch 2026-11-work-item-ladders); absent in older pathways.
  openTaskDueAt?: string | null;
  openTaskLevel?: number;
};

const WORK_ITEM_LADDERS = '2026-11-work-item-ladders';
const TRUST_TIME = '2026-11-trust-time';

const terminalStages: ReferralState[] = ['returned_to_referrer', 'discharged'];
// The work item someone is completing closed with the pathway: to them it is no longer open.
const ended_ = () => refusal('TASK_NOT_OPEN', 'This pathway has ended');

const specialtyTitles: Record<TaskType, string> = {
  triage_referral: 'Triage referral',
  book_new_appointment: 'Book new appointment',
  book_follow_up: 'Book follow-up',
  record_attendance: 'Record attendance',
  dna_review: 'Review did-not-attend',
  escalation_review: 'Escalation review',
  capacity_escalation: 'Capacity escalation',
};

export async function referralPathway(input: PathwayInput, resumed?: PathwayState): Promise<PathwayView> {
  const { referralId, patientId, receivedAt, priority, specialtyCode } = input;
  const state: PathwayState = resumed ?? {
    stage: 'awaiting_triage',
    clock: startRttClock(receivedAt),
    clinicalPriority: priority,
    clinicId: null,
    openTaskId: null,
    openTaskType: null,
    openEscalationTaskIds: [],
    escalationLevel: 0,
    firstBooked: false,
    appointmentId: null,
    appointmentKind: null,
    step: 0,
  };
  // One change at a time: every decision and escalation runs under this lock and re-checks the state inside it,
  // so two officers' Updates in one activation cannot both act on the same work item.
  const oneAtATime = new Mutex();
  // Trust time: London dates, deadlines at the start of the working day, due times at its end, working days
  // skipping bank holidays. Pathways started before it keep UTC dates, 00:00Z deadlines and 17:00Z due times.
  const trustTime = patched(TRUST_TIME);
  const today = trustTime ? workflowToday : utcToday;
  const deadlineMs = (date: string) => (trustTime ? startOfWorkingDay(date) : utcStartOfDayMs(date));
  const dueBy = (date: string) => (trustTime ? endOfWorkingDay(date) : `${date}T17:00:00.000Z`);
  const workingDaysAfter = (date: string, days: number) => (trustTime ? addWorkingDays(date, days) : addDays(date, days));
  let openedDueAt: string | null = null; // when the work item most recently opened is due

  const view = (): PathwayView => ({
    referralId,
    stage: state.stage,
    clock: state.clock,
    openTaskId: state.openTaskId,
    openTaskType: state.openTaskType,
    openEscalationTaskIds: [...state.openEscalationTaskIds],
    escalationLevel: state.escalationLevel,
    appointmentId: state.appointmentId,
  });

  const apply = (change: Omit<PathwayChange, 'changeKey' | 'referralId' | 'patientId'>): Promise<PathwayChangeResult> => {
    state.step += 1;
    return applyPathwayChange({ ...change, changeKey: `${referralId}:${state.step}`, referralId, patientId })
      .then((result) => {
        const main = change.openTasks?.find((t) => t.type !== 'escalation_review' && t.type !== 'capacity_escalation');
        if (main) openedDueAt = main.dueAt === 'appointment_start' ? result.appointment?.start ?? null : main.dueAt;
        return result;
      });
  };

  const task = (type: TaskType, dueAt: TaskSpec['dueAt'], payload: Record<string, unknown> = {}, taskPriority = state.clinicalPriority): TaskSpec => {
    const queue: TaskSpec['queue'] =
      type === 'escalation_review' ? { kind: 'escalation' }
      : type === 'capacity_escalation' ? { kind: 'capacity' }
      : type === 'book_new_appointment' && taskPriority === 'two_week_wait' ? { kind: 'two_week_wait' }
      : { kind: 'specialty', specialtyCode };
    return {
      taskKey: `${referralId}:${state.step + 1}:${type}`,
      type,
      title: specialtyTitles[type],
      queue,
      priority: taskPriority,
      dueAt,
      payload: { specialtyCode, ...payload },
    };
  };

  const setOpenTask = (result: PathwayChangeResult, type: TaskType | null) => {
    state.openTaskId = type ? result.openedTaskIds[0] ?? null : null;
    state.openTaskType = type;
    state.openTaskDueAt = type ? openedDueAt : null;
    state.openTaskLevel = 0;
  };

  const bookingTask = (kind: 'new' | 'follow_up', bookBy: string): TaskSpec => {
    const slotType: SlotType = kind === 'follow_up' ? 'follow_up'
      : state.clinicalPriority === 'routine' ? 'new' : state.clinicalPriority;
    return task(kind === 'new' ? 'book_new_appointment' : 'book_follow_up', dueBy(bookBy), {
      clinicId: state.clinicId, slotType, bookBy,
    });
  };

  /** Leaves the clock and stage as they were if a rule refuses the change. */
  const rtt = (code: number, date: string): RttClock => {
    try {
      return applyRttEvent(state.clock, { code: code as RttClock['lastCode'], date });
    } catch (err) {
      throw refusal('RTT_RULE', (err as Error).message);
    }
  };

  const onTriage = async (cmd: CompleteTaskCommand, outcome: TriageOutcome) => {
    const date = today();
    if (outcome.decision === 'return_to_referrer') {
      const clock = rtt(34, date);
      await apply({
        actorId: cmd.actorId,
        completeTask: { taskId: cmd.taskId, outcome },
        cancelTasks: state.openEscalationTaskIds,
        referral: { state: 'returned_to_referrer' },
        clock,
        events: [{ kind: 'returned_to_referrer', rttCode: 34, date, note: outcome.reason, noteId: outcome.reasonNoteId }],
      });
      Object.assign(state, { clock, stage: 'returned_to_referrer', openEscalationTaskIds: [] });
      setOpenTask({ openedTaskIds: [] }, null);
      return;
    }
    state.clinicalPriority = outcome.clinicalPriority;
    state.clinicId = outcome.clinicId;
    const result = await apply({
      actorId: cmd.actorId,
      completeTask: { taskId: cmd.taskId, outcome },
      referral: { state: 'awaiting_booking', clinicId: outcome.clinicId, clinicalPriority: outcome.clinicalPriority },
      events: [{ kind: 'triaged', date, note: `Accepted as ${outcome.clinicalPriority.replace(/_/g, ' ')}` }],
      openTasks: [bookingTask('new', bookingTargetDate(receivedAt, outcome.clinicalPriority))],
    });
    state.stage = 'awaiting_booking';
    setOpenTask(result, 'book_new_appointment');
  };

  const onBooking = async (cmd: CompleteTaskCommand, outcome: BookingOutcome) => {
    const kind = state.openTaskType === 'book_follow_up' ? 'follow_up' : 'new';
    const slotType: SlotType = kind === 'follow_up' ? 'follow_up'
      : state.clinicalPriority === 'routine' ? 'new' : state.clinicalPriority;
    const result = await apply({
      actorId: cmd.actorId,
      completeTask: { taskId: cmd.taskId, outcome },
      booking: { slotId: outcome.slotId, clinicId: state.clinicId!, kind, slotType },
      referral: { state: kind === 'new' ? 'booked' : 'follow_up_booked' },
      events: [{ kind: kind === 'new' ? 'appointment_booked' : 'follow_up_booked', date: today() }],
      openTasks: [task('record_attendance', 'appointment_start')],
    });
    state.stage = kind === 'new' ? 'booked' : 'follow_up_booked';
    state.firstBooked = true;
    state.appointmentId = result.appointment?.id ?? null;
    state.appointmentKind = kind;
    setOpenTask(result, 'record_attendance');
  };

  const onAttendance = async (cmd: CompleteTaskCommand, outcome: AttendanceOutcome) => {
    const date = today();
    const appointmentId = state.appointmentId!;
    const first = state.appointmentKind === 'new';
    if (outcome.outcome === 'did_not_attend') {
      const dna = dnaOutcome({ appointment: first ? 'first' : 'follow_up', priority: state.clinicalPriority, clearlyCommunicated: true });
      const clock = dna.rttCode === 33 ? rtt(33, date) : state.clock;
      const result = await apply({
        actorId: cmd.actorId,
        completeTask: { taskId: cmd.taskId, outcome },
        attendance: { appointmentId, state: 'did_not_attend', outcome: 'did_not_attend' },
        referral: { state: 'awaiting_dna_review' },
        clock,
        events: [{
          kind: 'did_not_attend', rttCode: dna.rttCode, date,
          note: dna.clock === 'nullified' ? 'First appointment DNA: RTT clock nullified; clinician to review' : 'DNA: clock continues; clinician to review',
        }],
        openTasks: [task('dna_review', dueBy(workingDaysAfter(date, 2)), { appointmentId })],
      });
      Object.assign(state, { clock, stage: 'awaiting_dna_review' });
      setOpenTask(result, 'dna_review');
      return;
    }
    if (outcome.outcome === 'discharged') {
      const clock = state.clock.status === 'running' ? rtt(34, date) : state.clock;
      await apply({
        actorId: cmd.actorId,
        completeTask: { taskId: cmd.taskId, outcome },
        cancelTasks: state.openEscalationTaskIds,
        attendance: { appointmentId, state: 'attended', outcome: 'discharged' },
        referral: { state: 'discharged' },
        clock,
        events: [{ kind: 'discharged', rttCode: 34, date, note: outcome.noteId ? undefined : outcome.note ?? 'Attended and discharged', noteId: outcome.noteId }],
      });
      Object.assign(state, { clock, stage: 'discharged', openEscalationTaskIds: [] });
      setOpenTask({ openedTaskIds: [] }, null);
      return;
    }
    const weeks = outcome.followUpWeeks ?? 6;
    const clock = state.clock.status === 'running' ? rtt(first ? 10 : 20, date) : state.clock;
    const due = addDays(date, weeks * 7);
    const result = await apply({
      actorId: cmd.actorId,
      completeTask: { taskId: cmd.taskId, outcome },
      attendance: { appointmentId, state: 'attended', outcome: 'follow_up' },
      referral: { state: 'awaiting_follow_up' },
      clock,
      events: [{ kind: 'attended', rttCode: clock.lastCode, date, note: `Follow-up in ${weeks} weeks${outcome.note ? `: ${outcome.note}` : ''}`, noteId: outcome.noteId }],
      openTasks: [bookingTask('follow_up', due)],
    });
    Object.assign(state, { clock, stage: 'awaiting_follow_up' });
    setOpenTask(result, 'book_follow_up');
  };

  const onDnaReview = async (cmd: CompleteTaskCommand, outcome: DnaReviewOutcome) => {
    const date = today();
    if (outcome.decision === 'discharge') {
      const clock = state.clock.status === 'running' ? rtt(34, date) : state.clock;
      await apply({
        actorId: cmd.actorId,
        completeTask: { taskId: cmd.taskId, outcome },
        cancelTasks: state.openEscalationTaskIds,
        referral: { state: 'discharged' },
        clock,
        events: [{
          kind: 'discharged', rttCode: clock.status === 'stopped' ? 34 : null, date,
          note: outcome.noteId ? undefined : outcome.note ?? 'Discharged by clinician after DNA', noteId: outcome.noteId,
        }],
      });
      Object.assign(state, { clock, stage: 'discharged', openEscalationTaskIds: [] });
      setOpenTask({ openedTaskIds: [] }, null);
      return;
    }
    // A nullified first-appointment clock restarts from the clinician's decision to rebook (RTT-Rec25 §3.4.5).
    const restarted = state.clock.status === 'nullified';
    const clock = restarted ? restartRttClockAfterDna(state.clock, { clinicianDecidedOn: date }) : state.clock;
    const kind = state.appointmentKind === 'follow_up' ? 'follow_up' : 'new';
    const bookBy = kind === 'new' ? bookingTargetDate(clock.clockStart, state.clinicalPriority) : addDays(date, 14);
    const result = await apply({
      actorId: cmd.actorId,
      completeTask: { taskId: cmd.taskId, outcome },
      referral: { state: kind === 'new' ? 'awaiting_booking' : 'awaiting_follow_up' },
      clock,
      events: [{
        kind: 'rebook_after_dna', rttCode: restarted ? 10 : null, date,
        note: restarted ? 'New RTT clock from the decision to rebook' : outcome.note, noteId: restarted ? undefined : outcome.noteId,
      }],
      openTasks: [bookingTask(kind, bookBy)],
    });
    Object.assign(state, { clock, stage: kind === 'new' ? 'awaiting_booking' : 'awaiting_follow_up' });
    setOpenTask(result, kind === 'new' ? 'book_new_appointment' : 'book_follow_up');
  };

  const onEscalationActioned = async (cmd: CompleteTaskCommand) => {
    await apply({ actorId: cmd.actorId, completeTask: { taskId: cmd.taskId, outcome: cmd.outcome } });
    state.openEscalationTaskIds = state.openEscalationTaskIds.filter((id) => id !== cmd.taskId);
  };

  setHandler(pathwayQuery, view);
  setHandler(
    completeTaskUpdate,
    (cmd) => oneAtATime.runExclusive(async () => {
      if (terminalStages.includes(state.stage)) throw ended_();
      if (cmd.taskId !== state.openTaskId && !state.openEscalationTaskIds.includes(cmd.taskId)) {
        throw refusal('TASK_NOT_OPEN', 'This work item is no longer open on the pathway');
      }
      try {
        if (state.openEscalationTaskIds.includes(cmd.taskId)) await onEscalationActioned(cmd);
        else if (state.openTaskType === 'triage_referral') await onTriage(cmd, cmd.outcome as TriageOutcome);
        else if (state.openTaskType === 'book_new_appointment' || state.openTaskType === 'book_follow_up') await onBooking(cmd, cmd.outcome as BookingOutcome);
        else if (state.openTaskType === 'record_attendance') await onAttendance(cmd, cmd.outcome as AttendanceOutcome);
        else if (state.openTaskType === 'dna_review') await onDnaReview(cmd, cmd.outcome as DnaReviewOutcome);
        return view();
      } catch (err) {
        // A refused booking or rule comes back to the officer as a clear answer, not a stuck workflow.
        if (err instanceof ActivityFailure && err.cause instanceof ApplicationFailure) {
          throw ApplicationFailure.create({ type: err.cause.type ?? 'ACTIVITY_FAILED', message: err.cause.message, details: err.cause.details ?? undefined, nonRetryable: true });
        }
        throw err;
      }
    }),
    {
      // Refused before it enters history; the checks that depend on work in flight run in the handler.
      validator: (cmd) => {
        if (terminalStages.includes(state.stage)) throw ended_();
        if (!cmd || typeof cmd.taskId !== 'string' || typeof cmd.actorId !== 'string' || typeof cmd.outcome !== 'object') {
          throw refusal('VALIDATION_FAILED', 'A decision needs a taskId, an actorId and an outcome', 'outcome');
        }
      },
    },
  );

  // Under the lock: the triage item is in Postgres before its id is here, and an early decision must wait for it.
  if (!resumed) await oneAtATime.runExclusive(async () => {
    const result = await apply({
      actorId: null,
      startPathway: priority === 'two_week_wait'
        ? { uscFirstSeenTarget: uscFirstSeenTargetDate(receivedAt), fdsTarget: fdsTargetDate(receivedAt), cancer62Target: cancer62TargetDate(receivedAt) }
        : { uscFirstSeenTarget: null, fdsTarget: null, cancer62Target: null },
      clock: state.clock,
      events: [{ kind: 'referral_received', rttCode: null, date: receivedAt, note: 'RTT clock started on the date the referral was received' }],
      openTasks: [task('triage_referral', dueBy(trustTime ? triageDueDate(receivedAt) : triageDueDate(receivedAt, [])))],
    });
    setOpenTask(result, 'triage_referral');
  });

  const ended = () => terminalStages.includes(state.stage);

  function nextItemRung(): WorkItemEscalationRung | undefined {
    if (!state.openTaskId || !state.openTaskType || !state.openTaskDueAt) return undefined;
    if (!state.firstBooked && (state.openTaskType === 'triage_referral' || state.openTaskType === 'book_new_appointment')) return undefined;
    return workItemEscalations(state.openTaskType, state.openTaskDueAt).find((r) => r.level > (state.openTaskLevel ?? 0));
  }

  async function fireBookingRung(rung: EscalationRung) {
    const type: TaskType = rung.target === 'ops' ? 'capacity_escalation' : 'escalation_review';
    const result = await apply({
      actorId: null,
      escalate: state.openTaskId ? { taskId: state.openTaskId, level: rung.level } : undefined,
      events: [{ kind: 'escalated', date: rung.date, note: `Not booked by day ${rung.afterDays}: escalated to ${rung.target === 'ops' ? 'operations' : 'team leader'}` }],
      openTasks: [task(type, dueBy(workingDaysAfter(rung.date, 1)), {
        escalatedTaskId: state.openTaskId, escalatedTaskType: state.openTaskType, level: rung.level,
        reason: `${state.clinicalPriority.replace(/_/g, ' ')} referral not booked by day ${rung.afterDays}`,
      }, state.clinicalPriority)],
    });
    state.escalationLevel = rung.level;
    state.openEscalationTaskIds.push(...result.openedTaskIds);
  }

  async function fireItemRung(rung: WorkItemEscalationRung) {
    const what = specialtyTitles[state.openTaskType!].toLowerCase();
    const overdue = rung.afterHours ? `${what} overdue by ${rung.afterHours} hours` : `${what} now overdue`;
    const date = today();
    if (rung.action === 'notify') {
      await apply({
        actorId: null,
        escalate: { taskId: state.openTaskId!, level: rung.level, notifyHolder: true },
        events: [{ kind: 'escalated', date, note: `${overdue}: moved up its queue and the holder told` }],
      });
    } else {
      const type: TaskType = rung.action === 'ops' ? 'capacity_escalation' : 'escalation_review';
      const result = await apply({
        actorId: null,
        escalate: { taskId: state.openTaskId!, level: rung.level },
        events: [{ kind: 'escalated', date, note: `${overdue}: escalated to ${rung.action === 'ops' ? 'operations' : 'team leader'}` }],
        openTasks: [task(type, dueBy(workingDaysAfter(date, 1)), {
          escalatedTaskId: state.openTaskId, escalatedTaskType: state.openTaskType, level: rung.level, reason: overdue,
        })],
      });
      state.openEscalationTaskIds.push(...result.openedTaskIds);
    }
    state.openTaskLevel = rung.level;
  }
  while (!ended()) {
    // The booking ladder: escalate while the referral is still not booked (policy from the rules engine).
    const rung = state.firstBooked ? undefined
      : bookingEscalations(receivedAt, state.clinicalPriority).find((r) => r.level > state.escalationLevel);
    // The work item's own ladder once it is overdue; items before the first booking are the booking ladder's.
    // Pathways started before the ladders existed replay without them.
    const ladders = patched(WORK_ITEM_LADDERS);
    const itemRung = ladders ? nextItemRung() : undefined;
    const priorityAtWait = state.clinicalPriority;
    const taskAtWait = state.openTaskId;
    const wake = () => ended() || (rung !== undefined && state.firstBooked) || state.clinicalPriority !== priorityAtWait
      || (ladders && state.openTaskId !== taskAtWait) || workflowInfo().continueAsNewSuggested;
    const dueTimes = [rung && deadlineMs(rung.date), itemRung && Date.parse(itemRung.at)].filter((t): t is number => typeof t === 'number');
    const woke = dueTimes.length ? await condition(wake, Math.max(0, Math.min(...dueTimes) - Date.now())) : (await condition(wake), true);
    if (!woke) {
      // A decision may have landed while the timer fired: the rung re-checks the state once it holds the lock.
      await oneAtATime.runExclusive(async () => {
        if (ended()) return;
        if (rung && !state.firstBooked && deadlineMs(rung.date) <= Date.now()) await fireBookingRung(rung);
        else if (itemRung && state.openTaskId === taskAtWait && Date.parse(itemRung.at) <= Date.now()) await fireItemRung(itemRung);
      });
      continue;
    }
    if (workflowInfo().continueAsNewSuggested && !ended()) {
      await condition(allHandlersFinished);
      await continueAsNew<typeof referralPathway>(input, state);
    }
  }
  await condition(allHandlersFinished);
  return view();
}
