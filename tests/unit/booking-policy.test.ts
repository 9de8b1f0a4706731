import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import {
  activeMonitoringReviewDate,
  addDays,
  bookBeforeLeavingClinic,
  bookingEscalations,
  bookingTargetDate,
  cancelledOperationRebookBy,
  daysBetween,
  defaultAccessPolicy,
  followUpValidationDate,
  hasClinicChangeNotice,
  isReasonableOffer,
  mergeAccessPolicy,
  needsReviewAfterDeclinedOffers,
  partialBookingDates,
  patientDelayNeedsReview,
  secondOfferLatestDate,
  thinkingTimeCheckInDate,
  triageDueDate,
  validationDates,
  type AccessPolicy,
  type DeepPartial,
} from '../../domain';
import { isoDate } from './arbitraries';

describe('default access policy (rules doc appendix A)', () => {
  const p = defaultAccessPolicy;
  it.each([
    ['booking target, two week wait', p.booking.targetDays.two_week_wait, 14, 'A legacy USC first-seen aim'],
    ['booking target, urgent', p.booking.targetDays.urgent, 28, 'T local, issue 2'],
    ['booking target, routine', p.booking.targetDays.routine, 126, 'A RTT-Rec25 §10.1.7'],
    ['reasonable notice', p.offers.reasonableNoticeDays, 21, 'A RTT-Rec25 §13'],
    ['declined offers before review', p.offers.declinedOffersBeforeReview, 2, 'A RTT-Rec25 v4.0'],
    ['second offer window', p.offers.secondOfferWithinDays, 42, 'A RTT-Rec25 v4.0'],
    ['patient delay needing review', p.offers.patientDelayReviewDays, 42, 'A RTT-Rec25 v4.0'],
    ['active monitoring review', p.activeMonitoring.reviewEveryDays, 84, 'A RTT-Rec25 v4.0'],
    ['thinking-time check-in', p.thinkingTime.checkInDays, 14, 'A RTT-Rec25 §4.4.1.4'],
    ['cancelled-operation rebook', p.cancelledOperations.rebookWithinDays, 28, 'A Hansard 2003'],
    ['USC first seen', p.cancer.uscFirstSeenDays, 14, 'A legacy'],
    ['FDS', p.cancer.fdsDays, 28, 'A CWT12'],
    ['31-day', p.cancer.decisionToTreatDays, 31, 'A CWT-2023'],
    ['62-day', p.cancer.referralToTreatmentDays, 62, 'A CWT-2023'],
    ['DM01', p.diagnostics.dm01Days, 42, 'A DM01 guidance 2015'],
    ['book-at-clinic horizon', p.partialBooking.bookAtClinicWithinDays, 42, 'T SWBH15, BHSCT'],
    ['partial booking invite lead', p.partialBooking.inviteDaysBeforeDue, 42, 'T SWBH15, BHSCT'],
    ['partial booking response window', p.partialBooking.responseWindowDays, 14, 'T SWBH15, BHSCT'],
    ['booking tolerance', p.partialBooking.toleranceDays, 14, 'T/N Hospital Admin Training'],
    ['validation then every', p.validation.thenEveryWeeks, 12, 'A/N VAL22'],
    ['clinic cancellation notice', p.clinicChanges.cancellationNoticeDays, 42, 'T CHFT'],
    ['template change notice', p.clinicChanges.templateChangeNoticeDays, 42, 'T local, issue 10'],
    ['triage turnaround (working days)', p.triage.turnaroundWorkingDays, 3, 'T CHFT'],
    ['outcome cash-up (hours)', p.outcomes.cashUpHours, 48, 'T/N Hospital Admin Training'],
  ])('%s defaults to %i [%s]', (_name, value, expected) => {
    expect(value).toBe(expected);
  });

  it('validates at 12, 26 and 52 weeks by default [A/N VAL22]', () => {
    expect(p.validation.atWeeks).toEqual([12, 26, 52]);
  });

  it('escalates unbooked referrals by the ladder of issue 2 [T local]', () => {
    expect(p.booking.escalations).toEqual({
      two_week_wait: [{ afterDays: 3, target: 'team_leader' }, { afterDays: 7, target: 'ops' }],
      urgent: [{ afterDays: 14, target: 'team_leader' }, { afterDays: 28, target: 'ops' }],
      routine: [{ afterDays: 84, target: 'team_leader' }, { afterDays: 112, target: 'ops' }],
    });
  });

  it('cannot be changed by a caller, even deep down', () => {
    expect(Object.isFrozen(p)).toBe(true);
    expect(Object.isFrozen(p.booking.targetDays)).toBe(true);
    expect(Object.isFrozen(p.booking.escalations.routine[0])).toBe(true);
    expect(() => {
      (p.offers as { reasonableNoticeDays: number }).reasonableNoticeDays = 7;
    }).toThrow(TypeError);
  });
});

