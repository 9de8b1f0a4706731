// The CapabilityStatement at /fhir/metadata: what a FHIR client finds here before it asks, read from the same lists
// the routes use. Public, as FHIR expects: it holds no patient data.
import type { CapabilityStatement } from '@medplum/fhirtypes';
import { FHIR_JSON, ukCore } from './common';

type Param = { name: string; type: 'token' | 'reference' | 'date'; documentation: string };
/** Every resource is searched by id too (its search needs no other parameter then). */
const byId: Param = { name: '_id', type: 'token', documentation: 'One or more ids, comma-separated' };
const ownParams: Record<string, Param[]> = {
  Patient: [
    { name: 'identifier', type: 'token', documentation: 'https://fhir.nhs.uk/Id/nhs-number|<NHS number>' },
  ],
  ServiceRequest: [
    { name: 'patient', type: 'reference', documentation: 'Patient/<id>: the referrals of a patient' },
    { name: 'subject', type: 'reference', documentation: 'The same as patient' },
  ],
  Appointment: [
    { name: 'patient', type: 'reference', documentation: 'Patient/<id>' },
    { name: 'date', type: 'date', documentation: 'The start; eq, ne, gt, ge, lt, le; a date without a time is a whole day in Europe/London; may repeat' },
    { name: 'status', type: 'token', documentation: 'booked, fulfilled, noshow or cancelled' },
  ],
  Slot: [
    { name: 'schedule', type: 'reference', documentation: 'Schedule/<id>: the slots of a clinic' },
    { name: 'start', type: 'date', documentation: 'As Appointment date' },
    { name: 'status', type: 'token', documentation: 'free, busy or busy-unavailable' },
  ],
  Schedule: [
    { name: 'active', type: 'token', documentation: 'true or false' },
  ],
};

export const searchParams: Record<string, Param[]> = Object.fromEntries(Object.entries(ownParams).map(([type, params]) => [type, [...params, byId]]));

export function capabilityStatement(date: string): CapabilityStatement {
  return {
    resourceType: 'CapabilityStatement',
    status: 'active', date, kind: 'instance', fhirVersion: '4.0.1', format: [FHIR_JSON, 'json'],
    name: 'AccessDeskFhirReadApi', title: 'Access Desk FHIR R4 (UK Core) read API',
    implementation: { description: 'Patients, referrals, appointments, slots and clinics of the access centre, read-only' },
    rest: [{
      mode: 'server',
      security: { cors: false, description: 'A staff session cookie (sign in at /api/auth/login), or Authorization: Bearer <system client token> from an administrator' },
      resource: Object.entries(searchParams).map(([type, params]) => ({
        type: type as 'Patient', profile: ukCore(type),
        interaction: [{ code: 'read' as const }, { code: 'search-type' as const }],
        searchParam: params.map((p) => ({ name: p.name, type: p.type, documentation: p.documentation })),
      })),
    }],
  };
}
