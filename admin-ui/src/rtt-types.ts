// The issue 9 records and requests as the API answers and accepts them, inferred from the API's own zod
// schemas (api/ptl-records.ts, api/records.ts, api/schemas.ts), the same ones that validate and generate
// /api/openapi.json. Type-only: nothing of the API is bundled into the console.
import type { z } from 'zod';
import type { CommunicationMethod, FdsOutcome, PtlStage, RttEventCause, RttPeriodStatus, ValidationField } from '../../domain/model';
import type { RttReturnPart } from '../../domain/rtt-reporting';
import type { PtlHistogram } from '../../api/ptl-records';
import type { rttReturn, wlmdsSummary } from '../../api/records';
import type { clinicalReviewOutcome, fdsOutcomeBody, monitoringReviewOutcome, validationOutcome } from '../../api/schemas';

export type { CommunicationMethod, FdsOutcome, PtlStage, RttEventCause, RttPeriodStatus, RttReturnPart, ValidationField };
export type {
  PtlRow, PtlAlert, PtlHistogram, CancerPtlRow as CancerRow, CancerBreachRisk as BreachRisk, ReferralClock,
  ReferralClockPeriod as ClockPeriod, ReferralClockEvent as ClockEvent,
} from '../../api/ptl-records';
export type { RttEventRequest } from '../../api/schemas';

export type PtlHistogramSpecialty = PtlHistogram['specialties'][number];
export type FdsOutcomeRequest = z.input<typeof fdsOutcomeBody>;
export type ValidationOutcome = z.input<typeof validationOutcome>;
export type MonitoringReviewOutcome = z.input<typeof monitoringReviewOutcome>;
export type ClinicalReviewOutcome = z.input<typeof clinicalReviewOutcome>;
export type RttReturn = z.infer<typeof rttReturn>;
export type RttReturnRow = RttReturn['rows'][number];
export type WlmdsSummary = z.infer<typeof wlmdsSummary>;