describe('a trust overriding the policy', () => {
  it('changes only what it names and keeps the national defaults for the rest', () => {
    const tameside = mergeAccessPolicy({ offers: { reasonableNoticeDays: 14 } });
    expect(tameside.offers.reasonableNoticeDays).toBe(14);
    expect(tameside.offers.declinedOffersBeforeReview).toBe(2);
    expect(tameside.booking).toEqual(defaultAccessPolicy.booking);
    expect(defaultAccessPolicy.offers.reasonableNoticeDays).toBe(21);
  });

  it('changes one priority of a by-priority setting', () => {
    const policy = mergeAccessPolicy({ booking: { targetDays: { urgent: 21 } } });
    expect(policy.booking.targetDays).toEqual({ two_week_wait: 14, urgent: 21, routine: 126 });
  });

  it('replaces a ladder or a list of weeks whole', () => {
    const policy = mergeAccessPolicy({
      booking: { escalations: { urgent: [{ afterDays: 10, target: 'ops' }] } },
      validation: { atWeeks: [12] },
    });
    expect(policy.booking.escalations.urgent).toEqual([{ afterDays: 10, target: 'ops' }]);
    expect(policy.booking.escalations.routine).toEqual(defaultAccessPolicy.booking.escalations.routine);
    expect(policy.validation.atWeeks).toEqual([12]);
  });

  it('layers on another policy when given one (trust, then service)', () => {
    const trust = mergeAccessPolicy({ offers: { reasonableNoticeDays: 14 } });
    const service = mergeAccessPolicy({ partialBooking: { toleranceDays: 7 } }, trust);
    expect(service.offers.reasonableNoticeDays).toBe(14);
    expect(service.partialBooking.toleranceDays).toBe(7);
  });

  it('with no overrides is the defaults, and the result is frozen too', () => {
    const same = mergeAccessPolicy({});
    expect(same).toEqual(defaultAccessPolicy);
    expect(Object.isFrozen(same.validation.atWeeks)).toBe(true);
  });

  it('does not share mutable parts with what it was given', () => {
    const ladder = [{ afterDays: 5, target: 'ops' as const }];
    const policy = mergeAccessPolicy({ booking: { escalations: { two_week_wait: ladder } } });
    ladder[0] = { afterDays: 99, target: 'ops' };
    expect(policy.booking.escalations.two_week_wait).toEqual([{ afterDays: 5, target: 'ops' }]);
  });

  it.each([
    ['a misspelt setting', { offers: { reasonableNoticeDay: 14 } }, /no setting policy\.offers\.reasonableNoticeDay/],
    ['an unknown section', { parking: { days: 1 } }, /no setting policy\.parking/],
    ['an unknown priority', { booking: { targetDays: { soon: 10 } } }, /no setting policy\.booking\.targetDays\.soon/],
    ['a number given as text', { offers: { reasonableNoticeDays: '14' } }, /must be a number/],
    ['a section given as a number', { offers: 14 }, /must be an object/],
    ['a list given as a number', { validation: { atWeeks: 12 } }, /must be a list/],
    ['negative days', { offers: { reasonableNoticeDays: -1 } }, /whole number from 0/],
    ['fractional days', { cancer: { fdsDays: 27.5 } }, /whole number from 0/],
    ['a ladder out of order', { booking: { escalations: { urgent: [{ afterDays: 28, target: 'ops' }, { afterDays: 14, target: 'team_leader' }] } } }, /must rise/],
    ['a ladder step with an unknown target', { booking: { escalations: { urgent: [{ afterDays: 14, target: 'ceo' }] } } }, /team_leader/],
    ['validation weeks out of order', { validation: { atWeeks: [26, 12] } }, /must rise/],
    ['validation at week 0', { validation: { atWeeks: [0, 12] } }, /whole number from 1/],
    ['validation never repeating', { validation: { thenEveryWeeks: 0 } }, /whole number from 1/],
    ['review after no declined offers', { offers: { declinedOffersBeforeReview: 0 } }, /whole number from 1/],
  ])('refuses %s', (_case, overrides, message) => {
    expect(() => mergeAccessPolicy(overrides as DeepPartial<AccessPolicy>)).toThrow(message);
  });
});

