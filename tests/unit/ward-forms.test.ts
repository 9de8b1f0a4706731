// Ward forms' 48 hours, counted as the trust counts them (issue 16, rules §8): two working days on from receipt,
// weekends and bank holidays not counted; a form received on a closed day counts from the next working day's start.
import { describe, expect, it } from 'vitest';
import { clinicSessionId, parseClinicSessionId, wardFormBookBy, wardFormDueAt } from '../../domain';

describe('wardFormDueAt', () => {
  it.each([
    ['a Monday afternoon: Wednesday at the same time', '2026-11-30T14:00:00Z', '2026-12-02T14:00:00.000Z'],
    ['a Friday afternoon: the weekend does not count', '2026-11-27T16:00:00Z', '2026-12-01T16:00:00.000Z'],
    ['a Saturday: from Monday 09:00', '2026-11-28T11:00:00Z', '2026-12-02T09:00:00.000Z'],
    ['Christmas Eve: Christmas, the weekend and the substitute Boxing Day do not count', '2026-12-24T10:30:00Z', '2026-12-30T10:30:00.000Z'],
    ['in British Summer Time: the same London time of day', '2026-06-02T09:00:00Z', '2026-06-04T09:00:00.000Z'],
  ])('%s', (_what, received, due) => {
    expect(wardFormDueAt(Date.parse(received))).toBe(due);
  });
});

describe('ward forms and cash-up helpers', () => {
  it('books by the interval counted from discharge', () => {
    expect(wardFormBookBy('2026-11-29', 6)).toBe('2027-01-10');
  });
  it('names a clinic session and reads the name back', () => {
    const id = clinicSessionId('clin_2', '2026-11-27', 'pm');
    expect(id).toBe('clin_2~2026-11-27~pm');
    expect(parseClinicSessionId(id)).toEqual({ clinicId: 'clin_2', date: '2026-11-27', session: 'pm' });
    expect(parseClinicSessionId('clin_2~27-11-2026~pm')).toBeNull();
  });
});
