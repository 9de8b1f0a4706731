// Slot → UKCore-Slot: free, booked (busy) or blocked (busy-unavailable), in its clinic's Schedule.
import type { Slot } from '@medplum/fhirtypes';
import type { slots } from '../../db/schema';
import { slotTypeLabels, type SlotStatus } from '../../domain';
import { fhirId, instant, TREATMENT_FUNCTION_SYSTEM, ukCore } from './common';

export type SlotRow = typeof slots.$inferSelect & { specialtyCode: string; specialtyName: string };

export const slotStatusOf: Record<SlotStatus, Slot['status']> = { free: 'free', booked: 'busy', blocked: 'busy-unavailable' };

export function toFhirSlot(s: SlotRow): Slot {
  return {
    resourceType: 'Slot',
    id: fhirId(s.id),
    meta: { profile: [ukCore('Slot')] },
    schedule: { reference: `Schedule/${fhirId(s.clinicId)}` },
    status: slotStatusOf[s.status],
    start: instant(s.start),
    end: instant(s.end),
    specialty: [{ coding: [{ system: TREATMENT_FUNCTION_SYSTEM, code: s.specialtyCode, display: s.specialtyName }], text: s.specialtyName }],
    appointmentType: { text: slotTypeLabels[s.type] },
    overbooked: false,
  };
}
