// The RTT clock as a value, moved on by the national RTT period status codes
// [A DD REFERRAL TO TREATMENT PERIOD STATUS; RTT-Rec25 §2–4, Annex D/E].

import { daysBetween, isIsoDate } from './dates';
import type { ReferralPriority, RttClockStatus } from './model';
import { rttBreachDate, rttDaysWaited, rttLastCompliantDate, rttWeekBand } from './rtt';

export type RttStatusCode = 10 | 11 | 12 | 20 | 21 | 30 | 31 | 32 | 33 | 34 | 35 | 36 | 90 | 91 | 92 | 98 | 99;

/** What each code means, in short, for screens and error messages [A DD; rules doc §1.6]. */
export const rttStatusMeanings: Readonly<Record<RttStatusCode, string>> = Object.freeze({
  10: 'first activity in an RTT period',
  11: 'first activity of a new RTT period after active monitoring',
  12: 'first activity of a new RTT period after a consultant referral for a separate condition',
  20: 'subsequent activity, further activity expected',
  21: 'transfer to another provider',
  30: 'start of first definitive treatment',
  31: 'start of active monitoring initiated by the patient',
  32: 'start of active monitoring initiated by the care professional',
  33: 'did not attend the first activity after referral',
  34: 'decision not to treat or no further contact required',
  35: 'patient declined offered treatment',
  36: 'patient died before treatment',
  90: 'after treatment (first definitive treatment occurred previously)',
  91: 'activity during active monitoring',
  92: 'not yet referred (diagnostics by the GP before referral)',
  98: 'not applicable to RTT',
  99: 'not yet known',
});

/** The 17 national codes, ascending. */
export const rttStatusCodes: readonly RttStatusCode[] = Object.freeze(
  Object.keys(rttStatusMeanings).map(Number) as RttStatusCode[],
);

export function isRttStatusCode(value: unknown): value is RttStatusCode {
  return (rttStatusCodes as readonly unknown[]).includes(value);
}

export type RttClock = {
  status: RttClockStatus;
  clockStart: string;
  clockStop: string | null;
  lastCode: RttStatusCode;
  /**
   * RTT events (10–36) applied since this clock started; tells a first-appointment DNA (33) from
   * a later one. May be absent on a clock stored with the four fields above only: then a running
   * clock whose last code is still its referral code (10 or 12) is taken to have seen no activity.
   */
  eventsSinceStart?: number;
};

export type RttEvent = { code: RttStatusCode; date: string };

export type RttRule =
  | 'UNKNOWN_STATUS_CODE'
  | 'EVENT_DATE_INVALID'
  | 'EVENT_BEFORE_CLOCK_START'
  | 'EVENT_BEFORE_CLOCK_STOP'
  | 'ACTIVITY_NEEDS_RUNNING_CLOCK'
  | 'STOP_NEEDS_RUNNING_CLOCK'
  | 'FIRST_ACTIVITY_ALREADY_RECORDED'
  | 'DNA_NULLIFIES_FIRST_ACTIVITY_ONLY'
  | 'NEW_PERIOD_NEEDS_STOPPED_CLOCK'
  | 'NEW_PERIOD_NEEDS_ACTIVE_MONITORING'
  | 'RESTART_NEEDS_NULLIFIED_CLOCK';

/** A status event the national rules do not allow on this clock; `rule` says which. */
export class RttRuleError extends Error {
  readonly rule: RttRule;

  constructor(rule: RttRule, message: string) {
    super(message);
    this.name = 'RttRuleError';
    this.rule = rule;
  }
}

const activeMonitoringCodes: readonly RttStatusCode[] = [31, 32];

function describe(code: RttStatusCode): string {
  return `${code} (${rttStatusMeanings[code]})`;
}

function requireDate(date: unknown): asserts date is string {
  if (!isIsoDate(date)) {
    throw new RttRuleError('EVENT_DATE_INVALID', `RTT event date must be a calendar date YYYY-MM-DD, got ${JSON.stringify(date)}`);
  }
}

function eventsSinceStart(clock: RttClock): number {
  return clock.eventsSinceStart ?? (clock.lastCode === 10 || clock.lastCode === 12 ? 0 : 1);
}

// A referral (10, 12) starts a clock before any care happens; a decision to treat after
// active monitoring (11) is itself care activity with the patient.
function hasSeenActivity(clock: RttClock): boolean {
  return eventsSinceStart(clock) > 0 || clock.lastCode === 11;
}

