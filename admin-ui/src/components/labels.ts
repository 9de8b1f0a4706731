// The access centre's words for the API's codes, and the choice lists built from them.
import type {
  AbsenceHandover,
  AbsenceStatus,
  AppointmentState,
  ReferralPriority,
  ReferralSource,
  ReferralState,
  SlotType,
  TaskStatus,
  TaskType,
} from '../types';

export const taskTypeLabels: Record<TaskType, string> = {
  triage_referral: 'Triage referral',
  book_new_appointment: 'Book new appointment',
  book_follow_up: 'Book follow-up',
  record_attendance: 'Record attendance',
  dna_review: 'DNA review',
  escalation_review: 'Escalation review',
  capacity_escalation: 'Capacity escalation',
};

export const taskStatusLabels: Record<TaskStatus, string> = {
  open: 'Open',
  claimed: 'Claimed',
  done: 'Done',
  cancelled: 'Cancelled',
};

export const priorityLabels: Record<ReferralPriority, string> = {
  two_week_wait: '2WW',
  urgent: 'Urgent',
  routine: 'Routine',
};

export const priorityLongLabels: Record<ReferralPriority, string> = {
  two_week_wait: 'Two-week wait (suspected cancer)',
  urgent: 'Urgent',
  routine: 'Routine',
};

export const referralStateLabels: Record<ReferralState, string> = {
  awaiting_triage: 'Awaiting triage',
  awaiting_booking: 'Awaiting booking',
  booked: 'Booked',
  awaiting_follow_up: 'Awaiting follow-up',
  follow_up_booked: 'Follow-up booked',
  awaiting_dna_review: 'Awaiting DNA review',
  returned_to_referrer: 'Returned to referrer',
  discharged: 'Discharged',
};

export const referralSourceLabels: Record<ReferralSource, string> = {
  ers: 'e-RS',
  gp_letter: 'GP letter',
  consultant: 'Consultant to consultant',
  ward: 'Ward',
};

export const appointmentStateLabels: Record<AppointmentState, string> = {
  booked: 'Booked',
  attended: 'Attended',
  did_not_attend: 'Did not attend',
  cancelled_by_patient: 'Cancelled by patient',
  cancelled_by_hospital: 'Cancelled by hospital',
};

export const appointmentKindLabels: Record<'new' | 'follow_up', string> = {
  new: 'New',
  follow_up: 'Follow-up',
};

export const slotTypeLabels: Record<SlotType, string> = {
  new: 'New',
  follow_up: 'Follow-up',
  urgent: 'Urgent',
  two_week_wait: '2WW',
};

export const slotStatusLabels: Record<'free' | 'booked' | 'blocked', string> = {
  free: 'Free',
  booked: 'Booked',
  blocked: 'Blocked',
};

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

export const rttStatusLabels: Record<'running' | 'stopped' | 'nullified', string> = {
  running: 'Clock running',
  stopped: 'Clock stopped',
  nullified: 'Nullified',
};

export const absenceStatusLabels: Record<AbsenceStatus, string> = {
  planned: 'Planned',
  active: 'On leave now',
  ended: 'Ended',
  cancelled: 'Cancelled',
};

export const handoverLabels: Record<AbsenceHandover, string> = {
  cover: 'To a colleague who covers',
  queue: 'Back to their queues',
};
