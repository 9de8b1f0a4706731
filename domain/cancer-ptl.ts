// The cancer view's breach risk and next step for a two-week-wait pathway, from its targets, what has happened
// and today [A CWT12; CWT-2023; rules doc §2.2]. Pure: no I/O, today passed in.
import { daysBetween } from './dates';
import type { CancerBreachRisk, FdsOutcome } from './model';

export type { CancerBreachRisk };

export type CancerPathwayFacts = {
  today: string;
  uscFirstSeenTarget: string; // day 14: the local first-seen aim
  fdsTarget: string; // day 28: Faster Diagnosis Standard
  cancer62Target: string; // day 62: first definitive treatment
  fdsOutcome: FdsOutcome | null;
  fdsCommunicatedOn: string | null;
  firstSeenOn: string | null; // the first attended new appointment
  firstBookedOn: string | null; // the earliest booked (not yet attended) new appointment
  treated: boolean; // first definitive treatment recorded (RTT 30)
};

/** Days before a target at which a pathway is at risk. */
export const cancerAtRiskDays = 7;

/**
 * met: the FDS outcome was told by day 28 (and, if cancer was confirmed, treatment is not at risk of the 62-day date);
 * breached: a target passed without its outcome (FDS untold by day 28 or told late; confirmed and untreated past day 62);
 * at_risk: within 7 days of the FDS or 62-day date without the outcome, or no first appointment seen or booked within
 * the 14-day first-seen aim; otherwise on_track.
 */
export function cancerBreachRisk(f: CancerPathwayFacts): CancerBreachRisk {
  const confirmedUntreated = f.fdsOutcome === 'cancer_confirmed' && !f.treated;
  const daysTo = (target: string) => daysBetween(f.today, target);
  if (confirmedUntreated && daysTo(f.cancer62Target) < 0) return 'breached';
  if (f.fdsOutcome !== null) {
    if (f.fdsCommunicatedOn !== null && f.fdsCommunicatedOn > f.fdsTarget) return 'breached';
    if (confirmedUntreated && daysTo(f.cancer62Target) <= cancerAtRiskDays) return 'at_risk';
    return 'met';
  }
  if (daysTo(f.fdsTarget) < 0 || daysTo(f.cancer62Target) < 0) return 'breached';
  if (daysTo(f.fdsTarget) <= cancerAtRiskDays || daysTo(f.cancer62Target) <= cancerAtRiskDays) return 'at_risk';
  if (f.firstSeenOn === null && (f.firstBookedOn === null || f.firstBookedOn > f.uscFirstSeenTarget)) return 'at_risk';
  return 'on_track';
}

/** The next step in words, for the cancer view. */
export function cancerNextStep(f: CancerPathwayFacts): string {
  if (f.fdsOutcome === 'cancer_ruled_out') return 'Cancer ruled out: continue the RTT pathway or discharge';
  if (f.fdsOutcome === 'cancer_confirmed') {
    return f.treated ? 'Treated' : `Start first definitive treatment by ${f.cancer62Target} (62-day standard)`;
  }
  if (f.firstSeenOn === null) {
    if (f.firstBookedOn !== null) return `First appointment on ${f.firstBookedOn}; tell the outcome by ${f.fdsTarget}`;
    return `Book the first appointment (aim: seen by ${f.uscFirstSeenTarget})`;
  }
  if (f.today > f.fdsTarget) return `Faster Diagnosis date ${f.fdsTarget} passed: tell the patient the outcome now`;
  return `Tell the patient the diagnosis or that cancer is ruled out by ${f.fdsTarget} (28-day FDS)`;
}
