import { describe, expect, it } from 'vitest';
import {
  appointmentChange, ersClockStart, ersPollMinutes, outcomeCall, ourPriority, ourSpecialty, slotIssueDueAt, stillAllowed,
} from '../../domain/ers-rules';

describe('e-RS clock start (rules §1.2)', () => {
  it.each([
    ['the conversion date of a booked referral', { pathwayStart: '2026-11-02T10:15:00Z' }, '2026-11-02'],
    ['a late-evening conversion in summer time counts on the London date', { pathwayStart: '2026-07-01T23:30:00Z' }, '2026-07-02'],
    ['the date it reached the ASI worklist when that was first',
      { pathwayStart: '2026-11-05T09:00:00Z', asiReceivedAt: '2026-11-03T14:00:00Z' }, '2026-11-03'],
    ['earlier activity on the UBRN (a CAS booking) wins over a later ASI date',
      { pathwayStart: '2026-10-20T09:00:00Z', asiReceivedAt: '2026-11-03T14:00:00Z' }, '2026-10-20'],
    ['a re-referral keeps the original UBRN\'s start',
      { pathwayStart: '2026-11-10T09:00:00Z', relatedStarts: ['2026-09-01T08:00:00Z', '2026-10-01T08:00:00Z'] }, '2026-09-01'],
    ['a related UBRN started later changes nothing',
      { pathwayStart: '2026-11-10T09:00:00Z', relatedStarts: ['2026-11-20T08:00:00Z'] }, '2026-11-10'],
  ])('%s', (_, input, expected) => {
    expect(ersClockStart(input)).toBe(expected);
  });

  it('refuses a referral with no pathway start', () => {
    expect(() => ersClockStart({ pathwayStart: 'not a date' })).toThrow(RangeError);
  });
});

describe('e-RS priority and specialty → ours', () => {
  it.each([['TWO_WEEK_WAIT', 'two_week_wait'], ['URGENT', 'urgent'], ['ROUTINE', 'routine'], ['SOON', null]])('%s → %s', (ers, ours) => {
    expect(ourPriority(ers)).toBe(ours);
  });
  it.each([['CARDIOLOGY', '11002', {}, '320'], ['cardiology', '1', {}, '320'], ['UROLOGY', '2', {}, '101'], ['PAEDIATRICS', '3', {}, null],
    ['CARDIOLOGY', '11002', { 11002: '300' }, '300']])('%s at service %s → %s', (specialty, service, services, ours) => {
    expect(ourSpecialty(specialty, service, services as Record<string, string>)).toBe(ours);
  });
});

describe('ASI item due date (rules §5)', () => {
  const none: string[] = [];
  it('2WW: by the end of the next working day', () => {
    // Friday 27 Nov 2026 → Monday 30 Nov, 17:00 London (GMT).
    expect(slotIssueDueAt({ priority: 'two_week_wait', receivedOn: '2026-11-27', bankHolidays: none })).toBe('2026-11-30T17:00:00.000Z');
  });
  it('2WW ignores a later promised contact date', () => {
    expect(slotIssueDueAt({ priority: 'two_week_wait', receivedOn: '2026-11-23', patientContactExpected: '2026-11-28', bankHolidays: none }))
      .toBe('2026-11-24T17:00:00.000Z');
  });
  it('routine: the triage turnaround (3 working days)', () => {
    expect(slotIssueDueAt({ priority: 'routine', receivedOn: '2026-11-23', patientContactExpected: '2027-01-02', bankHolidays: none }))
      .toBe('2026-11-26T17:00:00.000Z');
  });
  it('urgent: the date e-RS promised the patient when that is sooner', () => {
    expect(slotIssueDueAt({ priority: 'urgent', receivedOn: '2026-11-23', patientContactExpected: '2026-11-24', bankHolidays: none }))
      .toBe('2026-11-24T17:00:00.000Z');
  });
  it('a bank holiday is not a working day', () => {
    expect(slotIssueDueAt({ priority: 'two_week_wait', receivedOn: '2026-12-24' })).toBe('2026-12-29T17:00:00.000Z');
  });
});

describe('which call sends a triage decision', () => {
  it.each([
    ['accept', false, 'REFERRALS_FOR_REVIEW', { call: 'A013' }],
    ['return_to_referrer', false, 'REFERRALS_FOR_REVIEW', { call: 'A014', reason: 'SERVICE_INAPPROPRIATE' }],
    ['accept', true, 'REFERRALS_FOR_REVIEW', { call: 'A028', outcome: 'ACCEPT_REFER_BOOK_LATER' }],
    ['return_to_referrer', true, 'REFERRALS_FOR_REVIEW', { call: 'A028', outcome: 'RETURN_TO_REFERRER_WITH_ADVICE' }],
    ['accept', false, 'APPOINTMENT_SLOT_ISSUES', { call: 'A028', outcome: 'ACCEPT_REFER_BOOK_LATER' }],
  ] as const)('%s (triage %s, %s)', (decision, triage, worklist, expected) => {
    expect(outcomeCall(decision, { triage, worklist })).toEqual(expected);
  });
  it('after a 412, retried only while A029 still allows it', () => {
    expect(stillAllowed('A028', ['RECORD_REVIEW_OUTCOME'])).toBe(true);
    expect(stillAllowed('A013', ['RECORD_REVIEW_OUTCOME'])).toBe(false);
    expect(stillAllowed('A013', [])).toBe(false);
  });
});

describe('a patient\'s change in e-RS', () => {
  const seen = { appointmentId: 'a1', start: '2026-12-01T09:00:00Z' };
  it.each([
    ['nothing changed', { id: 'a1', start: '2026-12-01T09:00:00.000Z', status: 'booked' }, { kind: 'none' }],
    ['the appointment was cancelled', { id: 'a1', start: '2026-12-01T09:00:00Z', status: 'cancelled' }, { kind: 'cancelled' }],
    ['the appointment is gone', undefined, { kind: 'cancelled' }],
    ['another appointment took its place', { id: 'a2', start: '2026-12-08T09:00:00Z', status: 'booked' }, { kind: 'moved', start: '2026-12-08T09:00:00Z' }],
    ['the same appointment moved', { id: 'a1', start: '2026-12-02T09:00:00Z', status: 'booked' }, { kind: 'moved', start: '2026-12-02T09:00:00Z' }],
  ])('%s', (_, appointment, expected) => {
    expect(appointmentChange(seen, { appointment, state: 'BOOKED' })).toEqual(expected);
  });
  it('a referral we saw without an appointment has no appointment change', () => {
    expect(appointmentChange({ appointmentId: null, start: null }, { appointment: undefined, state: 'BOOKED' })).toEqual({ kind: 'none' });
  });
});

describe('ERS_POLL_MINUTES', () => {
  it('is 5 by default', () => { expect(ersPollMinutes(undefined)).toBe(5); expect(ersPollMinutes('')).toBe(5); });
  it('takes whole minutes', () => { expect(ersPollMinutes('15')).toBe(15); });
  it.each(['0', '-1', '2.5', 'often', '99999'])('refuses %s', (v) => { expect(() => ersPollMinutes(v)).toThrow(/ERS_POLL_MINUTES/); });
});
