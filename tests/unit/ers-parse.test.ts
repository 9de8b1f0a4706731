/// <reference types="fhir" />
// Reading e-RS's STU3 payloads (the shapes of NHS Digital's sandbox examples, interfaces.md §1.6) into Access Desk's
// e-RS shapes, and the rules the adapter applies to statuses, ETags and Retry-After.
import { describe, expect, it } from 'vitest';
import {
  ErsShapeError, etagVersion, parseAllowedActions, parseAppointment, parseOperationOutcome, parseReferral, parseWorklist, worklistParameters,
} from '../../domain/ers-fhir';
import { failureKind, retryAfterMs } from '../../activities/ers-client';
import { loadConfig } from '../../bin/lib/config';

const rfrList = {
  resourceType: 'List', meta: { profile: ['https://fhir.nhs.uk/STU3/StructureDefinition/eRS-FetchWorklist-List-1'] }, status: 'current', mode: 'snapshot',
  contained: [{ resourceType: 'Patient', id: 'Patient-9912003888', identifier: [{ system: 'http://fhir.nhs.net/Id/nhs-number', value: '9912003888' }] }],
  entry: [{
    item: { reference: 'ReferralRequest/000000070000' },
    extension: [{
      url: 'https://fhir.nhs.uk/STU3/StructureDefinition/Extension-eRS-ReferralsforReview-WorkListItem-1',
      extension: [
        { url: 'priority', valueCodeableConcept: { coding: [{ system: 'https://fhir.nhs.uk/STU3/CodeSystem/eRS-Priority-1', code: 'ROUTINE' }] } },
        { url: 'specialty', valueCodeableConcept: { coding: [{ system: '{base}/STU3/CodeSystem/SPECIALTY', code: 'CARDIOLOGY' }] } },
        { url: 'patient', valueReference: { reference: '#Patient-9912003888' } },
        { url: 'eReferralPathwayStart', valueDateTime: '2021-09-01T14:26:18.314Z' },
        { url: 'clinicalInfoPrinted', valueBoolean: false },
        { url: 'requestContextStatus', valueCodeableConcept: { coding: [{ system: 'https://fhir.nhs.uk/STU3/CodeSystem/eRS-RequestContextStatus-1', code: 'NEVER_REVIEWED' }] } },
        { url: 'appointmentStart', valueDateTime: '2021-10-15T12:51:12.625Z' },
        { url: 'service', valueReference: { identifier: { system: 'http://fhir.nhs.net/Id/ers-service', value: '11002' } } },
      ],
    }],
  }],
} as unknown as fhir.List;

const asiList = {
  resourceType: 'List', status: 'current', mode: 'snapshot',
  entry: [{
    item: { reference: 'ReferralRequest/000000070001' },
    extension: [{
      url: 'https://fhir.nhs.uk/STU3/StructureDefinition/Extension-eRS-AppointmentSlotIssues-WorkListItem-1',
      extension: [
        { url: 'priority', valueCodeableConcept: { coding: [{ code: 'TWO_WEEK_WAIT' }] } },
        { url: 'specialty', valueCodeableConcept: { coding: [{ code: 'DERMATOLOGY' }] } },
        { url: 'patient', valueReference: { identifier: { system: 'http://fhir.nhs.net/Id/nhs-number', value: '9912003889' } } },
        { url: 'eReferralPathwayStart', valueDateTime: '2021-09-02T10:00:00.000Z' },
        { url: 'ubrnReceived', valueDateTime: '2021-09-03T11:00:00.000Z' },
        { url: 'patientContactExpected', valueDate: '2021-09-08' },
        { url: 'reason', valueCodeableConcept: { coding: [{ system: 'https://fhir.nhs.uk/STU3/CodeSystem/eRS-ReviewReason-1', code: 'NO_SLOTS_AT_SERVICE' }] } },
        { url: 'service', valueReference: { identifier: { system: 'http://fhir.nhs.net/Id/ers-service', value: '11003' } } },
      ],
    }],
  }],
} as unknown as fhir.List;

