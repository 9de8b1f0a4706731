/// <reference types="fhir" />
// A local NHS e-Referral Service (interfaces.md §1.4, §1.9): the provider routes of the e-RS FHIR API under
// /referrals/FHIR, stateful (referrals keyed by UBRN, versioned, moving between worklists), with the header rules
// of NHS Digital's sandbox (business-function allow-lists, the on-behalf-of rule), weak ETags, If-Match on writes,
// OperationOutcome errors, and switches for the failures a real e-RS gives. `/__control` is ours, not e-RS's.
// It builds its FHIR JSON itself (never with domain/ers-fhir.ts's parser), so adapter tests check one against the other.
import { randomUUID } from 'node:crypto';
import type { AddressInfo } from 'node:net';
import { Hono, type Context } from 'hono';
import { serve, type ServerType } from '@hono/node-server';
import { PDFDocument, StandardFonts } from 'pdf-lib';
import { ersActions, type ErsPriority, type ErsReferralState, type ErsReviewOutcome, type ErsWorklist } from '../../domain/ers';
import { ersExtensions, ersProfiles, ersSystems, parameterOf } from '../../domain/ers-fhir';
import { demoErsServices } from '../../db/reference-data';
import { seededRandom, syntheticNhsNumber } from './demo';

/** The local service's own tokens (not secrets of anything real). */
export const localErsUserToken = 'local-ers-user-restricted-token';
export const localErsAppToken = 'local-ers-application-restricted-token';
export const localErsOdsCode = 'RVY';

const base = '/referrals/FHIR';
const SPC = 'SERVICE_PROVIDER_CLINICIAN', SPA = 'SERVICE_PROVIDER_ADMIN', SPCA = 'SERVICE_PROVIDER_CLINICIAN_ADMIN';
const RC = 'REFERRING_CLINICIAN', RCA = 'REFERRING_CLINICIAN_ADMIN', RA = 'REFERRING_ADMIN';
export const businessFunctions = [RC, RCA, RA, 'COMMISSIONER', SPC, SPCA, SPA, 'INFORMATION_ANALYST', 'BOOKING_MANAGER', 'ADDITIONAL_REQUIREMENTS_MANAGER'];

/** The routes, by e-RS id: which business functions may call each (§1.4) and whether app-restricted tokens may. */
const routeRules: Record<string, { functions: string[]; app: boolean; write?: boolean }> = {
  A008: { functions: [SPC, SPA, SPCA, RC, RCA, RA], app: true },
  A005: { functions: [RC, RCA, SPC, SPCA], app: true },
  A007: { functions: [RC, RCA, SPC, SPCA], app: true },
  A006: { functions: [RC, RCA, SPC, SPCA], app: true },
  A042: { functions: [RC, RCA, SPC, SPCA], app: true },
  A013: { functions: [SPC, SPCA], app: false, write: true },
  A014: { functions: [SPC, SPCA], app: false, write: true },
  A022: { functions: [SPC, SPCA], app: false, write: true },
  A028: { functions: [SPC, SPCA], app: false, write: true },
  A029: { functions: [RC, RCA, SPC, SPCA], app: false },
  A038: { functions: [RC, RCA, SPC, SPCA], app: false },
};

export type LocalErsAttachmentInput = { title: string; contentType?: string; text?: string; available?: boolean; legacyId?: boolean };

/** A referral as a test or the demo seed adds it. */
export type LocalErsReferralInput = {
  ubrn?: string;
  worklist: 'REFERRALS_FOR_REVIEW' | 'APPOINTMENT_SLOT_ISSUES';
  /** RAS (triage) referral: answered with A028 only. */
  triage?: boolean;
  priority?: ErsPriority;
  /** e-RS service id; its specialty comes from the trust's services unless given. */
  serviceId?: string;
  specialty?: string;
  patient: { nhsNumber: string; givenName?: string; familyName?: string; dateOfBirth?: string; postcode?: string };
  pathwayStart?: string;
  /** ASI: when the UBRN reached the worklist (defaults to when it is released). */
  ubrnReceived?: string;
  reason?: string;
  relatedUbrns?: string[];
  attachments?: LocalErsAttachmentInput[];
  /** Booked referrals (RfR, not triage): the appointment's start; defaults to two weeks after release. */
  appointmentStart?: string;
  /** Held back until released (by /__control/release or the release timer). */
  held?: boolean;
};

type Attachment = { id: string; docId: string; title: string; contentType: string; bytes: Uint8Array; available: boolean; indexed: string };
type Appointment = { id: string; version: number; status: 'booked' | 'cancelled'; start: string; end: string; ubrn: string; cancellationReason?: string; history: Map<number, fhir.Appointment> };
type Referral = {
  ubrn: string; version: number; state: ErsReferralState; worklist: ErsWorklist | 'APPOINTMENTS_FOR_BOOKING' | null;
  triage: boolean; priority: ErsPriority; serviceId: string; specialty: string;
  patient: LocalErsReferralInput['patient']; pathwayStart: string; ubrnReceived?: string; reason?: string;
  relatedUbrns: string[]; attachments: Attachment[]; appointmentId?: string; held: boolean;
  history: Map<number, fhir.ReferralRequest>; outcomes: { action: string; at: string; detail: Record<string, unknown> }[];
};
type Injected = { status?: number; route?: string; retryAfter?: number; delayMs?: number; diagnostics?: string };
export type ReceivedRequest = { at: string; route: string; method: string; path: string; query: Record<string, string>; headers: Record<string, string>; body: unknown };

export type LocalErsOptions = {
  port?: number;
  host?: string;
  userTokens?: string[];
  appTokens?: string[];
  /** Demo referrals on start: `visible` now, `held` more released `releaseBatch` at a time every `releaseEveryMs`. */
  seed?: { visible: number; held: number; seed?: number };
  releaseEveryMs?: number;
  releaseBatch?: number;
  /** Requests kept for /__control/requests (oldest dropped first). */
  keepRequests?: number;
  now?: () => number;
};

