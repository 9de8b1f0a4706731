import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { addDays, addWorkingDays, daysBetween, isIsoDate, isWorkingDay } from '../../domain';
import { isoDate } from './arbitraries';

describe('calendar dates', () => {
  it.each([
    ['2024-02-28', 1, '2024-02-29', 'leap year: 29 February exists'],
    ['2023-02-28', 1, '2023-03-01', 'common year: straight to March'],
    ['2024-02-29', 1, '2024-03-01', 'leap day to March'],
    ['2000-02-28', 1, '2000-02-29', '2000 is a leap year (divisible by 400)'],
    ['1900-02-28', 1, '1900-03-01', '1900 is not (divisible by 100)'],
    ['2024-01-31', 1, '2024-02-01', 'month end'],
    ['2024-04-30', 1, '2024-05-01', '30-day month end'],
    ['2024-12-31', 1, '2025-01-01', 'year end'],
    ['2025-01-01', -1, '2024-12-31', 'backwards over a year end'],
    ['2024-03-01', -1, '2024-02-29', 'backwards into a leap day'],
    ['2024-03-30', 1, '2024-03-31', 'the night the clocks go forward (BST) is still one day'],
    ['2024-10-26', 1, '2024-10-27', 'the night the clocks go back is still one day'],
    ['2024-01-01', 0, '2024-01-01', 'zero days'],
    ['2024-01-01', 126, '2024-05-06', '18 weeks over a leap February'],
    ['0099-12-31', 1, '0100-01-01', 'two-digit years are not read as 19xx'],
  ])('%s + %i days is %s (%s)', (date, days, expected) => {
    expect(addDays(date, days)).toBe(expected);
    expect(daysBetween(date, expected)).toBe(days);
  });

  it.each([
    ['2024-01-01', '2024-12-31', 365, 'leap year'],
    ['2023-01-01', '2023-12-31', 364, 'common year'],
    ['2024-02-01', '2024-03-01', 29, 'leap February'],
    ['2023-02-01', '2023-03-01', 28, 'common February'],
    ['2024-05-10', '2024-05-03', -7, 'to before from is negative'],
  ])('from %s to %s is %i days (%s)', (from, to, days) => {
    expect(daysBetween(from, to)).toBe(days);
  });

  it.each([
    ['2024-02-29', true],
    ['2023-02-29', false],
    ['2000-02-29', true],
    ['1900-02-29', false],
    ['2024-04-31', false],
    ['2024-13-01', false],
    ['2024-00-10', false],
    ['2024-01-00', false],
    ['2024-1-01', false],
    ['24-01-01', false],
    ['2024-01-01T00:00:00Z', false],
    [' 2024-01-01', false],
    ['2024-01-01\n', false],
    ['２０２４-01-01', false],
    ['', false],
    [20240101, false],
    [null, false],
    [undefined, false],
    [new Date(0), false],
  ])('isIsoDate(%j) is %s', (value, expected) => {
    expect(isIsoDate(value)).toBe(expected);
  });

  it('refuses to do arithmetic on something that is not a calendar date', () => {
    expect(() => addDays('2023-02-29', 1)).toThrow(RangeError);
    expect(() => daysBetween('2024-01-01', 'tomorrow')).toThrow(RangeError);
    expect(() => addDays('2024-01-01', 1.5)).toThrow(/whole number/);
    expect(() => addDays('2024-01-01', Number.NaN)).toThrow(RangeError);
    expect(() => addDays('9999-12-31', 1)).toThrow(/out of range/);
  });

  it('adding days and counting them back always agree', () => {
    fc.assert(
      fc.property(isoDate, fc.integer({ min: -20_000, max: 20_000 }), (date, days) => {
        const later = addDays(date, days);
        expect(isIsoDate(later)).toBe(true);
        expect(daysBetween(date, later)).toBe(days);
        expect(addDays(later, -days)).toBe(date);
      }),
    );
  });

  it('counting days between two dates and adding them lands on the second date', () => {
    fc.assert(
      fc.property(isoDate, isoDate, (from, to) => {
        expect(addDays(from, daysBetween(from, to))).toBe(to);
        expect(daysBetween(to, from) + daysBetween(from, to)).toBe(0);
      }),
    );
  });

  it('every generated calendar date is accepted and each next day is a real date', () => {
    fc.assert(
      fc.property(isoDate, (date) => {
        expect(isIsoDate(date)).toBe(true);
        expect(addDays(date, 1) > date).toBe(true);
      }),
    );
  });
});

describe('working days', () => {
  const englandChristmas2024 = ['2024-12-25', '2024-12-26'];

  it.each([
    ['2024-12-20', false, 'Friday', true],
    ['2024-12-21', false, 'Saturday', false],
    ['2024-12-22', false, 'Sunday', false],
    ['2024-12-25', true, 'Christmas Day', false],
    ['2024-12-25', false, 'Christmas Day when no holidays are given', true],
  ])('%s (%s) counts as a working day: %s', (date, withHolidays, _label, expected) => {
    expect(isWorkingDay(date, withHolidays ? englandChristmas2024 : [])).toBe(expected);
  });

  it.each([
    ['2024-12-20', 3, '2024-12-27', 'Friday + 3 skips the weekend and both bank holidays'],
    ['2024-12-18', 3, '2024-12-23', 'Wednesday + 3 skips the weekend'],
    ['2024-12-21', 1, '2024-12-23', 'Saturday + 1 is Monday'],
    ['2024-12-20', 0, '2024-12-20', 'zero working days'],
  ])('%s + %i working days is %s (%s)', (date, workingDays, expected) => {
    expect(addWorkingDays(date, workingDays, englandChristmas2024)).toBe(expected);
  });

  it('refuses negative working days and bad dates', () => {
    expect(() => addWorkingDays('2024-01-01', -1)).toThrow(RangeError);
    expect(() => addWorkingDays('2024-02-30', 0)).toThrow(RangeError);
  });
});
