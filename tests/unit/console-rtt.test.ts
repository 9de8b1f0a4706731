// The console's readings of the RTT figures: week bands grouped into bins (the 18-week line between
// bands 18 and 19), "more than N weeks" as a band filter, the saved view a filter is, and the month
// and ISO week a return is for by default.
import { describe, expect, it } from 'vitest';
import { listViewOf } from '../../admin-ui/src/components/list-views';
import { addBands, binCounts, binOfBand, percentText, weekBins, weeksToBand } from '../../admin-ui/src/components/week-bins';
import { isIsoWeek, isoWeekOf, previousIsoWeek, previousMonth } from '../../admin-ui/src/returns/periods';
import { rttWeekBand } from '../../domain';
import { outcomeByTaskType } from '../../api/schemas';
// The form module brings react-admin with it: a slow import, but import time is not test time.
import { outcomeFor, validateOutcome } from '../../admin-ui/src/tasks/complete-task-form';

const oneIn = (band: number) => Array.from({ length: 105 }, (_, i) => (i === band - 1 ? 1 : 0));

describe('week bins', () => {
  it.each([
    [0, '0-18'], [126, '0-18'], [127, '18-52'], [364, '18-52'], [365, '52-65'], [455, '52-65'], [456, '65-78'],
    [728, '78-104'], [729, '104+'], [2000, '104+'],
  ])('a wait of %i days falls in the %s bin', (days, key) => {
    expect(binOfBand(rttWeekBand(days))?.key).toBe(key);
    const counts = binCounts(oneIn(rttWeekBand(days)));
    expect(counts[weekBins.findIndex((b) => b.key === key)]).toBe(1);
    expect(counts.reduce((a, b) => a + b, 0)).toBe(1);
  });

  it('covers all 105 bands once', () => {
    expect(binCounts(Array(105).fill(1))).toEqual([18, 34, 13, 13, 26, 1]);
  });

  it('adds band rows and reads percentages', () => {
    expect(addBands([oneIn(1), oneIn(1), oneIn(105)])[0]).toBe(2);
    expect(percentText(1, 3)).toBe('33.3%');
    expect(percentText(0, 0)).toBe('—');
  });

  it('reads "more than 52 weeks" as week band 53 (52-53) on', () => {
    expect(weeksToBand(52)).toBe(53);
    expect(rttWeekBand(365)).toBe(53);
    expect(rttWeekBand(364)).toBe(52);
  });
});

describe('saved views', () => {
  const views = [
    { key: 'all', label: 'All', filter: () => ({}) },
    { key: '52', label: '52+', filter: () => ({ weekBand_gte: 53 }) },
    { key: '2ww', label: 'Unbooked 2WW', filter: () => ({ priority: 'two_week_wait', unbooked: true }) },
  ];
  it('names the view a filter is, whatever the census date or search', () => {
    expect(listViewOf({}, views)?.key).toBe('all');
    expect(listViewOf({ weekBand_gte: 53, census: '2026-10-31' }, views)?.key).toBe('52');
    expect(listViewOf({ unbooked: true, priority: 'two_week_wait', q: 'smith' }, views)?.key).toBe('2ww');
    expect(listViewOf({ weekBand_gte: 53, stage: 'awaiting_admission' }, views)).toBeUndefined();
  });
});

describe('return periods', () => {
  it.each([
    ['2026-11-29', '2026-10'], ['2026-01-05', '2025-12'],
  ])('on %s the last complete month is %s', (today, month) => expect(previousMonth(today)).toBe(month));

  it.each([
    ['2026-11-29', '2026-W48'], ['2026-11-30', '2026-W49'], ['2021-01-03', '2020-W53'], ['2024-12-30', '2025-W01'],
  ])('%s is in ISO week %s', (date, week) => expect(isoWeekOf(date)).toBe(week));

  it('the last complete week is the one before this', () => {
    expect(previousIsoWeek('2026-11-30')).toBe('2026-W48');
    expect(isIsoWeek('2026-W48')).toBe(true);
    expect(isIsoWeek('2026-W54')).toBe(false);
  });
});

describe('work item forms send what the API accepts', () => {
  it.each([
    ['record_attendance', { outcome: 'active_monitoring', reviewInWeeks: 8, patientInitiated: true, followUpWeeks: 6, note: ' watch ' },
      { outcome: 'active_monitoring', reviewInWeeks: 8, patientInitiated: true, note: 'watch' }],
    ['record_attendance', { outcome: 'treated', reviewInWeeks: 12, patientInitiated: false, note: '' }, { outcome: 'treated' }],
    ['record_attendance', { outcome: 'added_to_waiting_list', reviewInWeeks: 12 }, { outcome: 'added_to_waiting_list' }],
    ['validate_pathway', { outcome: 'no_longer_required', patientConfirmed: true, field: 'priority', note: '' },
      { outcome: 'no_longer_required', patientConfirmed: true }],
    ['validate_pathway', { outcome: 'data_corrected', field: 'clock_start', note: 'Letter date was wrong' },
      { outcome: 'data_corrected', field: 'clock_start', note: 'Letter date was wrong' }],
    ['validate_pathway', { outcome: 'still_waiting', patientConfirmed: false, note: '' }, { outcome: 'still_waiting' }],
    ['active_monitoring_review', { decision: 'decision_to_treat', plan: 'admit', reviewInWeeks: 12, note: '' }, { decision: 'decision_to_treat', plan: 'admit' }],
    ['active_monitoring_review', { decision: 'continue_monitoring', reviewInWeeks: 6, plan: null }, { decision: 'continue_monitoring', reviewInWeeks: 6 }],
    ['active_monitoring_review', { decision: 'discharge', reviewInWeeks: 12, note: 'Well' }, { decision: 'discharge', note: 'Well' }],
    ['book_new_appointment', { slotId: 'slot_1', communicatedBy: '' }, { slotId: 'slot_1' }],
    ['book_new_appointment', { slotId: 'slot_1', communicatedBy: 'phone' }, { slotId: 'slot_1', communicatedBy: 'phone' }],
  ] as const)('%s %j → %j', (type, values, expected) => {
    expect(validateOutcome(type, { ...values })).toEqual({});
    const body = outcomeFor(type, { ...values });
    expect(body).toEqual(expected);
    expect(outcomeByTaskType[type].safeParse(body).success).toBe(true);
  });

  it.each([
    ['validate_pathway', { outcome: 'no_longer_required', patientConfirmed: false }, 'patientConfirmed'],
    ['validate_pathway', { outcome: 'data_corrected', field: null, note: 'x' }, 'field'],
    ['validate_pathway', { outcome: 'data_corrected', field: 'other', note: '' }, 'note'],
    ['record_attendance', { outcome: 'active_monitoring', reviewInWeeks: 60 }, 'reviewInWeeks'],
    ['active_monitoring_review', { decision: null }, 'decision'],
  ] as const)('%s %j is refused on %s before it is sent', (type, values, field) => {
    expect(Object.keys(validateOutcome(type, { ...values }))).toContain(field);
  });
});
