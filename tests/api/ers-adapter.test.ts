// The e-RS adapter (activities/ers-client.ts) against the local e-RS service (bin/lib/local-ers.ts): every method,
// the headers e-RS receives, worklists that change as referrals are accepted, returned or cancelled, and each
// failure e-RS gives mapped to what the caller does next (retry later, re-read, or tell a person).
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { PDFDocument } from 'pdf-lib';
import { startLocalErs, type LocalErs } from '../../bin/lib/local-ers';
import { createErsClient, type ErsClientConfig } from '../../activities/ers-client';
import { ErsError, ersActions, type ErsApi, type ErsWorklist } from '../../domain/ers';
import { ersControl, type ErsControl } from '../support/ers';

let ers: LocalErs;
let control: ErsControl;
let client: ErsApi;
const calls: { route: string; correlationId: string; status: number }[] = [];

const patient = { nhsNumber: '9990000026', givenName: 'Amelia', familyName: 'Okafor', dateOfBirth: '1961-04-12', postcode: 'L39 4QP' };
const clientFor = (over: Partial<ErsClientConfig> = {}) => createErsClient({
  baseUrl: ers.baseUrl, accessToken: ers.userToken, odsCode: ers.odsCode, businessFunction: 'SERVICE_PROVIDER_CLINICIAN', timeoutMs: 2_000,
  onCall: (c) => calls.push(c), ...over,
});

async function ersError(p: Promise<unknown>) {
  const err = await p.then(() => { throw new Error('expected an ErsError'); }, (e: unknown) => e);
  expect(err).toBeInstanceOf(ErsError);
  return err as ErsError;
}

const booked = (over: Record<string, unknown> = {}) => ({
  worklist: 'REFERRALS_FOR_REVIEW' as const, priority: 'URGENT' as const, serviceId: '21007', patient,
  pathwayStart: '2026-11-20T09:15:00.000Z', appointmentStart: '2026-12-10T10:30:00.000Z',
  attachments: [{ title: 'Referral letter.txt', text: 'Palpitations for three months.' }], ...over,
});
const triage = (over: Record<string, unknown> = {}) => booked({ triage: true, appointmentStart: undefined, ...over });
const slotIssue = (over: Record<string, unknown> = {}) => ({
  worklist: 'APPOINTMENT_SLOT_ISSUES' as const, priority: 'TWO_WEEK_WAIT' as const, serviceId: '21008', patient,
  pathwayStart: '2026-11-25T08:00:00.000Z', ubrnReceived: '2026-11-26T12:00:00.000Z', reason: 'NO_SLOTS_AT_SERVICE', ...over,
});
const onList = async (worklist: ErsWorklist, ubrn: string) => (await client.fetchWorklist(worklist)).some((i) => i.ubrn === ubrn);

beforeAll(async () => {
  ers = await startLocalErs();
  control = ersControl(ers.origin);
  client = clientFor();
});
afterAll(async () => { await ers?.stop(); });
beforeEach(async () => { await control.reset(); calls.length = 0; });

