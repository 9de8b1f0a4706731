import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import {
  applyRttEvent,
  dnaOutcome,
  restartRttClockAfterDna,
  rttStatusCodes,
  rttStatusMeanings,
  isRttStatusCode,
  rttSummary,
  RttRuleError,
  startRttClock,
  type RttClock,
  type RttRule,
  type RttStatusCode,
} from '../../domain';

// RTT period status codes and clock rules [A DD REFERRAL TO TREATMENT PERIOD STATUS; RTT-Rec25 §2–4].

const referred = '2024-01-10';
const eventDate = '2024-06-03';

function expectRefusal(act: () => unknown, rule: RttRule): void {
  try {
    act();
  } catch (error) {
    expect(error).toBeInstanceOf(RttRuleError);
    expect((error as RttRuleError).rule).toBe(rule);
    return;
  }
  throw new Error(`expected the rules to refuse with ${rule}`);
}

const after = (clock: RttClock, ...events: [RttStatusCode, string][]) =>
  events.reduce((c, [code, date]) => applyRttEvent(c, { code, date }), clock);

// Clocks in each state the transitions start from.
const fresh = startRttClock(referred);
const clocks: Record<string, RttClock> = {
  'a newly referred clock': fresh,
  'a clock whose first activity (10) is recorded': after(fresh, [10, '2024-02-01']),
  'a clock with later activity (20)': after(fresh, [20, '2024-02-01']),
  'a clock transferred to another provider (21)': after(fresh, [21, '2024-02-01']),
  'a clock stopped by treatment (30)': after(fresh, [30, '2024-03-01']),
  'a clock stopped by patient-initiated active monitoring (31)': after(fresh, [31, '2024-03-01']),
  'a clock stopped by clinician-initiated active monitoring (32)': after(fresh, [32, '2024-03-01']),
  'a clock stopped by a decision not to treat (34)': after(fresh, [34, '2024-03-01']),
  'a clock stopped by the patient declining treatment (35)': after(fresh, [35, '2024-03-01']),
  'a clock stopped by the patient dying (36)': after(fresh, [36, '2024-03-01']),
  'a clock nullified by a first-appointment DNA (33)': after(fresh, [33, '2024-02-01']),
  'a new clock started by a decision to treat after active monitoring (11)': after(fresh, [32, '2024-02-01'], [11, '2024-03-01']),
  'a new clock started by a consultant referral for a separate condition (12)': after(fresh, [30, '2024-02-01'], [12, '2024-03-01']),
};

type Outcome = 'runs' | 'stops' | 'nullifies' | 'new clock' | 'unchanged' | RttRule;
type Profile = Record<RttStatusCode, Outcome>;

const notRtt = { 90: 'unchanged', 91: 'unchanged', 92: 'unchanged', 98: 'unchanged', 99: 'unchanged' } as const;
const stops = { 30: 'stops', 31: 'stops', 32: 'stops', 34: 'stops', 35: 'stops', 36: 'stops' } as const;
const refusedStops = {
  30: 'STOP_NEEDS_RUNNING_CLOCK', 31: 'STOP_NEEDS_RUNNING_CLOCK', 32: 'STOP_NEEDS_RUNNING_CLOCK',
  33: 'STOP_NEEDS_RUNNING_CLOCK', 34: 'STOP_NEEDS_RUNNING_CLOCK', 35: 'STOP_NEEDS_RUNNING_CLOCK',
  36: 'STOP_NEEDS_RUNNING_CLOCK',
} as const;
const refusedActivity = {
  10: 'ACTIVITY_NEEDS_RUNNING_CLOCK', 20: 'ACTIVITY_NEEDS_RUNNING_CLOCK', 21: 'ACTIVITY_NEEDS_RUNNING_CLOCK',
} as const;

