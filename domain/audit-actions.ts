// Every action code the audit log is written with. writeAudit takes only these, so a new code fails to
// compile until it is listed here, and the console's sentence table (a Record over this type) has a sentence for it.
export const auditActions = [
  'absence.recorded', 'absence.started', 'absence.changed', 'absence.ended', 'absence.cancelled', 'absence.planned', 'absence.active',
  'task.opened', 'task.claimed', 'task.released', 'task.assigned', 'task.snoozed', 'task.unsnoozed', 'task.completed', 'task.cancelled',
  'task.escalated', 'task.escalation_closed', 'task.absence_moved', 'task.absence_returned',
  'referral.registered', 'referral.updated', 'pathway.started', 'pathway.validated', 'pathway.fds_outcome_recorded',
  'rtt_clock.changed', 'cancer_targets.set',
  'appointment.booked', 'appointment.cancelled', 'appointment.outcome', 'appointment.communicated', 'appointment.interpreter',
  'patient.communication_changed', 'patient.contact_logged', 'communication.failed',
  'slot.booked', 'slot.freed', 'slot.blocked',
  'offer.recorded', 'offer.offered', 'offer.accepted', 'offer.declined',
  'clinic.created', 'clinic.changed', 'clinic.template_added', 'clinic.template_short_notice', 'clinic.slots_reconciled',
  'clinic_session.change_proposed', 'clinic_session.change_requested', 'clinic_session.changed', 'clinic_session.patient_skipped',
  'clinic_session.slot_missed',
  'queue.member_added', 'queue.member_removed',
  'staff.signed_in',
  // Go-live imports (issue 13): a file taken in, and how its run ended (counts only, never a row's contents).
  'import.started', 'import.finished', 'import.failed',
  // e-RS (issue 14): a triage outcome sent back to e-RS, or refused by it (the officer is told).
  'ers.outcome_sent', 'ers.outcome_failed',
  // FHIR read API (issue 14): a patient's records read through /fhir (by whom, which resource); system clients made and revoked.
  'fhir.read', 'system_client.created', 'system_client.revoked',
  // The PAS feed (issue 14): ops resending a message the PAS rejected, or setting it aside.
  'hl7_message.resent', 'hl7_message.set_aside',
  // Admitted care (issue 15): a patient listed for admission and the entry's changes; TCI offers; theatre sessions.
  'admission.listed', 'admission.changed', 'tci_offer.offered', 'tci_offer.accepted', 'tci_offer.declined', 'theatre_session.created',
  // Issue 15, stand-by and the 28-day guarantee: a patient on or off the stand-by list; an operation cancelled (its theatre
  // minutes freed); a cancelled operation rebooked or breached; a ward's elective beds set.
  'admission.stand_by_changed', 'admission.operation_cancelled', 'cancelled_operation.rebooked', 'cancelled_operation.breached', 'ward.saved',
  // Issue 16: a follow-up put on the partial booking list, and its moves (invited, chased, with the clinician, booked, discharged).
  'partial_booking.listed', 'partial_booking.changed',
  // Issue 16: a ward's follow-up request received (its pathway and first item made).
  'ward_form.received',
  // Issue 16: a patient seen outside a booked clinic, recorded after the fact.
  'attendance.recorded',
] as const;
export type AuditAction = (typeof auditActions)[number];

/** The kinds of record an audit entry is about (import last: the domain purity test reads the word import followed by a
 * quoted string as an import statement). */
export const auditEntityTypes = ['task', 'referral', 'appointment', 'slot', 'offer', 'absence', 'queue', 'clinic', 'clinic_session_change', 'staff',
  'patient', 'communication', 'system_client', 'hl7_message', 'admission', 'tci_offer', 'theatre_session', 'cancelled_operation', 'ward', 'partial_booking_entry', 'attendance', 'import'] as const;
export type AuditEntityType = (typeof auditEntityTypes)[number];
