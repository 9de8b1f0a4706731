// Partial booking (issue 16) [rules §4.6–4.7]: the horizon, the LCAD, the invitation timeline, the booking window and
// the backlog's bands.
import { describe, expect, it } from 'vitest';
import {
  followUpPlan, lcadBand, mergeAccessPolicy, nextPartialBookingStep, partialBookingWindow, type PartialBookingEntryState,
} from '../../domain';

const entry = (over: Partial<PartialBookingEntryState>): PartialBookingEntryState => ({
  entryId: 'pbe_1', dueDate: '2027-03-01', lcad: '2027-03-15', status: 'waiting', invitedOn: null, chasedOn: null, ...over,
});

describe('partial booking', () => {
  it.each([
    [6, false, '2026-12-14'],
    [7, true, '2026-12-21'],
    [12, true, '2027-01-25'],
  ])('a follow-up in %i weeks goes on the list: %s (due %s)', (weeks, listed, due) => {
    const plan = followUpPlan('2026-11-02', weeks);
    expect(plan).toEqual({ dueDate: due, lcad: plan.lcad, partialBooking: listed });
  });

  it('takes the LCAD from the clinic outcome, else the due date plus the two-week tolerance, never before the due date', () => {
    expect(followUpPlan('2026-11-02', 12).lcad).toBe('2027-02-08');
    expect(followUpPlan('2026-11-02', 12, 16).lcad).toBe('2027-02-22');
    expect(followUpPlan('2026-11-02', 12, 8).lcad).toBe('2027-01-25');
  });

  it('invites 6 weeks before the due date, chases after the 2-week window, then reviews after another', () => {
    expect(nextPartialBookingStep(entry({}))).toEqual({ kind: 'invite', on: '2027-01-18' });
    expect(nextPartialBookingStep(entry({ status: 'invited', invitedOn: '2027-01-19' }))).toEqual({ kind: 'chase', on: '2027-02-02' });
    expect(nextPartialBookingStep(entry({ status: 'chased', invitedOn: '2027-01-19', chasedOn: '2027-02-02' })))
      .toEqual({ kind: 'review', on: '2027-02-16', reason: 'no_response' });
    expect(nextPartialBookingStep(entry({ status: 'in_review' }))).toBeNull();
    expect(nextPartialBookingStep(entry({ status: 'booked' }))).toBeNull();
  });

  it('goes to the clinician on the LCAD when that comes before the next step, never later', () => {
    const policy = mergeAccessPolicy({ partialBooking: { inviteDaysBeforeDue: 0 } });
    expect(nextPartialBookingStep(entry({ status: 'invited', invitedOn: '2027-03-01' }), policy))
      .toEqual({ kind: 'chase', on: '2027-03-15' });
    expect(nextPartialBookingStep(entry({ status: 'invited', invitedOn: '2027-03-05' }), policy))
      .toEqual({ kind: 'review', on: '2027-03-15', reason: 'lcad_reached' });
  });

  it('books within two weeks either side of the due date and never after the LCAD', () => {
    expect(partialBookingWindow('2027-03-01', '2027-03-15')).toEqual({ earliest: '2027-02-15', latest: '2027-03-15' });
    expect(partialBookingWindow('2027-03-01', '2027-03-05')).toEqual({ earliest: '2027-02-15', latest: '2027-03-05' });
  });

  it.each([
    ['2027-03-15', '2027-03-15', 'not_past_lcad'],
    ['2027-03-15', '2027-03-16', 'up_to_4_weeks'],
    ['2027-03-15', '2027-04-12', 'up_to_4_weeks'],
    ['2027-03-15', '2027-04-13', '4_to_12_weeks'],
    ['2027-03-15', '2027-06-07', '4_to_12_weeks'],
    ['2027-03-15', '2027-06-08', 'over_12_weeks'],
  ])('a follow-up with LCAD %s is, on %s, %s', (lcad, asOf, band) => {
    expect(lcadBand(lcad, asOf)).toBe(band);
  });
});
