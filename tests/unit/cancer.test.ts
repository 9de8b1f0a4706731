import { describe, expect, it } from 'vitest';
import {
  cancer31TargetDate,
  cancer62TargetDate,
  dm01TargetDate,
  fdsTargetDate,
  mergeAccessPolicy,
  uscFirstSeenTargetDate,
} from '../../domain';

// Day 0 is the date the referral was received; calendar days [A CWT12 summary; rules doc §2.2].
describe('cancer waiting-time targets', () => {
  it.each([
    ['uscFirstSeenTargetDate', uscFirstSeenTargetDate, '2024-02-20', '2024-03-05', 'USC first seen by day 14, the local aim that protects the FDS [A legacy]'],
    ['fdsTargetDate', fdsTargetDate, '2024-02-01', '2024-02-29', 'FDS: told by day 28, landing on a leap day [A CWT12]'],
    ['fdsTargetDate', fdsTargetDate, '2023-02-01', '2023-03-01', 'FDS in a common year [A CWT12]'],
    ['cancer62TargetDate', cancer62TargetDate, '2024-01-01', '2024-03-03', '62-day: referral to first treatment [A CWT-2023]'],
    ['cancer62TargetDate', cancer62TargetDate, '2024-11-15', '2025-01-16', '62-day over a year end [A CWT-2023]'],
    ['cancer31TargetDate', cancer31TargetDate, '2024-01-31', '2024-03-02', '31-day: decision to treat to treatment [A CWT-2023]'],
    ['dm01TargetDate', dm01TargetDate, '2024-03-01', '2024-04-12', 'DM01: diagnostic test within 6 weeks [A DM01 guidance 2015]'],
  ])('%s: from %s the target is %s (%s)', (_name, target, from, expected) => {
    expect(target(from)).toBe(expected);
  });

  it('a trust that aims to see USC referrals by day 10 gets day-10 targets', () => {
    const policy = mergeAccessPolicy({ cancer: { uscFirstSeenDays: 10 } });
    expect(uscFirstSeenTargetDate('2024-02-20', policy)).toBe('2024-03-01');
    expect(fdsTargetDate('2024-02-20', policy)).toBe('2024-03-19');
  });

  it('refuses a received date that is not a calendar date', () => {
    expect(() => fdsTargetDate('2024-02-30')).toThrow(RangeError);
  });
});
