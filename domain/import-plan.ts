// Go-live (issue 13): where an imported pathway stands. Pure: the import engine writes these rows in bulk and the
// pathway workflow starts from the same plan, so a rung or validation point due before the import never fires here
// while one due after it fires on its day, exactly as if the pathway had run here from its clock start.
import { addDays } from './dates';
import type { ImportRow } from './import';
import type { ReferralPriority, ReferralState, SlotType, TaskType } from './model';
import { bookingEscalations, bookingTargetDate, nextValidationDate, triageDueDate, workItemEscalations } from './booking-policy';
import type { RttClock, RttStatusCode } from './rtt-clock';
import { endOfWorkingDay, startOfWorkingDay } from './trust-time';

/** The PAS's last code, where it keeps the clock running; otherwise the clock's start (10). */
const RUNNING_CODES: readonly number[] = [10, 11, 12, 20];
/** Weeks after the last RTT event a follow-up is booked by when the PAS gives no due date (the intake's default). */
export const IMPORT_FOLLOW_UP_WEEKS = 6;

export type ImportedStage = {
  stage: ReferralState;
  firstBooked: boolean;
  /** The item the pathway waits on (none while awaiting admission). */
  openTaskType: TaskType | null;
  /** A booking item's book-by date. */
  bookBy: string | null;
  /** The appointment to hold, where booked. */
  appointment: { kind: 'new' | 'follow_up'; slotType: SlotType } | null;
};

/** The slot type a booking of this kind takes (as the workflow's `slotType`). */
export const importSlotType = (kind: 'new' | 'follow_up', priority: ReferralPriority): SlotType =>
  kind === 'follow_up' ? 'follow_up' : priority === 'routine' ? 'new' : priority;

/**
 * The access model's stage of a PAS row. `booked`: the row's appointment holds a slot (false when its slot was taken,
 * and the pathway waits on a booking item instead).
 */
export function importedStage(row: Pick<ImportRow, 'stage' | 'priority' | 'clockStart' | 'lastRttDate'>, today: string, booked: boolean): ImportedStage {
  switch (row.stage) {
    case 'awaiting_triage':
      return { stage: 'awaiting_triage', firstBooked: false, openTaskType: 'triage_referral', bookBy: null, appointment: null };
    case 'awaiting_first_appointment':
      return booked
        ? { stage: 'booked', firstBooked: true, openTaskType: 'record_attendance', bookBy: null, appointment: { kind: 'new', slotType: importSlotType('new', row.priority) } }
        : { stage: 'awaiting_booking', firstBooked: false, openTaskType: 'book_new_appointment', bookBy: bookingTargetDate(row.clockStart, row.priority), appointment: null };
    case 'awaiting_follow_up': {
      if (booked) {
        return { stage: 'follow_up_booked', firstBooked: true, openTaskType: 'record_attendance', bookBy: null, appointment: { kind: 'follow_up', slotType: 'follow_up' } };
      }
      const due = addDays(row.lastRttDate ?? row.clockStart, IMPORT_FOLLOW_UP_WEEKS * 7);
      return { stage: 'awaiting_follow_up', firstBooked: true, openTaskType: 'book_follow_up', bookBy: due < today ? today : due, appointment: null };
    }
    case 'awaiting_admission':
      return { stage: 'awaiting_admission', firstBooked: true, openTaskType: null, bookBy: null, appointment: null };
  }
}

/** The RTT clock as the PAS left it: running from the clock start, on its last code where that keeps it running. */
export function importedClock(row: Pick<ImportRow, 'stage' | 'clockStart' | 'lastRttCode'>): RttClock {
  const given = row.lastRttCode !== null && RUNNING_CODES.includes(row.lastRttCode) ? row.lastRttCode as RttStatusCode : null;
  // On the admitted waiting list means a decision to admit (20) even where the PAS did not send the code.
  const lastCode: RttStatusCode = given ?? (row.stage === 'awaiting_admission' ? 20 : 10);
  return { status: 'running', clockStart: row.clockStart, clockStop: null, lastCode, eventsSinceStart: lastCode === 10 || lastCode === 12 ? 0 : 1 };
}

/** When the open item is due (an ISO instant); a booked appointment's attendance is due at its start. */
export function importedTaskDueAt(type: TaskType, row: Pick<ImportRow, 'clockStart'>, bookBy: string | null, appointmentStart: string | null): string {
  if (type === 'triage_referral') return endOfWorkingDay(triageDueDate(row.clockStart));
  if (type === 'record_attendance') return new Date(appointmentStart!).toISOString();
  return endOfWorkingDay(bookBy!);
}

/**
 * The rungs and validation point already due at `nowMs`: the workflow starts past them. The booking ladder runs until
 * the first booking; an item's own ladder once it is past it (as workflows/pathway/escalation.ts decides).
 */
export function importedTimers(p: {
  clockStart: string; priority: ReferralPriority; firstBooked: boolean; openTaskType: TaskType | null; openTaskDueAt: string | null; nowMs: number;
}): { escalationLevel: number; openTaskLevel: number; validatedThrough: string | null } {
  const { clockStart, priority, firstBooked, openTaskType, openTaskDueAt, nowMs } = p;
  const escalationLevel = firstBooked ? 0
    : Math.max(0, ...bookingEscalations(clockStart, priority).filter((r) => startOfWorkingDay(r.date) <= nowMs).map((r) => r.level));
  const itemLadder = openTaskType && openTaskDueAt && (firstBooked || (openTaskType !== 'triage_referral' && openTaskType !== 'book_new_appointment'));
  const openTaskLevel = itemLadder
    ? Math.max(0, ...workItemEscalations(openTaskType, openTaskDueAt).filter((r) => Date.parse(r.at) <= nowMs).map((r) => r.level))
    : 0;
  let validatedThrough: string | null = null;
  for (let next = nextValidationDate(clockStart, clockStart); startOfWorkingDay(next) <= nowMs; next = nextValidationDate(clockStart, next)) {
    validatedThrough = next;
  }
  return { escalationLevel, openTaskLevel, validatedThrough };
}
