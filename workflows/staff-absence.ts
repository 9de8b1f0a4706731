// staffAbsence: one member of staff's leave. At the start of the first day their open and claimed work
// goes to the cover person or back to its queues; at the end, what was moved and is still untouched goes
// back to them (when the leader asked for that). Cancelling or changing the end date is an Update, so the
// leader's screen shows the result at once.
import {
  allHandlersFinished, condition, defineQuery, defineUpdate, patched, proxyActivities, setHandler,
} from '@temporalio/workflow';
import { Mutex } from 'async-mutex';
import { addDays, isIsoDate, type AbsenceStatus } from '../domain';
import { londonInstant } from '../domain/trust-time';
import { utcStartOfDayMs, utcToday, workflowToday } from './workflow-time';
import { passOnRefusal, refusal } from './refusal';
import type { createAbsenceActivities } from '../activities/absences';

export type { AbsenceStatus };
export type AbsenceHandover = 'cover' | 'queue';

export type StaffAbsenceInput = {
  absenceId: string;
  staffId: string;
  from: string; // first day of leave, YYYY-MM-DD
  to: string; // last day of leave, YYYY-MM-DD
  handover: AbsenceHandover;
  coverStaffId: string | null;
  returnOnEnd: boolean;
};

export type AbsenceChange = ({ kind: 'cancel' } | { kind: 'shorten' | 'extend'; to: string }) & { actorId: string };

export type AbsenceView = {
  absenceId: string;
  staffId: string;
  status: AbsenceStatus;
  from: string;
  to: string;
  handover: AbsenceHandover;
  coverStaffId: string | null;
  returnOnEnd: boolean;
  moved: number; // items handed over at the start
  returned: number; // items handed back at the end
};

const { startLeave, endLeave, setAbsenceStatus, changeAbsenceEnd } = proxyActivities<ReturnType<typeof createAbsenceActivities>>({
  startToCloseTimeout: '30 seconds',
  retry: { initialInterval: '1 second', maximumInterval: '30 seconds', nonRetryableErrorTypes: ['ABSENCE_NOT_FOUND'] },
});

export const changeAbsenceUpdate = defineUpdate<AbsenceView, [AbsenceChange]>('changeAbsence');
export const absenceQuery = defineQuery<AbsenceView>('absence');