const contactDays: Record<ErsPriority, number> = { ROUTINE: 40, URGENT: 10, TWO_WEEK_WAIT: 5 };
const priorityDisplay: Record<ErsPriority, string> = { ROUTINE: 'Routine', URGENT: 'Urgent', TWO_WEEK_WAIT: '2 Week Wait' };
const issueCodes: Record<number, string> = { 400: 'invalid', 401: 'login', 403: 'forbidden', 404: 'not-found', 409: 'conflict', 412: 'conflict', 415: 'not-supported', 422: 'business-rule', 423: 'lock-error', 429: 'throttled', 500: 'exception', 502: 'transient', 503: 'transient', 504: 'timeout' };
const errorCodes: Record<number, [string, string]> = {
  400: ['BAD_REQUEST', 'Bad request'], 401: ['ACCESS_DENIED', 'Access denied'], 403: ['FORBIDDEN', 'Forbidden'], 404: ['NO_RECORD_FOUND', 'No record found'],
  409: ['CONFLICT', 'Conflict'], 412: ['INCORRECT_VERSION', 'The version does not match the current version'], 415: ['UNSUPPORTED_MEDIA_TYPE', 'Unsupported media type'],
  422: ['INAPPROPRIATE_VALUE', 'Inappropriate value'], 423: ['LOCKED', 'The referral is being worked on by another user'], 429: ['TOO_MANY_REQUESTS', 'Too many requests'],
  500: ['SERVICE_ERROR', 'An internal error occurred'], 502: ['PAS_NOT_RESPONDING', 'Bad gateway'], 503: ['SERVICE_UNAVAILABLE', 'Service unavailable'], 504: ['PAS_NOT_RESPONDING', 'Gateway timeout'],
};

/** An eRS-OperationOutcome-1 (§1.7). `code` overrides the default for the status. */
export function operationOutcome(status: number, diagnostics: string, code?: string) {
  const [defaultCode, display] = errorCodes[status] ?? ['SERVICE_ERROR', 'Error'];
  return {
    resourceType: 'OperationOutcome', meta: { profile: [ersProfiles.operationOutcome] },
    issue: [{ severity: 'error', code: issueCodes[status] ?? 'exception', details: { coding: [{ system: ersSystems.apiErrorCode, code: code ?? defaultCode, display }] }, diagnostics }],
  };
}

const fhirJson = 'application/fhir+json';
const addDaysIso = (iso: string, days: number) => new Date(Date.parse(iso) + days * 86_400_000).toISOString();

