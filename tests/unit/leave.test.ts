// "On leave on a date": who may not be handed work that day [domain/leave.ts].
import { describe, expect, it } from 'vitest';
import { absenceStatuses, isOnLeave, type AbsenceStatus } from '../../domain';

const leave = (status: AbsenceStatus, from = '2026-12-07', to = '2026-12-11') => ({ status, from, to });

describe('on leave on a date', () => {
  it.each([
    ['planned leave on its first day', leave('planned'), '2026-12-07', true],
    ['planned leave in its middle', leave('planned'), '2026-12-09', true],
    ['planned leave on its last day', leave('planned'), '2026-12-11', true],
    ['planned leave the day before it starts', leave('planned'), '2026-12-06', false],
    ['planned leave the day after it ends', leave('planned'), '2026-12-12', false],
    ['planned leave of one day, on that day', leave('planned', '2026-12-25', '2026-12-25'), '2026-12-25', true],
    ['planned leave over a year end', leave('planned', '2026-12-29', '2027-01-02'), '2027-01-01', true],
    ['active leave within its dates', leave('active'), '2026-12-08', true],
    ['active leave past its last day, until its workflow ends it', leave('active'), '2026-12-14', true],
    ['ended leave within its old dates', leave('ended'), '2026-12-08', false],
    ['cancelled leave within its dates', leave('cancelled'), '2026-12-08', false],
  ] as const)('%s: %s', (_, absence, date, expected) => {
    expect(isOnLeave(absence, date)).toBe(expected);
  });

  it('counts only planned and active leave on any date', () => {
    const away = absenceStatuses.filter((status) => isOnLeave(leave(status), '2026-12-09'));
    expect(away).toEqual(['planned', 'active']);
  });
});
