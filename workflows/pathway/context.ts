// What every stage of a referral's pathway shares: its state, trust time as the pathway started under it,
// the work items it opens, and `change`, which applies one transition through the activity named for it.
import { patched, proxyActivities } from '@temporalio/workflow';
import {
  addDays, addWorkingDays, applyRttEvent, endOfWorkingDay, queueFor, startOfWorkingDay, startRttClock, taskTitles,
  type ReferralPriority, type RttClock,
} from '../../domain';
import type { createPathwayActivities } from '../../activities/pathway';
import { refusal } from '../refusal';
import { utcStartOfDayMs, utcToday, workflowToday } from '../workflow-time';
import type {
  CompleteTaskCommand, PathwayChange, PathwayChangeResult, PathwayEvent, PathwayInput, ReferralState, SlotType, TaskSpec, TaskType,
} from '../types';

const activities = proxyActivities<ReturnType<typeof createPathwayActivities>>({
  startToCloseTimeout: '30 seconds',
  retry: { initialInterval: '1 second', maximumInterval: '30 seconds', nonRetryableErrorTypes: ['SLOT_TAKEN'] },
});
type Activities = typeof activities;
/** The stage activities: each one transaction named for what it does. */
export type StageActivity = Exclude<keyof Activities, 'applyPathwayChange'>;
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
};

export const TRUST_TIME = '2026-11-trust-time';
export const PATHWAY_BY_STAGE = '2026-11-pathway-by-stage';

export const terminalStages: ReferralState[] = ['returned_to_referrer', 'discharged'];

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
  const trustTime = patched(TRUST_TIME);
  // Stage activities (recordTriage, bookAppointment, ...); pathways started before them keep applyPathwayChange.
  const byStage = patched(PATHWAY_BY_STAGE);
  let openedDueAt: string | null = null; // when the work item most recently opened is due

  const p = {
    input,
    state,
    today: trustTime ? workflowToday : utcToday,
    deadlineMs: (date: string) => (trustTime ? startOfWorkingDay(date) : utcStartOfDayMs(date)),
    dueBy: (date: string) => (trustTime ? endOfWorkingDay(date) : `${date}T17:00:00.000Z`),
    workingDaysAfter: (date: string, days: number) => (trustTime ? addWorkingDays(date, days) : addDays(date, days)),
    trustTime,

    ended: () => terminalStages.includes(state.stage),

    /** Applies one transition at most once (its change key numbers the pathway's steps). */
    change<K extends StageActivity>(activity: K, change: ChangeOf<K>): Promise<PathwayChangeResult> {
      state.step += 1;
      const full = { ...change, changeKey: `${referralId}:${state.step}`, referralId, patientId };
      const applied = byStage ? (activities[activity] as (c: typeof full) => Promise<PathwayChangeResult>)(full) : activities.applyPathwayChange(full);
      return applied.then((result) => {
        const main = (change as { openTasks?: TaskSpec[] }).openTasks?.find((t) => t.type !== 'escalation_review' && t.type !== 'capacity_escalation');
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

    /** Ends the pathway on a decision: its escalations close with it and nothing is left open. */
    async close(cmd: CompleteTaskCommand, ending: {
      stage: 'returned_to_referrer' | 'discharged'; clock: RttClock; event: PathwayEvent; attendance?: PathwayChange['attendance'];
    }): Promise<void> {
      const { stage, clock, event, attendance } = ending;
      await p.change('closePathway', {
        actorId: cmd.actorId,
        completeTask: { taskId: cmd.taskId, outcome: cmd.outcome },
        cancelTasks: state.openEscalationTaskIds,
        ...(attendance ? { attendance } : {}),
        referral: { state: stage },
        clock,
        events: [event],
      });
      Object.assign(state, { clock, stage, openEscalationTaskIds: [] });
      p.setOpenTask({ openedTaskIds: [] }, null);
    },

    /** The clock after an RTT event; a rule's refusal leaves clock and stage as they were. */
    rtt(code: number, date: string): RttClock {
      try {
        return applyRttEvent(state.clock, { code: code as RttClock['lastCode'], date });
      } catch (err) {
        throw refusal('RTT_RULE', (err as Error).message);
      }
    },
  };
  return p;
}