describe('booking deadlines for a new referral', () => {
  it.each([
    ['two_week_wait', '2024-02-20', '2024-03-05', 'USC first seen aim, over a leap day'],
    ['urgent', '2024-02-01', '2024-02-29', '28 days'],
    ['routine', '2024-01-01', '2024-05-06', '18 weeks, the RTT last compliant day [A RTT-Rec25 §10.1.7]'],
  ] as const)('a %s referral received %s should be seen by %s (%s)', (priority, received, expected, _why) => {
    expect(bookingTargetDate(received, priority)).toBe(expected);
  });

  it('a trust can set its own booking target', () => {
    const policy = mergeAccessPolicy({ booking: { targetDays: { urgent: 21 } } });
    expect(bookingTargetDate('2024-02-01', 'urgent', policy)).toBe('2024-02-22');
  });

  it('refuses a priority it does not know', () => {
    expect(() => bookingTargetDate('2024-02-01', 'soon' as never)).toThrow(/Unknown referral priority/);
    expect(() => bookingEscalations('2024-02-01', 'soon' as never)).toThrow(/Unknown referral priority/);
  });

  it('escalates an unbooked 2WW referral on day 3 to the team leader and day 7 to ops [T issue 2]', () => {
    expect(bookingEscalations('2024-02-27', 'two_week_wait')).toEqual([
      { level: 1, date: '2024-03-01', afterDays: 3, target: 'team_leader' },
      { level: 2, date: '2024-03-05', afterDays: 7, target: 'ops' },
    ]);
  });

  it('escalates an unbooked urgent referral on day 14 and day 28 [T issue 2]', () => {
    expect(bookingEscalations('2024-12-20', 'urgent')).toEqual([
      { level: 1, date: '2025-01-03', afterDays: 14, target: 'team_leader' },
      { level: 2, date: '2025-01-17', afterDays: 28, target: 'ops' },
    ]);
  });

  it('escalates an unbooked routine referral at week 12 and week 16 [T issue 2]', () => {
    expect(bookingEscalations('2023-01-01', 'routine')).toEqual([
      { level: 1, date: '2023-03-26', afterDays: 84, target: 'team_leader' },
      { level: 2, date: '2023-04-23', afterDays: 112, target: 'ops' },
    ]);
  });

  it('a trust without a routine ladder gets no routine escalations', () => {
    const policy = mergeAccessPolicy({ booking: { escalations: { routine: [] } } });
    expect(bookingEscalations('2024-01-01', 'routine', policy)).toEqual([]);
  });

  it('escalation levels count up from 1 and their dates follow the ladder', () => {
    const priority = fc.constantFrom('two_week_wait' as const, 'urgent' as const, 'routine' as const);
    fc.assert(
      fc.property(isoDate, priority, (received, p) => {
        const rungs = bookingEscalations(received, p);
        rungs.forEach((rung, i) => {
          expect(rung.level).toBe(i + 1);
          expect(daysBetween(received, rung.date)).toBe(rung.afterDays);
        });
      }),
    );
  });

  it.each([
    ['2024-12-20', [], '2024-12-25', 'Friday: three working days is Wednesday'],
    ['2024-12-20', ['2024-12-25', '2024-12-26'], '2024-12-27', 'over Christmas bank holidays [T CHFT]'],
  ])('a referral received %s with bank holidays %j is triaged by %s (%s)', (received, holidays, expected) => {
    expect(triageDueDate(received, holidays)).toBe(expected);
  });
});