describe('reading referrals from e-RS', () => {
  it('lists Referrals for Review and Appointment Slot Issues with what each worklist says', async () => {
    const [rfr, asi, held] = await control.addReferrals(booked(), slotIssue(), booked({ held: true }));
    const review = await client.fetchWorklist('REFERRALS_FOR_REVIEW');
    expect(review).toEqual([{
      ubrn: rfr.ubrn, worklist: 'REFERRALS_FOR_REVIEW', priority: 'URGENT', specialty: 'CARDIOLOGY', serviceId: '21007', nhsNumber: patient.nhsNumber,
      pathwayStart: '2026-11-20T09:15:00.000Z', appointmentStart: '2026-12-10T10:30:00.000Z',
    }]);
    const issues = await client.fetchWorklist('APPOINTMENT_SLOT_ISSUES');
    expect(issues).toEqual([{
      ubrn: asi.ubrn, worklist: 'APPOINTMENT_SLOT_ISSUES', priority: 'TWO_WEEK_WAIT', specialty: 'DERMATOLOGY', serviceId: '21008', nhsNumber: patient.nhsNumber,
      pathwayStart: '2026-11-25T08:00:00.000Z', receivedAt: '2026-11-26T12:00:00.000Z', patientContactExpected: '2026-12-01', reason: 'NO_SLOTS_AT_SERVICE',
    }]);
    // Held back until e-RS "receives" it.
    expect(review.map((i) => i.ubrn)).not.toContain(held.ubrn);
    await expect(client.getReferral(held.ubrn)).rejects.toMatchObject({ status: 404, kind: 'final' });
    await control.release();
    expect(await onList('REFERRALS_FOR_REVIEW', held.ubrn)).toBe(true);
  });

  it('reads a referral with its patient, related UBRNs, attachments, appointment and version', async () => {
    const [first] = await control.addReferrals(booked());
    const [second] = await control.addReferrals(booked({ relatedUbrns: [first.ubrn] }));
    const r = await client.getReferral(second.ubrn);
    expect(r).toEqual({
      ubrn: second.ubrn, version: second.version, state: 'BOOKED', priority: 'URGENT', specialty: 'CARDIOLOGY', serviceId: '21007',
      patient, pathwayStart: '2026-11-20T09:15:00.000Z', relatedUbrns: [first.ubrn], triage: false,
      attachments: [{ id: second.attachments[0], url: `Binary/${second.attachments[0]}`, title: 'Referral letter.txt', contentType: 'text/plain', size: 30, available: true }],
      appointment: { id: second.appointmentId, start: '2026-12-10T10:30:00.000Z', end: '2026-12-10T11:00:00.000Z', status: 'booked' },
    });
    const [t] = await control.addReferrals(triage());
    expect(await client.getReferral(t.ubrn)).toMatchObject({ triage: true, state: 'AWAITING_TRIAGE' });
    expect((await client.getReferral(t.ubrn)).appointment).toBeUndefined();
  });

  it('keeps every version of a referral readable under _history', async () => {
    const [added] = await control.addReferrals(booked());
    const before = await client.getReferral(added.ubrn);
    await client.accept(added.ubrn, before.version);
    const headers = { Authorization: `Bearer ${ers.userToken}`, 'NHSD-End-User-Organisation-ODS': ers.odsCode, 'NHSD-eRS-Business-Function': 'SERVICE_PROVIDER_CLINICIAN' };
    const res = await fetch(`${ers.baseUrl}/STU3/ReferralRequest/${added.ubrn}/_history/${before.version}`, { headers });
    expect(res.status).toBe(200);
    expect(res.headers.get('ETag')).toBe(`W/"${before.version}"`);
    expect(res.headers.get('Content-Type')).toBe('application/fhir+json');
    expect((await res.json()).meta.versionId).toBe(before.version);
  });

  it('downloads the clinical summary PDF (A007) with its e-RS file name', async () => {
    const [added] = await control.addReferrals(booked());
    const doc = await client.clinicalSummary(added.ubrn);
    expect(doc.contentType).toBe('application/pdf');
    expect(doc.filename).toMatch(new RegExp(`^${added.ubrn}_Clinical_Information_Summary_\\d{8}T\\d{6}\\.pdf$`));
    expect((await PDFDocument.load(doc.bytes)).getPageCount()).toBe(1);
  });

  it('follows A042\'s redirect to the attachment without sending e-RS credentials to the download link', async () => {
    const [added] = await control.addReferrals(booked());
    const r = await client.getReferral(added.ubrn);
    await control.clearRequests();
    const doc = await client.attachment(r.attachments[0]);
    expect(new TextDecoder().decode(doc.bytes)).toBe('Palpitations for three months.');
    expect(doc).toMatchObject({ filename: 'Referral letter.txt', contentType: 'text/plain' });
    const seen = await control.requests();
    expect(seen.map((q) => q.route)).toEqual(['A042', 'download']);
    expect(seen[1].headers.authorization).toBeUndefined();
  });

  it('falls back to A006 for an attachment id the R4 route does not know', async () => {
    const [added] = await control.addReferrals(booked({ attachments: [{ title: 'Old letter.txt', text: 'legacy', legacyId: true }] }));
    const r = await client.getReferral(added.ubrn);
    expect(r.attachments[0].id).toMatch(/^att-/);
    await control.clearRequests();
    expect(new TextDecoder().decode((await client.attachment(r.attachments[0])).bytes)).toBe('legacy');
    expect((await control.requests()).map((q) => q.route)).toEqual(['A042', 'A006']);
  });

  it('says an attachment still being checked is not yet available, to be fetched again later', async () => {
    const [added] = await control.addReferrals(booked({ attachments: [{ title: 'Scan.png', contentType: 'image/png', text: 'png', available: false }] }));
    const r = await client.getReferral(added.ubrn);
    expect(r.attachments[0].available).toBe(false);
    const err = await ersError(client.attachment(r.attachments[0]));
    expect(err).toMatchObject({ kind: 'retryable', status: 400 });
    expect(err.message).toMatch(/not yet available/);
    await control.setAttachmentAvailable(added.ubrn, added.attachments[0], true);
    expect((await client.getReferral(added.ubrn)).attachments[0].available).toBe(true);
    expect(new TextDecoder().decode((await client.attachment(r.attachments[0])).bytes)).toBe('png');
  });

  it('reads the appointment (A038)', async () => {
    const [added] = await control.addReferrals(booked());
    expect(await client.getAppointment(added.appointmentId!)).toEqual({
      id: added.appointmentId, status: 'booked', start: '2026-12-10T10:30:00.000Z', end: '2026-12-10T11:00:00.000Z', ubrn: added.ubrn,
    });
  });
});

