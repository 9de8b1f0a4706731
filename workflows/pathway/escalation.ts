// Escalation: the booking ladder while a referral is not yet booked, each work item's own ladder once it
// is overdue, the leader's or ops' review of what was escalated, and (issue 11) escalations closing themselves
// once what they escalated is resolved.
import { taskTitles, workItemEscalations, type EscalationRung, type WorkItemEscalationRung } from '../../domain';
import type { CompleteTaskCommand, TaskType } from '../types';
import type { Pathway } from './context';

/** The open item's next rung, once the booking ladder no longer covers it. */
export function nextItemRung({ state }: Pathway): WorkItemEscalationRung | undefined {
  if (!state.openTaskId || !state.openTaskType || !state.openTaskDueAt) return undefined;
  if (!state.firstBooked && (state.openTaskType === 'triage_referral' || state.openTaskType === 'book_new_appointment')) return undefined;
  return workItemEscalations(state.openTaskType, state.openTaskDueAt).find((r) => r.level > (state.openTaskLevel ?? 0));
}

export async function escalateUnbooked(p: Pathway, rung: EscalationRung): Promise<void> {
  const { state } = p;
  const type: TaskType = rung.target === 'ops' ? 'capacity_escalation' : 'escalation_review';
  const result = await p.change('escalate', {
    actorId: null,
    escalate: state.openTaskId ? { taskId: state.openTaskId, level: rung.level } : undefined,
    events: [{ kind: 'escalated', date: rung.date, note: `Not booked by day ${rung.afterDays}: escalated to ${rung.target === 'ops' ? 'operations' : 'team leader'}` }],
    openTasks: [p.task(type, p.dueBy(p.workingDaysAfter(rung.date, 1)), {
      escalatedTaskId: state.openTaskId, escalatedTaskType: state.openTaskType, level: rung.level, ladder: 'booking',
      reason: `${state.clinicalPriority.replace(/_/g, ' ')} referral not booked by day ${rung.afterDays}`,
    }, state.clinicalPriority)],
  });
  state.escalationLevel = rung.level;
  state.openEscalationTaskIds.push(...result.openedTaskIds);
}

export async function escalateOverdue(p: Pathway, rung: WorkItemEscalationRung): Promise<void> {
  const { state } = p;
  const what = taskTitles[state.openTaskType!].toLowerCase();
  const overdue = rung.afterHours ? `${what} overdue by ${rung.afterHours} hours` : `${what} now overdue`;
  const date = p.today();
  if (rung.action === 'notify') {
    await p.change('escalate', {
      actorId: null,
      escalate: { taskId: state.openTaskId!, level: rung.level, notifyHolder: true },
      events: [{ kind: 'escalated', date, note: `${overdue}: moved up its queue and the holder told` }],
    });
  } else {
    const type: TaskType = rung.action === 'ops' ? 'capacity_escalation' : 'escalation_review';
    const result = await p.change('escalate', {
      actorId: null,
      escalate: { taskId: state.openTaskId!, level: rung.level },
      events: [{ kind: 'escalated', date, note: `${overdue}: escalated to ${rung.action === 'ops' ? 'operations' : 'team leader'}` }],
      openTasks: [p.task(type, p.dueBy(p.workingDaysAfter(date, 1)), {
        escalatedTaskId: state.openTaskId, escalatedTaskType: state.openTaskType, level: rung.level, reason: overdue,
      })],
    });
    state.openEscalationTaskIds.push(...result.openedTaskIds);
  }
  state.openTaskLevel = rung.level;
}

export async function resolveEscalation(p: Pathway, cmd: CompleteTaskCommand): Promise<void> {
  await p.change('resolveEscalation', { actorId: cmd.actorId, completeTask: { taskId: cmd.taskId, outcome: cmd.outcome } });
  p.state.openEscalationTaskIds = p.state.openEscalationTaskIds.filter((id) => id !== cmd.taskId);
}

/** Issue 11: escalations close themselves. Running pathways take it up at their next change. */
export const ESCALATIONS_CLOSE = '2026-11-console';

/** What a change may have resolved: the open item and whether the referral is booked. */
export type EscalationWatch = { openTaskId: string | null; firstBooked: boolean };
export const escalationWatch = ({ state }: Pathway): EscalationWatch => ({ openTaskId: state.openTaskId, firstBooked: state.firstBooked });

/**
 * After a change: once the referral is booked or the item it escalated is no longer open, an escalation closes
 * (outcome, audit, timeline; the activity decides which from the items themselves, so escalations raised before
 * this change close too). Only when the change moved the open item or booked the referral.
 */
export async function closeResolvedEscalations(p: Pathway, before: EscalationWatch): Promise<void> {
  const { state } = p;
  if (p.ended() || state.openEscalationTaskIds.length === 0) return;
  if (state.openTaskId === before.openTaskId && state.firstBooked === before.firstBooked) return;
  if (!p.patched(ESCALATIONS_CLOSE)) return;
  const result = await p.change('closeEscalations', {
    actorId: null, escalationTaskIds: [...state.openEscalationTaskIds], booked: state.firstBooked, date: p.today(),
  });
  const closed = result.closedTaskIds ?? [];
  state.openEscalationTaskIds = state.openEscalationTaskIds.filter((id) => !closed.includes(id));
}
