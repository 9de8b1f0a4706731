// Referral → UKCore-ServiceRequest: the UBRN (and the previous PAS's pathway id), status from the referral's state,
// priority (two-week wait kept as the e-RS priority code in Extension-UKCore-PriorityReason), the specialty as its
// treatment function, the referrer, the clinic it was accepted into, and the source of referral.
import type { ServiceRequest } from '@medplum/fhirtypes';
import type { referrals } from '../../db/schema';
import { referralSourceLabels, type ReferralPriority, type ReferralState } from '../../domain';
import { fhirId, localSystem, NHS_NUMBER_SYSTEM, ODS_SYSTEM, TREATMENT_FUNCTION_SYSTEM, UBRN_SYSTEM, ukCore, ukCoreExtension, instant } from './common';

export type ReferralRow = typeof referrals.$inferSelect & {
  nhsNumber: string; specialtyName: string; clinicName: string | null; clinicianName: string | null;
};

/** Where a referral is, as a request's status: still being worked (active), or finished one way or another. */
const statusOf: Record<ReferralState, ServiceRequest['status']> = {
  awaiting_triage: 'active', awaiting_booking: 'active', booked: 'active', awaiting_follow_up: 'active', follow_up_booked: 'active',
  awaiting_dna_review: 'active', awaiting_admission: 'active', active_monitoring: 'active', awaiting_clinical_review: 'active', pifu: 'active',
  returned_to_referrer: 'revoked', transferred: 'revoked',
  discharged: 'completed', treated: 'completed', declined_treatment: 'completed', died: 'completed',
};
// R4 request-priority; a two-week wait (suspected cancer) is the most pressing an outpatient referral gets.
const priorityOf: Record<ReferralPriority, ServiceRequest['priority']> = { routine: 'routine', urgent: 'urgent', two_week_wait: 'asap' };
export const ERS_PRIORITY_SYSTEM = 'https://fhir.nhs.uk/STU3/CodeSystem/eRS-Priority-1';
const ersPriority: Record<ReferralPriority, { code: string; display: string }> = {
  routine: { code: 'ROUTINE', display: 'Routine' }, urgent: { code: 'URGENT', display: 'Urgent' }, two_week_wait: { code: 'TWO_WEEK_WAIT', display: 'Two Week Wait' },
};

// `_priority` carries the extension on the primitive `priority`; the types have no such key, the JSON does.
export function toFhirServiceRequest(r: ReferralRow): ServiceRequest & { _priority: unknown } {
  const priority = r.clinicalPriority ?? r.priority;
  const identifier: NonNullable<ServiceRequest['identifier']> = [];
  if (r.ubrn) identifier.push({ system: UBRN_SYSTEM, value: r.ubrn });
  if (r.pathwayId) identifier.push({ system: localSystem('patient-pathway-id'), value: r.pathwayId });
  const referrer = r.referrer;
  return {
    resourceType: 'ServiceRequest',
    id: fhirId(r.id),
    meta: { profile: [ukCore('ServiceRequest')], lastUpdated: instant(r.updatedAt) },
    extension: [{ url: ukCoreExtension('SourceOfServiceRequest'), valueCodeableConcept: { text: referralSourceLabels[r.source] } }],
    ...(identifier.length ? { identifier } : {}),
    status: statusOf[r.state],
    intent: 'order',
    category: [{ coding: [{ system: TREATMENT_FUNCTION_SYSTEM, code: r.specialtyCode, display: r.specialtyName }], text: r.specialtyName }],
    priority: priorityOf[priority],
    _priority: {
      extension: [{
        url: ukCoreExtension('PriorityReason'),
        valueCodeableConcept: { coding: [{ system: ERS_PRIORITY_SYSTEM, ...ersPriority[priority] }] },
      }],
    },
    subject: { reference: `Patient/${fhirId(r.patientId)}`, identifier: { system: NHS_NUMBER_SYSTEM, value: r.nhsNumber } },
    authoredOn: r.receivedAt,
    ...(referrer ? {
      requester: {
        display: referrer.organisation ? `${referrer.name}, ${referrer.organisation}` : referrer.name,
        ...(referrer.odsCode ? { identifier: { system: ODS_SYSTEM, value: referrer.odsCode } } : {}),
      },
    } : {}),
    ...(r.clinicId && r.clinicName ? { performer: [{ display: `${r.clinicName} (${r.clinicianName})` }] } : {}),
    reasonCode: [{ text: r.reason }],
  };
}