describe('answering referrals in e-RS', () => {
  it('lists the actions allowed on the current version only (A029)', async () => {
    const [b, t, s] = await control.addReferrals(booked(), triage(), slotIssue());
    expect(await client.allowedActions(b.ubrn, b.version)).toEqual([ersActions.acceptReferral, ersActions.rejectReferral, ersActions.cancelAppointmentActionLater]);
    expect(await client.allowedActions(t.ubrn, t.version)).toEqual([ersActions.recordReviewOutcome]);
    expect(await client.allowedActions(s.ubrn, s.version)).toEqual([ersActions.recordReviewOutcome]);
    const accepted = await client.accept(b.ubrn, b.version);
    expect(await client.allowedActions(b.ubrn, b.version)).toEqual([]);
    expect(await client.allowedActions(b.ubrn, accepted.version)).toEqual([]);
  });

  it('accepting a booked referral (A013) takes it off Referrals for Review and gives a new version', async () => {
    const [added] = await control.addReferrals(booked());
    expect(await onList('REFERRALS_FOR_REVIEW', added.ubrn)).toBe(true);
    const after = await client.accept(added.ubrn, added.version);
    expect(after).toMatchObject({ state: 'ACCEPTED', version: String(Number(added.version) + 1) });
    expect(await onList('REFERRALS_FOR_REVIEW', added.ubrn)).toBe(false);
  });

  it('rejecting a booked referral (A014) returns it to the referrer and cancels its appointment', async () => {
    const [added] = await control.addReferrals(booked());
    const after = await client.reject(added.ubrn, added.version, 'SERVICE_INAPPROPRIATE', 'Wrong clinic for this presentation');
    expect(after.state).toBe('REJECTED');
    expect(await onList('REFERRALS_FOR_REVIEW', added.ubrn)).toBe(false);
    expect(await client.getAppointment(added.appointmentId!)).toMatchObject({ status: 'cancelled', cancellationReason: 'SERVICE_INAPPROPRIATE' });
    expect((await control.referral(added.ubrn))!.outcomes).toEqual([expect.objectContaining({ action: 'A014', detail: { reason: 'SERVICE_INAPPROPRIATE', comments: 'Wrong clinic for this presentation' } })]);
  });

  it('returning a triage referral with advice (A028) takes it off the worklist; accept-book-later puts it on Appointments For Booking', async () => {
    const [ret, later, asi] = await control.addReferrals(triage(), triage(), slotIssue());
    expect((await client.recordReviewOutcome(ret.ubrn, ret.version, 'RETURN_TO_REFERRER_WITH_ADVICE', 'Manage in primary care: see advice')).state).toBe('REJECTED');
    const acc = await client.recordReviewOutcome(later.ubrn, later.version, 'ACCEPT_REFER_BOOK_LATER', 'Book into the arrhythmia clinic', 'TWO_WEEK_WAIT');
    expect(acc).toMatchObject({ state: 'AWAITING_BOOKING', priority: 'TWO_WEEK_WAIT' });
    expect(await onList('REFERRALS_FOR_REVIEW', ret.ubrn)).toBe(false);
    expect(await onList('REFERRALS_FOR_REVIEW', later.ubrn)).toBe(false);
    expect((await control.referral(later.ubrn))!.worklist).toBe('APPOINTMENTS_FOR_BOOKING');
    await client.recordReviewOutcome(asi.ubrn, asi.version, 'ACCEPT_REFER_BOOK_LATER', 'Will book when the new clinic opens');
    expect(await onList('APPOINTMENT_SLOT_ISSUES', asi.ubrn)).toBe(false);
  });

  it('cancelling the appointment to action later (A022) moves the referral to Appointments For Booking', async () => {
    const [added] = await control.addReferrals(booked());
    const after = await client.cancelAppointmentActionLater(added.ubrn, added.version, 'Clinic cancelled; please rebook');
    expect(after.state).toBe('AWAITING_BOOKING');
    expect(after.appointment).toMatchObject({ status: 'cancelled' });
    expect(await onList('REFERRALS_FOR_REVIEW', added.ubrn)).toBe(false);
    expect((await control.referral(added.ubrn))!.worklist).toBe('APPOINTMENTS_FOR_BOOKING');
  });

  it('refuses an answer the referral\'s state does not allow, as final', async () => {
    const [t] = await control.addReferrals(triage());
    expect(await ersError(client.accept(t.ubrn, t.version))).toMatchObject({ kind: 'final', status: 422 });
  });

  it('sees a patient cancel and rebook in e-RS as new versions of the referral and its appointment', async () => {
    const [added] = await control.addReferrals(booked());
    const cancelled = await control.patientCancels(added.ubrn);
    const r = await client.getReferral(added.ubrn);
    expect(r.version).toBe(cancelled.version);
    expect(r).toMatchObject({ state: 'APPOINTMENT_CANCELLED', appointment: { id: added.appointmentId, status: 'cancelled' } });
    expect(await client.getAppointment(added.appointmentId!)).toMatchObject({ status: 'cancelled', cancellationReason: 'PATIENT_CANCELLED' });
    const headers = { Authorization: `Bearer ${ers.userToken}`, 'NHSD-End-User-Organisation-ODS': ers.odsCode, 'NHSD-eRS-Business-Function': 'SERVICE_PROVIDER_CLINICIAN' };
    const first = await fetch(`${ers.baseUrl}/STU3/Appointment/${added.appointmentId}/_history/1`, { headers });
    expect([first.headers.get('ETag'), (await first.json()).status]).toEqual(['W/"1"', 'booked']);
    const rebooked = await control.patientRebooks(added.ubrn, '2026-12-20T14:00:00.000Z');
    expect(await client.getReferral(added.ubrn)).toMatchObject({ version: rebooked.version, state: 'BOOKED', appointment: { id: rebooked.appointmentId, status: 'booked', start: '2026-12-20T14:00:00.000Z' } });
    // The old version is no longer the one to answer.
    expect(await ersError(client.accept(added.ubrn, added.version))).toMatchObject({ kind: 'changed', status: 412 });
  });
});

