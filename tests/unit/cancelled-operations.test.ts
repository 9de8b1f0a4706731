// The cancelled operations guarantee, the stand-by order and ward capacity (issue 15) [rules §6, §4.5].
import { describe, expect, it } from 'vitest';
import {
  bedManagementTaskKey, cancelledOperationBreachAt, cancelledOperationGuarantee, cancelledOperationRungAt, cancelledOperationStatusOn,
  compareStandBy, keepsGuarantee, londonInstant, mergeAccessPolicy, onStandByList, preOpClearedOn, rebookItemDueAt, standByOffer, wardOverCapacity,
  type StandByCandidate,
} from '../../domain';

describe('the 28-day guarantee', () => {
  it('gives a rebook-by date 28 days after the cancelled date and escalates to the leader at day 14 and operations at day 21', () => {
    const g = cancelledOperationGuarantee('2026-12-01');
    expect(g.rebookBy).toBe('2026-12-29');
    expect(g.breachedOn).toBe('2026-12-30');
    expect(g.rungs).toEqual([
      { level: 1, target: 'team_leader', afterDays: 14, date: '2026-12-15' },
      { level: 2, target: 'ops', afterDays: 21, date: '2026-12-22' },
    ]);
  });

  it('fires a rung at the start of its working day and the breach at midnight after day 28, weekends or not', () => {
    // Cancelled Thursday 3 Dec: day 14 is Thursday 17 Dec; day 21 Thursday 24 Dec; day 28 Thursday 31 Dec.
    const g = cancelledOperationGuarantee('2026-12-03');
    expect(new Date(cancelledOperationRungAt(g.rungs[0]!)).toISOString()).toBe('2026-12-17T09:00:00.000Z');
    // Cancelled Sunday 6 Dec: day 14 is Sunday 20 Dec, so the leader hears on Monday 21 Dec.
    const sunday = cancelledOperationGuarantee('2026-12-06');
    expect(new Date(cancelledOperationRungAt(sunday.rungs[0]!)).toISOString()).toBe('2026-12-21T09:00:00.000Z');
    expect(cancelledOperationBreachAt(sunday)).toBe(londonInstant('2027-01-04', '00:00'));
    // British Summer Time: midnight in London is 23:00 UTC the day before.
    expect(new Date(cancelledOperationBreachAt(cancelledOperationGuarantee('2027-06-01'))).toISOString()).toBe('2027-06-29T23:00:00.000Z');
  });

  it('follows a trust policy and refuses a ladder that would not come before the rebook-by day', () => {
    const policy = mergeAccessPolicy({ cancelledOperations: { escalateToLeaderAfterDays: 7, escalateToOpsAfterDays: 14 } });
    expect(cancelledOperationGuarantee('2026-12-01', policy).rungs.map((r) => r.date)).toEqual(['2026-12-08', '2026-12-15']);
    const late = mergeAccessPolicy({ cancelledOperations: { escalateToOpsAfterDays: 28 } });
    expect(() => cancelledOperationGuarantee('2026-12-01', late)).toThrow(/before the rebook-by day/);
  });

  it.each([
    ['open before day 28, nothing rebooked', null, '2026-12-29', 'open'],
    ['rebooked on day 28', '2026-12-29', '2026-12-29', 'rebooked'],
    ['rebooked early, read later', '2026-12-10', '2027-03-01', 'rebooked'],
    ['breached the day after day 28', null, '2026-12-30', 'breached'],
    ['breached even when a date was accepted afterwards', '2027-01-05', '2027-01-06', 'breached'],
  ] as const)('%s', (_what, rebookedOn, today, status) => {
    expect(cancelledOperationStatusOn({ rebookBy: '2026-12-29', rebookedOn }, today)).toBe(status);
  });

  it('makes the rebook item due by the end of the last working day on or before day 28', () => {
    expect(rebookItemDueAt(cancelledOperationGuarantee('2026-12-01'))).toBe('2026-12-29T17:00:00.000Z');
    // Day 28 is Saturday 2 Jan 2027: due Thursday 31 Dec (Friday 1 Jan is a bank holiday).
    expect(rebookItemDueAt(cancelledOperationGuarantee('2026-12-05'))).toBe('2026-12-31T17:00:00.000Z');
  });

  it('keeps the guarantee with a new date on or before the rebook-by date', () => {
    expect(keepsGuarantee('2026-12-29', '2026-12-29')).toBe(true);
    expect(keepsGuarantee('2026-12-29', '2026-12-30')).toBe(false);
  });
});

