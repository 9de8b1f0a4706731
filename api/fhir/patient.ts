// Patient → UKCore-Patient: the NHS number with its verification status, name, birth date, home address,
// telecom, spoken language and interpreter (Extension-UKCore-NHSCommunication), and a carer as a contact.
import type { Extension, Patient } from '@medplum/fhirtypes';
import type { patients } from '../../db/schema';
import { isUkMobile } from '../../domain';
import { fhirId, instant, NHS_NUMBER_SYSTEM, ukCore, ukCoreExtension } from './common';

export type PatientRow = typeof patients.$inferSelect;

export const NHS_NUMBER_VERIFICATION_SYSTEM = 'https://fhir.hl7.org.uk/CodeSystem/UKCore-NHSNumberVerificationStatusEngland';
const verification = {
  // e-RS only lets a referrer choose a patient traced on PDS, so an NHS number that came with an e-RS referral is verified.
  verified: { code: '01', display: 'Number present and verified' },
  // Typed in from a letter or brought over from the PAS: we check Modulus 11, but have not traced it on PDS.
  notTraced: { code: '02', display: 'Number present but not traced' },
} as const;

export function toFhirPatient(p: PatientRow, opts: { verified: boolean }): Patient {
  const status = opts.verified ? verification.verified : verification.notTraced;
  const extension: Extension[] = [];
  if (p.interpreterLanguage) {
    extension.push({
      url: ukCoreExtension('NHSCommunication'),
      extension: [
        { url: 'language', valueCodeableConcept: { text: p.interpreterLanguage } },
        { url: 'interpreterRequired', valueBoolean: true },
      ],
    });
  }
  const telecom: NonNullable<Patient['telecom']> = [];
  if (p.phone) telecom.push({ system: 'phone', value: p.phone, use: isUkMobile(p.phone) ? 'mobile' : 'home' });
  if (p.email) telecom.push({ system: 'email', value: p.email, use: 'home' });
  const hasAddress = p.addressLines.length > 0 || p.postcode;
  return {
    resourceType: 'Patient',
    id: fhirId(p.id),
    meta: { profile: [ukCore('Patient')], lastUpdated: instant(p.updatedAt) },
    ...(extension.length ? { extension } : {}),
    identifier: [{
      system: NHS_NUMBER_SYSTEM, value: p.nhsNumber,
      extension: [{
        url: ukCoreExtension('NHSNumberVerificationStatus'),
        valueCodeableConcept: { coding: [{ system: NHS_NUMBER_VERIFICATION_SYSTEM, ...status }] },
      }],
    }],
    name: [{ use: 'usual', family: p.familyName, given: [p.givenName] }],
    birthDate: p.dateOfBirth,
    ...(telecom.length ? { telecom } : {}),
    ...(hasAddress ? { address: [{ use: 'home', ...(p.addressLines.length ? { line: p.addressLines } : {}), ...(p.postcode ? { postalCode: p.postcode } : {}) }] } : {}),
    ...(p.interpreterLanguage ? { communication: [{ language: { text: p.interpreterLanguage }, preferred: true }] } : {}),
    ...(p.carer ? {
      contact: [{
        relationship: [{ text: p.carer.relationship }],
        name: { text: p.carer.name },
        ...(p.carer.phone || p.carer.email ? {
          telecom: [
            ...(p.carer.phone ? [{ system: 'phone' as const, value: p.carer.phone }] : []),
            ...(p.carer.email ? [{ system: 'email' as const, value: p.carer.email }] : []),
          ],
        } : {}),
      }],
    } : {}),
  };
}
