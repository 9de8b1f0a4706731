// The console's readings for issue 15: a theatre session's capacity in words and whether an operation fits,
// the notice a TCI offer gives (reasonable at 3 weeks), whether pre-op clears a patient, the words after a
// decline or a cancellation, and the cancelled-operations report's period and headline.
import { describe, expect, it } from 'vitest';
import {
  bookedPercent, cancelledNotice, cancelledSummaryWords, capacityWords, minutesWords, preOpCleared, sessionFits, sessionRefusal,
  tciDeclinedNotice, tciNotice, tciOfferedNotice,
} from '../../admin-ui/src/inpatient/inpatient-words';
// These modules bring react-admin with them: a slow import, but import time is not test time.
import { reportPeriod } from '../../admin-ui/src/inpatient/cancelled-operations';
import { theatreSessionBody } from '../../admin-ui/src/inpatient/theatre-sessions';

describe('theatre capacity', () => {
  it.each([
    [0, '0 min'], [45, '45 min'], [60, '1 h'], [90, '1 h 30 min'], [240, '4 h'], [-5, '0 min'],
  ])('%i minutes read "%s"', (minutes, words) => expect(minutesWords(minutes)).toBe(words));

  it('says what is booked of the session and what is free', () => {
    expect(capacityWords({ minutesAvailable: 240, minutesBooked: 150, minutesFree: 90 })).toBe('2 h 30 min booked of 4 h, 1 h 30 min free');
  });

  it.each([
    [240, 0, 0], [240, 60, 25], [240, 240, 100], [240, 300, 100], [0, 0, 100],
  ])('a session of %i minutes with %i booked shows a bar %i%% full', (available, booked, percent) => {
    expect(bookedPercent({ minutesAvailable: available, minutesBooked: booked })).toBe(percent);
  });

  it('takes an operation only where its minutes are free, and never a session that has passed', () => {
    expect(sessionFits({ minutesFree: 60 }, 60)).toBe(true);
    expect(sessionFits({ minutesFree: 59 }, 60)).toBe(false);
    expect(sessionRefusal({ minutesFree: 120, date: '2026-12-10' }, 60, '2026-12-01')).toBeNull();
    expect(sessionRefusal({ minutesFree: 30, date: '2026-12-10' }, 60, '2026-12-01')).toBe('Not enough time: 30 min free, the operation needs 1 h');
    expect(sessionRefusal({ minutesFree: 120, date: '2026-11-30' }, 60, '2026-12-01')).toBe('This session has passed');
  });
});

describe('TCI notice', () => {
  it.each([
    ['2026-12-01', '2026-12-22', 21, true],
    ['2026-12-01', '2026-12-21', 20, false],
    ['2026-12-01', '2026-12-02', 1, false],
    ['2026-12-01', '2027-01-15', 45, true],
  ])('offered on %s for %s: %i days, reasonable %s', (offeredOn, admissionDate, days, reasonable) => {
    const notice = tciNotice(offeredOn, admissionDate);
    expect(notice).toMatchObject({ noticeDays: days, reasonable });
    expect(notice.words).toMatch(reasonable ? /^Reasonable: \d+ days’ notice$/ : /^Short notice: .* may decline it without effect$/);
  });

  it('says one day in the singular', () => {
    expect(tciNotice('2026-12-01', '2026-12-02').words).toContain('1 day’s notice');
  });

  it('says after an offer whether declining it would count', () => {
    expect(tciOfferedNotice({ reasonable: true, noticeDays: 28, admissionDate: '2026-12-29' }, 'Tue 29 Dec 2026'))
      .toBe('TCI offered for Tue 29 Dec 2026: reasonable (28 days’ notice)');
    expect(tciOfferedNotice({ reasonable: false, noticeDays: 5, admissionDate: '2026-12-06' }, 'Sun 6 Dec 2026'))
      .toContain('declining it does not count against the patient');
  });

  it('says after a decline when a clinician now reviews', () => {
    expect(tciDeclinedNotice(false, 2)).toContain('does not count');
    expect(tciDeclinedNotice(true, 1)).toContain('a second would bring a clinical review');
    expect(tciDeclinedNotice(true, 2)).toContain('a clinician will review the pathway');
  });
});

describe('pre-op clearance', () => {
  const today = '2026-12-01';
  it.each([
    [{ preOpRequired: false, preOpStatus: 'not_required', preOpValidUntil: null }, true],
    [{ preOpRequired: true, preOpStatus: 'needed', preOpValidUntil: null }, false],
    [{ preOpRequired: true, preOpStatus: 'booked', preOpValidUntil: null }, false],
    [{ preOpRequired: true, preOpStatus: 'fit', preOpValidUntil: '2027-02-01' }, true],
    [{ preOpRequired: true, preOpStatus: 'fit_with_conditions', preOpValidUntil: '2026-12-01' }, true],
    [{ preOpRequired: true, preOpStatus: 'fit', preOpValidUntil: '2026-11-30' }, false],
    [{ preOpRequired: true, preOpStatus: 'unfit', preOpValidUntil: null }, false],
    [{ preOpRequired: true, preOpStatus: 'expired', preOpValidUntil: '2026-11-01' }, false],
  ] as const)('%o cleared: %s', (admission, cleared) => {
    expect(preOpCleared(admission, today)).toBe(cleared);
  });
});

describe('cancelled operations', () => {
  it('reports the last 90 days unless a period is chosen', () => {
    expect(reportPeriod({}, '2026-12-01')).toEqual({ from: '2026-09-02', to: '2026-12-01' });
    expect(reportPeriod({ from: '2026-10-01', to: '2026-10-31' }, '2026-12-01')).toEqual({ from: '2026-10-01', to: '2026-10-31' });
    expect(reportPeriod({ to: '2026-10-31' }, '2026-12-01')).toEqual({ from: '2026-08-02', to: '2026-10-31' });
  });

  it('puts the counts in words', () => {
    expect(cancelledSummaryWords({ cancelled: 1, rebookedWithin28Days: 0, notRebookedWithin28Days: 1 }))
      .toBe('1 operation cancelled on the day for non-clinical reasons; 0 rebooked within 28 days, 1 not rebooked within 28 days');
  });

  it('says the 28-day guarantee applies only to the hospital’s non-clinical cancellation on the day', () => {
    expect(cancelledNotice({ onTheDay: true, clinical: false })).toContain('within 28 days');
    expect(cancelledNotice({ onTheDay: true, clinical: true })).not.toContain('28 days');
    expect(cancelledNotice({ onTheDay: false, clinical: false })).not.toContain('28 days');
  });
});

describe('new theatre session', () => {
  it('sends only the fields the API takes, the list name trimmed and minutes as a number', () => {
    expect(theatreSessionBody({ listName: ' Urology AM ', specialtyCode: '101', surgeonId: 'staff_clin', date: '2026-12-10', session: 'am', minutesAvailable: '240', extra: 1 }))
      .toEqual({ listName: 'Urology AM', specialtyCode: '101', surgeonId: 'staff_clin', date: '2026-12-10', session: 'am', minutesAvailable: 240 });
  });
});