const runningBeforeAnyActivity: Profile = {
  10: 'runs', 11: 'NEW_PERIOD_NEEDS_STOPPED_CLOCK', 12: 'NEW_PERIOD_NEEDS_STOPPED_CLOCK',
  20: 'runs', 21: 'runs', ...stops, 33: 'nullifies', ...notRtt,
};
const runningAfterActivity: Profile = {
  ...runningBeforeAnyActivity,
  10: 'FIRST_ACTIVITY_ALREADY_RECORDED',
  33: 'DNA_NULLIFIES_FIRST_ACTIVITY_ONLY',
};
const stopped: Profile = {
  ...refusedActivity, ...refusedStops, 11: 'NEW_PERIOD_NEEDS_ACTIVE_MONITORING', 12: 'new clock', ...notRtt,
};
const stoppedForActiveMonitoring: Profile = { ...stopped, 11: 'new clock' };
const nullified: Profile = {
  ...refusedActivity, ...refusedStops,
  11: 'NEW_PERIOD_NEEDS_STOPPED_CLOCK', 12: 'NEW_PERIOD_NEEDS_STOPPED_CLOCK', ...notRtt,
};

const profiles: Record<string, Profile> = {
  'a newly referred clock': runningBeforeAnyActivity,
  'a clock whose first activity (10) is recorded': runningAfterActivity,
  'a clock with later activity (20)': runningAfterActivity,
  'a clock transferred to another provider (21)': runningAfterActivity,
  'a clock stopped by treatment (30)': stopped,
  'a clock stopped by patient-initiated active monitoring (31)': stoppedForActiveMonitoring,
  'a clock stopped by clinician-initiated active monitoring (32)': stoppedForActiveMonitoring,
  'a clock stopped by a decision not to treat (34)': stopped,
  'a clock stopped by the patient declining treatment (35)': stopped,
  'a clock stopped by the patient dying (36)': stopped,
  'a clock nullified by a first-appointment DNA (33)': nullified,
  // The decision to treat is itself activity with the patient, so it is not a first-DNA clock.
  'a new clock started by a decision to treat after active monitoring (11)': runningAfterActivity,
  'a new clock started by a consultant referral for a separate condition (12)': runningBeforeAnyActivity,
};

const transitions = Object.entries(profiles).flatMap(([state, profile]) =>
  rttStatusCodes.map((code) => ({ state, code, outcome: profile[code] })),
);

describe('RTT clock transitions, every state by every national code', () => {
  it('covers all 17 codes in every state', () => {
    expect(rttStatusCodes).toEqual([10, 11, 12, 20, 21, 30, 31, 32, 33, 34, 35, 36, 90, 91, 92, 98, 99]);
    for (const profile of Object.values(profiles)) expect(Object.keys(profile)).toHaveLength(17);
  });

  it.each(transitions)('$state, then code $code: $outcome', ({ state, code, outcome }) => {
    const clock = clocks[state];
    const apply = () => applyRttEvent(clock, { code, date: eventDate });
    switch (outcome) {
      case 'runs':
        expect(apply()).toMatchObject({ status: 'running', clockStart: clock.clockStart, clockStop: null, lastCode: code });
        break;
      case 'stops':
        expect(apply()).toMatchObject({ status: 'stopped', clockStart: clock.clockStart, clockStop: eventDate, lastCode: code });
        break;
      case 'nullifies':
        expect(apply()).toMatchObject({ status: 'nullified', clockStart: clock.clockStart, clockStop: eventDate, lastCode: 33 });
        break;
      case 'new clock':
        expect(apply()).toMatchObject({ status: 'running', clockStart: eventDate, clockStop: null, lastCode: code });
        break;
      case 'unchanged':
        expect(apply()).toBe(clock);
        break;
      default:
        expectRefusal(apply, outcome);
    }
  });
});

