// What the console says once something worked: what happened, to whom, in the access centre's words.
import {
  attendanceOutcomeLabels, clinicalReviewDecisionLabels, monitoringReviewDecisionLabels, partialBookingReviewDecisionLabels,
  priorityLabels, validationOutcomeLabels,
} from '../../../domain/labels';
import type { ReferralPriority, TaskType } from '../../../domain/model';
import { formatDateRange } from './dates';

const plurals = new Intl.PluralRules('en-GB');

/** "1 day", "2 days", "1 work item", "14 work items": the one way a count is written. */
export function plural(count: number, one: string, other = `${one}s`): string {
  return `${count} ${plurals.select(count) === 'one' ? one : other}`;
}

const lower = (label: string) => label.charAt(0).toLowerCase() + label.slice(1);
/** '2WW' stays as written; 'Urgent' reads 'urgent' mid-sentence. */
const priorityWords = (priority: unknown) => {
  const words = typeof priority === 'string' && priority in priorityLabels ? priorityLabels[priority as ReferralPriority] : '';
  return /^[A-Z0-9]{2,}/.test(words) ? words : lower(words);
};

/** "Referral registered for Ann Patient, 2WW dermatology" */
export function referralRegisteredNotice(r: { patientName?: string | null; priority?: string | null; specialtyName?: string | null }): string {
  const what = [priorityWords(r.priority), r.specialtyName ? r.specialtyName.toLowerCase() : ''].filter(Boolean).join(' ');
  return `Referral registered${r.patientName ? ` for ${r.patientName}` : ''}${what ? `, ${what}` : ''}`;
}

/**
 * "Leave recorded for Olivia Officer, 1 to 4 Dec; 14 work items moved to Omar Officer" (leave from today),
 * "…; 14 work items will move to Omar Officer on 1 Dec" (leave ahead). `moving` is the preview's count.
 */
export function leaveRecordedNotice(l: {
  staffName: string; from: string; to: string; moving: number; coverName?: string | null; handover: 'cover' | 'queue'; today: string;
}): string {
  const head = `Leave recorded for ${l.staffName}, ${formatDateRange(l.from, l.to)}`;
  if (l.moving === 0) return `${head}; no open work items to move`;
  const where = l.handover === 'queue' || !l.coverName ? 'back to their queues' : `to ${l.coverName}`;
  const items = plural(l.moving, 'work item');
  return l.from <= l.today ? `${head}; ${items} moved ${where}` : `${head}; ${items} will move ${where} on ${formatDateRange(l.from, l.from)}`;
}

/** "Moved 14 work items to Omar Officer" */
export function movedNotice(moved: number, toName?: string | null): string {
  return `Moved ${plural(moved, 'work item')}${toName ? ` to ${toName}` : ''}`;
}

/** "Assigned to Omar Officer" or "Back on Urology (101)": where one work item went. */
export function assignedNotice(task: { assigneeName?: string | null; queueName?: string | null } | undefined): string {
  if (task?.assigneeName) return `Assigned to ${task.assigneeName}`;
  return `Back on ${task?.queueName ?? 'its queue'}, for anyone in it to claim`;
}

type Outcome = Record<string, unknown>;
const label = <K extends string>(labels: Record<K, string>, value: unknown) =>
  typeof value === 'string' && value in labels ? labels[value as K] : '';

/** What was decided on a work item: "Triage: accepted as urgent", "Attendance recorded: did not attend". */
export function workItemDoneNotice(type: TaskType, outcome: Outcome, patientName?: string | null): string {
  const forWhom = patientName ? ` for ${patientName}` : '';
  switch (type) {
    case 'triage_referral':
      return outcome.decision === 'accept'
        ? `Referral${forWhom} accepted as ${priorityWords(outcome.clinicalPriority) || 'triaged'}`
        : `Referral${forWhom} returned to the referrer`;
    case 'book_new_appointment':
    case 'book_follow_up':
    case 'rebook_appointment':
      return `Appointment booked${forWhom}`;
    case 'record_attendance':
      return `Attendance recorded${forWhom}: ${lower(label(attendanceOutcomeLabels, outcome.outcome))}`;
    case 'dna_review':
      return `DNA review${forWhom}: ${outcome.decision === 'discharge' ? 'discharged' : 'to be rebooked'}`;
    case 'clinical_review':
      return `Clinical review${forWhom}: ${lower(label(clinicalReviewDecisionLabels, outcome.decision))}`;
    case 'active_monitoring_review':
      return `Monitoring review${forWhom}: ${lower(label(monitoringReviewDecisionLabels, outcome.decision))}`;
    case 'validate_pathway':
      return `Pathway validated${forWhom}: ${lower(label(validationOutcomeLabels, outcome.outcome))}`;
    case 'escalation_review':
    case 'capacity_escalation':
      return `Escalation${forWhom} marked as actioned`;
    case 'book_interpreter':
      return outcome.outcome === 'booked' ? `Interpreter booked${forWhom}` : `Interpreter not needed${forWhom}`;
    case 'contact_patient':
      return `Contact${forWhom} recorded`;
    case 'resolve_slot_issue':
      return `Slot issue${forWhom} resolved`;
    case 'book_pre_op':
      return `Pre-operative assessment${forWhom} booked`;
    case 'pre_op_review':
      return `Pre-op review${forWhom} recorded`;
    case 'book_tci':
      return `Admission${forWhom} booked`;
    case 'tci_clinical_review':
      return `Clinical review${forWhom}: ${lower(label(clinicalReviewDecisionLabels, outcome.decision))}`;
    case 'rebook_cancelled_operation':
    case 'offer_stand_by':
    case 'bed_management':
      return `Work item${forWhom} completed`;
    case 'partial_booking_review':
      return `Follow-up review${forWhom}: ${lower(label(partialBookingReviewDecisionLabels, outcome.decision))}`;
    default: {
      const unknownType: never = type;
      return `Work item ${String(unknownType)} completed`;
    }
  }
}
