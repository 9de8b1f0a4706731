// What every stage of a referral's pathway shares: its state, trust time as the pathway started under it,
// the work items it opens, and `change`, which applies one transition through the activity named for it.
import { proxyActivities } from '@temporalio/workflow';
import { pathwayPatches } from './patches';
import {
  addDays, addWorkingDays, applyRttEvent, endOfWorkingDay, queueFor, RttRuleError, rttPolicyVersion, rttRuleFor, startOfWorkingDay,
  startRttClock, taskTitles, type PartialBookingEntryState, type ReferralPriority, type RttClock, type RttEventCause, type RttStatusCode,
} from '../../domain';
import type { RefusalCode } from '../../domain/refusals';
import type { createPathwayActivities } from '../../activities/pathway';
import { refusal } from '../refusal';
import type { AdmissionState } from './admitted';
import { utcStartOfDayMs, utcToday, workflowToday } from '../workflow-time';
import type {
  CompleteTaskCommand, PathwayChange, PathwayChangeResult, PathwayEvent, PathwayInput, PifuPeriod, ReferralState, RttEventRecord, SlotType, TaskSpec, TaskType,
} from '../types';

const activities = proxyActivities<ReturnType<typeof createPathwayActivities>>({
  startToCloseTimeout: '30 seconds',
  retry: { initialInterval: '1 second', maximumInterval: '30 seconds', nonRetryableErrorTypes: ['SLOT_TAKEN'] },
});
type Activities = typeof activities;
/** The stage activities: each one transaction named for what it does. */
export type StageActivity = Exclude<keyof Activities, 'applyPathwayChange' | 'appointmentEvidence'>;
type ChangeOf<K extends StageActivity> = Omit<Parameters<Activities[K]>[0], 'changeKey' | 'referralId' | 'patientId'>;

export type PathwayState = {
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
  // Added with the complete clock (patch 2026-11-rtt-complete); absent in older pathways.
  validationTaskId?: string | null; // the open validate_pathway item, beside the main item
  validatedThrough?: string | null; // the last validation point raised (the next is the first after it)
  // Added with changes (patch 2026-11-changes); absent in older pathways.
  bookBy?: string | null; // the book-by date of the booking item last opened: a rebook after a cancellation keeps it
  appointmentStart?: string | null; // when the booked appointment starts: attendance is recorded from then
  patientCancellations?: number; // cancellations and reschedules by the patient [rules §4.3]
  declinedOfferIds?: string[]; // reasonable offers declined, by offer id: a repeated decline never counts twice
  reviewTaskId?: string | null; // a clinical_review held beside a booked appointment (a patient's reschedule at the limit)
  // Issue 15 (patch 2026-11-admitted): the admitted waiting-list entry; absent before a decision to admit with details.
  admission?: AdmissionState | null;
  // Issue 16 (patch 2026-11-partial-booking): the follow-up waiting on the partial booking list; absent before one.
  partialBooking?: PartialBookingEntryState | null;
  // Issue 16 (patch 2026-11-pifu-attendances): on PIFU until a date; absent before, null once triggered or expired.
  pifu?: PifuPeriod | null;
};

export const TRUST_TIME = '2026-11-trust-time';
export const PATHWAY_BY_STAGE = '2026-11-pathway-by-stage';
/** Issue 9: every outcome's RTT code, DNA evidence, active monitoring, validation, administrative events. */
export const RTT_COMPLETE = '2026-11-rtt-complete';

export const terminalStages: ReferralState[] = ['returned_to_referrer', 'discharged', 'treated', 'declined_treatment', 'transferred', 'died'];
export type EndStage = 'returned_to_referrer' | 'discharged' | 'treated' | 'declined_treatment' | 'transferred' | 'died';

/** Refusal codes named for the clock rule that refused (domain/rtt-clock.ts RttRule). */
const rttRuleCodes: readonly string[] = [
  'UNKNOWN_STATUS_CODE', 'EVENT_DATE_INVALID', 'EVENT_BEFORE_CLOCK_START', 'EVENT_BEFORE_CLOCK_STOP', 'ACTIVITY_NEEDS_RUNNING_CLOCK',
  'STOP_NEEDS_RUNNING_CLOCK', 'FIRST_ACTIVITY_ALREADY_RECORDED', 'DNA_NULLIFIES_FIRST_ACTIVITY_ONLY', 'NEW_PERIOD_NEEDS_STOPPED_CLOCK',
  'NEW_PERIOD_NEEDS_ACTIVE_MONITORING', 'RESTART_NEEDS_NULLIFIED_CLOCK',
];

