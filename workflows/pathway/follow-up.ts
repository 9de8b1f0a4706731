// Follow-up: seen in clinic and to be seen again in N weeks; the booking item is due by then.
// The partial-booking child workflow (invite before the due date, remind, escalate) extends this stage.
import { addDays } from '../../domain';
import type { AttendanceOutcome, CompleteTaskCommand } from '../types';
import type { Pathway } from './context';

export async function arrangeFollowUp(p: Pathway, cmd: CompleteTaskCommand, outcome: AttendanceOutcome): Promise<void> {
  const { state } = p;
  const date = p.today();
  const first = state.appointmentKind === 'new';
  const weeks = outcome.followUpWeeks ?? 6;
  const clock = state.clock.status === 'running' ? p.rtt(first ? 10 : 20, date) : state.clock;
  const result = await p.change('recordOutcome', {
    actorId: cmd.actorId,
    completeTask: { taskId: cmd.taskId, outcome },
    attendance: { appointmentId: state.appointmentId!, state: 'attended', outcome: 'follow_up' },
    referral: { state: 'awaiting_follow_up' },
    clock,
    rttEvents: state.clock.status === 'running'
      ? [p.rttEvent(clock.lastCode, date, 'outcome', { appointmentId: state.appointmentId, taskId: cmd.taskId, outcome: 'follow_up', noteId: outcome.noteId ?? null })]
      : [],
    events: [{ kind: 'attended', rttCode: clock.lastCode, date, note: `Follow-up in ${weeks} weeks${outcome.note ? `: ${outcome.note}` : ''}`, noteId: outcome.noteId }],
    openTasks: [p.bookingTask('follow_up', addDays(date, weeks * 7))],
  });
  Object.assign(state, { clock, stage: 'awaiting_follow_up' });
  p.setOpenTask(result, 'book_follow_up');
}
