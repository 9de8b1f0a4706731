// When an escalation may close itself (issue 11), and the words it closes with.
import { describe, expect, it } from 'vitest';
import { escalationClosedOutcome, escalationClosure, escalationsClosedNote, type OpenEscalation } from '../../domain/escalation-closure';

const booking = { ladder: 'booking', reason: 'two week wait referral not booked by day 3', escalatedTaskId: 'task_1' };
const bookingBeforeMark = { reason: 'urgent referral not booked by day 7', escalatedTaskId: 'task_1' };
const overdue = { reason: 'record attendance overdue by 96 hours', escalatedTaskId: 'task_2' };

describe('escalationClosure', () => {
  it.each<[string, OpenEscalation, boolean, ReturnType<typeof escalationClosure>]>([
    ['booking ladder, not booked, item done (triaged)', { payload: booking, escalatedStatus: 'done' }, false, null],
    ['booking ladder, booked', { payload: booking, escalatedStatus: 'done' }, true, 'booked'],
    ['booking ladder raised before the mark, booked', { payload: bookingBeforeMark, escalatedStatus: 'open' }, true, 'booked'],
    ['item ladder, item still open', { payload: overdue, escalatedStatus: 'claimed' }, true, null],
    ['item ladder, item completed', { payload: overdue, escalatedStatus: 'done' }, false, 'item_completed'],
    ['item ladder, item cancelled', { payload: overdue, escalatedStatus: 'cancelled' }, true, 'item_cancelled'],
    ['item ladder, item unknown', { payload: overdue, escalatedStatus: null }, true, null],
  ])('%s', (_, escalation, booked, expected) => {
    expect(escalationClosure(escalation, booked)).toBe(expected);
  });
});

describe('the words', () => {
  it('names the date and the officer who booked', () => {
    expect(escalationClosedOutcome('booked', { date: '2026-12-04', by: 'Olivia Officer' })).toBe('Closed: booked on 4 Dec 2026 by Olivia Officer');
    expect(escalationClosedOutcome('booked', { date: '2026-12-04', by: null })).toBe('Closed: booked on 4 Dec 2026');
    expect(escalationClosedOutcome('item_completed')).toBe('Closed: the overdue item was completed');
  });
  it('counts in the plural only past one', () => {
    expect(escalationsClosedNote('booked', 1)).toBe('Booked: 1 escalation closed');
    expect(escalationsClosedNote('item_cancelled', 2)).toBe('Overdue item cancelled: 2 escalations closed');
  });
});