describe('partial booking of a follow-up [T SWBH15, BHSCT]', () => {
  it.each([
    ['2024-06-30', { inviteOn: '2024-05-19', respondBy: '2024-06-02', earliest: '2024-06-16', latest: '2024-07-14' }],
    ['2024-03-15', { inviteOn: '2024-02-02', respondBy: '2024-02-16', earliest: '2024-03-01', latest: '2024-03-29' }],
    ['2025-01-10', { inviteOn: '2024-11-29', respondBy: '2024-12-13', earliest: '2024-12-27', latest: '2025-01-24' }],
  ])('a follow-up due %s: invite, reply, and the slot window are %j', (due, expected) => {
    expect(partialBookingDates(due)).toEqual(expected);
  });

  it('follows a trust that invites 8 weeks ahead and allows 3 weeks to reply', () => {
    const policy = mergeAccessPolicy({ partialBooking: { inviteDaysBeforeDue: 56, responseWindowDays: 21 } });
    expect(partialBookingDates('2024-06-30', policy)).toMatchObject({ inviteOn: '2024-05-05', respondBy: '2024-05-26' });
  });

  it.each([
    ['2024-03-01', '2024-04-12', true, 'due in 42 days: book before the patient leaves'],
    ['2024-03-01', '2024-04-13', false, 'due in 43 days: partial booking'],
  ])('seen %s, follow-up due %s: book at clinic %s (%s)', (clinic, due, expected) => {
    expect(bookBeforeLeavingClinic(clinic, due)).toBe(expected);
  });
});

describe('waiting-list validation points [A/N VAL22]', () => {
  it.each([
    ['2024-01-01', '2024-03-24', [], 'day 83: none yet'],
    ['2024-01-01', '2024-03-25', ['2024-03-25'], 'day 84 is the 12-week validation'],
    ['2024-01-01', '2024-07-01', ['2024-03-25', '2024-07-01'], '26 weeks'],
    ['2024-01-01', '2024-12-29', ['2024-03-25', '2024-07-01'], 'the day before 52 weeks'],
    ['2024-01-01', '2024-12-30', ['2024-03-25', '2024-07-01', '2024-12-30'], '52 weeks'],
    ['2024-01-01', '2025-06-01', ['2024-03-25', '2024-07-01', '2024-12-30', '2025-03-24'], 'then every 12 weeks (week 64)'],
    ['2024-01-01', '2023-12-01', [], 'before the clock start: none'],
  ])('clock start %s, as of %s: %j (%s)', (start, asOf, expected) => {
    expect(validationDates(start, asOf)).toEqual(expected);
  });

  it('every 12 weeks after 52 means weeks 64, 76, 88 …', () => {
    const dates = validationDates('2024-01-01', addDays('2024-01-01', 7 * 100));
    expect(dates.map((d) => daysBetween('2024-01-01', d) / 7)).toEqual([12, 26, 52, 64, 76, 88, 100]);
  });

  it('follows a trust that validates at 8 weeks and then every 4', () => {
    const policy = mergeAccessPolicy({ validation: { atWeeks: [8], thenEveryWeeks: 4 } });
    expect(validationDates('2024-01-01', addDays('2024-01-01', 7 * 17), policy).map((d) => daysBetween('2024-01-01', d) / 7)).toEqual([8, 12, 16]);
  });

  it('refuses a policy that would validate forever', () => {
    const broken = { ...defaultAccessPolicy, validation: { atWeeks: [12], thenEveryWeeks: 0 } };
    expect(() => validationDates('2024-01-01', '2026-01-01', broken)).toThrow(RangeError);
  });
});

describe('offers and the follow-through on declines', () => {
  it.each([
    ['2024-01-01', '2024-01-22', undefined, true, 'exactly 3 weeks is reasonable [A RTT-Rec25 §13]'],
    ['2024-01-01', '2024-01-21', undefined, false, '20 days is short notice [A RTT-Rec25 §13]'],
    ['2024-02-08', '2024-02-29', undefined, true, 'over a leap day, 21 days'],
    ['2023-02-08', '2023-03-01', undefined, true, 'over a common February end, 21 days'],
    ['2024-01-01', '2024-01-15', 14, true, 'a trust with two weeks’ notice [T TGH]'],
    ['2024-01-01', '2024-01-14', 14, false, 'under a trust’s two weeks [T TGH]'],
    ['2024-01-10', '2024-01-01', undefined, false, 'an appointment before the offer'],
  ])('offered %s for %s with notice %s: reasonable %s (%s)', (offeredOn, appointmentDate, noticeDays, expected, _why) => {
    expect(isReasonableOffer({ offeredOn, appointmentDate, noticeDays })).toBe(expected);
  });

  it.each([
    [0, false, 'none declined'],
    [1, false, 'one declined: offer again'],
    [2, true, 'two declined reasonable offers → clinical review [A RTT-Rec25 v4.0]'],
    [3, true, 'more than two'],
  ])('%i declined reasonable offers: clinical review %s (%s)', (declined, expected, _why) => {
    expect(needsReviewAfterDeclinedOffers(declined)).toBe(expected);
  });

  it('offers the second date within 6 weeks of the first declined date [A RTT-Rec25 v4.0]', () => {
    expect(secondOfferLatestDate('2024-01-20')).toBe('2024-03-02');
  });

  it.each([
    [42, false, 'a 6-week delay is fine'],
    [43, true, 'over 6 weeks needs a clinician [A RTT-Rec25 v4.0]'],
  ])('a patient asking to wait %i days: review %s (%s)', (days, expected) => {
    expect(patientDelayNeedsReview(days)).toBe(expected);
  });

  it('reviews a patient on active monitoring 12 weeks on [A RTT-Rec25 v4.0]', () => {
    expect(activeMonitoringReviewDate('2024-01-01')).toBe('2024-03-25');
  });

  it('checks in with a patient on thinking time after 14 days [A RTT-Rec25 §4.4.1.4]', () => {
    expect(thinkingTimeCheckInDate('2024-02-20')).toBe('2024-03-05');
  });

  it('rebooks an operation cancelled on the day within 28 days [A Hansard 2003]', () => {
    expect(cancelledOperationRebookBy('2024-02-10')).toBe('2024-03-09');
  });
});