const bookedReferral = {
  resourceType: 'ReferralRequest', id: '000000070000',
  meta: { versionId: '9', profile: ['https://fhir.nhs.uk/STU3/StructureDefinition/eRS-ReferralRequest-1'] },
  extension: [
    { url: 'https://fhir.nhs.uk/STU3/StructureDefinition/Extension-eRS-Appointment-Reference-1', valueReference: { reference: 'Appointment/70009' } },
    { url: 'https://fhir.nhs.uk/STU3/StructureDefinition/Extension-eRS-eReferralPathwayStart-1', valueDateTime: '2024-05-01T09:55:00.000Z' },
    { url: 'https://fhir.nhs.uk/STU3/StructureDefinition/Extension-eRS-ReferralPriority-1',
      valueCodeableConcept: { coding: [{ system: 'https://fhir.nhs.uk/STU3/CodeSystem/eRS-Priority-1', code: 'ROUTINE', display: 'Routine' }] } },
    { url: 'https://fhir.nhs.uk/STU3/StructureDefinition/Extension-eRS-ReferralState-1',
      extension: [{ url: 'state', valueCoding: { system: 'https://fhir.nhs.uk/STU3/CodeSystem/eRS-ReferralState-1', code: 'BOOKED', display: 'Booked' } }] },
  ],
  contained: [
    { resourceType: 'Appointment', id: 'appointment', status: 'booked', start: '2021-10-15T12:51:12.625Z', end: '2021-10-15T13:51:12.625Z',
      slot: [{ reference: 'Slot/11002001' }], incomingReferral: [{ reference: 'ReferralRequest/000000070000/_history/9' }],
      participant: [
        { actor: { identifier: { system: 'http://fhir.nhs.net/Id/ers-service', value: '11002' } }, status: 'accepted' },
        { actor: { identifier: { system: 'http://fhir.nhs.net/Id/nhs-number', value: '1000000001' } }, status: 'accepted' }] },
    { resourceType: 'DocumentReference', id: 'DocumentReference-70000',
      type: { coding: [{ system: 'https://fhir.nhs.uk/STU3/CodeSystem/eRS-AttachmentType-1', code: 'REFERRER' }] }, status: 'current', indexed: '2021-10-13T12:51:31.874Z',
      content: [{ attachment: { id: '70000', contentType: 'image/png', url: 'Binary/b2b22a7e-b3e9-4625-8d2c-00507bfdffb5', size: 6, title: 'upload.png' } }] },
  ],
  status: 'active', intent: 'plan',
  specialty: { coding: [{ system: '{base}/STU3/CodeSystem/SPECIALTY', code: 'CARDIOLOGY' }] },
  subject: { identifier: { system: 'http://fhir.nhs.net/Id/nhs-number', value: '1000000001' } },
  supportingInfo: [{ reference: '#DocumentReference-70000' }],
} as unknown as fhir.ReferralRequest;

describe('reading e-RS worklists (A008)', () => {
  it('reads a Referrals for Review item, finding the patient in the contained resources', () => {
    expect(parseWorklist(rfrList, 'REFERRALS_FOR_REVIEW')).toEqual([{
      ubrn: '000000070000', worklist: 'REFERRALS_FOR_REVIEW', priority: 'ROUTINE', specialty: 'CARDIOLOGY', serviceId: '11002',
      nhsNumber: '9912003888', pathwayStart: '2021-09-01T14:26:18.314Z', appointmentStart: '2021-10-15T12:51:12.625Z',
    }]);
  });
  it('reads an Appointment Slot Issues item with its inline patient, received date, contact date and reason', () => {
    expect(parseWorklist(asiList, 'APPOINTMENT_SLOT_ISSUES')).toEqual([{
      ubrn: '000000070001', worklist: 'APPOINTMENT_SLOT_ISSUES', priority: 'TWO_WEEK_WAIT', specialty: 'DERMATOLOGY', serviceId: '11003',
      nhsNumber: '9912003889', pathwayStart: '2021-09-02T10:00:00.000Z', receivedAt: '2021-09-03T11:00:00.000Z', patientContactExpected: '2021-09-08',
      reason: 'NO_SLOTS_AT_SERVICE',
    }]);
  });
  it('an empty worklist has no entries', () => {
    expect(parseWorklist({ resourceType: 'List', status: 'current', mode: 'snapshot' } as fhir.List, 'REFERRALS_FOR_REVIEW')).toEqual([]);
  });
  it('refuses an item without a priority or with one e-RS does not have, rather than guessing', () => {
    const noPriority = structuredClone(rfrList) as any;
    noPriority.entry[0].extension[0].extension.shift();
    expect(() => parseWorklist(noPriority, 'REFERRALS_FOR_REVIEW')).toThrow(ErsShapeError);
    const odd = structuredClone(rfrList) as any;
    odd.entry[0].extension[0].extension[0].valueCodeableConcept.coding[0].code = 'SOON';
    expect(() => parseWorklist(odd, 'REFERRALS_FOR_REVIEW')).toThrow(/unknown priority/);
    expect(() => parseWorklist({ resourceType: 'Bundle' } as unknown as fhir.List, 'REFERRALS_FOR_REVIEW')).toThrow(ErsShapeError);
  });
  it('asks for a worklist with the listType and, when given, the service filter', () => {
    expect(worklistParameters('APPOINTMENT_SLOT_ISSUES', '21012').parameter).toEqual([
      { name: 'listType', valueCodeableConcept: { coding: [{ system: 'https://fhir.nhs.uk/STU3/CodeSystem/eRS-ReferralListSelector-1', code: 'APPOINTMENT_SLOT_ISSUES' }] } },
      { name: 'service', valueIdentifier: { system: 'http://fhir.nhs.net/Id/ers-service', value: '21012' } },
    ]);
    expect(worklistParameters('REFERRALS_FOR_REVIEW').parameter).toHaveLength(1);
  });
});

