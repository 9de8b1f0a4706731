// The console's readings for issue 16: the RTT codes "Record attendance outside clinic" offers for an outcome on the clock
// as it stands (the pathway's own rule, so the form never offers a code the pathway refuses), and a London date's
// midnight (the partial booking slot window's edges).
import { describe, expect, it } from 'vitest';
import { londonMidnight } from '../../admin-ui/src/components/london-midnight';
// The dialog's module brings MUI and react-admin with it: a slow import, but import time is not test time.
import { codesFor } from '../../admin-ui/src/referrals/attendance-outside-clinic';

const running = { rttStatus: 'running' as const, lastRttCode: 10, clockStart: '2026-09-01', clockStop: null };

describe('the RTT codes an attendance outside clinic offers', () => {
  it('a first follow-up on a running clock is 10; after activity, 20', () => {
    expect(codesFor('follow_up', running)).toEqual([10]);
    expect(codesFor('follow_up', { ...running, lastRttCode: 20 })).toEqual([20]);
  });

  it('offers only what the outcome records: treatment 30, monitoring 31 or 32, PIFU 32, discharge 34', () => {
    expect(codesFor('treated', running)).toEqual([30]);
    expect(codesFor('active_monitoring', running)).toEqual([31, 32]);
    expect(codesFor('moved_to_pifu', running)).toEqual([32]);
    expect(codesFor('discharged', running)).toEqual([34]);
  });

  it('on a stopped clock nothing is RTT activity; treatment cannot be recorded; no outcome or no clock offers nothing', () => {
    const stopped = { ...running, rttStatus: 'stopped' as const, lastRttCode: 30, clockStop: '2026-10-01' };
    expect(codesFor('follow_up', stopped)).toEqual([90, 91, 98]);
    expect(codesFor('treated', stopped)).toEqual([]);
    expect(codesFor('', running)).toEqual([]);
    expect(codesFor('follow_up', { ...running, rttStatus: null, lastRttCode: null, clockStart: null })).toEqual([]);
  });
});

describe('londonMidnight', () => {
  it('is 00:00 UTC in winter and 23:00 UTC the day before in summer', () => {
    expect(londonMidnight('2026-12-01')).toBe('2026-12-01T00:00:00.000Z');
    expect(londonMidnight('2026-07-01')).toBe('2026-06-30T23:00:00.000Z');
  });
});
