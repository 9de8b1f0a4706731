// Which queue a pathway's work item goes to: one rule for the workflows, the activities and any preview.
import type { ReferralPriority, TaskType } from './model';

export type QueueRoute =
  | { kind: 'specialty'; specialtyCode: string }
  | { kind: 'two_week_wait' | 'escalation' | 'capacity' | 'validation' | 'rebooking' | 'admitted_booking'; specialtyCode?: undefined };

/**
 * Escalations to the team leaders' and operations' queues; waiting-list validation to the Validation queue; a
 * hospital-cancelled appointment to the Rebooking queue; a 2WW first booking to the cancer booking team; the rest
 * (clinical reviews too: clinicians work the specialty queues) to the specialty.
 */
export function queueFor(type: TaskType, priority: ReferralPriority, specialtyCode: string): QueueRoute {
  if (type === 'escalation_review') return { kind: 'escalation' };
  if (type === 'capacity_escalation') return { kind: 'capacity' };
  if (type === 'validate_pathway') return { kind: 'validation' };
  if (type === 'rebook_appointment') return { kind: 'rebooking' };
  // Issue 15: pre-op and TCI booking are the admitted booking team's; the reviews go to the specialty's clinicians.
  if (type === 'book_pre_op' || type === 'book_tci') return { kind: 'admitted_booking' };
  // Issue 15: the admitted booking team rebooks cancelled operations, rings the stand-by list and liaises with bed management.
  if (type === 'rebook_cancelled_operation' || type === 'offer_stand_by' || type === 'bed_management') return { kind: 'admitted_booking' };
  if (type === 'book_new_appointment' && priority === 'two_week_wait') return { kind: 'two_week_wait' };
  return { kind: 'specialty', specialtyCode };
}
