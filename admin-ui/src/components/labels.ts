// The access centre's words for the API's codes (domain/labels.ts), and the choice lists built from them.
export {
  absenceStatusLabels,
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
