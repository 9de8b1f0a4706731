import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { compareForRebooking, isReferralPriority, referralPriorities, type RebookingKey } from '../../domain';
import { isoDate } from './arbitraries';

describe('referral priorities [A DD PRIORITY TYPE]', () => {
  it('are listed in clinical order', () => {
    expect(referralPriorities).toEqual(['two_week_wait', 'urgent', 'routine']);
    expect(Object.isFrozen(referralPriorities)).toBe(true);
  });

  it.each([
    ['two_week_wait', true],
    ['urgent', true],
    ['routine', true],
    ['soon', false],
    ['Routine', false],
    [3, false],
    [null, false],
  ])('%j is a referral priority: %s', (value, expected) => {
    expect(isReferralPriority(value)).toBe(expected);
  });
});

// The work order's first two keys: clinical priority, then chronological order by breach date [A RTT-Rec25 §11; rules doc §7].
describe('rebooking order after a clinic is cancelled', () => {
  it('puts two week wait first, then urgent, then routine, each by earliest breach date', () => {
    const patients: (RebookingKey & { name: string })[] = [
      { name: 'routine, late breach', priority: 'routine', breachDate: '2024-09-01' },
      { name: 'urgent, late breach', priority: 'urgent', breachDate: '2024-08-01' },
      { name: 'routine, early breach', priority: 'routine', breachDate: '2024-05-01' },
      { name: '2WW, late', priority: 'two_week_wait', breachDate: '2024-07-01' },
      { name: 'urgent, early breach', priority: 'urgent', breachDate: '2024-03-01' },
      { name: '2WW, early', priority: 'two_week_wait', breachDate: '2024-06-01' },
    ];
    expect([...patients].sort(compareForRebooking).map((p) => p.name)).toEqual([
      '2WW, early',
      '2WW, late',
      'urgent, early breach',
      'urgent, late breach',
      'routine, early breach',
      'routine, late breach',
    ]);
  });

  it.each([
    [{ priority: 'two_week_wait', breachDate: '2024-12-31' }, { priority: 'routine', breachDate: '2024-01-01' }, -1, 'priority beats breach date'],
    [{ priority: 'routine', breachDate: '2024-01-01' }, { priority: 'urgent', breachDate: '2024-12-31' }, 1, 'urgent before routine'],
    [{ priority: 'urgent', breachDate: '2024-02-29' }, { priority: 'urgent', breachDate: '2024-03-01' }, -1, 'earlier breach first'],
    [{ priority: 'urgent', breachDate: '2024-12-31' }, { priority: 'urgent', breachDate: '2025-01-01' }, -1, 'over a year end'],
    [{ priority: 'routine', breachDate: '2024-03-01' }, { priority: 'routine', breachDate: '2024-03-01' }, 0, 'same priority and breach date tie'],
  ] as [RebookingKey, RebookingKey, number, string][])('%j against %j is %i (%s)', (a, b, expected) => {
    expect(compareForRebooking(a, b)).toBe(expected);
  });

  it('refuses a priority it does not know rather than sorting it anywhere', () => {
    expect(() => compareForRebooking({ priority: 'soon' as never, breachDate: '2024-01-01' }, { priority: 'routine', breachDate: '2024-01-01' })).toThrow(
      RangeError,
    );
  });

  const key = fc.record({ priority: fc.constantFrom(...referralPriorities), breachDate: isoDate });

  it('is antisymmetric: swapping the two patients flips the answer', () => {
    fc.assert(
      fc.property(key, key, (a, b) => {
        expect(Math.sign(compareForRebooking(a, b)) + Math.sign(compareForRebooking(b, a))).toBe(0);
      }),
    );
  });

  it('is transitive: a before b and b before c puts a before c', () => {
    fc.assert(
      fc.property(key, key, key, (a, b, c) => {
        if (compareForRebooking(a, b) <= 0 && compareForRebooking(b, c) <= 0) expect(compareForRebooking(a, c)).toBeLessThanOrEqual(0);
      }),
    );
  });

  it('is total: two patients tie only when priority and breach date are the same', () => {
    fc.assert(
      fc.property(key, key, (a, b) => {
        const tie = compareForRebooking(a, b) === 0;
        expect(tie).toBe(a.priority === b.priority && a.breachDate === b.breachDate);
        expect(compareForRebooking(a, a)).toBe(0);
      }),
    );
  });

  it('sorting gives the same order whatever order the list arrived in', () => {
    fc.assert(
      fc.property(fc.array(key, { maxLength: 30 }), (list) => {
        const once = [...list].sort(compareForRebooking);
        const fromReversed = [...list].reverse().sort(compareForRebooking);
        expect(fromReversed).toEqual(once);
      }),
    );
  });
});
