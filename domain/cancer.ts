// Cancer waiting-time targets. Day 0 is the date the provider received the referral; days are
// calendar days [A CWT12 summary; rules doc §2.2]. Standards as changed on 1 Oct 2023 [A CWT-2023].

import { addDays } from './dates';
import { defaultAccessPolicy, type AccessPolicy } from './booking-policy';

/**
 * Urgent suspected cancer first seen by day 14. No longer a national standard, but the local aim
 * that protects the 28-day FDS [A legacy; CWT-2023; N cancer alliances].
 */
export function uscFirstSeenTargetDate(receivedDate: string, policy: AccessPolicy = defaultAccessPolicy): string {
  return addDays(receivedDate, policy.cancer.uscFirstSeenDays);
}

/** Faster Diagnosis Standard: the patient is told the diagnosis or that cancer is ruled out by day 28 [A CWT12]. */
export function fdsTargetDate(receivedDate: string, policy: AccessPolicy = defaultAccessPolicy): string {
  return addDays(receivedDate, policy.cancer.fdsDays);
}

/** 62-day standard: referral received (or consultant upgrade) to first definitive treatment [A CWT-2023]. */
export function cancer62TargetDate(receivedDate: string, policy: AccessPolicy = defaultAccessPolicy): string {
  return addDays(receivedDate, policy.cancer.referralToTreatmentDays);
}

/** 31-day standard: decision to treat (or ECAD for a subsequent treatment) to treatment [A CWT-2023]. */
export function cancer31TargetDate(decisionToTreatDate: string, policy: AccessPolicy = defaultAccessPolicy): string {
  return addDays(decisionToTreatDate, policy.cancer.decisionToTreatDays);
}
