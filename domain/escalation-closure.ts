// When an escalation is no longer needed (issue 11): the booking ladder's reviews ("not booked by day 3") close once
// the referral is booked; a work item's own ladder closes once that item is completed or cancelled. The words are
// what the team leader reads on the item and on the Escalations list.
import type { TaskStatus } from './model';

export type EscalationClosedReason = 'booked' | 'item_completed' | 'item_cancelled';

/** An open escalation item as the closing step reads it. */
export type OpenEscalation = {
  payload: { ladder?: unknown; reason?: unknown; escalatedTaskId?: unknown };
  /** The status of the item it escalated, when there was one. */
  escalatedStatus: TaskStatus | null;
};

/** The booking ladder's items: marked since issue 11; older ones are known by their reason ("... not booked by day 3"). */
export function isBookingLadderEscalation(payload: OpenEscalation['payload']): boolean {
  return payload.ladder === 'booking' || (typeof payload.reason === 'string' && /not booked by day \d+/.test(payload.reason));
}

/** Why an open escalation can close now, or null while what it escalated still needs the leader. */
export function escalationClosure(escalation: OpenEscalation, booked: boolean): EscalationClosedReason | null {
  if (isBookingLadderEscalation(escalation.payload)) return booked ? 'booked' : null;
  if (escalation.escalatedStatus === 'done') return 'item_completed';
  if (escalation.escalatedStatus === 'cancelled') return 'item_cancelled';
  return null;
}

const dateFormat = new Intl.DateTimeFormat('en-GB', { day: 'numeric', month: 'short', year: 'numeric', timeZone: 'UTC' });
/** "4 Dec 2026" for "2026-12-04". */
const shortDate = (isoDate: string) => dateFormat.format(new Date(`${isoDate}T00:00:00Z`));

/** The outcome the closed item shows: "Closed: booked on 4 Dec 2026 by Olivia Officer". */
export function escalationClosedOutcome(reason: EscalationClosedReason, booking?: { date: string; by: string | null } | null): string {
  switch (reason) {
    case 'booked':
      return booking ? `Closed: booked on ${shortDate(booking.date)}${booking.by ? ` by ${booking.by}` : ''}` : 'Closed: booked';
    case 'item_completed': return 'Closed: the overdue item was completed';
    case 'item_cancelled': return 'Closed: the overdue item was cancelled';
  }
}

/** The timeline's line for one closing step: "Booked: 2 escalations closed". */
export function escalationsClosedNote(reason: EscalationClosedReason, count: number): string {
  const what = { booked: 'Booked', item_completed: 'Overdue item completed', item_cancelled: 'Overdue item cancelled' }[reason];
  return `${what}: ${count} ${count === 1 ? 'escalation' : 'escalations'} closed`;
}

/** What a pathway's escalation items say when the pathway itself ends. */
export const escalationClosedByPathwayEnd = 'Closed: the pathway ended';
