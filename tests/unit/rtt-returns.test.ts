// The returns' calendar: a month's census is its last day, an ISO week's is its Sunday, week 53 only when the year has one.
import { describe, expect, it } from 'vitest';
import { isoWeekOf, returnMonth, returnWeek, wlmdsLeaverReason } from '../../domain/rtt-returns';

describe('the returns calendar', () => {
  it.each([
    ['2026-10', '2026-10-01', '2026-10-31'],
    ['2024-02', '2024-02-01', '2024-02-29'],
    ['2025-02', '2025-02-01', '2025-02-28'],
    ['2026-12', '2026-12-01', '2026-12-31'],
  ])('month %s runs %s to its census %s', (month, first, census) => {
    expect(returnMonth(month)).toEqual({ month, first, census });
  });

  it.each(['2026-13', '2026-00', '2026-1', '26-10', '2026-10-01', ''])('%j is not a month', (month) => {
    expect(returnMonth(month)).toBeNull();
  });

  it.each([
    ['2026-W46', '2026-11-15', '2026-W45', '2026-11-08'],
    ['2026-W01', '2026-01-04', '2025-W52', '2025-12-28'],
    ['2026-W53', '2027-01-03', '2026-W52', '2026-12-27'],
    ['2021-W01', '2021-01-10', '2020-W53', '2021-01-03'],
  ])('week %s ends on Sunday %s; the week before is %s (%s)', (week, census, previousWeek, previousCensus) => {
    expect(returnWeek(week)).toEqual({ week, census, previousWeek, previousCensus });
  });

  it.each(['2025-W53', '2026-W54', '2026-W00', '2026-W1', '2026-46'])('%j is not a week', (week) => {
    expect(returnWeek(week)).toBeNull();
  });

  it.each([['2026-11-15', '2026-W46'], ['2026-11-09', '2026-W46'], ['2027-01-01', '2026-W53'], ['2024-12-30', '2025-W01']])('%s is in %s', (date, week) => {
    expect(isoWeekOf(date)).toBe(week);
  });

  it('names why a period left the list', () => {
    expect(wlmdsLeaverReason('stopped', 30, 'outcome')).toEqual({ reason: '30', label: '30: start of first definitive treatment' });
    expect(wlmdsLeaverReason('stopped', 34, 'validation')).toEqual({ reason: 'validation', label: 'validation' });
    expect(wlmdsLeaverReason('nullified', 33, 'dna_review')).toEqual({ reason: '33', label: 'nullified (33)' });
    expect(wlmdsLeaverReason('transferred', 21, 'outcome')).toEqual({ reason: '21', label: 'transferred (21)' });
  });
});