const candidate = (id: string, over: Partial<StandByCandidate> = {}): StandByCandidate => ({
  id, surgicalPriority: 'P3', targetDate: '2027-02-01', decidedOn: '2026-11-01', standBy: true, preOpStatus: 'fit',
  preOpValidUntil: '2027-01-31', estimatedMinutes: 60, specialtyCode: '110', procedure: 'Knee arthroscopy', status: 'waiting', ...over,
});

describe('the stand-by list', () => {
  it('orders by surgical priority, then the earlier target date, then the longest wait', () => {
    const list = [
      candidate('adm_d', { surgicalPriority: 'P4', targetDate: '2026-12-01' }),
      candidate('adm_c', { targetDate: '2027-01-10', decidedOn: '2026-10-01' }),
      candidate('adm_b', { targetDate: '2027-01-10', decidedOn: '2026-09-01' }),
      candidate('adm_a', { surgicalPriority: 'P2', targetDate: '2027-03-01' }),
      candidate('adm_e', { surgicalPriority: 'P1b' }),
    ];
    expect([...list].sort(compareStandBy).map((c) => c.id)).toEqual(['adm_e', 'adm_a', 'adm_b', 'adm_c', 'adm_d']);
  });

  it('takes only patients pre-op cleared on the day, willing to come, and still waiting for a date', () => {
    const day = '2026-12-10';
    expect(onStandByList(candidate('a'), day)).toBe(true);
    expect(onStandByList(candidate('b', { preOpStatus: 'fit_with_conditions' }), day)).toBe(true);
    expect(onStandByList(candidate('c', { preOpStatus: 'unfit' }), day)).toBe(false);
    expect(onStandByList(candidate('d', { preOpStatus: 'needed', preOpValidUntil: null }), day)).toBe(false);
    expect(onStandByList(candidate('e', { preOpValidUntil: '2026-12-09' }), day)).toBe(false);
    expect(preOpClearedOn(candidate('f', { preOpValidUntil: day }), day)).toBe(true);
    expect(onStandByList(candidate('g', { standBy: false }), day)).toBe(false);
    expect(onStandByList(candidate('h', { status: 'tci_booked' }), day)).toBe(false);
    expect(onStandByList(candidate('i', { status: 'cancelled' }), day)).toBe(true);
  });

  it('offers freed theatre time to the specialty’s stand-by patients whose operation fits, most urgent first', () => {
    const list = [
      candidate('adm_long', { surgicalPriority: 'P1b', estimatedMinutes: 120 }),
      candidate('adm_p3'),
      candidate('adm_p2', { surgicalPriority: 'P2', estimatedMinutes: 90 }),
      candidate('adm_other', { surgicalPriority: 'P1b', specialtyCode: '120' }),
      candidate('adm_cancelled_one', { surgicalPriority: 'P2', estimatedMinutes: 30 }),
    ];
    const offer = standByOffer(list, { specialtyCode: '110', onDate: '2026-12-10', minutesFree: 90, excludeIds: ['adm_cancelled_one'] });
    expect(offer.map((c) => c.id)).toEqual(['adm_p2', 'adm_p3']);
    expect(standByOffer(list, { specialtyCode: '110', onDate: '2026-12-10', minutesFree: 90, limit: 1 }).map((c) => c.id)).toEqual(['adm_cancelled_one']);
    expect(standByOffer(list, { specialtyCode: '110', onDate: '2026-12-10', minutesFree: 20 })).toEqual([]);
  });
});

describe('ward capacity', () => {
  it('is over capacity only when a day’s booked admissions exceed the elective beds', () => {
    expect(wardOverCapacity(4, 4)).toBe(false);
    expect(wardOverCapacity(5, 4)).toBe(true);
    expect(wardOverCapacity(1, 0)).toBe(true);
  });
  it('keys one bed management item per ward and day', () => {
    expect(bedManagementTaskKey('W12', '2026-12-10')).toBe('ward:W12:2026-12-10:bed_management');
  });
});