export function createLocalErsApp(opts: LocalErsOptions = {}) {
  const now = opts.now ?? Date.now;
  const userTokens = new Set(opts.userTokens ?? [localErsUserToken]);
  const appTokens = new Set(opts.appTokens ?? [localErsAppToken]);
  const keepRequests = opts.keepRequests ?? 1000;
  let referrals = new Map<string, Referral>();
  let appointments = new Map<string, Appointment>();
  let binaries = new Map<string, Attachment>();
  /** Pre-signed download tokens (A042's 307) → attachment id and expiry. */
  let downloads = new Map<string, { id: string; expires: number }>();
  let injected: Injected[] = [];
  let appRestrictedOnly = false;
  /** Application-restricted A008 calls per service per day (e-RS allows two). */
  let appWorklistReads = new Map<string, number>();
  let received: ReceivedRequest[] = [];
  let nextUbrn = 700_000_000_000;
  let nextAppointment = 80_000;
  const pdfCache = new Map<string, Uint8Array>();

  const nowIso = () => new Date(now()).toISOString();

  // ---- rendering (STU3, as the sandbox's examples) -------------------------------------------------------------
  const priorityCC = (p: ErsPriority) => ({ coding: [{ system: ersSystems.priority, code: p, display: priorityDisplay[p] }] });
  const specialtyCC = (s: string) => ({ coding: [{ system: `${base}/STU3/CodeSystem/SPECIALTY`, code: s }] });
  const serviceId = (v: string) => ({ system: ersSystems.service, value: v });
  const nhsId = (v: string) => ({ system: ersSystems.nhsNumber, value: v });

  const renderAppointment = (a: Appointment): fhir.Appointment => ({
    resourceType: 'Appointment', id: a.id, meta: { versionId: String(a.version), profile: ['https://fhir.nhs.uk/STU3/StructureDefinition/eRS-Appointment-1'] },
    status: a.status, start: a.start, end: a.end,
    ...(a.cancellationReason ? { reason: [{ coding: [{ system: `${base}/STU3/CodeSystem/APPOINTMENT-CANCELLATION-REASON`, code: a.cancellationReason }] }] } : {}),
    incomingReferral: [{ reference: `ReferralRequest/${a.ubrn}` }],
    participant: [{ actor: { identifier: serviceId(referrals.get(a.ubrn)!.serviceId) }, status: 'accepted' }],
  });

  const renderReferral = (r: Referral): fhir.ReferralRequest => {
    const appt = r.appointmentId ? appointments.get(r.appointmentId) : undefined;
    const name = r.patient.givenName || r.patient.familyName
      ? [{ use: 'official', ...(r.patient.familyName ? { family: r.patient.familyName } : {}), ...(r.patient.givenName ? { given: [r.patient.givenName] } : {}) }] : undefined;
    const docs: fhir.DocumentReference[] = r.attachments.map((a) => ({
      resourceType: 'DocumentReference', id: a.docId,
      extension: [{ url: ersExtensions.availability, valueCoding: { system: ersSystems.availability, code: a.available ? 'AVAILABLE' : 'NOT_AVAILABLE' } }],
      type: { coding: [{ system: ersSystems.attachmentType, code: 'REFERRER' }] }, status: 'current', indexed: a.indexed,
      content: [{ attachment: { id: a.docId.replace(/^DocumentReference-/, ''), contentType: a.contentType, url: `Binary/${a.id}`, size: a.bytes.length, title: a.title } }],
    }));
    return {
      resourceType: 'ReferralRequest', id: r.ubrn,
      meta: { versionId: String(r.version), profile: ['https://fhir.nhs.uk/STU3/StructureDefinition/eRS-ReferralRequest-1'] },
      extension: [
        ...(appt ? [{ url: ersExtensions.appointmentReference, valueReference: { reference: `Appointment/${appt.id}` } }] : []),
        { url: ersExtensions.pathwayStart, valueDateTime: r.pathwayStart },
        { url: ersExtensions.priority, valueCodeableConcept: priorityCC(r.priority) },
        { url: ersExtensions.state, extension: [{ url: 'state', valueCoding: { system: ersSystems.referralState, code: r.state } }] },
        { url: ersExtensions.referralType, valueCodeableConcept: { coding: [{ system: ersSystems.referralType, code: r.triage ? 'TRIAGE_REQUEST' : 'APPOINTMENT_REQUEST' }] } },
        ...r.relatedUbrns.map((u) => ({ url: ersExtensions.relatedReferral, valueReference: { reference: `ReferralRequest/${u}` } })),
      ],
      contained: [
        { resourceType: 'Patient', id: 'Patient', meta: { profile: ['https://fhir.nhs.uk/STU3/StructureDefinition/eRS-Patient-1'] },
          identifier: [nhsId(r.patient.nhsNumber)], ...(name ? { name } : {}),
          ...(r.patient.dateOfBirth ? { birthDate: r.patient.dateOfBirth } : {}),
          ...(r.patient.postcode ? { address: [{ postalCode: r.patient.postcode }] } : {}) } as fhir.Patient,
        ...(appt ? [{
          resourceType: 'Appointment', id: 'appointment', status: appt.status, start: appt.start, end: appt.end,
          incomingReferral: [{ reference: `ReferralRequest/${r.ubrn}/_history/${r.version}` }],
          participant: [{ actor: { identifier: serviceId(r.serviceId) }, status: 'accepted' }, { actor: { identifier: nhsId(r.patient.nhsNumber) }, status: 'accepted' }],
        } as fhir.Appointment] : []),
        ...docs,
      ],
      status: r.state === 'REJECTED' ? 'cancelled' : 'active',
      intent: 'plan',
      specialty: specialtyCC(r.specialty),
      subject: { reference: '#Patient', identifier: nhsId(r.patient.nhsNumber) },
      recipient: [{ identifier: serviceId(r.serviceId) }],
      ...(docs.length ? { supportingInfo: docs.map((d) => ({ reference: `#${d.id}` })) } : {}),
    } as fhir.ReferralRequest;
  };

  /** Every change bumps the version and keeps the rendering for _history. */
  const bump = (r: Referral) => { r.version += 1; r.history.set(r.version, renderReferral(r)); };
  const bumpAppointment = (a: Appointment) => { a.version += 1; a.history.set(a.version, renderAppointment(a)); };

  const worklistItem = (r: Referral) => {
    const f: fhir.Extension[] = [
      { url: 'priority', valueCodeableConcept: priorityCC(r.priority) },
      { url: 'specialty', valueCodeableConcept: specialtyCC(r.specialty) },
    ];
    if (r.worklist === 'REFERRALS_FOR_REVIEW') {
      const appt = r.appointmentId ? appointments.get(r.appointmentId) : undefined;
      f.push(
        { url: 'patient', valueReference: { reference: `#Patient-${r.patient.nhsNumber}` } },
        { url: 'eReferralPathwayStart', valueDateTime: r.pathwayStart },
        { url: 'clinicalInfoPrinted', valueBoolean: false },
        { url: 'requestContextStatus', valueCodeableConcept: { coding: [{ system: ersSystems.requestContextStatus, code: 'NEVER_REVIEWED', display: 'Never Reviewed' }] } },
        ...(appt && appt.status === 'booked' ? [{ url: 'appointmentStart', valueDateTime: appt.start }] : []),
        { url: 'referralType', valueCodeableConcept: { coding: [{ system: ersSystems.referralType, code: r.triage ? 'TRIAGE_REQUEST' : 'APPOINTMENT_REQUEST' }] } },
        { url: 'service', valueReference: { identifier: serviceId(r.serviceId) } },
      );
      return { item: { reference: `ReferralRequest/${r.ubrn}` }, extension: [{ url: ersExtensions.rfrItem, extension: f }] };
    }
    f.push(
      { url: 'patient', valueReference: { identifier: nhsId(r.patient.nhsNumber) } },
      { url: 'eReferralPathwayStart', valueDateTime: r.pathwayStart },
      { url: 'clinicalInfoPrinted', valueBoolean: false },
      { url: 'ubrnReceived', valueDateTime: r.ubrnReceived! },
      { url: 'patientContactExpected', valueDate: addDaysIso(r.ubrnReceived!, contactDays[r.priority]).slice(0, 10) },
      { url: 'clinicalInformationStatus', valueCodeableConcept: { coding: [{ system: ersSystems.clinicalInformationStatus, code: 'PRESENT' }] } },
      { url: 'reason', valueCodeableConcept: { coding: [{ system: ersSystems.reviewReason, code: r.reason ?? 'NO_SLOTS_AT_SERVICE' }] } },
      { url: 'service', valueReference: { identifier: serviceId(r.serviceId) } },
    );
    return { item: { reference: `ReferralRequest/${r.ubrn}` }, extension: [{ url: ersExtensions.asiItem, extension: f }] };
  };

  /** A029, from state (§1.9): booked → accept/reject/A022; triage or slot issue → record review outcome. */
  const actionsFor = (r: Referral): string[] => {
    if (r.held) return [];
    if (r.state === 'BOOKED' && r.worklist === 'REFERRALS_FOR_REVIEW') return [ersActions.acceptReferral, ersActions.rejectReferral, ersActions.cancelAppointmentActionLater];
    if (r.state === 'AWAITING_TRIAGE' || r.state === 'BOOKING_DEFERRED') return [ersActions.recordReviewOutcome];
    return [];
  };

  // ---- adding referrals ----------------------------------------------------------------------------------------
  const newAppointment = (ubrn: string, start: string) => {
    const a: Appointment = { id: String(nextAppointment++), version: 0, status: 'booked', start, end: addDaysIso(start, 1 / 48), ubrn, history: new Map() };
    appointments.set(a.id, a);
    return a;
  };
  const release = (r: Referral) => {
    if (!r.held) return;
    r.held = false;
    const at = nowIso();
    if (r.worklist === 'APPOINTMENT_SLOT_ISSUES') r.ubrnReceived ??= at;
    if (r.state === 'BOOKED' && !r.appointmentId) {
      const a = newAppointment(r.ubrn, addDaysIso(at, 14));
      r.appointmentId = a.id;
      bumpAppointment(a);
    }
    bump(r);
  };
  const addReferral = (input: LocalErsReferralInput): Referral => {
    const service = demoErsServices.find((s) => s.serviceId === input.serviceId) ?? demoErsServices.find((s) => s.ersSpecialty === input.specialty) ?? demoErsServices[0];
    let ubrn = input.ubrn;
    if (ubrn && (!/^\d{12}$/.test(ubrn) || referrals.has(ubrn))) throw new Error('ubrn must be 12 digits and not already held');
    while (!ubrn || referrals.has(ubrn)) ubrn = String(nextUbrn++).padStart(12, '0');
    const triage = input.worklist === 'REFERRALS_FOR_REVIEW' && !!input.triage;
    const r: Referral = {
      ubrn, version: 0, worklist: input.worklist, triage, priority: input.priority ?? 'ROUTINE',
      state: input.worklist === 'APPOINTMENT_SLOT_ISSUES' ? 'BOOKING_DEFERRED' : triage ? 'AWAITING_TRIAGE' : 'BOOKED',
      serviceId: input.serviceId ?? service.serviceId, specialty: input.specialty ?? service.ersSpecialty,
      patient: { ...input.patient }, pathwayStart: input.pathwayStart ?? nowIso(), ubrnReceived: input.ubrnReceived, reason: input.reason,
      relatedUbrns: input.relatedUbrns ?? [], attachments: [], held: true, history: new Map(), outcomes: [],
    };
    r.attachments = (input.attachments ?? []).map((a, i) => {
      const id = a.legacyId ? `att-${ubrn}-${i + 1}` : randomUUID();
      const att: Attachment = { id, docId: `DocumentReference-${ubrn.slice(-5)}${i + 1}`, title: a.title, contentType: a.contentType ?? 'text/plain',
        bytes: new TextEncoder().encode(a.text ?? `${a.title}\n`), available: a.available ?? true, indexed: r.pathwayStart };
      binaries.set(id, att);
      return att;
    });
    referrals.set(ubrn, r);
    if (r.state === 'BOOKED' && input.appointmentStart) {
      const a = newAppointment(ubrn, new Date(input.appointmentStart).toISOString());
      r.appointmentId = a.id;
      bumpAppointment(a);
    }
    if (!input.held) release(r);
    return r;
  };

  // ---- demo seed -----------------------------------------------------------------------------------------------
  const seedDemo = (visible: number, held: number, seed = 14) => {
    const rand = seededRandom(seed);
    const given = ['Amelia', 'Oliver', 'Isla', 'George', 'Ava', 'Noah', 'Priya', 'Kwame', 'Zofia', 'Siobhan', 'Mohammed', 'Margaret'];
    const family = ['Smith', 'Jones', 'Patel', 'Okafor', 'Nowak', 'Byrne', 'Hughes', 'Khan', 'Walker', 'Murphy', 'Evans', 'Clarke'];
    let previous: Referral | undefined;
    for (let i = 0; i < visible + held; i++) {
      const service = demoErsServices[Math.floor(rand() * demoErsServices.length)];
      const p = rand();
      const priority: ErsPriority = p < 0.15 ? 'TWO_WEEK_WAIT' : p < 0.35 ? 'URGENT' : 'ROUTINE';
      const kind = rand();
      const worklist = kind < 0.25 ? 'APPOINTMENT_SLOT_ISSUES' : 'REFERRALS_FOR_REVIEW';
      const daysAgo = Math.floor(rand() * 10);
      const dob = new Date(Date.UTC(1940 + Math.floor(rand() * 80), Math.floor(rand() * 12), 1 + Math.floor(rand() * 28))).toISOString().slice(0, 10);
      // Now and then a second UBRN on the same patient's pathway, listing the first as related.
      const related = previous && rand() < 0.1 ? previous : undefined;
      previous = addReferral({
        worklist, triage: worklist === 'REFERRALS_FOR_REVIEW' && kind > 0.7, priority, serviceId: related?.serviceId ?? service.serviceId,
        patient: related ? { ...related.patient } : { nhsNumber: syntheticNhsNumber(rand), givenName: given[Math.floor(rand() * given.length)],
          familyName: family[Math.floor(rand() * family.length)], dateOfBirth: dob, postcode: `L${1 + Math.floor(rand() * 39)} ${Math.floor(rand() * 9)}AB` },
        relatedUbrns: related ? [related.ubrn] : [],
        pathwayStart: new Date(now() - daysAgo * 86_400_000).toISOString(),
        attachments: [{ title: 'Referral letter.txt', text: `Referral letter for ${service.name}.\n` }, ...(rand() < 0.2 ? [{ title: 'Blood results.txt', text: 'FBC normal.\n', available: rand() < 0.5 }] : [])],
        held: i >= visible,
      });
    }
  };
  if (opts.seed) seedDemo(opts.seed.visible, opts.seed.held, opts.seed.seed);

  const releaseNext = (count: number) => {
    const out: string[] = [];
    for (const r of referrals.values()) {
      if (out.length >= count) break;
      if (r.held) { release(r); out.push(r.ubrn); }
    }
    return out;
  };

  // ---- the e-RS API --------------------------------------------------------------------------------------------
  type Env = { Variables: { route: string; appRestricted: boolean; body: unknown } };
  const app = new Hono<Env>();

  const fail = (c: Context, status: number, diagnostics: string, code?: string, headers: Record<string, string> = {}) => {
    for (const [k, v] of Object.entries(headers)) c.header(k, v);
    c.header('Content-Type', fhirJson);
    return c.body(JSON.stringify(operationOutcome(status, diagnostics, code)), status as 400);
  };
  const fhir = (c: Context, body: unknown, status = 200, etag?: number) => {
    c.header('Content-Type', fhirJson);
    if (etag !== undefined) c.header('ETag', `W/"${etag}"`);
    return c.body(JSON.stringify(body), status as 200);
  };

  // Control API: never part of e-RS, so no headers checked.
  const control = new Hono()
    .post('/reset', async (c) => {
      const b = await c.req.json<{ seed?: { visible: number; held: number; seed?: number } }>().catch(() => ({} as { seed?: undefined }));
      referrals = new Map(); appointments = new Map(); binaries = new Map(); downloads = new Map(); injected = []; received = []; appRestrictedOnly = false;
      appWorklistReads = new Map();
      pdfCache.clear();
      if (b.seed) seedDemo(b.seed.visible, b.seed.held, b.seed.seed);
      return c.json({ ok: true });
    })
    .post('/referrals', async (c) => {
      const b = await c.req.json<LocalErsReferralInput | { referrals: LocalErsReferralInput[] }>();
      const list = 'referrals' in b ? b.referrals : [b];
      try {
        const added = list.map(addReferral);
        return c.json({ referrals: added.map((r) => ({ ubrn: r.ubrn, version: String(r.version), held: r.held, attachments: r.attachments.map((a) => a.id), appointmentId: r.appointmentId ?? null })) }, 201);
      } catch (err) { return c.json({ error: (err as Error).message }, 400); }
    })
    .get('/referrals', (c) => c.json([...referrals.values()].map((r) => ({
      ubrn: r.ubrn, version: String(r.version), state: r.state, worklist: r.worklist, held: r.held, triage: r.triage, priority: r.priority,
      serviceId: r.serviceId, appointmentId: r.appointmentId ?? null, outcomes: r.outcomes,
    }))))
    .post('/release', async (c) => {
      const b = await c.req.json<{ count?: number }>().catch(() => ({} as { count?: number }));
      return c.json({ released: releaseNext(b.count ?? Number.MAX_SAFE_INTEGER) });
    })
    .post('/errors', async (c) => {
      const b = await c.req.json<Injected & { count?: number }>();
      injected.push(...Array.from({ length: b.count ?? 1 }, () => ({ status: b.status, route: b.route, retryAfter: b.retryAfter, delayMs: b.delayMs, diagnostics: b.diagnostics })));
      return c.json({ pending: injected.length });
    })
    .delete('/errors', (c) => { injected = []; return c.json({ pending: 0 }); })
    .post('/mode', async (c) => {
      const b = await c.req.json<{ appRestricted?: boolean }>();
      appRestrictedOnly = !!b.appRestricted;
      return c.json({ appRestricted: appRestrictedOnly });
    })
    .get('/requests', (c) => c.json(received))
    .delete('/requests', (c) => { received = []; return c.json({ ok: true }); })
    .post('/referrals/:ubrn/attachments/:id', async (c) => {
      const a = binaries.get(c.req.param('id'));
      const r = referrals.get(c.req.param('ubrn'));
      if (!a || !r) return c.json({ error: 'no such referral or attachment' }, 404);
      const b = await c.req.json<{ available: boolean }>();
      a.available = b.available;
      bump(r);
      return c.json({ version: String(r.version) });
    })
    // The patient cancels their appointment in e-RS (or through the NHS App): the referral awaits a new booking.
    .post('/referrals/:ubrn/patient-cancels', async (c) => {
      const r = referrals.get(c.req.param('ubrn'));
      const a = r?.appointmentId ? appointments.get(r.appointmentId) : undefined;
      if (!r || !a || a.status !== 'booked') return c.json({ error: 'no booked appointment on that referral' }, 409);
      const b = await c.req.json<{ reason?: string }>().catch(() => ({} as { reason?: string }));
      a.status = 'cancelled'; a.cancellationReason = b.reason ?? 'PATIENT_CANCELLED';
      bumpAppointment(a);
      r.state = 'APPOINTMENT_CANCELLED';
      bump(r);
      return c.json({ version: String(r.version), appointmentId: a.id });
    })
    // The patient rebooks in e-RS: a new appointment replaces the old (cancelled) one.
    .post('/referrals/:ubrn/patient-rebooks', async (c) => {
      const r = referrals.get(c.req.param('ubrn'));
      if (!r) return c.json({ error: 'no such referral' }, 404);
      const b = await c.req.json<{ start: string }>();
      if (!b.start || Number.isNaN(Date.parse(b.start))) return c.json({ error: 'start must be a date-time' }, 400);
      const old = r.appointmentId ? appointments.get(r.appointmentId) : undefined;
      if (old && old.status === 'booked') { old.status = 'cancelled'; old.cancellationReason = 'PATIENT_REBOOKED'; bumpAppointment(old); }
      const a = newAppointment(r.ubrn, new Date(b.start).toISOString());
      bumpAppointment(a);
      r.appointmentId = a.id; r.state = 'BOOKED'; r.worklist = 'REFERRALS_FOR_REVIEW'; r.triage = false;
      bump(r);
      return c.json({ version: String(r.version), appointmentId: a.id, replaced: old?.id ?? null });
    });
  app.route('/__control', control);

  // Pre-signed download (what A042's Location points at): no e-RS headers, a short-lived token instead.
  app.get('/attachment-store/:token', (c) => {
    received.push({ at: nowIso(), route: 'download', method: 'GET', path: new URL(c.req.url).pathname, query: {},
      headers: Object.fromEntries(Object.entries(c.req.header()).map(([k, v]) => [k.toLowerCase(), v])), body: undefined });
    const d = downloads.get(c.req.param('token'));
    if (!d || d.expires < now()) return c.text('This download link has expired', 403);
    const a = binaries.get(d.id)!;
    c.header('Content-Type', a.contentType);
    c.header('Content-Disposition', `attachment; filename="${a.title}"`);
    return c.body(a.bytes as Uint8Array<ArrayBuffer>);
  });

  /** Route id for a request under the base, for the header rules, error injection and /__control/requests. */
  const routeOf = (method: string, path: string): string | undefined => {
    const p = path.slice(base.length);
    if (method === 'POST' && p === '/STU3/ReferralRequest/$ers.fetchworklist') return 'A008';
    if (method === 'GET' && /^\/STU3\/ReferralRequest\/[^/]+(\/_history\/[^/]+)?$/.test(p)) return 'A005';
    if (method === 'POST' && /^\/STU3\/ReferralRequest\/[^/]+\/\$ers\.generateCRI$/.test(p)) return 'A007';
    if (method === 'GET' && /^\/STU3\/Binary\/[^/]+$/.test(p)) return 'A006';
    if (method === 'GET' && /^\/R4\/Binary\/[^/]+$/.test(p)) return 'A042';
    if (method === 'POST' && /\/\$ers\.acceptReferral$/.test(p)) return 'A013';
    if (method === 'POST' && /\/\$ers\.rejectReferral$/.test(p)) return 'A014';
    if (method === 'POST' && /\/\$ers\.cancelAppointmentActionLater$/.test(p)) return 'A022';
    if (method === 'POST' && /\/\$ers\.recordReviewOutcome$/.test(p)) return 'A028';
    if (method === 'GET' && p === '/STU3/Task') return 'A029';
    if (method === 'GET' && /^\/STU3\/Appointment\/[^/]+(\/_history\/[^/]+)?$/.test(p)) return 'A038';
    return undefined;
  };

  app.use(`${base}/*`, async (c, next) => {
    const correlationId = c.req.header('X-Correlation-ID');
    c.header('X-Request-ID', randomUUID());
    if (correlationId) c.header('X-Correlation-ID', correlationId);
    const path = new URL(c.req.url).pathname;
    const route = routeOf(c.req.method, path) ?? 'unknown';
    c.set('route', route);
    const raw = c.req.method === 'POST' ? await c.req.text() : '';
    let body: unknown = raw || undefined;
    try { if (raw) body = JSON.parse(raw); } catch { /* kept as text; the route refuses it */ }
    received.push({ at: nowIso(), route, method: c.req.method, path, query: Object.fromEntries(new URL(c.req.url).searchParams),
      headers: Object.fromEntries(Object.entries(c.req.header()).map(([k, v]) => [k.toLowerCase(), v])), body });
    if (received.length > keepRequests) received.splice(0, received.length - keepRequests);

    // Injected failures first, as a gateway in front of e-RS would answer them.
    const i = injected.findIndex((f) => !f.route || f.route === route);
    if (i >= 0) {
      const f = injected.splice(i, 1)[0];
      if (f.delayMs) await new Promise((r) => setTimeout(r, f.delayMs));
      if (f.status) return fail(c, f.status, f.diagnostics ?? errorCodes[f.status]?.[1] ?? 'Injected failure', undefined, f.retryAfter !== undefined ? { 'Retry-After': String(f.retryAfter) } : {});
    }

    const auth = c.req.header('Authorization');
    const token = auth?.startsWith('Bearer ') ? auth.slice(7) : undefined;
    if (!token || (!userTokens.has(token) && !appTokens.has(token))) return fail(c, 401, 'Access token missing, invalid or expired');
    const rule = routeRules[route];
    if (!rule) return fail(c, 404, 'No such e-RS operation', 'NOT_FOUND');
    const appRestricted = appRestrictedOnly || appTokens.has(token);
    c.set('appRestricted', appRestricted);
    if (appRestricted) {
      if (!rule.app) return fail(c, 403, `This operation (${route}) is not available to application-restricted access`);
    } else {
      const ods = c.req.header('NHSD-End-User-Organisation-ODS');
      const fn = c.req.header('NHSD-eRS-Business-Function');
      const obo = c.req.header('NHSD-eRS-On-Behalf-Of-User-ID');
      if (!ods) return fail(c, 403, 'NHSD-End-User-Organisation-ODS is required');
      if (!fn || !businessFunctions.includes(fn)) return fail(c, 403, 'NHSD-eRS-Business-Function is missing or not a business function');
      if (!rule.functions.includes(fn)) return fail(c, 403, `Business Function (${fn}) is not permitted for this operation`);
      if (fn === SPCA && !obo) return fail(c, 403, `NHSD-eRS-On-Behalf-Of-User-ID is required for Business Function (${fn})`);
      if (fn !== SPCA && obo) return fail(c, 403, `On Behalf Of User ID (${obo}) is not permitted for Business Function (${fn}).`);
      if (obo && !/^\d{12}$/.test(obo)) return fail(c, 403, 'NHSD-eRS-On-Behalf-Of-User-ID must be a 12-digit SDS user id');
    }
    if (raw && !/^application\/(fhir\+)?json\b/.test(c.req.header('Content-Type') ?? '')) return fail(c, 415, 'Send the body as application/fhir+json');
    if (raw && typeof body === 'string') return fail(c, 400, 'The body is not JSON', 'REQUEST_VALIDATION_ERROR');
    c.set('body', body);
    await next();
  });

  const bodyOf = (c: Context<Env>) => c.get('body') as fhir.Parameters | undefined;
  /** A referral e-RS has received (held ones do not exist yet). */
  const known = (ubrn: string) => { const r = referrals.get(ubrn); return r && !r.held ? r : undefined; };
  const notFound = (c: Context, what = 'referral') => fail(c, 404, `No ${what} was found with that id`);

  // A008
  app.post(`${base}/STU3/ReferralRequest/$ers.fetchworklist`, (c) => {
    const p = bodyOf(c);
    if (p?.resourceType !== 'Parameters') return fail(c, 400, 'The body must be a Parameters resource', 'REQUEST_VALIDATION_ERROR');
    const listType = parameterOf(p, 'listType')?.valueCodeableConcept?.coding?.[0]?.code;
    if (!listType) return fail(c, 422, 'listType is required', 'MISSING_VALUE');
    if (listType !== 'REFERRALS_FOR_REVIEW' && listType !== 'APPOINTMENT_SLOT_ISSUES') return fail(c, 422, `listType ${listType} is not a worklist of this service`, 'INAPPROPRIATE_VALUE');
    const service = parameterOf(p, 'service')?.valueIdentifier?.value;
    if (c.get('appRestricted') && !service) return fail(c, 422, 'service is mandatory for application-restricted access', 'MISSING_VALUE');
    if (c.get('appRestricted')) {
      const day = nowIso().slice(0, 10);
      const key = `${day}:${service}:${listType}`;
      const reads = (appWorklistReads.get(key) ?? 0) + 1;
      if (reads > 2) {
        const untilMidnight = Math.ceil((Date.parse(`${day}T00:00:00Z`) + 86_400_000 - now()) / 1000);
        return fail(c, 429, 'An application-restricted worklist may be fetched at most twice a day for each service', undefined, { 'Retry-After': String(untilMidnight) });
      }
      appWorklistReads.set(key, reads);
    }
    const items = [...referrals.values()].filter((r) => !r.held && r.worklist === listType && (!service || r.serviceId === service));
    const contained = listType === 'REFERRALS_FOR_REVIEW'
      ? [...new Map(items.map((r) => [r.patient.nhsNumber, { resourceType: 'Patient', id: `Patient-${r.patient.nhsNumber}`,
          meta: { profile: ['https://fhir.nhs.uk/STU3/StructureDefinition/eRS-Patient-1'] }, identifier: [nhsId(r.patient.nhsNumber)] }])).values()]
      : [];
    return fhir(c, {
      resourceType: 'List', meta: { profile: ['https://fhir.nhs.uk/STU3/StructureDefinition/eRS-FetchWorklist-List-1'] },
      status: 'current', mode: 'snapshot', date: nowIso(), ...(contained.length ? { contained } : {}), entry: items.map(worklistItem),
    });
  });

  // A005 (+ _history)
  app.get(`${base}/STU3/ReferralRequest/:ubrn/_history/:version`, (c) => {
    const r = known(c.req.param('ubrn'));
    const v = Number(c.req.param('version'));
    const doc = r?.history.get(v);
    if (!r || !doc) return notFound(c, 'referral version');
    return fhir(c, doc, 200, v);
  });
  app.get(`${base}/STU3/ReferralRequest/:ubrn`, (c) => {
    const r = known(c.req.param('ubrn'));
    if (!r) return notFound(c);
    return fhir(c, r.history.get(r.version), 200, r.version);
  });

  // A007: the Clinical Referral Information summary, a small PDF.
  app.post(`${base}/STU3/ReferralRequest/:ubrn/$ers.generateCRI`, async (c) => {
    const r = known(c.req.param('ubrn'));
    if (!r) return notFound(c);
    const key = `${r.ubrn}:${r.version}`;
    let bytes = pdfCache.get(key);
    if (!bytes) {
      const doc = await PDFDocument.create();
      const font = await doc.embedFont(StandardFonts.Helvetica);
      const page = doc.addPage([595.28, 841.89]);
      const lines = ['Clinical Referral Information', `UBRN ${r.ubrn} (version ${r.version})`, `Priority: ${priorityDisplay[r.priority]}`,
        `Specialty: ${r.specialty}`, `Service: ${r.serviceId}`, `Pathway start: ${r.pathwayStart}`];
      lines.forEach((l, i) => page.drawText(l, { x: 50, y: 780 - i * 22, size: i === 0 ? 18 : 11, font }));
      bytes = await doc.save();
      pdfCache.set(key, bytes);
    }
    const ts = nowIso().replace(/[-:]/g, '').replace(/\..*$/, '');
    c.header('Content-Type', 'application/pdf');
    c.header('Content-Disposition', `attachment; filename=${r.ubrn}_Clinical_Information_Summary_${ts}.pdf`);
    return c.body(bytes as Uint8Array<ArrayBuffer>);
  });

  // A006 (deprecated, direct bytes) and A042 (307 to a short-lived URL).
  const attachmentFor = (id: string) => {
    const a = binaries.get(id);
    if (!a) return undefined;
    const owner = [...referrals.values()].find((r) => r.attachments.includes(a));
    return owner && !owner.held ? a : undefined;
  };
  app.get(`${base}/STU3/Binary/:id`, (c) => {
    const a = attachmentFor(c.req.param('id'));
    if (!a) return notFound(c, 'attachment');
    if (!a.available) return fail(c, 400, 'The attachment is not yet available for download (it is being checked for malware)', 'ATTACHMENT_NOT_AVAILABLE');
    c.header('Content-Type', a.contentType);
    c.header('Content-Disposition', `attachment; filename="${a.title}"`);
    return c.body(a.bytes as Uint8Array<ArrayBuffer>);
  });
  app.get(`${base}/R4/Binary/:id`, (c) => {
    const id = c.req.param('id');
    const a = id.startsWith('att-') ? undefined : attachmentFor(id);
    if (!a) return notFound(c, 'attachment');
    if (!a.available) return fail(c, 400, 'The attachment is not yet available for download (it is being checked for malware)', 'ATTACHMENT_NOT_AVAILABLE');
    const token = randomUUID();
    downloads.set(token, { id: a.id, expires: now() + 60_000 });
    c.header('Location', `${new URL(c.req.url).origin}/attachment-store/${token}`);
    return c.body(null, 307);
  });

  // Writes: If-Match must name the current version (§1.3).
  const precondition = (c: Context, r: Referral) => {
    const header = c.req.header('If-Match');
    if (!header) return fail(c, 400, 'If-Match is required: send the version from the ETag of the last read', 'MISSING_VALUE');
    const m = /^(?:W\/)?"([^"]+)"$/.exec(header.trim());
    if (!m) return fail(c, 400, 'If-Match must be W/"<version>"', 'INVALID_VALUE');
    if (m[1] !== String(r.version)) return fail(c, 412, `The referral has changed since version ${m[1]}; it is now version ${r.version}`);
    return undefined;
  };
  const answer = (c: Context, r: Referral) => fhir(c, r.history.get(r.version), 200, r.version);
  const cancelAppointment = (r: Referral, reason: string) => {
    const a = r.appointmentId ? appointments.get(r.appointmentId) : undefined;
    if (a && a.status === 'booked') { a.status = 'cancelled'; a.cancellationReason = reason; bumpAppointment(a); }
  };
  const record = (r: Referral, action: string, detail: Record<string, unknown>) => r.outcomes.push({ action, at: nowIso(), detail });

  /** A bad request found by a write's own checks, answered as e-RS would. */
  class Refusal { constructor(readonly status: number, readonly diagnostics: string, readonly code?: string) {} }
  const refuse = (status: number, diagnostics: string, code?: string): never => { throw new Refusal(status, diagnostics, code); };
  /**
   * The referral writes, one skeleton: the referral e-RS holds, If-Match naming its current version, the operation's
   * own checks of its Parameters (`read`, which calls `refuse`), the action allowed in the referral's state; then the
   * change (`apply`, returning what is recorded of it), a new version, and that version answered with its ETag.
   */
  const referralWrite = <T>(operation: string, w: {
    route: string; action: string; notAllowed: (state: string) => string;
    read?: (p: fhir.Parameters | undefined) => T; apply: (r: Referral, input: T) => Record<string, unknown>;
  }) => app.post(`${base}/STU3/ReferralRequest/:ubrn/$ers.${operation}`, (c) => {
    const r = known(c.req.param('ubrn'));
    if (!r) return notFound(c);
    const refused = precondition(c, r);
    if (refused) return refused;
    let input: T;
    try {
      input = w.read ? w.read(bodyOf(c)) : (undefined as T);
    } catch (err) {
      if (err instanceof Refusal) return fail(c, err.status, err.diagnostics, err.code);
      throw err;
    }
    if (!actionsFor(r).includes(w.action)) return fail(c, 422, w.notAllowed(r.state));
    record(r, w.route, w.apply(r, input));
    bump(r);
    return answer(c, r);
  });
  /** A free-text parameter that must have more than spaces. */
  const required = (value: string | undefined, name: string) => (value?.trim() ? value : refuse(422, `${name} is required`, 'MISSING_VALUE'));

  referralWrite('acceptReferral', {
    route: 'A013', action: ersActions.acceptReferral, notAllowed: (state) => `A referral in state ${state} cannot be accepted`,
    apply: (r) => { r.state = 'ACCEPTED'; r.worklist = null; return {}; },
  });

  referralWrite('rejectReferral', {
    route: 'A014', action: ersActions.rejectReferral, notAllowed: (state) => `A referral in state ${state} cannot be rejected`,
    read: (p) => ({
      reason: parameterOf(p, 'rejectionReason')?.valueCoding?.code || refuse(422, 'rejectionReason is required', 'MISSING_VALUE'),
      comments: required(parameterOf(p, 'rejectionComments')?.valueString, 'rejectionComments'),
    }),
    apply: (r, { reason, comments }) => {
      cancelAppointment(r, reason);
      r.state = 'REJECTED'; r.worklist = null;
      return { reason, comments };
    },
  });

  referralWrite('cancelAppointmentActionLater', {
    route: 'A022', action: ersActions.cancelAppointmentActionLater, notAllowed: (state) => `A referral in state ${state} has no appointment to cancel`,
    read: (p) => ({ comments: required(parameterOf(p, 'comments')?.valueString, 'comments') }),
    apply: (r, { comments }) => {
      cancelAppointment(r, 'PROVIDER_CANCELLED');
      r.state = 'AWAITING_BOOKING'; r.worklist = 'APPOINTMENTS_FOR_BOOKING';
      return { comments };
    },
  });

  referralWrite('recordReviewOutcome', {
    route: 'A028', action: ersActions.recordReviewOutcome, notAllowed: (state) => `A referral in state ${state} cannot have a review outcome recorded`,
    read: (p) => {
      const outcome = (parameterOf(p, 'reviewOutcome')?.valueCoding?.code || refuse(422, 'reviewOutcome is required', 'MISSING_VALUE')) as ErsReviewOutcome;
      if (outcome !== 'RETURN_TO_REFERRER_WITH_ADVICE' && outcome !== 'ACCEPT_REFER_BOOK_LATER') refuse(422, `reviewOutcome ${outcome} is not supported`, 'INAPPROPRIATE_VALUE');
      const comments = required(parameterOf(p, 'reviewComments')?.valueString, 'reviewComments');
      const priority = parameterOf(p, 'reviewPriority')?.valueCoding?.code as ErsPriority | undefined;
      if (priority && !(priority in contactDays)) refuse(422, `reviewPriority ${priority} is not a priority`, 'INAPPROPRIATE_VALUE');
      return { outcome, comments, priority };
    },
    apply: (r, { outcome, comments, priority }) => {
      if (priority) r.priority = priority;
      if (outcome === 'RETURN_TO_REFERRER_WITH_ADVICE') { r.state = 'REJECTED'; r.worklist = null; }
      else { r.state = 'AWAITING_BOOKING'; r.worklist = 'APPOINTMENTS_FOR_BOOKING'; }
      return { outcome, comments, ...(priority ? { priority } : {}) };
    },
  });

  // A029
  app.get(`${base}/STU3/Task`, (c) => {
    const focus = c.req.query('focus');
    const m = focus ? /^ReferralRequest\/([^/]+)\/_history\/([^/]+)$/.exec(focus) : null;
    if (!m) return fail(c, 422, 'focus must be ReferralRequest/<ubrn>/_history/<version>', 'INVALID_VALUE');
    if (c.req.query('intent') !== 'proposal' || c.req.query('status') !== 'ready') return fail(c, 422, 'intent=proposal and status=ready are required', 'INVALID_VALUE');
    const r = known(m[1]);
    if (!r || !r.history.has(Number(m[2]))) return notFound(c, 'referral version');
    const actions = String(r.version) === m[2] ? actionsFor(r) : [];
    const self = new URL(c.req.url);
    return fhir(c, {
      resourceType: 'Bundle', type: 'searchset', link: [{ relation: 'self', url: self.toString() }],
      entry: actions.map((a) => {
        const id = randomUUID();
        return {
          fullUrl: `${self.origin}${base}/STU3/Task/${id}`, search: { mode: 'match' },
          resource: { resourceType: 'Task', id, meta: { profile: ['https://fhir.hl7.org.uk/STU3/StructureDefinition/CareConnect-Task-1'] }, status: 'ready', intent: 'proposal',
            focus: { reference: focus }, code: { coding: [{ system: ersSystems.availableActions, code: a }] } },
        };
      }),
    });
  });

  // A038 (+ _history)
  app.get(`${base}/STU3/Appointment/:id/_history/:version`, (c) => {
    const a = appointments.get(c.req.param('id'));
    const v = Number(c.req.param('version'));
    const doc = a?.history.get(v);
    if (!a || !doc || referrals.get(a.ubrn)?.held) return notFound(c, 'appointment version');
    return fhir(c, doc, 200, v);
  });
  app.get(`${base}/STU3/Appointment/:id`, (c) => {
    const a = appointments.get(c.req.param('id'));
    if (!a || referrals.get(a.ubrn)?.held) return notFound(c, 'appointment');
    return fhir(c, a.history.get(a.version), 200, a.version);
  });

  app.notFound((c) => fail(c, 404, 'No such route'));
  app.onError((err, c) => fail(c, 500, `Internal error: ${err.message}`));

  return { app, releaseNext, heldCount: () => [...referrals.values()].filter((r) => r.held).length };
}

