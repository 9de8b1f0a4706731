// Waiting-list validation [A/N VAL22]: while the clock runs, a validate_pathway item at 12, 26 and 52 weeks of
// wait and every 12 weeks after (domain nextValidationDate), never before, one open at a time beside the main
// item. Still waiting or corrected: the pathway is marked validated; treated elsewhere or no longer required:
// the clock stops with 34 and the pathway ends.
import { daysBetween, followUpValidationDate, nextValidationDate } from '../../domain';
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
  // Ending the pathway takes a follow-up still on the partial booking list off it (before the patch it stayed listed).
  const entry = state.partialBooking && waitingOnList.includes(state.partialBooking.status) ? state.partialBooking : null;
  const leaveList = entry && p.patched(FOLLOW_UP_VALIDATION) ? entry : null;
  await p.end({
    actorId: cmd.actorId,
    completeTask: cmd,
    ...(leaveList ? { partialBookingEntryId: leaveList.entryId } : {}),
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
  if (leaveList) state.partialBooking = { ...leaveList, status: 'discharged' };
}

// Follow-ups are validated too [rules §4.6]: with the clock stopped (the RTT validation runs only while it runs), a
// follow-up still unbooked 12 weeks past its due date, on the partial booking list or as a book_follow_up item, raises
// the same validate_pathway item (its payload says followUp), then every 12 weeks while it waits. Patch below.
export const FOLLOW_UP_VALIDATION = '2026-11-follow-up-validation';

const waitingOnList: readonly string[] = ['waiting', 'invited', 'chased', 'in_review'];

/** The due date of the follow-up this pathway waits to book, or null (none waiting, or one already booked). */
export function followUpDueDate(state: PathwayState): string | null {
  const entry = state.partialBooking;
  if (entry && waitingOnList.includes(entry.status)) return entry.dueDate;
  return state.openTaskType === 'book_follow_up' ? state.bookBy ?? null : null;
}

/** The next follow-up validation point, or null (the clock runs, an item is open, or no follow-up waits). */
export function nextFollowUpValidationOn(state: PathwayState): string | null {
  if (state.clock.status === 'running' || state.validationTaskId) return null;
  const due = followUpDueDate(state);
  return due ? followUpValidationDate(due, state.validatedThrough && state.validatedThrough > due ? state.validatedThrough : due) : null;
}

export async function raiseFollowUpValidation(p: Pathway, on: string): Promise<void> {
  const { state } = p;
  const due = followUpDueDate(state)!;
  const weeks = Math.floor(daysBetween(due, on) / 7);
  const result = await p.change('raiseValidation', {
    actorId: null,
    events: [{ kind: 'validation_due', date: on, note: `Follow-up due ${due} still not booked ${weeks} weeks later: the pathway is due for validation` }],
    openTasks: [p.task('validate_pathway', p.dueBy(p.workingDaysAfter(on, 5)), {
      validationPoint: on, followUp: true, followUpDueDate: due, weeksPastDue: weeks,
      ...(state.partialBooking && waitingOnList.includes(state.partialBooking.status) ? { partialBookingEntryId: state.partialBooking.entryId } : {}),
    })],
  });
  state.validationTaskId = result.openedTaskIds[0] ?? null;
  state.validatedThrough = on;
}