describe('RTT clock rules', () => {
  it('a referral starts a running clock on the date it was received, code 10 [A RTT-Rec25 §3]', () => {
    expect(startRttClock('2024-01-02')).toMatchObject({ status: 'running', clockStart: '2024-01-02', clockStop: null, lastCode: 10 });
  });

  it('refuses to start a clock on something that is not a date', () => {
    expectRefusal(() => startRttClock('2024-02-30'), 'EVENT_DATE_INVALID');
  });

  it.each([10, 20, 21, 30, 31, 32, 33, 34, 35, 36] as RttStatusCode[])(
    'refuses code %i dated before the clock start',
    (code) => {
      expectRefusal(() => applyRttEvent(fresh, { code, date: '2024-01-09' }), 'EVENT_BEFORE_CLOCK_START');
    },
  );

  it.each([11, 12] as RttStatusCode[])('refuses code %i dated before the clock start of a stopped clock', (code) => {
    const stoppedForAm = after(fresh, [31, '2024-03-01']);
    expectRefusal(() => applyRttEvent(stoppedForAm, { code, date: '2024-01-01' }), 'EVENT_BEFORE_CLOCK_START');
  });

  it.each([11, 12] as RttStatusCode[])('refuses a new period (%i) dated before the previous clock stopped', (code) => {
    const stoppedForAm = after(fresh, [31, '2024-03-01']);
    expectRefusal(() => applyRttEvent(stoppedForAm, { code, date: '2024-02-29' }), 'EVENT_BEFORE_CLOCK_STOP');
    expect(applyRttEvent(stoppedForAm, { code, date: '2024-03-01' }).clockStart).toBe('2024-03-01');
  });

  it('a clock started and stopped on the same day is a valid 0-day wait [A RTT-Rec25 §10.1.7]', () => {
    const treated = applyRttEvent(fresh, { code: 30, date: referred });
    expect(rttSummary(treated, '2024-12-31')).toMatchObject({ daysWaited: 0, weekBand: 1 });
  });

  it.each([90, 91, 92, 98, 99] as RttStatusCode[])('code %i is not RTT activity, whatever its date', (code) => {
    // 92 (GP direct-access diagnostics) is dated before the referral by nature.
    expect(applyRttEvent(fresh, { code, date: '2023-12-01' })).toBe(fresh);
  });

  it('activity during active monitoring (91) keeps the way open for a decision to treat (11)', () => {
    const clock = after(fresh, [32, '2024-02-01'], [91, '2024-04-01'], [91, '2024-05-01'], [11, '2024-06-01']);
    expect(clock).toMatchObject({ status: 'running', clockStart: '2024-06-01', lastCode: 11 });
  });

  it.each([0, 13, 22, 37, 89, 93, 100, 20.5, Number.NaN, '20', null])('refuses unknown status code %j', (code) => {
    expectRefusal(() => applyRttEvent(fresh, { code: code as RttStatusCode, date: eventDate }), 'UNKNOWN_STATUS_CODE');
  });

  it.each(['2024-02-30', '03/06/2024', '', null])('refuses an event dated %j', (date) => {
    expectRefusal(() => applyRttEvent(fresh, { code: 20, date: date as string }), 'EVENT_DATE_INVALID');
  });

  it('a refusal is an Error that names its rule and the code in its message', () => {
    const stoppedClock = after(fresh, [30, '2024-03-01']);
    const refusal = (() => {
      try {
        applyRttEvent(stoppedClock, { code: 35, date: eventDate });
      } catch (error) {
        return error;
      }
    })();
    expect(refusal).toBeInstanceOf(Error);
    expect(refusal).toMatchObject({ name: 'RttRuleError', rule: 'STOP_NEEDS_RUNNING_CLOCK' });
    expect((refusal as Error).message).toMatch(/35/);
    expect((refusal as Error).message).toMatch(/stopped/);
  });

  it('never changes the clock it was given', () => {
    const clock = startRttClock(referred);
    const copy = { ...clock };
    applyRttEvent(clock, { code: 20, date: eventDate });
    applyRttEvent(clock, { code: 30, date: eventDate });
    expect(clock).toEqual(copy);
  });

  describe('a clock stored with only its four named fields', () => {
    it('is taken to have seen no activity while its last code is still the referral (10)', () => {
      const stored: RttClock = { status: 'running', clockStart: referred, clockStop: null, lastCode: 10 };
      expect(applyRttEvent(stored, { code: 33, date: eventDate }).status).toBe('nullified');
    });

    it('is taken to have seen activity once its last code is 20', () => {
      const stored: RttClock = { status: 'running', clockStart: referred, clockStop: null, lastCode: 20 };
      expectRefusal(() => applyRttEvent(stored, { code: 33, date: eventDate }), 'DNA_NULLIFIES_FIRST_ACTIVITY_ONLY');
    });
  });

  it('a whole pathway: referral, clinic, active monitoring after two declined offers, decision to treat, treatment', () => {
    const journey = after(
      startRttClock('2024-01-02'),
      [20, '2024-02-15'],
      [32, '2024-04-01'],
      [91, '2024-06-24'],
      [11, '2024-07-01'],
      [30, '2024-08-12'],
    );
    expect(journey).toMatchObject({ status: 'stopped', clockStart: '2024-07-01', clockStop: '2024-08-12', lastCode: 30 });
    expect(rttSummary(journey, '2024-12-31')).toMatchObject({ daysWaited: 42, weekBand: 6 });
  });

  it('whatever events are recorded, the clock stays coherent or the event is refused', () => {
    const code = fc.constantFrom(...rttStatusCodes);
    const step = fc.record({ code, offset: fc.integer({ min: -10, max: 60 }) });
    fc.assert(
      fc.property(fc.array(step, { maxLength: 12 }), (steps) => {
        let clock = startRttClock('2024-01-01');
        let date = '2024-01-01';
        for (const { code: next, offset } of steps) {
          date = new Date(Date.parse(date) + offset * 86_400_000).toISOString().slice(0, 10);
          try {
            clock = applyRttEvent(clock, { code: next, date });
          } catch (error) {
            expect(error).toBeInstanceOf(RttRuleError);
            continue;
          }
          expect(clock.status === 'running').toBe(clock.clockStop === null);
          if (clock.clockStop !== null) expect(clock.clockStop >= clock.clockStart).toBe(true);
          expect(isRttStatusCode(clock.lastCode)).toBe(true);
          expect(clock.lastCode).toBeLessThan(90);
        }
      }),
    );
  });

  it('has a meaning for every code', () => {
    for (const code of rttStatusCodes) expect(rttStatusMeanings[code]).toMatch(/\w/);
  });
});