describe('notice for clinic changes [T CHFT; T local, issue 10]', () => {
  it.each([
    ['cancellation', '2024-01-01', '2024-02-12', true, '42 days'],
    ['cancellation', '2024-01-01', '2024-02-11', false, '41 days'],
    ['template', '2024-01-01', '2024-02-12', true, '42 days'],
    ['template', '2024-01-01', '2024-02-11', false, '41 days'],
  ] as const)('a %s asked for on %s for a session on %s has notice: %s (%s)', (change, requestedOn, sessionDate, expected, _why) => {
    expect(hasClinicChangeNotice({ requestedOn, sessionDate, change })).toBe(expected);
  });
});

describe('work item escalation ladders [T local, issue 4]', () => {
  it('dates each rung hours after the item was due, level 1 first', async () => {
    const { workItemEscalations } = await import('../../domain');
    expect(workItemEscalations('triage_referral', '2026-11-24T17:00:00.000Z')).toEqual([
      { level: 1, at: '2026-11-24T17:00:00.000Z', afterHours: 0, action: 'notify' },
      { level: 2, at: '2026-11-26T17:00:00.000Z', afterHours: 48, action: 'team_leader' },
      { level: 3, at: '2026-11-29T17:00:00.000Z', afterHours: 120, action: 'ops' },
    ]);
  });

  it('has a ladder for every work item type, and refuses an unordered or unknown one', async () => {
    const { workItemEscalations, taskTypes, mergeAccessPolicy } = await import('../../domain');
    for (const type of taskTypes) expect(workItemEscalations(type, '2026-01-01T00:00:00Z').length).toBeGreaterThan(0);
    expect(() => mergeAccessPolicy({ workItems: { escalations: { dna_review: [{ afterHours: 10, action: 'notify' }, { afterHours: 5, action: 'ops' }] } } })).toThrow(RangeError);
    expect(() => mergeAccessPolicy({ workItems: { escalations: { dna_review: [{ afterHours: 10, action: 'shout' as never }] } } })).toThrow(RangeError);
    expect(() => workItemEscalations('nothing' as never, '2026-01-01T00:00:00Z')).toThrow(RangeError);
  });
});

describe('followUpValidationDate', () => {
  it('is 12 weeks past the due date, then every 12 weeks, never the due date itself', () => {
    expect(followUpValidationDate('2026-01-05', '2026-01-05')).toBe('2026-03-30');
    expect(followUpValidationDate('2026-01-05', '2026-03-29')).toBe('2026-03-30');
    expect(followUpValidationDate('2026-01-05', '2026-03-30')).toBe('2026-06-22');
    expect(followUpValidationDate('2026-01-05', '2025-12-01')).toBe('2026-03-30');
  });

  it('is always a whole number of 12-week steps past due and after `after`', () => {
    fc.assert(fc.property(fc.integer({ min: 0, max: 2000 }), fc.integer({ min: -100, max: 2000 }), (dueOffset, afterOffset) => {
      const due = addDays('2025-01-01', dueOffset);
      const after = addDays(due, afterOffset);
      const next = followUpValidationDate(due, after);
      const past = daysBetween(due, next);
      return past > 0 && past % 84 === 0 && next > after && daysBetween(after < due ? due : after, next) <= 84;
    }));
  });
});
