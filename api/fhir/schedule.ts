// Clinic → UKCore-Schedule (identifier 1..1 in UK Core): the clinic's calendar of slots, its clinician and site as the
// actor, its specialty, and the planning horizon as the span of slots it has.
import type { Schedule } from '@medplum/fhirtypes';
import type { clinics } from '../../db/schema';
import { fhirId, instant, localSystem, TREATMENT_FUNCTION_SYSTEM, ukCore } from './common';

export type ClinicRow = typeof clinics.$inferSelect & { specialtyName: string; firstSlot: Date | null; lastSlot: Date | null };

export function toFhirSchedule(c: ClinicRow): Schedule {
  return {
    resourceType: 'Schedule',
    id: fhirId(c.id),
    meta: { profile: [ukCore('Schedule')], lastUpdated: instant(c.updatedAt) },
    identifier: [{ system: localSystem('clinic'), value: c.id }],
    active: c.active,
    specialty: [{ coding: [{ system: TREATMENT_FUNCTION_SYSTEM, code: c.specialtyCode, display: c.specialtyName }], text: c.specialtyName }],
    actor: [{ display: `${c.clinicianName}, ${c.site}` }],
    ...(c.firstSlot && c.lastSlot ? { planningHorizon: { start: instant(c.firstSlot), end: instant(c.lastSlot) } } : {}),
    comment: c.name,
  };
}
