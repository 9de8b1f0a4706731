// Waiting-list validation [A/N VAL22]: while the clock runs, a validate_pathway item at 12, 26 and 52 weeks of
// wait and every 12 weeks after (domain nextValidationDate), never before, one open at a time beside the main
// item. Still waiting or corrected: the pathway is marked validated; treated elsewhere or no longer required:
// the clock stops with 34 and the pathway ends.
import { daysBetween, nextValidationDate } from '../../domain';
import type { CompleteTaskCommand, ValidationOutcome } from '../types';
import type { Pathway, PathwayState } from './context';

/** The next validation point this pathway waits for, or null (clock not running, or an item still open). */
export function nextValidationOn(state: PathwayState): string | null {
  if (state.clock.status !== 'running' || state.validationTaskId) return null;
  const { clockStart } = state.clock;
  const after = state.validatedThrough && state.validatedThrough > clockStart ? state.validatedThrough : clockStart;
  return nextValidationDate(clockStart, after);
}

export async function raiseValidation(p: Pathway, on: string): Promise<void> {
  const { state } = p;
  const weeks = Math.floor(daysBetween(state.clock.clockStart, on) / 7);
  const result = await p.change('raiseValidation', {
    actorId: null,
    events: [{ kind: 'validation_due', date: on, note: `${weeks} weeks waited: the pathway is due for validation` }],
    openTasks: [p.task('validate_pathway', p.dueBy(p.workingDaysAfter(on, 5)), { validationPoint: on, weeksWaited: weeks })],
  });
  state.validationTaskId = result.openedTaskIds[0] ?? null;
  state.validatedThrough = on;
}

export async function recordValidation(p: Pathway, cmd: CompleteTaskCommand, outcome: ValidationOutcome): Promise<void> {
  const { state } = p;
  const date = p.today();
  if (outcome.outcome === 'still_waiting' || outcome.outcome === 'data_corrected') {
    await p.change('recordValidation', {
      actorId: cmd.actorId,
      completeTask: { taskId: cmd.taskId, outcome },
      events: [{
        kind: 'validated', date, noteId: outcome.noteId,
        note: outcome.outcome === 'still_waiting' ? 'Validated: still waiting' : `Validated: ${(outcome.field ?? 'other').replace(/_/g, ' ')} corrected`,
      }],
    });
    state.validationTaskId = null;
    return;
  }
  const running = state.clock.status === 'running';
  const clock = running ? p.rtt(34, date) : state.clock;
  await p.end({
    actorId: cmd.actorId,
    completeTask: cmd,
    stage: 'discharged',
    clock,
    rttEvents: running ? [p.rttEvent(34, date, 'validation', { taskId: cmd.taskId, outcome: outcome.outcome, noteId: outcome.noteId ?? null })] : [],
    event: {
      kind: 'discharged', rttCode: running ? 34 : null, date, noteId: outcome.noteId,
      note: outcome.outcome === 'treated_elsewhere'
        ? 'Validation found the patient treated elsewhere: RTT clock stopped and discharged'
        : 'Validation: the patient confirmed care is no longer required; RTT clock stopped and discharged',
    },
  });
}