/** True while a running clock has seen no activity since its start: the next attendance is its first (code 10). */
export function firstActivityDue(clock: RttClock): boolean {
  return clock.status === 'running' && !hasSeenActivity(clock);
}

function newClock(clockStart: string, lastCode: RttStatusCode): RttClock {
  return { status: 'running', clockStart, clockStop: null, lastCode, eventsSinceStart: 0 };
}

/**
 * A running clock from the date the provider received the referral (rules 1–2) [A RTT-Rec25 §2–3].
 * Also the new clock after a first-appointment DNA (rule 3e) or a re-referral.
 */
export function startRttClock(receivedDate: string): RttClock {
  requireDate(receivedDate);
  return newClock(receivedDate, 10);
}

/**
 * The clock after a dated status event [A RTT-Rec25 §2–4; DD]. 20 and 21 keep a running clock
 * running; 30–32 and 34–36 stop it on the event date; 33 nullifies a clock that has seen no
 * activity since its start; 11 (after active monitoring, 31/32) and 12 (consultant referral for a
 * separate condition) start a new clock on a stopped one; 90–99 are not RTT activity and leave
 * the clock as it is. Anything else throws RttRuleError.
 */
export function applyRttEvent(clock: RttClock, event: RttEvent): RttClock {
  const { code, date } = event;
  if (!isRttStatusCode(code)) {
    throw new RttRuleError('UNKNOWN_STATUS_CODE', `${JSON.stringify(code)} is not a national RTT period status code`);
  }
  requireDate(date);
  if (code >= 90) return clock;

  if (daysBetween(clock.clockStart, date) < 0) {
    throw new RttRuleError(
      'EVENT_BEFORE_CLOCK_START',
      `Code ${code} is dated ${date}, before the clock started on ${clock.clockStart}`,
    );
  }

  const recorded = (status: RttClock['status'], clockStop: string | null): RttClock => ({
    status,
    clockStart: clock.clockStart,
    clockStop,
    lastCode: code,
    eventsSinceStart: eventsSinceStart(clock) + 1,
  });
  const requireRunning = (rule: 'ACTIVITY_NEEDS_RUNNING_CLOCK' | 'STOP_NEEDS_RUNNING_CLOCK') => {
    if (clock.status !== 'running') {
      const what = rule === 'STOP_NEEDS_RUNNING_CLOCK' ? 'stops a clock' : 'is activity on a clock';
      throw new RttRuleError(rule, `Code ${describe(code)} ${what} that must be running; this clock is ${clock.status}`);
    }
  };

  switch (code) {
    case 10:
      requireRunning('ACTIVITY_NEEDS_RUNNING_CLOCK');
      if (hasSeenActivity(clock)) {
        throw new RttRuleError(
          'FIRST_ACTIVITY_ALREADY_RECORDED',
          `Code 10 marks the first activity of a period; this clock has already seen ${describe(clock.lastCode)}: use 20`,
        );
      }
      return recorded('running', null);

    case 20:
    case 21:
      requireRunning('ACTIVITY_NEEDS_RUNNING_CLOCK');
      return recorded('running', null);

    case 33:
      requireRunning('STOP_NEEDS_RUNNING_CLOCK');
      // Only the first activity after referral can be nullified by a DNA [A RTT-Rec25 §4 rule 5e].
      if (hasSeenActivity(clock)) {
        throw new RttRuleError(
          'DNA_NULLIFIES_FIRST_ACTIVITY_ONLY',
          `Code 33 applies only to a DNA of the first activity after referral; this clock has already seen ${describe(clock.lastCode)}`,
        );
      }
      return recorded('nullified', date);

    case 11:
    case 12: {
      if (clock.status !== 'stopped') {
        throw new RttRuleError(
          'NEW_PERIOD_NEEDS_STOPPED_CLOCK',
          `Code ${describe(code)} starts a new period, so the current clock must be stopped first; it is ${clock.status}`,
        );
      }
      // Only a decision to treat after active monitoring starts a clock with 11 (rule 3d).
      if (code === 11 && !activeMonitoringCodes.includes(clock.lastCode)) {
        throw new RttRuleError(
          'NEW_PERIOD_NEEDS_ACTIVE_MONITORING',
          `Code 11 follows active monitoring (31 or 32); this clock was stopped by ${describe(clock.lastCode)}`,
        );
      }
      if (clock.clockStop !== null && daysBetween(clock.clockStop, date) < 0) {
        throw new RttRuleError(
          'EVENT_BEFORE_CLOCK_STOP',
          `Code ${code} is dated ${date}, before the previous clock stopped on ${clock.clockStop}`,
        );
      }
      return newClock(date, code);
    }

    case 30:
    case 31:
    case 32:
    case 34:
    case 35:
    case 36:
      requireRunning('STOP_NEEDS_RUNNING_CLOCK');
      return recorded('stopped', date);

    default:
      throw new RttRuleError('UNKNOWN_STATUS_CODE', `No clock rule for code ${code}`);
  }
}

