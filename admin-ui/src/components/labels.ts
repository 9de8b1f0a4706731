// The access centre's words for the API's codes (domain/labels.ts), and the choice lists built from them.
import type { CancerBreachRisk, PtlAlert, PtlNextEventType } from '../../../domain/model';

export {
  absenceStatusLabels,
  aisNeedLabels,
  contactChannelLabels,
  contactDirectionLabels,
  contactOutcomeLabels,
  appointmentKindLabels,
  appointmentStateLabels,
  attendanceOutcomeLabels,
  dnaReviewDecisionLabels,
  handoverLabels,
  priorityLabels,
  priorityLongLabels,
  queueKindLabels,
  referralSourceLabels,
  referralStateLabels,
  roleLabels,
  rttStatusLabels,
  slotStatusLabels,
  slotTypeLabels,
  taskStatusLabels,
  taskTypeLabels,
  triageDecisionLabels,
} from '../../../domain/labels';

// Clinic templates number weekdays the ISO way: 1 Monday … 7 Sunday.
const isoWeekdays = ['Monday', 'Tuesday', 'Wednesday', 'Thursday', 'Friday', 'Saturday', 'Sunday'];

export function weekdayLabel(value: number | string): string {
  const n = Number(value);
  return Number.isInteger(n) && n >= 1 && n <= 7 ? isoWeekdays[n - 1] : String(value);
}

/** A label for a code, falling back to the code itself so an unknown value still shows. */
export function labelFor<K extends string>(labels: Record<K, string>, value: unknown): string {
  if (value == null || value === '') return '';
  return (labels as Record<string, string>)[String(value)] ?? String(value);
}

/** react-admin `choices` from a label table, in the table's order. */
export function choicesFrom<K extends string>(labels: Record<K, string>): { id: K; name: string }[] {
  return (Object.entries(labels) as [K, string][]).map(([id, name]) => ({ id, name }));
}

export {
  commChannelLabels,
  communicationStatusLabels,
  letterFormatLabels,
  messageRecipientLabels,
  messageTemplateLabels,
  communicationMethodLabels,
  fdsOutcomeLabels,
  monitoringReviewDecisionLabels,
  ptlStageLabels,
  rttEventCauseLabels,
  rttPeriodStatusLabels,
  validationFieldLabels,
  validationOutcomeLabels,
} from '../../../domain/labels';

/** Breach risk on the cancer view, in plain words (a Record over the domain's list: a new value needs words). */
export const breachRiskLabels: Record<CancerBreachRisk, string> = {
  breached: 'Breached',
  at_risk: 'At risk',
  on_track: 'On track',
  met: 'Met',
};

/** What a PTL alert says on the row. */
export const ptlAlertLabels: Record<PtlAlert, string> = {
  over_52_weeks: 'Over 52 weeks',
  breached: 'Breached 18 weeks',
  unbooked: 'Unbooked',
  not_validated: 'Not validated',
};

export const nextEventTypeLabels: Record<PtlNextEventType, string> = {
  new_appointment: 'First appointment',
  follow_up_appointment: 'Follow-up',
  active_monitoring_review: 'Monitoring review',
};

/** FDS outcome filter on the cancer view: 'none' is "patient not yet told". */
export const fdsFilterLabels = { none: 'Not yet told', cancer_confirmed: 'Cancer confirmed', cancer_ruled_out: 'Cancer ruled out' } as const;