describe('what e-RS receives', () => {
  it('sends the business function, ODS code, a fresh correlation id per call, and If-Match with the version on writes', async () => {
    const [added] = await control.addReferrals(booked());
    await control.clearRequests();
    await client.getReferral(added.ubrn);
    await client.reject(added.ubrn, added.version, 'SERVICE_INAPPROPRIATE', 'Wrong clinic');
    const [read, write] = await control.requests();
    for (const q of [read, write]) {
      expect(q.headers).toMatchObject({ authorization: `Bearer ${ers.userToken}`, 'nhsd-end-user-organisation-ods': ers.odsCode, 'nhsd-ers-business-function': 'SERVICE_PROVIDER_CLINICIAN' });
      expect(q.headers['nhsd-ers-on-behalf-of-user-id']).toBeUndefined();
    }
    expect(read.headers['if-match']).toBeUndefined();
    expect(write.headers['if-match']).toBe(`W/"${added.version}"`);
    expect(write.headers['content-type']).toBe('application/fhir+json');
    expect(write.body).toMatchObject({ resourceType: 'Parameters', parameter: [
      { name: 'rejectionReason', valueCoding: { code: 'SERVICE_INAPPROPRIATE' } }, { name: 'rejectionComments', valueString: 'Wrong clinic' }] });
    expect(read.headers['x-correlation-id']).not.toBe(write.headers['x-correlation-id']);
    expect(calls.slice(-2).map((c) => c.correlationId)).toEqual([read.headers['x-correlation-id'], write.headers['x-correlation-id']]);
  });

  it('sends the A028 and A022 bodies e-RS expects', async () => {
    const [t, b] = await control.addReferrals(triage(), booked());
    await control.clearRequests();
    await client.recordReviewOutcome(t.ubrn, t.version, 'RETURN_TO_REFERRER_WITH_ADVICE', 'See advice', 'URGENT');
    await client.cancelAppointmentActionLater(b.ubrn, b.version, 'Please rebook');
    const [a028, a022] = await control.requests();
    expect(a028.body).toEqual({ resourceType: 'Parameters', meta: { profile: ['https://fhir.nhs.uk/STU3/StructureDefinition/eRS-RecordReviewOutcome-Parameters-1'] }, parameter: [
      { name: 'reviewOutcome', valueCoding: { system: 'https://fhir.nhs.uk/STU3/CodeSystem/eRS-ReviewOutcome-1', code: 'RETURN_TO_REFERRER_WITH_ADVICE' } },
      { name: 'reviewComments', valueString: 'See advice' },
      { name: 'reviewPriority', valueCoding: { system: 'https://fhir.nhs.uk/STU3/CodeSystem/eRS-Priority-1', code: 'URGENT' } }] });
    expect(a022.body).toMatchObject({ parameter: [{ name: 'comments', valueString: 'Please rebook' }] });
  });

  it('acts on behalf of a clinician only as SERVICE_PROVIDER_CLINICIAN_ADMIN, and e-RS holds it to that rule', async () => {
    const [added] = await control.addReferrals(booked());
    const admin = clientFor({ businessFunction: 'SERVICE_PROVIDER_CLINICIAN_ADMIN', onBehalfOfUserId: '021600556514' });
    await control.clearRequests();
    await admin.accept(added.ubrn, added.version);
    expect((await control.requests())[0].headers).toMatchObject({ 'nhsd-ers-business-function': 'SERVICE_PROVIDER_CLINICIAN_ADMIN', 'nhsd-ers-on-behalf-of-user-id': '021600556514' });
    expect(() => clientFor({ businessFunction: 'SERVICE_PROVIDER_CLINICIAN_ADMIN' })).toThrow(/ERS_ON_BEHALF_OF_USER_ID/);
    expect(() => clientFor({ onBehalfOfUserId: '021600556514' })).toThrow(/only allowed with SERVICE_PROVIDER_CLINICIAN_ADMIN/);
    // The service itself refuses either way round (§1.3), as the sandbox does.
    const base = { Authorization: `Bearer ${ers.userToken}`, 'NHSD-End-User-Organisation-ODS': ers.odsCode };
    const oboWithClinician = await fetch(`${ers.baseUrl}/STU3/ReferralRequest/${added.ubrn}`, { headers: { ...base, 'NHSD-eRS-Business-Function': 'SERVICE_PROVIDER_CLINICIAN', 'NHSD-eRS-On-Behalf-Of-User-ID': '021600556514' } });
    expect(oboWithClinician.status).toBe(403);
    const adminWithoutObo = await fetch(`${ers.baseUrl}/STU3/ReferralRequest/${added.ubrn}`, { headers: { ...base, 'NHSD-eRS-Business-Function': 'SERVICE_PROVIDER_CLINICIAN_ADMIN' } });
    expect(adminWithoutObo.status).toBe(403);
    expect((await adminWithoutObo.json()).issue[0]).toMatchObject({ severity: 'error', code: 'forbidden', details: { coding: [{ code: 'FORBIDDEN' }] } });
  });

  it('echoes the correlation id and refuses a write without If-Match', async () => {
    const [added] = await control.addReferrals(booked());
    const res = await fetch(`${ers.baseUrl}/STU3/ReferralRequest/${added.ubrn}/$ers.acceptReferral`, { method: 'POST', headers: {
      Authorization: `Bearer ${ers.userToken}`, 'NHSD-End-User-Organisation-ODS': ers.odsCode, 'NHSD-eRS-Business-Function': 'SERVICE_PROVIDER_CLINICIAN', 'X-Correlation-ID': 'ticket-4711' } });
    expect(res.status).toBe(400);
    expect(res.headers.get('X-Correlation-ID')).toBe('ticket-4711');
    expect((await res.json()).issue[0].diagnostics).toMatch(/If-Match/);
  });

  it('refuses a write missing what the operation needs, or not allowed in the referral\'s state, and changes nothing', async () => {
    const [added, rasReferral] = await control.addReferrals(booked(), triage());
    const headers = { Authorization: `Bearer ${ers.userToken}`, 'NHSD-End-User-Organisation-ODS': ers.odsCode, 'NHSD-eRS-Business-Function': 'SERVICE_PROVIDER_CLINICIAN',
      'Content-Type': 'application/fhir+json' };
    const write = async (ubrn: string, operation: string, parameter: unknown[], version: string) => {
      const res = await fetch(`${ers.baseUrl}/STU3/ReferralRequest/${ubrn}/$ers.${operation}`, { method: 'POST',
        headers: { ...headers, 'If-Match': `W/"${version}"` }, body: JSON.stringify({ resourceType: 'Parameters', parameter }) });
      const issue = res.status === 200 ? undefined : (await res.json()).issue[0];
      return { status: res.status, code: issue?.details.coding[0].code, diagnostics: issue?.diagnostics };
    };
    expect(await write(added.ubrn, 'rejectReferral', [{ name: 'rejectionComments', valueString: 'Not for this clinic' }], added.version))
      .toEqual({ status: 422, code: 'MISSING_VALUE', diagnostics: 'rejectionReason is required' });
    expect(await write(added.ubrn, 'rejectReferral', [{ name: 'rejectionReason', valueCoding: { code: 'SERVICE_INAPPROPRIATE' } }, { name: 'rejectionComments', valueString: '  ' }], added.version))
      .toEqual({ status: 422, code: 'MISSING_VALUE', diagnostics: 'rejectionComments is required' });
    expect(await write(added.ubrn, 'cancelAppointmentActionLater', [], added.version)).toEqual({ status: 422, code: 'MISSING_VALUE', diagnostics: 'comments is required' });
    expect(await write(rasReferral.ubrn, 'recordReviewOutcome', [{ name: 'reviewOutcome', valueCoding: { code: 'UPGRADE' } }, { name: 'reviewComments', valueString: 'x' }], rasReferral.version))
      .toEqual({ status: 422, code: 'INAPPROPRIATE_VALUE', diagnostics: 'reviewOutcome UPGRADE is not supported' });
    expect(await write(rasReferral.ubrn, 'recordReviewOutcome', [{ name: 'reviewOutcome', valueCoding: { code: 'ACCEPT_REFER_BOOK_LATER' } }, { name: 'reviewComments', valueString: 'Book in 6 weeks' },
      { name: 'reviewPriority', valueCoding: { code: 'SOON' } }], rasReferral.version))
      .toEqual({ status: 422, code: 'INAPPROPRIATE_VALUE', diagnostics: 'reviewPriority SOON is not a priority' });
    // A triage referral is not accepted with A013: it has a review outcome recorded instead.
    expect(await write(rasReferral.ubrn, 'acceptReferral', [], rasReferral.version)).toMatchObject({ status: 422, diagnostics: 'A referral in state AWAITING_TRIAGE cannot be accepted' });
    // Refused, each left the referral as it was: the version read first still writes.
    expect((await client.getReferral(added.ubrn)).version).toBe(added.version);
    expect((await client.getReferral(rasReferral.ubrn)).version).toBe(rasReferral.version);
    expect(await write(added.ubrn, 'cancelAppointmentActionLater', [{ name: 'comments', valueString: 'Clinic cancelled' }], added.version)).toMatchObject({ status: 200 });
    expect(await client.getReferral(added.ubrn)).toMatchObject({ state: 'AWAITING_BOOKING', version: String(Number(added.version) + 1) });
  });
});