/**
 * After a first-appointment DNA nullified the clock, the new clock starts on the date the patient
 * contacts the trust to rebook or, if earlier, the date a clinician decides to offer another first
 * appointment; it is not linked to the old start [A RTT-Rec25 §3.4.5, v5.0].
 */
export function restartRttClockAfterDna(
  clock: RttClock,
  { patientContactedOn = null, clinicianDecidedOn = null }: { patientContactedOn?: string | null; clinicianDecidedOn?: string | null },
): RttClock {
  if (clock.status !== 'nullified') {
    throw new RttRuleError('RESTART_NEEDS_NULLIFIED_CLOCK', `Only a clock nullified by a first-appointment DNA restarts this way; this clock is ${clock.status}`);
  }
  const dates = [patientContactedOn, clinicianDecidedOn].filter((d): d is string => d !== null);
  if (dates.length === 0) {
    throw new RttRuleError('EVENT_DATE_INVALID', 'A restart needs the date the patient made contact or the date a clinician decided to re-offer');
  }
  dates.forEach(requireDate);
  const restart = dates.reduce((a, b) => (daysBetween(a, b) < 0 ? b : a));
  if (clock.clockStop !== null && daysBetween(clock.clockStop, restart) < 0) {
    throw new RttRuleError('EVENT_BEFORE_CLOCK_STOP', `The restart ${restart} is before the DNA on ${clock.clockStop}`);
  }
  return startRttClock(restart);
}

export type RttSummary = {
  status: RttClock['status'];
  clockStart: string;
  lastCompliantDate: string;
  daysWaited: number;
  weekBand: number;
  breachDate: string;
};

/**
 * What the PTL shows for a clock on `asOf` [A RTT-Rec25 §10.1.7, §11]. A running clock counts to
 * `asOf`; a stopped or nullified one to its stop date, so a closed pathway does not keep ageing.
 */
export function rttSummary(clock: RttClock, asOf: string): RttSummary {
  const end = clock.status === 'running' || clock.clockStop === null ? asOf : clock.clockStop;
  const daysWaited = rttDaysWaited(clock.clockStart, end);
  return {
    status: clock.status,
    clockStart: clock.clockStart,
    lastCompliantDate: rttLastCompliantDate(clock.clockStart),
    daysWaited,
    weekBand: rttWeekBand(daysWaited),
    breachDate: rttBreachDate(clock.clockStart),
  };
}

export type MissedAppointment = {
  appointment: 'first' | 'follow_up';
  priority: ReferralPriority;
  clearlyCommunicated: boolean;
};

export type DnaOutcome = {
  rttCode: 33 | null;
  clock: 'nullified' | 'continues';
  clinicianReview: true;
  autoDischarge: false;
};

/**
 * What a DNA does to the pathway. A first-appointment DNA nullifies the clock (33) only for a
 * routine or urgent referral whose appointment was demonstrably clearly communicated
 * [A RTT-Rec25 §4 rule 5e]; a two-week-wait first DNA continues [A DD REFERRAL TO TREATMENT PERIOD],
 * as does any follow-up DNA [A RTT-Rec25 §4 rule 5f]. A clinician always reviews, and nothing
 * discharges a patient automatically [A SC 2016/17; RTT-Rec25 §4.4.1.3].
 */
export function dnaOutcome(missed: MissedAppointment): DnaOutcome {
  const nullifies =
    missed.appointment === 'first' &&
    (missed.priority === 'routine' || missed.priority === 'urgent') &&
    missed.clearlyCommunicated === true;
  return nullifies
    ? { rttCode: 33, clock: 'nullified', clinicianReview: true, autoDischarge: false }
    : { rttCode: null, clock: 'continues', clinicianReview: true, autoDischarge: false };
}