export async function staffAbsence(input: StaffAbsenceInput): Promise<AbsenceView> {
  const { absenceId } = input;
  const state = { status: 'planned' as AbsenceStatus, to: input.to, moved: 0, returned: 0, step: 0, endAtOnce: false };
  // One change at a time: the timers and the leader's Updates run under this lock and re-check the absence inside it.
  // A busy flag behind `condition` alone let two Updates of one activation through together (both cancelled).
  const oneAtATime = new Mutex();
  // Leave runs from London midnight of its first day; absences started before trust time keep UTC dates and midnights.
  const trustTime = patched('2026-11-trust-time');
  const today = trustTime ? workflowToday : utcToday;
  const startOfLeaveDay = (date: string) => (trustTime ? londonInstant(date, '00:00') : utcStartOfDayMs(date));
  let busy = false; // kept for histories recorded before the lock; see `exclusive`
  let revision = 0; // bumped by every Update, so the timer loop re-reads the dates

  const view = (): AbsenceView => ({
    absenceId, staffId: input.staffId, status: state.status, from: input.from, to: state.to, handover: input.handover,
    coverStaffId: input.coverStaffId, returnOnEnd: input.returnOnEnd, moved: state.moved, returned: state.returned,
  });
  const closed = () => state.status === 'ended' || state.status === 'cancelled';
  const changeKey = (what: string) => `${absenceId}:${++state.step}:${what}`;

  const flagged = async <T>(fn: () => Promise<T>): Promise<T> => {
    await condition(() => !busy);
    busy = true;
    try {
      return await fn();
    } finally {
      busy = false;
    }
  };
  // Asked at each change, not once at the start: a history recorded before the lock replays on the flag alone
  // (same commands), and a leave already running takes the lock from its first change made live. The flag stays
  // inside the lock so a change begun in the replayed part still finishes before the next one starts.
  const exclusive = <T>(fn: () => Promise<T>): Promise<T> =>
    patched('2026-11-absence-one-at-a-time') ? oneAtATime.runExclusive(() => flagged(fn)) : flagged(fn);

  const begin = async () => {
    const result = await startLeave({ absenceId, changeKey: changeKey('start'), today: today() });
    state.status = 'active';
    if (result.kind === 'recorded') state.moved = result.moved;
  };
  const finish = async (status: 'ended' | 'cancelled', actorId: string | null) => {
    const result = await endLeave({ absenceId, changeKey: changeKey(status), status, actorId });
    state.status = status;
    if (result.kind === 'recorded') state.returned = result.returned;
  };

  const closedRefusal = () => refusal('ABSENCE_CLOSED', `This absence has already ${state.status === 'ended' ? 'ended' : 'been cancelled'}`);
  // The date rules against the current last day: in the validator, and again under the lock, where an earlier
  // change may have moved the last day since this one was validated.
  const checkDates = (change: AbsenceChange) => {
    if (change.kind === 'cancel') return;
    if (change.to < input.from) throw refusal('LEAVE_ENDS_BEFORE_START', `The leave cannot end before it starts (${input.from})`, 'to');
    if (change.kind === 'shorten' && change.to > state.to) throw refusal('LEAVE_SHORTEN_NOT_EARLIER', `Shortening needs a day before ${state.to}`, 'to');
    if (change.kind === 'extend' && change.to < state.to) throw refusal('LEAVE_EXTEND_NOT_LATER', `Extending needs a day after ${state.to}`, 'to');
  };

  setHandler(absenceQuery, view);
  setHandler(
    changeAbsenceUpdate,
    (change) => exclusive(async () => {
      // Checked again here: a timer or another leader's Update may have ended or changed the leave while this one waited.
      if (closed()) throw closedRefusal();
      checkDates(change);
      try {
        if (change.kind === 'cancel') {
          if (state.status === 'planned') {
            await setAbsenceStatus({ absenceId, changeKey: changeKey('cancelled'), from: 'planned', to: 'cancelled', actorId: change.actorId });
            state.status = 'cancelled';
          } else {
            await finish('cancelled', change.actorId);
          }
        } else {
          await changeAbsenceEnd({ absenceId, changeKey: changeKey(`to-${change.to}`), to: change.to, actorId: change.actorId });
          state.to = change.to;
          // Shortened to today or earlier: the leave is over now, not at midnight.
          state.endAtOnce = change.to <= today();
          if (state.status === 'active' && state.endAtOnce) await finish('ended', change.actorId);
        }
      } catch (err) {
        throw passOnRefusal(err);
      }
      revision += 1;
      return view();
    }),
    {
      // Refused before it enters history.
      validator: (change) => {
        if (closed()) throw closedRefusal();
        if (!change || typeof change.actorId !== 'string') throw refusal('VALIDATION_FAILED', 'A change needs an actorId', 'actorId');
        if (change.kind === 'cancel') return;
        if (change.kind !== 'shorten' && change.kind !== 'extend') throw refusal('VALIDATION_FAILED', 'A change is cancel, shorten or extend', 'kind');
        if (!isIsoDate(change.to)) throw refusal('VALIDATION_FAILED', 'The new last day must be a date written YYYY-MM-DD', 'to');
        checkDates(change);
      },
    },
  );

  while (!closed()) {
    const due = state.status === 'planned' ? startOfLeaveDay(input.from) : startOfLeaveDay(addDays(state.to, 1));
    const seen = revision;
    const wait = due - Date.now();
    if (wait > 0 && !(state.status === 'active' && state.endAtOnce)) {
      // An Update (cancel, new end date) wakes the loop so the timer is re-armed from the new dates.
      if (await condition(() => revision !== seen || closed(), wait)) continue;
    }
    // Under the lock, and re-checked there: an Update may have cancelled or moved the leave while the timer fired.
    await exclusive(async () => {
      if (state.status === 'planned' && Date.now() >= startOfLeaveDay(input.from)) await begin();
      else if (state.status === 'active' && (state.endAtOnce || Date.now() >= startOfLeaveDay(addDays(state.to, 1)))) await finish('ended', null);
    });
  }
  await condition(allHandlersFinished);
  return view();
}