describe('restarting after a first-appointment DNA [A RTT-Rec25 §3.4.5, v5.0]', () => {
  const nullifiedClock = after(fresh, [33, '2024-02-01']);

  it('starts the new clock on the day the patient rang to rebook', () => {
    expect(restartRttClockAfterDna(nullifiedClock, { patientContactedOn: '2024-02-20' })).toMatchObject({
      status: 'running',
      clockStart: '2024-02-20',
      lastCode: 10,
    });
  });

  it('starts it on the earlier clinician decision to re-offer when there was one', () => {
    const restarted = restartRttClockAfterDna(nullifiedClock, { patientContactedOn: '2024-02-20', clinicianDecidedOn: '2024-02-05' });
    expect(restarted.clockStart).toBe('2024-02-05');
  });

  it('is not linked to the old clock start', () => {
    expect(restartRttClockAfterDna(nullifiedClock, { clinicianDecidedOn: '2024-02-01' }).clockStart).not.toBe(referred);
  });

  it('refuses a clock that was not nullified, a date before the DNA, and no date at all', () => {
    expectRefusal(() => restartRttClockAfterDna(fresh, { patientContactedOn: '2024-02-20' }), 'RESTART_NEEDS_NULLIFIED_CLOCK');
    expectRefusal(() => restartRttClockAfterDna(nullifiedClock, { patientContactedOn: '2024-01-31' }), 'EVENT_BEFORE_CLOCK_STOP');
    expectRefusal(() => restartRttClockAfterDna(nullifiedClock, {}), 'EVENT_DATE_INVALID');
    expectRefusal(() => restartRttClockAfterDna(nullifiedClock, { patientContactedOn: 'soon' }), 'EVENT_DATE_INVALID');
  });
});

