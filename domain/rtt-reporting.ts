// What the PTL and the national RTT returns are made of: the week bands as the return names them, the
// treatment function codes it reports, the PTL stage of a pathway, and which rule decided each clock event.
import type { AppointmentKind, PtlStage, ReferralState, RttEventCause } from './model';
import type { RttStatusCode } from './rtt-clock';

/** The rules and policy the clock events are decided under; recorded on every event [A RTT-Rec25 v5.0]. */
export const rttPolicyVersion = 'RTT-Rec25 v5.0 (Feb 2025); access policy 2026-11';

/** Band n of the return as its column is headed: `0-1` (days 0–7), `n-1-n` (days 7(n−1)+1 … 7n), `104+` (≥729 days) [A RTT-Rec25 §10.1.7]. */
export function rttWeekBandLabel(band: number): string {
  if (!Number.isInteger(band) || band < 1 || band > 105) throw new RangeError(`Week band must be 1 to 105, got ${band}`);
  return band === 105 ? '104+' : `${band - 1}-${band}`;
}

/** The 105 week-band columns of the return, in order: 0-1, 1-2, …, 103-104, 104+. */
export const rttWeekBandLabels: readonly string[] = Object.freeze(Array.from({ length: 105 }, (_, i) => rttWeekBandLabel(i + 1)));

/** The return's parts [A RTT-Rec25 §10]: 1A completed admitted, 1B completed non-admitted, 2 incomplete, 2A incomplete with a DTA, 3 new periods. */
export const rttReturnParts = Object.freeze(['1A', '1B', '2', '2A', '3'] as const);
export type RttReturnPart = (typeof rttReturnParts)[number];

/** Treatment function codes the RTT return reports on their own line [A RTT-Rec25 §1.8]. */
export const rttReturnTreatmentFunctions: readonly string[] = Object.freeze([
  '100', '101', '110', '120', '130', '140', '150', '160', '170', '300', '301', '320', '330', '340', '400', '410', '430', '502',
]);

/**
 * The line of the return a treatment function code is reported on: its own, or an "other" group
 * (X02 other medical, X03 other mental health, X04 other paediatric, X05 other surgical, X06 other)
 * [A RTT-Rec25 §1.8; E the grouping by the code's hundred].
 */
export function rttReturnTfc(treatmentFunctionCode: string): string {
  if (rttReturnTreatmentFunctions.includes(treatmentFunctionCode)) return treatmentFunctionCode;
  const hundred = treatmentFunctionCode.charAt(0);
  if (hundred === '1') return 'X05';
  if (hundred === '2') return 'X04';
  if (hundred === '3' || hundred === '4') return 'X02';
  if (hundred === '7') return 'X03';
  return 'X06';
}

/** Where an open pathway is, as the PTL groups it. Null for a pathway that has ended. */
export function ptlStageOf(state: ReferralState, lastAppointmentKind: AppointmentKind | null = null): PtlStage | null {
  switch (state) {
    case 'awaiting_triage': return 'awaiting_triage';
    case 'awaiting_booking': case 'booked': return 'awaiting_first_appointment';
    case 'awaiting_follow_up': case 'follow_up_booked': return 'awaiting_follow_up';
    case 'awaiting_dna_review': case 'awaiting_clinical_review': return lastAppointmentKind === 'follow_up' ? 'awaiting_follow_up' : 'awaiting_first_appointment';
    case 'awaiting_admission': return 'awaiting_admission';
    case 'active_monitoring': return 'active_monitoring';
    default: return null;
  }
}

/** Codes an administrative event (outside a clinic) may record: each closes an open period [A RTT-Rec25 §4]. */
export const administrativeRttCodes: readonly RttStatusCode[] = Object.freeze([21, 30, 31, 32, 34, 35, 36] as RttStatusCode[]);

/** The national rule behind an RTT event, as the clock's timeline cites it [A RTT-Rec25 §2–4, Annex D]. */
export function rttRuleFor(code: RttStatusCode, cause: RttEventCause): string {
  switch (code) {
    case 10: return cause === 'dna_review'
      ? 'RTT-Rec25 §3.4.5: a new clock after a first-appointment DNA starts on the decision to offer another appointment'
      : 'RTT-Rec25 §2–3 rules 1–2: the clock starts on the date the provider receives the referral';
    case 11: return 'RTT-Rec25 §3 rule 3d: a decision to treat after active monitoring starts a new period';
    case 12: return 'RTT-Rec25 §3 rule 3b–c: a consultant referral for a separate condition starts a new period';
    case 20: return 'RTT-Rec25 Annex D: subsequent activity, the clock keeps running';
    case 21: return 'RTT-Rec25 §11: transfer to another provider, the period continues there';
    case 30: return cause === 'admission'
      ? 'RTT-Rec25 §4 rule 4a: first definitive treatment; an admitted clock stops on the admission date'
      : 'RTT-Rec25 §4 rule 4a: first definitive treatment stops the clock';
    case 31: return 'RTT-Rec25 §4 rule 5b: active monitoring initiated by the patient stops the clock';
    case 32: return 'RTT-Rec25 §4 rule 5b: active monitoring initiated by the care professional stops the clock';
    case 33: return 'RTT-Rec25 §4 rule 5e: a DNA of the first appointment, clearly communicated, nullifies the clock';
    case 34: return cause === 'validation'
      ? 'RTT-Rec25 §4 rule 5d and VAL22: validation found no further treatment needed here'
      : 'RTT-Rec25 §4 rule 5a/5d: decision not to treat or no further contact required stops the clock';
    case 35: return 'RTT-Rec25 §4 rule 5c: the patient declined treatment';
    case 36: return 'RTT-Rec25 Annex D: the patient died before treatment';
    default: return `RTT-Rec25 Annex D: code ${code} is not RTT activity`;
  }
}
