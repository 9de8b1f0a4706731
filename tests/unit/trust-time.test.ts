// Trust time: London dates and instants, England and Wales bank holidays, working days.
import { describe, expect, it } from 'vitest';
import {
  BANK_HOLIDAY_YEARS, addDays, addWorkingDays, bankHolidaysOf, easterSunday, endOfWorkingDay, isWorkingDay, londonDate,
  londonInstant, londonOffsetMs, nextWorkingDay, startOfWorkingDay, statutoryBankHolidays, triageDueDate, workingDay,
} from '../../domain';

const iso = (ms: number) => new Date(ms).toISOString();

describe('bank holidays shipped as data', () => {
  // The system plans this far ahead: RTT waits tracked past 104 weeks, and a 16-week slot horizon on top.
  const planningHorizonDays = 104 * 7 + 16 * 7;

  it('covers every year from 2020 to the end of the planning horizon, and at least 2030', () => {
    const lastPlanned = Math.max(2030, Number(addDays(londonDate(Date.now()), planningHorizonDays).slice(0, 4)));
    expect(BANK_HOLIDAY_YEARS.first).toBeLessThanOrEqual(2020);
    expect(BANK_HOLIDAY_YEARS.last).toBeGreaterThanOrEqual(lastPlanned);
    for (let year = 2020; year <= lastPlanned; year++) {
      const dates = [...bankHolidaysOf(year)];
      expect(dates.length, String(year)).toBeGreaterThanOrEqual(8);
      expect(dates.every((d) => d.startsWith(`${year}-`) && isWorkingDay(d, []))).toBe(true); // never a weekend
    }
  });

  it('fails naming the year when asked beyond the data', () => {
    const after = BANK_HOLIDAY_YEARS.last + 1;
    expect(() => bankHolidaysOf(after)).toThrow(new RegExp(`No bank holiday data for ${after}`));
    expect(() => isWorkingDay(`${after}-03-01`)).toThrow(String(after));
    expect(() => addWorkingDays(`${BANK_HOLIDAY_YEARS.last}-12-30`, 5)).toThrow(String(after));
  });

  it.each([
    ['2020-05-08', 'VE Day 75 (Early May moved)'],
    ['2022-06-02', 'Spring bank holiday moved'],
    ['2022-06-03', 'Platinum Jubilee'],
    ['2022-09-19', 'State Funeral of Queen Elizabeth II'],
    ['2023-05-08', 'Coronation of King Charles III'],
    ['2021-12-28', 'substitute for Boxing Day on a Sunday'],
    ['2022-01-03', "substitute for New Year's Day on a Saturday"],
    ['2026-12-28', 'substitute for Boxing Day on a Saturday'],
    ['2027-12-27', 'substitute for Christmas Day on a Saturday'],
  ])('%s is a bank holiday (%s)', (date) => {
    expect(bankHolidaysOf(Number(date.slice(0, 4))).has(date)).toBe(true);
    expect(isWorkingDay(date)).toBe(false);
  });

  it('finds Easter by the computus', () => {
    expect(['2019', '2024', '2025', '2026', '2027', '2028', '2029', '2030'].map((y) => easterSunday(Number(y))))
      .toEqual(['2019-04-21', '2024-03-31', '2025-04-20', '2026-04-05', '2027-03-28', '2028-04-16', '2029-04-01', '2030-04-21']);
  });

  it.each([2018, 2019, 2021, 2024, 2025, 2026, 2027])('the statutory rules give the published dates of %i (a year without one-offs)', (year) => {
    expect(statutoryBankHolidays(year)).toEqual([...bankHolidaysOf(year)].sort());
  });

  it('computes the years not yet announced by the statutory rules', () => {
    expect([...bankHolidaysOf(2028)].sort()).toEqual([
      '2028-01-03', '2028-04-14', '2028-04-17', '2028-05-01', '2028-05-29', '2028-08-28', '2028-12-25', '2028-12-26',
    ]);
  });
});