describe('failures, and what the caller does next', () => {
  it('a referral changed since it was read (412) is "changed": read it again', async () => {
    const [added] = await control.addReferrals(booked());
    await client.accept(added.ubrn, added.version);
    const err = await ersError(client.reject(added.ubrn, added.version, 'SERVICE_INAPPROPRIATE', 'x'));
    expect(err).toMatchObject({ kind: 'changed', status: 412, code: 'INCORRECT_VERSION' });
  });

  it('429 is retryable after the Retry-After e-RS gave', async () => {
    const [added] = await control.addReferrals(booked());
    await control.inject({ status: 429, retryAfter: 7, route: 'A005' });
    expect(await ersError(client.getReferral(added.ubrn))).toMatchObject({ kind: 'retryable', status: 429, code: 'TOO_MANY_REQUESTS', retryAfterMs: 7000 });
    expect((await client.getReferral(added.ubrn)).ubrn).toBe(added.ubrn);
  });

  it('423 (being worked on elsewhere) and 500 are retryable; a bad token (401) and a wrong business function (403) are final', async () => {
    const [added] = await control.addReferrals(booked());
    await control.inject({ status: 423, route: 'A013' });
    expect(await ersError(client.accept(added.ubrn, added.version))).toMatchObject({ kind: 'retryable', status: 423, code: 'LOCKED' });
    await control.inject({ status: 500 });
    expect(await ersError(client.fetchWorklist('REFERRALS_FOR_REVIEW'))).toMatchObject({ kind: 'retryable', status: 500 });
    expect(await ersError(clientFor({ accessToken: 'expired' }).getReferral(added.ubrn))).toMatchObject({ kind: 'final', status: 401 });
    expect(await ersError(clientFor({ businessFunction: 'SERVICE_PROVIDER_ADMIN' }).getReferral(added.ubrn))).toMatchObject({ kind: 'final', status: 403, code: 'FORBIDDEN' });
    // Nothing was changed by the refused calls.
    expect((await client.accept(added.ubrn, added.version)).state).toBe('ACCEPTED');
  });

  it('a slow e-RS times out as retryable, and so does one that cannot be reached', async () => {
    await control.inject({ delayMs: 1_500 });
    expect(await ersError(clientFor({ timeoutMs: 300 }).fetchWorklist('REFERRALS_FOR_REVIEW'))).toMatchObject({ kind: 'retryable', code: 'TIMEOUT' });
    const gone = await startLocalErs();
    const url = gone.baseUrl;
    await gone.stop();
    expect(await ersError(clientFor({ baseUrl: url }).fetchWorklist('REFERRALS_FOR_REVIEW'))).toMatchObject({ kind: 'retryable', code: 'NETWORK', status: 0 });
  });

  it('keeps UBRNs and NHS numbers out of error messages (they reach logs and Temporal)', async () => {
    await control.inject({ status: 422, diagnostics: 'Referral 000000070000 for patient 9990000026 cannot be processed' });
    const err = await ersError(client.getReferral('000000070000'));
    expect(err.message).not.toMatch(/000000070000|9990000026/);
    expect(err.message).toMatch(/cannot be processed/);
  });
});

