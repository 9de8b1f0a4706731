import { describe, expect, it } from 'vitest';
import { dateOfBirthProblem, isIsoDateTime, isStorableDate, leaveProblem, referralReceivedProblem, snoozeUntilProblem } from '../../domain';

const today = '2026-11-29';

describe('plausible dates', () => {
  it.each([
    ['1962-12-10', today, null],
    ['1900-01-01', today, null],
    ['1900-01-01', '2031-01-01', 'must be at most 130 years ago'],
    ['1899-12-31', today, 'must be in 1900 or later'],
    ['0000-01-01', today, 'must be in 1900 or later'],
    ['0001-01-01', today, 'must be in 1900 or later'],
    ['2026-11-30', today, 'cannot be in the future'],
    ['2026-11-29', today, null],
    ['2023-02-29', today, 'must be a real date written YYYY-MM-DD'],
  ])('date of birth %s on %s → %s', (dob, on, problem) => {
    expect(dateOfBirthProblem(dob, on)).toBe(problem);
  });

  it.each([
    ['2026-11-29', null],
    ['2024-11-29', null],
    ['2024-11-28', 'must be within the last 730 days (2 years)'],
    ['1900-01-01', 'must be within the last 730 days (2 years)'],
    ['2026-11-30', 'cannot be in the future'],
  ])('referral received %s → %s', (received, problem) => {
    expect(referralReceivedProblem(received, today)).toBe(problem);
  });

  it('snoozes into the future, at most 366 days ahead', () => {
    const now = Date.parse('2026-11-29T12:00:00Z');
    expect(snoozeUntilProblem(Date.parse('2026-11-30T00:00:00Z'), now)).toBeNull();
    expect(snoozeUntilProblem(now, now)).toBe('must be in the future');
    expect(snoozeUntilProblem(now + 367 * 86_400_000, now)).toBe('must be at most 366 days ahead');
    expect(snoozeUntilProblem(Number.NaN, now)).not.toBeNull();
  });

  it.each([
    ['2026-12-01', '2026-12-05', null],
    ['2026-12-01', '2027-12-01', null],
    ['2026-12-01', '2027-12-02', 'to'],
    ['2026-12-01', '9999-12-31', 'to'],
    ['2026-12-05', '2026-12-01', 'to'],
    ['2999-01-01', '2999-01-05', 'from'],
  ])('leave %s to %s → problem on %s', (from, to, field) => {
    expect(leaveProblem(from, to, today)?.field ?? null).toBe(field);
  });

  it.each([
    ['2027-02-28', true], ['2027-02-30', false], ['0000-01-01', false], ['10000-01-01', false], ['2027', false],
  ])('storable date %s → %s', (v, ok) => expect(isStorableDate(v)).toBe(ok));

  it.each([
    ['2027-02-03T09:00:00Z', true], ['2027-02-03T09:00:00.123+01:00', true], ['2027-02-03T09:00', false],
    ['2027-02-30T09:00:00Z', false], ['+010000-01-01T00:00:00Z', false], ['2027', false], ['2027-02-03T24:00:00Z', false],
  ])('ISO date-time %s → %s', (v, ok) => expect(isIsoDateTime(v)).toBe(ok));
});