describe('RTT summary for the PTL', () => {
  it('a running clock counts to the day asked about; the breach date is start + 127 [A RTT-Rec25 §10.1.7]', () => {
    expect(rttSummary(startRttClock('2024-01-01'), '2024-05-06')).toEqual({
      status: 'running',
      clockStart: '2024-01-01',
      lastCompliantDate: '2024-05-06',
      daysWaited: 126,
      weekBand: 18,
      breachDate: '2024-05-07',
    });
  });

  it('a stopped clock counts to its stop, however late we ask', () => {
    const stoppedClock = applyRttEvent(startRttClock('2024-01-01'), { code: 30, date: '2024-01-09' });
    expect(rttSummary(stoppedClock, '2026-01-01')).toMatchObject({ status: 'stopped', daysWaited: 8, weekBand: 2 });
  });

  it('a nullified clock counts to the DNA, so it never shows as a long wait', () => {
    const nullifiedClock = applyRttEvent(startRttClock('2024-01-01'), { code: 33, date: '2024-01-15' });
    expect(rttSummary(nullifiedClock, '2026-01-01')).toMatchObject({ status: 'nullified', daysWaited: 14 });
  });

  it('an inter-provider transfer keeps the original clock start: referred 2 Jan, received by provider B 28 Jan [A RTT-Rec25 §11 example]', () => {
    expect(rttSummary(startRttClock('2024-01-02'), '2024-01-28')).toMatchObject({ clockStart: '2024-01-02', daysWaited: 26 });
  });

  it('refuses a date before the clock started', () => {
    expect(() => rttSummary(startRttClock('2024-01-02'), '2024-01-01')).toThrow(RangeError);
  });
});

describe('what a DNA does to the pathway', () => {
  it.each([
    ['first', 'routine', true, 33, 'nullified', 'clearly communicated routine first appointment [A RTT-Rec25 §4 rule 5e]'],
    ['first', 'urgent', true, 33, 'nullified', 'clearly communicated urgent first appointment [A RTT-Rec25 §4 rule 5e]'],
    ['first', 'routine', false, null, 'continues', 'not shown to be clearly communicated, so no 33 [A RTT-Rec25 §4 rule 5e]'],
    ['first', 'urgent', false, null, 'continues', 'not shown to be clearly communicated'],
    ['first', 'two_week_wait', true, null, 'continues', 'two-week-wait first DNA continues [A DD REFERRAL TO TREATMENT PERIOD]'],
    ['first', 'two_week_wait', false, null, 'continues', 'two-week-wait first DNA continues'],
    ['follow_up', 'routine', true, null, 'continues', 'follow-up DNA continues [A RTT-Rec25 §4 rule 5f]'],
    ['follow_up', 'routine', false, null, 'continues', 'follow-up DNA continues'],
    ['follow_up', 'urgent', true, null, 'continues', 'follow-up DNA continues'],
    ['follow_up', 'urgent', false, null, 'continues', 'follow-up DNA continues'],
    ['follow_up', 'two_week_wait', true, null, 'continues', 'follow-up DNA continues'],
    ['follow_up', 'two_week_wait', false, null, 'continues', 'follow-up DNA continues'],
  ] as const)('%s appointment, %s, clearly communicated %s → code %s, clock %s (%s)', (appointment, priority, clearlyCommunicated, rttCode, clock, _why) => {
    expect(dnaOutcome({ appointment, priority, clearlyCommunicated })).toEqual({
      rttCode,
      clock,
      clinicianReview: true,
      autoDischarge: false,
    });
  });

  it('never discharges a patient automatically and always asks a clinician [A SC 2016/17; RTT-Rec25 §4.4.1.3]', () => {
    const appointment = fc.constantFrom('first' as const, 'follow_up' as const);
    const priority = fc.constantFrom('two_week_wait' as const, 'urgent' as const, 'routine' as const);
    fc.assert(
      fc.property(appointment, priority, fc.boolean(), (a, p, c) => {
        const outcome = dnaOutcome({ appointment: a, priority: p, clearlyCommunicated: c });
        expect(outcome.autoDischarge).toBe(false);
        expect(outcome.clinicianReview).toBe(true);
      }),
    );
  });

  it('a nullifying DNA is the one the clock accepts as 33 on a newly referred clock', () => {
    const outcome = dnaOutcome({ appointment: 'first', priority: 'routine', clearlyCommunicated: true });
    expect(applyRttEvent(fresh, { code: outcome.rttCode!, date: eventDate }).status).toBe(outcome.clock);
  });
});
