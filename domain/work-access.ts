// Who may finish which kind of work item, and what a person on leave is told: one table for the API
// (claim-next, My work, completing) and the console (read-only items, the leave banner).
import { taskTypeLabels } from './labels';
import type { Role, TaskType } from './model';

/** Who may record each kind of decision. */
export const completers: Readonly<Record<TaskType, readonly Role[]>> = {
  triage_referral: ['officer', 'team_leader', 'clinician', 'admin'],
  book_new_appointment: ['officer', 'team_leader', 'admin'],
  book_follow_up: ['officer', 'team_leader', 'admin'],
  record_attendance: ['officer', 'team_leader', 'clinician', 'admin'],
  dna_review: ['clinician', 'team_leader', 'admin'],
  escalation_review: ['team_leader', 'admin'],
  capacity_escalation: ['ops', 'admin'],
  validate_pathway: ['officer', 'team_leader', 'admin'],
  active_monitoring_review: ['clinician', 'team_leader', 'admin'],
  rebook_appointment: ['officer', 'team_leader', 'admin'],
  clinical_review: ['clinician', 'team_leader', 'admin'],
  book_interpreter: ['officer', 'team_leader', 'admin'],
  contact_patient: ['officer', 'team_leader', 'admin'],
  resolve_slot_issue: ['officer', 'team_leader', 'admin'],
  // Admitted care (issue 15): the booking team books; clinicians review.
  book_pre_op: ['officer', 'team_leader', 'admin'],
  pre_op_review: ['clinician', 'team_leader', 'admin'],
  book_tci: ['officer', 'team_leader', 'admin'],
  tci_clinical_review: ['clinician', 'team_leader', 'admin'],
  rebook_cancelled_operation: ['officer', 'team_leader', 'admin'],
  offer_stand_by: ['officer', 'team_leader', 'admin'],
  bed_management: ['officer', 'team_leader', 'admin'],
  // Issue 16: only a clinician (or a leader) decides on a follow-up nobody booked: book anyway, extend or discharge.
  partial_booking_review: ['clinician', 'team_leader', 'admin'],
};

export const mayComplete = (role: Role, type: TaskType): boolean => completers[type].includes(role);

/** The types a role may finish, in the table's order. */
export const completableTypes = (role: Role): TaskType[] =>
  (Object.keys(completers) as TaskType[]).filter((type) => mayComplete(role, type));

const rolePlurals: Record<Role, string> = {
  officer: 'officers', team_leader: 'team leaders', clinician: 'clinicians', ops: 'operations managers', admin: 'administrators',
};

const inWords = (items: string[]) => (items.length < 2 ? items.join('') : `${items.slice(0, -1).join(', ')} and ${items[items.length - 1]}`);

/**
 * "Only operations managers can complete a capacity escalation": the line someone who may not finish an
 * item reads instead of a form. Administrators can finish anything, so they go unnamed unless alone.
 */
export function whoCompletes(type: TaskType): string {
  const roles = completers[type].filter((role) => role !== 'admin');
  const label = taskTypeLabels[type];
  // Reviews and escalations are things ("a DNA review"); the rest are named for a task ("a “Book follow-up” item").
  const what = /(review|escalation)$/i.test(label) ? (/^[A-Z]{2}/.test(label) ? label : label.toLowerCase()) : `“${label}” item`;
  const article = /^[aeiou]/i.test(what) ? 'an' : 'a';
  return `Only ${inWords((roles.length ? roles : ['admin' as Role]).map((role) => rolePlurals[role]))} can complete ${article} ${what}`;
}

// A calendar date read as it is written (UTC), not shifted by the reader's zone.
const dayDate = new Intl.DateTimeFormat('en-GB', { weekday: 'short', day: 'numeric', month: 'short', year: 'numeric', timeZone: 'UTC' });
/** '2026-12-04' → "Fri 4 Dec 2026". */
export const formatDayDate = (date: string): string => dayDate.format(new Date(`${date}T00:00:00Z`)).replace(',', '');

export type CurrentLeave = { to: string; reason: string | null; handover: 'cover' | 'queue'; coverStaffName: string | null };

/** "You are on annual leave until Fri 4 Dec 2026; your items are with Omar Officer." */
export function onLeaveMessage(leave: CurrentLeave): string {
  const reason = leave.reason?.trim() ?? '';
  const what = /leave$/i.test(reason) ? reason.toLowerCase() : 'leave';
  const items = leave.handover === 'cover' && leave.coverStaffName
    ? `your items are with ${leave.coverStaffName}`
    : 'your items are back in their queues';
  return `You are on ${what} until ${formatDayDate(leave.to)}; ${items}. Claim next hands out no work while you are away.`;
}