describe('reading a referral (A005)', () => {
  it('reads the sandbox\'s booked referral', () => {
    expect(parseReferral(bookedReferral, 'W/"9"')).toEqual({
      ubrn: '000000070000', version: '9', state: 'BOOKED', priority: 'ROUTINE', specialty: 'CARDIOLOGY', serviceId: '11002',
      patient: { nhsNumber: '1000000001' }, pathwayStart: '2024-05-01T09:55:00.000Z', relatedUbrns: [], triage: false,
      attachments: [{ id: 'b2b22a7e-b3e9-4625-8d2c-00507bfdffb5', url: 'Binary/b2b22a7e-b3e9-4625-8d2c-00507bfdffb5', title: 'upload.png', contentType: 'image/png', size: 6, available: true }],
      appointment: { id: '70009', start: '2021-10-15T12:51:12.625Z', end: '2021-10-15T13:51:12.625Z', status: 'booked' },
    });
  });
  it('takes the version from the ETag when e-RS sends one, else from meta.versionId', () => {
    expect(parseReferral(bookedReferral, 'W/"10"').version).toBe('10');
    expect(parseReferral(bookedReferral).version).toBe('9');
  });
  it('marks an attachment whose availability status is not AVAILABLE as not downloadable yet', () => {
    const r = structuredClone(bookedReferral) as any;
    r.contained[1].extension = [{ url: 'https://fhir.nhs.uk/STU3/StructureDefinition/Extension-eRS-AvailabilityStatus', valueCoding: { code: 'NOT_AVAILABLE' } }];
    expect(parseReferral(r).attachments[0].available).toBe(false);
  });
  it('refuses a referral without a state', () => {
    const r = structuredClone(bookedReferral) as any;
    r.extension.pop();
    expect(() => parseReferral(r)).toThrow(/referral state/);
  });
});