export type LocalErs = {
  /** The e-RS FHIR base (ERS_BASE_URL), ending /referrals/FHIR. */
  baseUrl: string;
  /** Where /__control lives. */
  origin: string;
  userToken: string;
  appToken: string;
  odsCode: string;
  stop(): Promise<void>;
};

/** Starts the service on 127.0.0.1 (a free port unless one is given), releasing held demo referrals on a timer if asked. */
export async function startLocalErs(opts: LocalErsOptions = {}): Promise<LocalErs> {
  const { app, releaseNext } = createLocalErsApp(opts);
  const server = await new Promise<ServerType>((resolve) => {
    const s = serve({ fetch: app.fetch, port: opts.port ?? 0, hostname: opts.host ?? '127.0.0.1' }, () => resolve(s));
  });
  const timer = opts.releaseEveryMs ? setInterval(() => releaseNext(opts.releaseBatch ?? 3), opts.releaseEveryMs) : undefined;
  timer?.unref();
  const address = server.address() as AddressInfo;
  const host = opts.host && opts.host !== '0.0.0.0' ? opts.host : '127.0.0.1';
  const origin = `http://${host}:${address.port}`;
  return {
    baseUrl: `${origin}${base}`, origin,
    userToken: (opts.userTokens ?? [localErsUserToken])[0], appToken: (opts.appTokens ?? [localErsAppToken])[0], odsCode: localErsOdsCode,
    async stop() {
      if (timer) clearInterval(timer);
      const closed = new Promise<void>((resolve) => server.close(() => resolve()));
      (server as { closeAllConnections?: () => void }).closeAllConnections?.();
      await closed;
    },
  };
}
