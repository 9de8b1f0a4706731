// The one work order: clinical priority (as ranked on the item, raised by escalation), then the nearest RTT
// breach date, then the oldest; the id settles the rest so every reader agrees [A RTT-Rec25 §11; rules doc §7].
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { clinicalRank, compareWorkOrder, escalatedRank, referralPriorities, workOrder, type WorkOrderKey } from '../../domain';
import { isoDate } from './arbitraries';

type Item = WorkOrderKey & { name: string };
const item = (name: string, priorityRank: number, breachDate: string | null, createdAt: string): Item =>
  ({ name, priorityRank, breachDate, createdAt: `${createdAt}T09:00:00.000Z`, id: `task_${name.replace(/\W+/g, '_')}` });

describe('clinical rank', () => {
  it('puts two week wait before urgent before routine, and refuses a priority it does not know', () => {
    expect(referralPriorities.map(clinicalRank)).toEqual([0, 1, 2]);
    expect(() => clinicalRank('soon' as never)).toThrow(RangeError);
  });

  it('moves an escalated item up one rank, never above two week wait', () => {
    expect(escalatedRank(clinicalRank('routine'))).toBe(clinicalRank('urgent'));
    expect(escalatedRank(clinicalRank('urgent'))).toBe(clinicalRank('two_week_wait'));
    expect(escalatedRank(clinicalRank('two_week_wait'))).toBe(0);
  });
});

describe('the work order', () => {
  it('is priority, breach date, age, id', () => {
    expect(workOrder).toEqual(['priorityRank', 'breachDate', 'createdAt', 'id']);
  });

  it('takes 2WW first, then the earliest breach date within a priority, then the oldest; an escalated routine item joins the urgent ones', () => {
    const items = [
      item('routine, breach 10 Jan, raised Oct', 2, '2027-01-10', '2026-10-01'),
      item('urgent, breach 1 Mar', 1, '2027-03-01', '2026-11-01'),
      item('2WW, latest breach of all', 0, '2027-04-01', '2026-11-20'),
      item('urgent, breach 1 Feb', 1, '2027-02-01', '2026-11-15'),
      item('routine, breach 10 Jan, raised Sep', 2, '2027-01-10', '2026-09-01'),
      item('escalated routine, breach 20 Jan', escalatedRank(2), '2027-01-20', '2026-11-25'),
      item('urgent, no breach date, oldest of all', 1, null, '2026-01-01'),
      item('routine, earliest breach, newest', 2, '2027-01-05', '2026-11-28'),
    ];
    expect([...items].sort(compareWorkOrder).map((i) => i.name)).toEqual([
      '2WW, latest breach of all',
      'escalated routine, breach 20 Jan',
      'urgent, breach 1 Feb',
      'urgent, breach 1 Mar',
      'urgent, no breach date, oldest of all',
      'routine, earliest breach, newest',
      'routine, breach 10 Jan, raised Sep',
      'routine, breach 10 Jan, raised Oct',
    ]);
  });

  it.each([
    ['priority beats breach date', item('a', 0, '2027-12-31', '2026-11-01'), item('b', 2, '2027-01-01', '2026-11-01'), -1],
    ['priority beats age', item('a', 2, '2027-01-01', '2020-01-01'), item('b', 1, '2027-01-01', '2026-11-01'), 1],
    ['breach date beats age', item('a', 1, '2027-02-01', '2026-01-01'), item('b', 1, '2027-01-31', '2026-11-01'), 1],
    ['over a year end', item('a', 1, '2026-12-31', '2026-11-01'), item('b', 1, '2027-01-01', '2026-11-01'), -1],
    ['a breach date before none', item('a', 1, null, '2020-01-01'), item('b', 1, '2027-01-01', '2026-11-01'), 1],
    ['the older first when breach dates match', item('a', 2, '2027-01-01', '2026-11-02'), item('b', 2, '2027-01-01', '2026-11-01'), 1],
    ['the id settles a full tie', { ...item('x', 2, '2027-01-01', '2026-11-01'), id: 'task_1' }, { ...item('x', 2, '2027-01-01', '2026-11-01'), id: 'task_2' }, -1],
  ] as [string, WorkOrderKey, WorkOrderKey, number][])('%s', (_, a, b, expected) => {
    expect(compareWorkOrder(a, b)).toBe(expected);
    expect(compareWorkOrder(b, a)).toBe(-expected);
  });

  const key = fc.record({
    priorityRank: fc.integer({ min: 0, max: 2 }),
    breachDate: fc.option(isoDate, { nil: null }),
    createdAt: isoDate.map((d) => `${d}T12:00:00.000Z`),
    id: fc.constantFrom('task_a', 'task_b', 'task_c'),
  });

  it('is a total order: antisymmetric, transitive, and a tie only for the same item', () => {
    fc.assert(fc.property(key, key, key, (a, b, c) => {
      expect(Math.sign(compareWorkOrder(a, b))).toBe(-Math.sign(compareWorkOrder(b, a)));
      if (compareWorkOrder(a, b) <= 0 && compareWorkOrder(b, c) <= 0) expect(compareWorkOrder(a, c)).toBeLessThanOrEqual(0);
      expect(compareWorkOrder(a, b) === 0).toBe(JSON.stringify(a) === JSON.stringify(b));
    }));
  });

  it('sorts to the same order whatever order the items arrived in', () => {
    fc.assert(fc.property(fc.array(key, { maxLength: 30 }), (list) => {
      expect([...list].reverse().sort(compareWorkOrder)).toEqual([...list].sort(compareWorkOrder));
    }));
  });
});