describe('application-restricted access', () => {
  it('reads worklists for its services without user headers, and may not write (403)', async () => {
    const [cardio, derm] = await control.addReferrals(booked(), booked({ serviceId: '21008' }));
    const app = clientFor({ accessToken: ers.appToken, businessFunction: 'APPLICATION_RESTRICTED', odsCode: undefined, serviceIds: ['21007'] });
    await control.clearRequests();
    expect((await app.fetchWorklist('REFERRALS_FOR_REVIEW')).map((i) => i.ubrn)).toEqual([cardio.ubrn]);
    expect((await app.getReferral(derm.ubrn)).serviceId).toBe('21008');
    const [list] = await control.requests();
    expect(list.headers['nhsd-ers-business-function']).toBeUndefined();
    expect(list.headers['nhsd-end-user-organisation-ods']).toBeUndefined();
    expect(list.body).toMatchObject({ parameter: [{ name: 'listType' }, { name: 'service', valueIdentifier: { value: '21007' } }] });
    expect(await ersError(app.accept(cardio.ubrn, cardio.version))).toMatchObject({ kind: 'final', status: 403 });
    expect(await ersError(app.allowedActions(cardio.ubrn, cardio.version))).toMatchObject({ status: 403 });
  });

  it('may read each worklist of a service twice a day, as e-RS allows, then is told when to come back', async () => {
    await control.addReferrals(booked());
    const app = clientFor({ accessToken: ers.appToken, businessFunction: 'APPLICATION_RESTRICTED', odsCode: undefined, serviceIds: ['21007'] });
    await app.fetchWorklist('REFERRALS_FOR_REVIEW');
    await app.fetchWorklist('REFERRALS_FOR_REVIEW');
    await app.fetchWorklist('APPOINTMENT_SLOT_ISSUES');
    const err = await ersError(app.fetchWorklist('REFERRALS_FOR_REVIEW'));
    expect(err).toMatchObject({ kind: 'retryable', status: 429 });
    expect(err.retryAfterMs).toBeGreaterThan(0);
    expect(err.retryAfterMs).toBeLessThanOrEqual(86_400_000);
    // User-restricted access has no such limit.
    for (let i = 0; i < 3; i++) await client.fetchWorklist('REFERRALS_FOR_REVIEW');
  });

  it('the mode switch makes every token application-restricted, and A008 then needs a service', async () => {
    const [added] = await control.addReferrals(booked());
    await control.appRestricted(true);
    expect(await ersError(client.fetchWorklist('REFERRALS_FOR_REVIEW'))).toMatchObject({ kind: 'final', status: 422, code: 'MISSING_VALUE' });
    expect(await ersError(client.accept(added.ubrn, added.version))).toMatchObject({ status: 403 });
    await control.appRestricted(false);
    expect((await client.accept(added.ubrn, added.version)).state).toBe('ACCEPTED');
  });
});