export type Pathway = ReturnType<typeof createPathway>;

export function createPathway(input: PathwayInput, resumed?: PathwayState) {
  const { referralId, patientId, specialtyCode } = input;
  const state: PathwayState = resumed ?? {
    stage: 'awaiting_triage',
    clock: startRttClock(input.receivedAt),
    clinicalPriority: input.priority,
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
  // Trust time: London dates, deadlines at the start of the working day, due times at its end, working days
  // skipping bank holidays. Pathways started before it keep UTC dates, 00:00Z deadlines and 17:00Z due times.
  const isPatched = pathwayPatches();
  const trustTime = isPatched(TRUST_TIME);
  // Stage activities (recordTriage, bookAppointment, ...); pathways started before them keep applyPathwayChange.
  const byStage = isPatched(PATHWAY_BY_STAGE);
  let openedDueAt: string | null = null; // when the work item most recently opened is due

  const p = {
    input,
    state,
    today: trustTime ? workflowToday : utcToday,
    deadlineMs: (date: string) => (trustTime ? startOfWorkingDay(date) : utcStartOfDayMs(date)),
    dueBy: (date: string) => (trustTime ? endOfWorkingDay(date) : `${date}T17:00:00.000Z`),
    workingDaysAfter: (date: string, days: number) => (trustTime ? addWorkingDays(date, days) : addDays(date, days)),
    trustTime,
    /** Whether a patch applies to this run (workflows/pathway/patches.ts): use it, not patched(), in the pathway. */
    patched: isPatched,

    ended: () => terminalStages.includes(state.stage),

    /** Applies one transition at most once (its change key numbers the pathway's steps). */
    change<K extends StageActivity>(activity: K, change: ChangeOf<K>): Promise<PathwayChangeResult> {
      state.step += 1;
      const full = { ...change, changeKey: `${referralId}:${state.step}`, referralId, patientId };
      const applied = byStage ? (activities[activity] as (c: typeof full) => Promise<PathwayChangeResult>)(full) : activities.applyPathwayChange(full);
      return applied.then((result) => {
        const main = (change as { openTasks?: TaskSpec[] }).openTasks
          ?.find((t) => t.type !== 'escalation_review' && t.type !== 'capacity_escalation' && t.type !== 'validate_pathway');
        if (main) openedDueAt = main.dueAt === 'appointment_start' ? result.appointment?.start ?? null : main.dueAt;
        return result;
      });
    },

    /** A work item the pathway wants opened, routed to its queue by domain's rule. */
    task(type: TaskType, dueAt: TaskSpec['dueAt'], payload: Record<string, unknown> = {}, taskPriority = state.clinicalPriority): TaskSpec {
      return {
        taskKey: `${referralId}:${state.step + 1}:${type}`,
        type,
        title: taskTitles[type],
        queue: queueFor(type, taskPriority, specialtyCode),
        priority: taskPriority,
        dueAt,
        payload: { specialtyCode, ...payload },
      };
    },

    slotType(kind: 'new' | 'follow_up'): SlotType {
      return kind === 'follow_up' ? 'follow_up' : state.clinicalPriority === 'routine' ? 'new' : state.clinicalPriority;
    },

    bookingTask(kind: 'new' | 'follow_up', bookBy: string): TaskSpec {
      state.bookBy = bookBy;
      return p.task(kind === 'new' ? 'book_new_appointment' : 'book_follow_up', p.dueBy(bookBy), {
        clinicId: state.clinicId, slotType: p.slotType(kind), bookBy,
      });
    },

    setOpenTask(result: Pick<PathwayChangeResult, 'openedTaskIds'>, type: TaskType | null) {
      state.openTaskId = type ? result.openedTaskIds[0] ?? null : null;
      state.openTaskType = type;
      state.openTaskDueAt = type ? openedDueAt : null;
      state.openTaskLevel = 0;
    },

    /** Ends the pathway on a decision: its escalations (and its validation item) close with it and nothing is left open. */
    async close(cmd: CompleteTaskCommand, ending: {
      stage: EndStage; clock: RttClock; event: PathwayEvent; attendance?: PathwayChange['attendance']; rttEvents?: RttEventRecord[];
      dischargeLetters?: boolean;
    }): Promise<void> {
      const { stage, clock, event, attendance, rttEvents, dischargeLetters } = ending;
      await p.change('closePathway', {
        actorId: cmd.actorId,
        completeTask: { taskId: cmd.taskId, outcome: cmd.outcome },
        cancelTasks: [...state.openEscalationTaskIds, ...[state.validationTaskId, state.reviewTaskId].filter((id): id is string => !!id && id !== cmd.taskId)],
        ...(attendance ? { attendance } : {}),
        referral: { state: stage },
        clock,
        ...(rttEvents?.length ? { rttEvents } : {}),
        events: [event],
        ...(dischargeLetters ? { dischargeLetters } : {}),
      });
      Object.assign(state, { clock, stage, openEscalationTaskIds: [] });
      if (state.validationTaskId) state.validationTaskId = null;
      if (state.reviewTaskId) state.reviewTaskId = null;
      p.setOpenTask({ openedTaskIds: [] }, null);
    },

    /**
     * Ends the pathway outside a clinic outcome (an administrative event, a validation, a monitoring discharge): every
     * item still open is cancelled but the one being completed, and an appointment still to come is freed.
     */
    async end(ending: {
      actorId: string | null; stage: EndStage; clock: RttClock; event: PathwayEvent; rttEvents: RttEventRecord[];
      completeTask?: CompleteTaskCommand; dischargeLetters?: boolean; partialBookingEntryId?: string | null;
    }): Promise<void> {
      const { actorId, stage, clock, event, rttEvents, completeTask, dischargeLetters, partialBookingEntryId } = ending;
      const open = [state.openTaskId, ...state.openEscalationTaskIds, state.validationTaskId ?? null, state.reviewTaskId ?? null]
        .filter((id): id is string => id !== null && id !== completeTask?.taskId);
      const booked = state.stage === 'booked' || state.stage === 'follow_up_booked';
      await p.change('endPathway', {
        actorId,
        ...(completeTask ? { completeTask: { taskId: completeTask.taskId, outcome: completeTask.outcome } } : {}),
        cancelTasks: open,
        releaseAppointmentId: booked ? state.appointmentId : null,
        referral: { state: stage },
        clock,
        rttEvents,
        events: [event],
        ...(dischargeLetters ? { dischargeLetters } : {}),
        ...(partialBookingEntryId ? { partialBookingEntryId } : {}),
      });
      Object.assign(state, { clock, stage, openEscalationTaskIds: [], validationTaskId: null });
      if (state.reviewTaskId) state.reviewTaskId = null;
      p.setOpenTask({ openedTaskIds: [] }, null);
    },

    /** The clock after an RTT event; a rule's refusal leaves clock and stage as they were. */
    rtt(code: number, date: string, on: RttClock = state.clock): RttClock {
      try {
        return applyRttEvent(on, { code: code as RttClock['lastCode'], date });
      } catch (err) {
        throw refusal('RTT_RULE', (err as Error).message);
      }
    },

    /** As `rtt`, refused with the rule's own name as the code (administrative events), blaming `date` where the date is wrong. */
    rttByRule(code: number, date: string): RttClock {
      try {
        return applyRttEvent(state.clock, { code: code as RttClock['lastCode'], date });
      } catch (err) {
        if (err instanceof RttRuleError && rttRuleCodes.includes(err.rule)) {
          const dated = err.rule === 'EVENT_BEFORE_CLOCK_START' || err.rule === 'EVENT_BEFORE_CLOCK_STOP' || err.rule === 'EVENT_DATE_INVALID';
          throw refusal(err.rule as RefusalCode, err.message, dated ? 'date' : undefined);
        }
        throw refusal('RTT_RULE', (err as Error).message);
      }
    },

    /** How and when the patient was told of an appointment, read when a DNA needs the evidence (patch 2026-11-rtt-complete). */
    evidenceOf: (appointmentId: string) => activities.appointmentEvidence(appointmentId),

    /** One RTT event as rtt_events records it: its cause, the rule and policy behind it, and what it came from. */
    rttEvent(code: RttStatusCode, date: string, cause: RttEventCause, extra: Partial<RttEventRecord> = {}): RttEventRecord {
      return { code, date, cause, rule: rttRuleFor(code, cause), policyVersion: rttPolicyVersion, ...extra };
    },

  };
  return p;
}