describe('London time without Intl in the workflow', () => {
  it.each([
    ['2026-03-29T00:59:59Z', 0], ['2026-03-29T01:00:00Z', 1], ['2026-10-25T00:59:59Z', 1], ['2026-10-25T01:00:00Z', 0],
    ['2027-03-28T01:00:00Z', 1], ['2027-10-31T00:30:00Z', 1], ['2027-10-31T01:30:00Z', 0],
  ])('at %s London is UTC+%ih', (instant, hours) => {
    expect(londonOffsetMs(Date.parse(instant))).toBe(hours * 3_600_000);
  });

  it('agrees with the platform time zone database hour by hour, 2024 to 2030', () => {
    const fmt = new Intl.DateTimeFormat('en-CA', { timeZone: 'Europe/London', year: 'numeric', month: '2-digit', day: '2-digit', hour: '2-digit', hourCycle: 'h23' });
    const local = (ms: number) => { const p = Object.fromEntries(fmt.formatToParts(ms).map((x) => [x.type, x.value])); return `${p.year}-${p.month}-${p.day}T${p.hour}`; };
    for (let ms = Date.parse('2024-01-01T00:00:00Z'); ms < Date.parse('2031-01-01T00:00:00Z'); ms += 3_600_000) {
      const ours = new Date(ms + londonOffsetMs(ms)).toISOString().slice(0, 13);
      if (ours !== local(ms)) throw new Error(`${iso(ms)}: ours ${ours}, Intl ${local(ms)}`);
    }
  });

  it.each([
    ['2026-06-30T23:30:00Z', '2026-07-01', 'a summer evening in UTC is tomorrow in London'],
    ['2026-12-31T23:30:00Z', '2026-12-31', 'in winter London is UTC'],
    ['2026-03-29T00:30:00Z', '2026-03-29', 'before the clocks go forward'],
    ['2026-10-24T23:30:00Z', '2026-10-25', 'the night the clocks go back'],
  ])('the London date of %s is %s (%s)', (instant, date) => {
    expect(londonDate(Date.parse(instant))).toBe(date);
  });

  it.each([
    ['2026-01-05', '09:00', '2026-01-05T09:00:00.000Z'],
    ['2026-07-01', '09:00', '2026-07-01T08:00:00.000Z'],
    ['2026-03-29', '00:00', '2026-03-29T00:00:00.000Z'],
    ['2026-03-29', '09:00', '2026-03-29T08:00:00.000Z'],
    ['2026-10-25', '00:00', '2026-10-24T23:00:00.000Z'],
    ['2026-10-25', '01:30', '2026-10-25T00:30:00.000Z'], // the repeated hour: its first occurrence
    ['2026-10-25', '09:00', '2026-10-25T09:00:00.000Z'],
  ])('%s %s in London is %s', (date, time, instant) => {
    expect(iso(londonInstant(date, time))).toBe(instant);
  });
});

describe('working days', () => {
  it('works 09:00 to 17:00 by policy', () => {
    expect(workingDay).toEqual({ start: '09:00', end: '17:00' });
  });

  it.each([
    ['2026-12-24', true, 'Christmas Eve (Thursday)'],
    ['2026-12-25', false, 'Christmas Day'],
    ['2026-12-26', false, 'Saturday'],
    ['2026-12-28', false, 'Boxing Day substitute'],
    ['2026-12-29', true, 'Tuesday after'],
    ['2026-08-31', false, 'Summer bank holiday'],
  ])('%s is a working day: %s (%s)', (date, expected) => {
    expect(isWorkingDay(date)).toBe(expected);
  });

  it('counts working days over Christmas and the New Year', () => {
    expect(nextWorkingDay('2026-12-24')).toBe('2026-12-29');
    expect(addWorkingDays('2026-12-23', 2)).toBe('2026-12-29');
    expect(addWorkingDays('2026-12-31', 1)).toBe('2027-01-04');
    expect(addWorkingDays('2026-12-24', 0)).toBe('2026-12-24');
    expect(() => addWorkingDays('2026-12-24', -1)).toThrow(RangeError);
  });

  it('triages in three working days, skipping the shipped bank holidays', () => {
    expect(triageDueDate('2026-12-23')).toBe('2026-12-30');
    expect(triageDueDate('2026-12-23', [])).toBe('2026-12-28');
  });

  it.each([
    ['2026-12-22', '2026-12-22T09:00:00.000Z', 'a working day in winter'],
    ['2026-12-25', '2026-12-29T09:00:00.000Z', 'Christmas lands on the next working day'],
    ['2026-08-29', '2026-09-01T08:00:00.000Z', 'a weekend before a bank holiday Monday, in summer time'],
  ])('a deadline on %s falls at %s (%s)', (date, instant) => {
    expect(iso(startOfWorkingDay(date))).toBe(instant);
  });

  it.each([
    ['2026-07-03', '2026-07-03T16:00:00.000Z'],
    ['2026-12-04', '2026-12-04T17:00:00.000Z'],
    ['2026-12-26', '2026-12-29T17:00:00.000Z'],
  ])('work due on %s is due at %s', (date, instant) => {
    expect(endOfWorkingDay(date)).toBe(instant);
  });
});