describe('demo referrals', () => {
  it('seeds referrals for the trust\'s e-RS services and releases the held ones in turn', async () => {
    await control.reset({ visible: 4, held: 5 });
    const before = [...await client.fetchWorklist('REFERRALS_FOR_REVIEW'), ...await client.fetchWorklist('APPOINTMENT_SLOT_ISSUES')];
    expect(before).toHaveLength(4);
    expect((await control.release(2)).released).toHaveLength(2);
    const after = [...await client.fetchWorklist('REFERRALS_FOR_REVIEW'), ...await client.fetchWorklist('APPOINTMENT_SLOT_ISSUES')];
    expect(after).toHaveLength(6);
    for (const item of after) {
      const r = await client.getReferral(item.ubrn);
      expect(r.patient).toMatchObject({ nhsNumber: item.nhsNumber, givenName: expect.any(String), familyName: expect.any(String), dateOfBirth: expect.stringMatching(/^\d{4}-\d\d-\d\d$/), postcode: expect.any(String) });
    }
  });

  it('now and then gives a patient a second UBRN that lists the first as related', async () => {
    await control.reset({ visible: 60, held: 0 });
    const items = [...await client.fetchWorklist('REFERRALS_FOR_REVIEW'), ...await client.fetchWorklist('APPOINTMENT_SLOT_ISSUES')];
    const referrals = await Promise.all(items.map((i) => client.getReferral(i.ubrn)));
    const linked = referrals.filter((r) => r.relatedUbrns.length > 0);
    expect(linked.length).toBeGreaterThan(0);
    for (const r of linked) {
      const first = referrals.find((x) => x.ubrn === r.relatedUbrns[0])!;
      expect(first.patient).toEqual(r.patient);
    }
  });
});