describe('allowed actions, appointments and errors', () => {
  it('reads the action codes of A029\'s Bundle', () => {
    const bundle = { resourceType: 'Bundle', type: 'searchset', entry: [{ resource: { resourceType: 'Task', status: 'ready', intent: 'proposal',
      code: { coding: [{ system: 'https://fhir.nhs.uk/STU3/CodeSystem/eRS-AvailableActionsForUser-1', code: 'RECORD_REVIEW_OUTCOME' }] } } }] } as unknown as fhir.Bundle;
    expect(parseAllowedActions(bundle)).toEqual(['RECORD_REVIEW_OUTCOME']);
    expect(parseAllowedActions({ resourceType: 'Bundle', type: 'searchset' } as fhir.Bundle)).toEqual([]);
  });
  it('reads a cancelled appointment with its reason', () => {
    expect(parseAppointment({ resourceType: 'Appointment', id: '70009', status: 'cancelled', start: '2021-10-15T12:51:12.625Z',
      reason: [{ coding: [{ code: 'PATIENT_CANCELLED' }] }], incomingReferral: [{ reference: 'ReferralRequest/000000070000' }], participant: [] } as unknown as fhir.Appointment))
      .toEqual({ id: '70009', status: 'cancelled', start: '2021-10-15T12:51:12.625Z', ubrn: '000000070000', cancellationReason: 'PATIENT_CANCELLED' });
  });
  it('reads the code and diagnostics of an eRS-OperationOutcome-1, and nothing from anything else', () => {
    expect(parseOperationOutcome({ resourceType: 'OperationOutcome', issue: [{ severity: 'error', code: 'forbidden',
      details: { coding: [{ system: 'https://fhir.nhs.uk/STU3/CodeSystem/eRS-APIErrorCode-1', code: 'FORBIDDEN', display: 'Forbidden' }] },
      diagnostics: 'On Behalf Of User ID (555367989103) is not permitted for Business Function (SERVICE_PROVIDER_CLINICIAN).' }] }))
      .toEqual({ code: 'FORBIDDEN', display: 'Forbidden', diagnostics: 'On Behalf Of User ID (555367989103) is not permitted for Business Function (SERVICE_PROVIDER_CLINICIAN).' });
    expect(parseOperationOutcome({ message: 'gateway' })).toEqual({});
    expect(parseOperationOutcome(undefined)).toEqual({});
  });
  it.each([
    [412, 'changed'], [429, 'retryable'], [423, 'retryable'], [500, 'retryable'], [502, 'retryable'], [503, 'retryable'],
    [400, 'final'], [401, 'final'], [403, 'final'], [404, 'final'], [409, 'final'], [422, 'final'],
  ] as const)('treats %i as %s', (status, kind) => { expect(failureKind(status)).toBe(kind); });
  it('reads Retry-After as seconds or as a date', () => {
    expect(retryAfterMs('7')).toBe(7000);
    expect(retryAfterMs('Sun, 29 Nov 2026 20:00:30 GMT', Date.parse('2026-11-29T20:00:00Z'))).toBe(30_000);
    expect(retryAfterMs(null)).toBeUndefined();
    expect(retryAfterMs('soon')).toBeUndefined();
  });
  it('reads weak and strong ETags', () => {
    expect(etagVersion('W/"9"')).toBe('9');
    expect(etagVersion('"12"')).toBe('12');
    expect(etagVersion(null)).toBeUndefined();
  });
});

describe('e-RS settings', () => {
  const real = { ERS_BASE_URL: 'https://int.api.service.nhs.uk/referrals/FHIR', ERS_ACCESS_TOKEN: 't', ERS_ODS_CODE: 'RVY' };
  it('leave e-RS to the local service when ERS_BASE_URL is unset', () => {
    expect(loadConfig({}).ers).toMatchObject({ baseUrl: undefined, businessFunction: 'SERVICE_PROVIDER_CLINICIAN', serviceIds: [], timeoutMs: 30_000 });
  });
  it('need a token and an ODS code for a real e-RS, and an SDS user id only with SERVICE_PROVIDER_CLINICIAN_ADMIN', () => {
    expect(loadConfig({ ...real, ERS_SERVICE_IDS: '21001, 21002' }).ers).toMatchObject({ baseUrl: real.ERS_BASE_URL, odsCode: 'RVY', serviceIds: ['21001', '21002'] });
    expect(() => loadConfig({ ERS_BASE_URL: real.ERS_BASE_URL })).toThrow(/ERS_ACCESS_TOKEN/);
    expect(() => loadConfig({ ...real, ERS_ODS_CODE: undefined })).toThrow(/ERS_ODS_CODE/);
    expect(() => loadConfig({ ...real, ERS_BUSINESS_FUNCTION: 'SERVICE_PROVIDER_CLINICIAN_ADMIN' })).toThrow(/ERS_ON_BEHALF_OF_USER_ID: required/);
    expect(() => loadConfig({ ...real, ERS_ON_BEHALF_OF_USER_ID: '021600556514' })).toThrow(/only allowed/);
    expect(() => loadConfig({ ...real, ERS_BUSINESS_FUNCTION: 'SERVICE_PROVIDER_CLINICIAN_ADMIN', ERS_ON_BEHALF_OF_USER_ID: '12345' })).toThrow(/12-digit/);
    expect(() => loadConfig({ ...real, ERS_BUSINESS_FUNCTION: 'REFERRING_ADMIN' })).toThrow(/ERS_BUSINESS_FUNCTION/);
    expect(() => loadConfig({ ...real, ERS_BUSINESS_FUNCTION: 'APPLICATION_RESTRICTED' })).toThrow(/ERS_SERVICE_IDS/);
  });
});
