// The issue 9 records as the API answers them (PTL, cancer view, clock, returns) and the new work item
// outcomes, written from the agreed shapes (/api/ptl, /api/cancer-ptl, /api/referrals/:id/clock,
// /api/returns/*). Type-only: nothing of the API is bundled into the console.
import type {
  AttendanceOutcomeKind, CommunicationMethod, FdsOutcome, MonitoringReviewDecision, PtlStage, ReferralPriority, RttEventCause,
  RttPeriodStatus, ValidationField,
} from '../../domain/model';
import type { RttReturnPart } from '../../domain/rtt-reporting';

export type { CommunicationMethod, FdsOutcome, PtlStage, RttEventCause, RttPeriodStatus, RttReturnPart };

export type PtlAlert = 'over_52_weeks' | 'breached' | 'unbooked' | 'not_validated' | (string & {});

export interface PtlRow {
  id: string;
  referralId: string;
  nhsNumber: string;
  patientName: string;
  specialtyCode: string;
  specialtyName: string | null;
  treatmentFunctionCode: string;
  priority: ReferralPriority;
  clinicalPriority: ReferralPriority | null;
  stage: PtlStage;
  clockStart: string;
  daysWaited: number;
  weekBand: number;
  weekBandLabel: string;
  breachDate: string | null;
  nextEventDate: string | null;
  nextEventType: 'new_appointment' | 'follow_up_appointment' | 'active_monitoring_review' | null;
  lastRttCode: number | null;
  lastValidatedAt: string | null;
  lastValidatedBy: { id: string; name: string } | null;
  alerts: PtlAlert[];
}

export interface PtlHistogramSpecialty {
  specialtyCode: string;
  specialtyName: string | null;
  total: number;
  within18Weeks: number;
  over52Weeks: number;
  /** 105 counts, band 1 (0-1) … band 105 (104+). */
  bands: number[];
}

export interface PtlHistogram {
  census: string;
  bandLabels: string[];
  specialties: PtlHistogramSpecialty[];
}

export type BreachRisk = 'met' | 'on_track' | 'at_risk' | 'breached';

export interface CancerRow {
  id: string;
  referralId: string;
  nhsNumber: string;
  patientName: string;
  specialtyCode: string;
  specialtyName: string | null;
  cancerClockStart: string;
  daysSinceReferral: number;
  firstSeenOn: string | null;
  uscFirstSeenTarget: string | null;
  fdsTarget: string | null;
  fdsOutcome: FdsOutcome | null;
  fdsCommunicatedOn: string | null;
  cancer62Target: string | null;
  stage: PtlStage | null;
  nextStep: string | null;
  nextEventDate: string | null;
  breachRisk: BreachRisk;
}

export interface FdsOutcomeRequest {
  outcome: FdsOutcome;
  communicatedOn: string;
}

export interface ClockEvent {
  id: string | number;
  code: number;
  meaning: string | null;
  date: string;
  cause: RttEventCause | string;
  causeLabel: string | null;
  appointmentId: string | null;
  taskId: string | null;
  outcome: string | null;
  actor: { id: string; name: string } | null;
  rule: string | null;
  policyVersion: string | null;
  note: string | null;
  recordedAt: string | null;
}

export interface ClockPeriod {
  periodNo: number;
  status: RttPeriodStatus;
  clockStart: string;
  startCode: number;
  clockStop: string | null;
  stopCode: number | null;
  ptlOrderStart: string | null;
  decisionToAdmitOn: string | null;
  stopAdmitted: boolean | null;
  daysWaited: number | null;
  breachDate: string | null;
  events: ClockEvent[];
}

export interface ReferralClock {
  referralId: string;
  current: {
    periodNo: number;
    status: RttPeriodStatus;
    clockStart: string;
    clockStop: string | null;
    daysWaited: number | null;
    weekBand: number | null;
    breachDate: string | null;
  } | null;
  periods: ClockPeriod[];
}

export interface RttEventRequest {
  code: number;
  date: string;
  note?: string;
}

export interface RttReturnRow {
  part: RttReturnPart;
  tfc: string;
  bands: number[];
  unknown: number;
  total: number;
  within18Weeks: number;
}

export interface RttReturnTotal {
  total: number;
  within18Weeks: number;
  percentWithin18Weeks: number | null;
}

export interface RttReturn {
  month: string;
  census: string;
  bandLabels: string[];
  rows: RttReturnRow[];
  totals: Partial<Record<RttReturnPart, RttReturnTotal>>;
}

export interface WlmdsSummary {
  week: string;
  census: string;
  previousWeek: string;
  previousCensus: string;
  total: number;
  joiners: number;
  leavers: number;
  leaversByReason: { reason: string; label: string; count: number }[];
  changed: number;
  changedByField: { field: string; count: number }[];
}

// ---------------------------------------------------------------- work item outcomes (issue 9)

export type AttendanceOutcomeV2 = {
  outcome: AttendanceOutcomeKind;
  followUpWeeks?: number;
  reviewInWeeks?: number;
  patientInitiated?: boolean;
  note?: string;
};

export type ValidationOutcome =
  | { outcome: 'still_waiting'; note?: string }
  | { outcome: 'treated_elsewhere'; note?: string }
  | { outcome: 'no_longer_required'; patientConfirmed: true; note?: string }
  | { outcome: 'data_corrected'; field: ValidationField; note: string };

export type MonitoringReviewOutcome = {
  decision: MonitoringReviewDecision;
  reviewInWeeks?: number;
  plan?: 'admit' | 'outpatient';
  note?: string;
};

/** Told as it was booked: phone or in person; later evidence goes to POST /api/appointments/:id/communication. */
export type BookingOutcomeV2 = { slotId: string; communicatedBy?: Extract<CommunicationMethod, 'phone' | 'in_person'> };
