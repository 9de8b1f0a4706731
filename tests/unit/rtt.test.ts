import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import {
  addDays,
  daysBetween,
  isWithin18Weeks,
  longWaitBand,
  rttBreachDate,
  rttDaysWaited,
  rttLastCompliantDate,
  rttMaxDays,
  rttWeekBand,
} from '../../domain';
import { isoDate, waitDays } from './arbitraries';

// Weeks-waited arithmetic [A RTT-Rec25 §10.1.7].
describe('RTT days waited and the 18-week line', () => {
  it.each([
    ['2024-01-01', '2024-01-01', 0, 'same-day start and stop is 0 days'],
    ['2024-01-01', '2024-01-08', 7, 'a week'],
    ['2024-02-28', '2024-03-01', 2, 'over a leap day'],
    ['2023-02-28', '2023-03-01', 1, 'over a common-year February end'],
    ['2024-03-25', '2024-04-01', 7, 'over the clocks going forward'],
  ])('from %s to %s the patient has waited %i days (%s)', (start, asOf, days) => {
    expect(rttDaysWaited(start, asOf)).toBe(days);
  });

  it('a wait cannot end before its clock started', () => {
    expect(() => rttDaysWaited('2024-05-02', '2024-05-01')).toThrow(RangeError);
  });

  it.each([
    ['2024-01-01', '2024-05-06', 'over a leap February'],
    ['2023-01-01', '2023-05-07', 'in a common year'],
    ['2024-10-31', '2025-03-06', 'over a year end'],
    ['2023-11-01', '2024-03-06', 'over a year end into a leap February'],
  ])('clock start %s: the last compliant date is %s, day 126 (%s)', (start, lastCompliant) => {
    expect(rttLastCompliantDate(start)).toBe(lastCompliant);
    expect(rttBreachDate(start)).toBe(addDays(lastCompliant, 1));
  });

  it('a patient at day 126 is still within 18 weeks [A RTT-Rec25 §10.1.7]', () => {
    expect(isWithin18Weeks('2024-01-01', addDays('2024-01-01', 126))).toBe(true);
  });

  it('a patient at day 127 has breached 18 weeks [A RTT-Rec25 §10.1.7]', () => {
    expect(isWithin18Weeks('2024-01-01', addDays('2024-01-01', 127))).toBe(false);
  });

  it('a patient seen the day the referral arrived is within 18 weeks', () => {
    expect(isWithin18Weeks('2024-01-01', '2024-01-01')).toBe(true);
  });

  it('the last compliant date is always 126 days after the clock start, the breach date 127', () => {
    fc.assert(
      fc.property(isoDate, (start) => {
        expect(daysBetween(start, rttLastCompliantDate(start))).toBe(rttMaxDays);
        expect(daysBetween(start, rttBreachDate(start))).toBe(127);
        expect(isWithin18Weeks(start, rttLastCompliantDate(start))).toBe(true);
        expect(isWithin18Weeks(start, rttBreachDate(start))).toBe(false);
      }),
    );
  });
});

describe('RTT week bands [A RTT-Rec25 §10.1.7]', () => {
  it.each([
    [0, 1, 'same day goes in the 0–1 week band'],
    [7, 1, 'day 7 is the top of 0–1'],
    [8, 2, 'day 8 opens >1–2'],
    [14, 2, 'day 14 is the top of >1–2'],
    [15, 3, 'day 15 opens >2–3'],
    [119, 17, 'day 119 is the top of >16–17'],
    [120, 18, 'day 120 opens >17–18'],
    [126, 18, 'day 126 is the top of >17–18'],
    [127, 19, 'day 127 opens >18–19'],
    [357, 51, 'day 357 is the top of >50–51'],
    [358, 52, 'day 358 opens >51–52'],
    [364, 52, 'day 364 is the top of >51–52'],
    [365, 53, 'day 365 opens >52–53'],
    [722, 104, 'day 722 opens >103–104'],
    [728, 104, 'day 728 is the top of >103–104'],
    [729, 105, 'day 729 is the 104+ band'],
    [5000, 105, 'any longer wait stays in 104+'],
  ])('%i days waited is band %i (%s)', (days, band) => {
    expect(rttWeekBand(days)).toBe(band);
  });

  it.each([[-1], [1.5], [Number.NaN], [Number.POSITIVE_INFINITY]])('refuses %s days: waits are whole days from 0', (days) => {
    expect(() => rttWeekBand(days)).toThrow(RangeError);
    expect(() => longWaitBand(days)).toThrow(RangeError);
  });

  it('bands never go down as the wait grows', () => {
    fc.assert(
      fc.property(waitDays, waitDays, (a, b) => {
        const [shorter, longer] = a <= b ? [a, b] : [b, a];
        expect(rttWeekBand(shorter)).toBeLessThanOrEqual(rttWeekBand(longer));
      }),
    );
  });

  it('band n holds exactly days 7(n−1)+1 … 7n', () => {
    fc.assert(
      fc.property(fc.integer({ min: 2, max: 104 }), (n) => {
        expect(rttWeekBand(7 * (n - 1) + 1)).toBe(n);
        expect(rttWeekBand(7 * n)).toBe(n);
        expect(rttWeekBand(7 * (n - 1))).toBe(n - 1);
      }),
    );
  });
});

describe('long-wait flags [E from A RTT-Rec25 §10.1.7 bands]', () => {
  it.each([
    [0, null],
    [364, null],
    [365, 52],
    [455, 52],
    [456, 65],
    [546, 65],
    [547, 78],
    [728, 78],
    [729, 104],
    [1500, 104],
  ])('%i days waited flags %s', (days, band) => {
    expect(longWaitBand(days)).toBe(band);
  });

  it('long-wait flags never go down as the wait grows, and agree with the week bands', () => {
    const rank = (band: ReturnType<typeof longWaitBand>) => band ?? 0;
    fc.assert(
      fc.property(waitDays, waitDays, (a, b) => {
        const [shorter, longer] = a <= b ? [a, b] : [b, a];
        expect(rank(longWaitBand(shorter))).toBeLessThanOrEqual(rank(longWaitBand(longer)));
        const flag = longWaitBand(longer);
        // Over N weeks ⇔ the week band is above N.
        if (flag !== null) expect(rttWeekBand(longer)).toBeGreaterThan(flag);
        else expect(rttWeekBand(longer)).toBeLessThanOrEqual(52);
      }),
    );
  });
});
