// The PTL, the cancer view and the clock as the API answers them: the OpenAPI document's response schemas and
// the console's types (import the types only). Pure: no node:*, no db.
import { z } from '@hono/zod-openapi';
import { communicationNeeds } from './records';
import {
  cancerBreachRisks, fdsOutcomes, ptlAlerts, ptlNextEventTypes, ptlStages, referralPriorities, rttEventCauses, rttPeriodStatuses,
} from '../domain/model';

export { cancerBreachRisks, ptlAlerts, ptlNextEventTypes };

const str = z.string();
const strN = z.string().nullable();
const int = z.number().int();
const intN = z.number().int().nullable();
const priority = z.enum(referralPriorities);
const staffRef = z.object({ id: str, name: str });


export const ptlRow = z.object({
  id: str.openapi({ description: 'The referral id' }), referralId: str, nhsNumber: str, patientName: str, specialtyCode: str, specialtyName: str,
  treatmentFunctionCode: str.openapi({ description: "The RTT return's line for the specialty (rttReturnTfc)" }),
  priority, clinicalPriority: priority.nullable(), stage: z.enum(ptlStages).nullable(),
  clockStart: str, daysWaited: int.openapi({ description: 'To the census date (or today); frozen at the stop on active monitoring' }),
  weekBand: int.openapi({ description: '1..105, as the RTT return bands days' }), weekBandLabel: str.openapi({ example: '52-53' }),
  breachDate: str.openapi({ description: 'Clock start + 127 days: the first day over 18 weeks' }),
  nextEventDate: strN, nextEventType: z.enum(ptlNextEventTypes).nullable(), lastRttCode: int,
  lastValidatedAt: strN, lastValidatedBy: staffRef.nullable(),
  alerts: z.array(z.enum(ptlAlerts)),
  communicationNeeds,
}).openapi('PtlRow');

export const ptlHistogram = z.object({
  census: str.openapi({ description: 'The date waits are counted to (today unless census was given)' }),
  bandLabels: z.array(str).openapi({ description: "The 105 week bands: '0-1' … '104+'" }),
  specialties: z.array(z.object({
    specialtyCode: str, specialtyName: str, total: int, within18Weeks: int, over52Weeks: int,
    bands: z.array(int).openapi({ description: 'Patients in each of the 105 week bands' }),
  })),
}).openapi('PtlHistogram');


export const cancerPtlRow = z.object({
  id: str, referralId: str, nhsNumber: str, patientName: str, specialtyCode: str, specialtyName: str,
  cancerClockStart: str.openapi({ description: 'Received, or the date the referral was upgraded to two-week wait' }),
  daysSinceReferral: int, firstSeenOn: strN.openapi({ description: 'Date of the first attended new appointment' }),
  uscFirstSeenTarget: str, fdsTarget: str, fdsOutcome: z.enum(fdsOutcomes).nullable(), fdsCommunicatedOn: strN, cancer62Target: str,
  stage: z.enum(ptlStages).nullable(), nextStep: str, nextEventDate: strN, breachRisk: z.enum(cancerBreachRisks),
}).openapi('CancerPtlRow');

const clockEvent = z.object({
  id: str, code: int, meaning: str, date: str, cause: z.enum(rttEventCauses), causeLabel: str, appointmentId: strN, taskId: strN,
  outcome: strN, actor: staffRef.nullable(), rule: str, policyVersion: str, note: strN, recordedAt: str,
});
const clockPeriod = z.object({
  periodNo: int, status: z.enum(rttPeriodStatuses), clockStart: str, startCode: int, clockStop: strN, stopCode: intN,
  ptlOrderStart: str, decisionToAdmitOn: strN, stopAdmitted: z.boolean(), daysWaited: int, breachDate: str,
  events: z.array(clockEvent),
});
export const referralClock = z.object({
  referralId: str,
  current: z.object({
    periodNo: int, status: z.enum(rttPeriodStatuses), clockStart: str, clockStop: strN, daysWaited: int, weekBand: int, breachDate: str,
  }).nullable().openapi({ description: 'The latest period; null before the clock has started' }),
  periods: z.array(clockPeriod),
}).openapi('ReferralClock');

export type PtlRow = z.infer<typeof ptlRow>;
export type PtlAlert = (typeof ptlAlerts)[number];
export type PtlHistogram = z.infer<typeof ptlHistogram>;
export type CancerPtlRow = z.infer<typeof cancerPtlRow>;
export type CancerBreachRisk = (typeof cancerBreachRisks)[number];
export type ReferralClock = z.infer<typeof referralClock>;
export type ReferralClockPeriod = z.infer<typeof clockPeriod>;
export type ReferralClockEvent = z.infer<typeof clockEvent>;
