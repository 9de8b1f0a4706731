/// <reference types="fhir" />
// The e-RS FHIR STU3 shapes (interfaces.md §1.5–1.7) read into domain/ers.ts's plain shapes, and the Parameters
// bodies the writes send. Pure: the HTTP adapter (activities/ers-client.ts) calls these; tests call them directly.
import type {
  ErsAppointment, ErsAttachmentRef, ErsPriority, ErsReferral, ErsReviewOutcome, ErsWorklist, ErsWorklistItem,
} from './ers';
import { ersPriorities } from './ers';

const sd = 'https://fhir.nhs.uk/STU3/StructureDefinition/';
const cs = 'https://fhir.nhs.uk/STU3/CodeSystem/';

export const ersSystems = {
  nhsNumber: 'http://fhir.nhs.net/Id/nhs-number',
  service: 'http://fhir.nhs.net/Id/ers-service',
  priority: `${cs}eRS-Priority-1`,
  listSelector: `${cs}eRS-ReferralListSelector-1`,
  referralState: `${cs}eRS-ReferralState-1`,
  reviewOutcome: `${cs}eRS-ReviewOutcome-1`,
  reviewReason: `${cs}eRS-ReviewReason-1`,
  availableActions: `${cs}eRS-AvailableActionsForUser-1`,
  attachmentType: `${cs}eRS-AttachmentType-1`,
  availability: `${cs}eRS-AvailabilityStatus-1`,
  requestContextStatus: `${cs}eRS-RequestContextStatus-1`,
  clinicalInformationStatus: `${cs}eRS-ClinicalInformationStatus-1`,
  /** Not confirmed against e-RS (interfaces.md §7): the local service's spelling of the request type. */
  referralType: `${cs}eRS-ReferralType-1`,
  apiErrorCode: `${cs}eRS-APIErrorCode-1`,
} as const;

export const ersExtensions = {
  rfrItem: `${sd}Extension-eRS-ReferralsforReview-WorkListItem-1`,
  asiItem: `${sd}Extension-eRS-AppointmentSlotIssues-WorkListItem-1`,
  appointmentReference: `${sd}Extension-eRS-Appointment-Reference-1`,
  pathwayStart: `${sd}Extension-eRS-eReferralPathwayStart-1`,
  priority: `${sd}Extension-eRS-ReferralPriority-1`,
  state: `${sd}Extension-eRS-ReferralState-1`,
  availability: `${sd}Extension-eRS-AvailabilityStatus`,
  /** Not confirmed against e-RS (interfaces.md §7): how the local service lists the other UBRNs of the pathway. */
  relatedReferral: `${sd}Extension-eRS-RelatedReferral-1`,
  /** Not confirmed against e-RS: APPOINTMENT_REQUEST (booked into a service) or TRIAGE_REQUEST (RAS). */
  referralType: `${sd}Extension-eRS-ReferralType-1`,
} as const;

export const ersProfiles = {
  fetchWorklist: `${sd}eRS-FetchWorklist-Parameters-1`,
  rejectReferral: `${sd}eRS-RejectReferral-Parameters-1`,
  recordReviewOutcome: `${sd}eRS-RecordReviewOutcome-Parameters-1`,
  cancelAppointmentActionLater: `${sd}eRS-cancelAppointmentActionLater-Parameters-1`,
  operationOutcome: `${sd}eRS-OperationOutcome-1`,
} as const;

/** A response e-RS sent that does not have the shape the adapter relies on. */
export class ErsShapeError extends Error {
  constructor(message: string) { super(message); this.name = 'ErsShapeError'; }
}

type Ext = fhir.Extension;
/**
 * The one extension reader: the first extension named `url` (or matching it) in an extension list or on anything that
 * carries one (a resource, a list entry, a complex extension's parts).
 */
const extensionOf = (from: Ext[] | { extension?: Ext[] } | undefined, url: string | RegExp): Ext | undefined => {
  const list = Array.isArray(from) ? from : from?.extension;
  return list?.find((e) => (typeof url === 'string' ? e.url === url : url.test(e.url)));
};
const code = (c: fhir.CodeableConcept | undefined) => c?.coding?.[0]?.code;
const required = <T>(value: T | undefined | null, what: string): T => {
  if (value === undefined || value === null || value === '') throw new ErsShapeError(`e-RS sent no ${what}`);
  return value;
};
const priorityOf = (value: string | undefined, what: string): ErsPriority => {
  const p = required(value, what);
  if (!(ersPriorities as readonly string[]).includes(p)) throw new ErsShapeError(`e-RS sent an unknown priority (${what})`);
  return p as ErsPriority;
};
const ubrnOf = (ref: string | undefined) => required(ref, 'referral reference').replace(/^ReferralRequest\//, '').split('/')[0];

/** A008's List: one item per entry, from the worklist item extension (RfR or ASI). */
export function parseWorklist(list: fhir.List, worklist: ErsWorklist): ErsWorklistItem[] {
  if (list.resourceType !== 'List') throw new ErsShapeError('e-RS answered the worklist with something other than a List');
  const contained = new Map((list.contained ?? []).map((r) => [`#${r.id}`, r]));
  return (list.entry ?? []).map((entry) => {
    const item = extensionOf(entry as { extension?: Ext[] }, ersExtensions.rfrItem) ?? extensionOf(entry as { extension?: Ext[] }, ersExtensions.asiItem);
    const f = required(item, 'worklist item extension');
    const patient = extensionOf(f, 'patient')?.valueReference;
    let nhsNumber = patient?.identifier?.value;
    if (!nhsNumber && patient?.reference) {
      const p = contained.get(patient.reference) as fhir.Patient | undefined;
      nhsNumber = p?.identifier?.find((i) => i.system === ersSystems.nhsNumber)?.value;
    }
    const out: ErsWorklistItem = {
      ubrn: ubrnOf(entry.item.reference),
      worklist,
      priority: priorityOf(code(extensionOf(f, 'priority')?.valueCodeableConcept), 'worklist priority'),
      specialty: required(code(extensionOf(f, 'specialty')?.valueCodeableConcept), 'worklist specialty'),
      serviceId: required(extensionOf(f, 'service')?.valueReference?.identifier?.value, 'worklist service'),
      nhsNumber: required(nhsNumber, 'patient NHS number on the worklist'),
      pathwayStart: required(extensionOf(f, 'eReferralPathwayStart')?.valueDateTime, 'eReferralPathwayStart'),
    };
    const received = extensionOf(f, 'ubrnReceived')?.valueDateTime;
    if (received) out.receivedAt = received;
    const expected = extensionOf(f, 'patientContactExpected');
    if (expected?.valueDate ?? expected?.valueDateTime) out.patientContactExpected = (expected.valueDate ?? expected.valueDateTime)!.slice(0, 10);
    const reason = code(extensionOf(f, 'reason')?.valueCodeableConcept);
    if (reason) out.reason = reason;
    const appointmentStart = extensionOf(f, 'appointmentStart')?.valueDateTime;
    if (appointmentStart) out.appointmentStart = appointmentStart;
    return out;
  });
}

function attachmentOf(doc: fhir.DocumentReference): ErsAttachmentRef {
  const a = required(doc.content?.[0]?.attachment, 'attachment on a DocumentReference');
  const url = required(a.url, 'attachment url');
  const availability = extensionOf(doc, ersExtensions.availability)?.valueCoding?.code;
  return {
    id: url.replace(/^.*Binary\//, ''), url, title: a.title ?? 'attachment', contentType: a.contentType ?? 'application/octet-stream',
    ...(a.size !== undefined ? { size: a.size } : {}),
    // No status: e-RS only lists what it holds; an explicit status other than AVAILABLE is not downloadable yet.
    available: availability === undefined || availability === 'AVAILABLE',
  };
}

/** A005's ReferralRequest. `etag` (the response header) wins over meta.versionId when both are there. */
export function parseReferral(rr: fhir.ReferralRequest, etag?: string | null): ErsReferral {
  if (rr.resourceType !== 'ReferralRequest') throw new ErsShapeError('e-RS answered with something other than a ReferralRequest');
  const contained = (rr.contained ?? []) as fhir.Resource[];
  const patient = contained.find((r) => r.resourceType === 'Patient') as fhir.Patient | undefined;
  const nhsNumber = rr.subject?.identifier?.value ?? patient?.identifier?.find((i) => i.system === ersSystems.nhsNumber)?.value;
  const name = patient?.name?.find((n) => n.use === 'official') ?? patient?.name?.[0];
  const supporting = new Set((rr.supportingInfo ?? []).map((s) => s.reference));
  const docs = contained.filter((r): r is fhir.DocumentReference => r.resourceType === 'DocumentReference' && (supporting.size === 0 || supporting.has(`#${r.id}`)));
  const appointment = contained.find((r) => r.resourceType === 'Appointment') as fhir.Appointment | undefined;
  const appointmentRef = extensionOf(rr, ersExtensions.appointmentReference)?.valueReference?.reference;
  const version = etagVersion(etag) ?? required(rr.meta?.versionId, 'referral version');
  const out: ErsReferral = {
    ubrn: required(rr.id, 'UBRN'),
    version,
    state: required(extensionOf(extensionOf(rr, ersExtensions.state), 'state')?.valueCoding?.code, 'referral state'),
    priority: priorityOf(code(extensionOf(rr, ersExtensions.priority)?.valueCodeableConcept), 'referral priority'),
    specialty: required(code(rr.specialty), 'referral specialty'),
    serviceId: required(
      (appointment?.participant ?? []).map((p) => p.actor?.identifier).find((i) => i?.system === ersSystems.service)?.value
        ?? (rr.recipient ?? []).map((r) => r.identifier).find((i) => i?.system === ersSystems.service)?.value,
      'referral service'),
    patient: {
      nhsNumber: required(nhsNumber, 'patient NHS number'),
      ...(name?.given?.[0] ? { givenName: name.given.join(' ') } : {}),
      ...(name?.family ? { familyName: name.family } : {}),
      ...(patient?.birthDate ? { dateOfBirth: patient.birthDate } : {}),
      ...(patient?.address?.[0]?.postalCode ? { postcode: patient.address[0].postalCode } : {}),
    },
    pathwayStart: required(extensionOf(rr, ersExtensions.pathwayStart)?.valueDateTime, 'eReferralPathwayStart'),
    relatedUbrns: (rr.extension ?? []).filter((e) => e.url === ersExtensions.relatedReferral).map((e) => ubrnOf(e.valueReference?.reference)),
    attachments: docs.map(attachmentOf),
    triage: code(extensionOf(rr, ersExtensions.referralType)?.valueCodeableConcept) === 'TRIAGE_REQUEST',
  };
  if (appointment && appointmentRef) {
    out.appointment = {
      id: appointmentRef.replace(/^Appointment\//, '').split('/')[0], start: required(appointment.start, 'appointment start'),
      ...(appointment.end ? { end: appointment.end } : {}), status: appointment.status,
    };
  }
  return out;
}

/** `W/"9"` → `9`; null when there is no ETag. */
export function etagVersion(etag: string | null | undefined): string | undefined {
  if (!etag) return undefined;
  const m = /^(?:W\/)?"([^"]*)"$/.exec(etag.trim());
  return m ? m[1] : undefined;
}

export const ifMatch = (version: string) => `W/"${version}"`;

/** A029's Bundle of Task: the action codes. */
export function parseAllowedActions(bundle: fhir.Bundle): string[] {
  if (bundle.resourceType !== 'Bundle') throw new ErsShapeError('e-RS answered the allowed actions with something other than a Bundle');
  return (bundle.entry ?? []).map((e) => code((e.resource as fhir.Task | undefined)?.code)).filter((c): c is string => !!c);
}

/** A038's Appointment. */
export function parseAppointment(a: fhir.Appointment): ErsAppointment {
  if (a.resourceType !== 'Appointment') throw new ErsShapeError('e-RS answered with something other than an Appointment');
  const ubrn = ubrnOf(a.incomingReferral?.[0]?.reference);
  const reason = code(a.reason?.[0]) ?? extensionOf(a, /CancellationReason/i)?.valueCoding?.code;
  return {
    id: required(a.id, 'appointment id'), status: a.status, start: required(a.start, 'appointment start'),
    ...(a.end ? { end: a.end } : {}), ubrn, ...(a.status === 'cancelled' && reason ? { cancellationReason: reason } : {}),
  };
}

/** The first issue of an OperationOutcome: its eRS-APIErrorCode-1 code and diagnostics. */
export function parseOperationOutcome(body: unknown): { code?: string; diagnostics?: string; display?: string } {
  const issue = (body as fhir.OperationOutcome | undefined)?.issue?.[0];
  if ((body as { resourceType?: string } | undefined)?.resourceType !== 'OperationOutcome' || !issue) return {};
  const coding = issue.details?.coding?.[0];
  return { code: coding?.code, display: coding?.display, diagnostics: issue.diagnostics };
}

// ---- request bodies -------------------------------------------------------------------------------------------

export function worklistParameters(worklist: ErsWorklist, serviceId?: string): fhir.Parameters {
  return {
    resourceType: 'Parameters', meta: { profile: [ersProfiles.fetchWorklist] },
    parameter: [
      { name: 'listType', valueCodeableConcept: { coding: [{ system: ersSystems.listSelector, code: worklist }] } },
      ...(serviceId ? [{ name: 'service', valueIdentifier: { system: ersSystems.service, value: serviceId } }] : []),
    ],
  };
}

export function rejectParameters(reason: string, comments: string, base: string): fhir.Parameters {
  return {
    resourceType: 'Parameters', meta: { profile: [ersProfiles.rejectReferral] },
    parameter: [
      { name: 'rejectionReason', valueCoding: { system: `${base}/STU3/CodeSystem/APPOINTMENT-CANCELLATION-REASON`, code: reason } },
      { name: 'rejectionComments', valueString: comments },
    ],
  };
}

export function reviewOutcomeParameters(outcome: ErsReviewOutcome, comments: string, priority?: ErsPriority): fhir.Parameters {
  return {
    resourceType: 'Parameters', meta: { profile: [ersProfiles.recordReviewOutcome] },
    parameter: [
      { name: 'reviewOutcome', valueCoding: { system: ersSystems.reviewOutcome, code: outcome } },
      { name: 'reviewComments', valueString: comments },
      ...(priority ? [{ name: 'reviewPriority', valueCoding: { system: ersSystems.priority, code: priority } }] : []),
    ],
  };
}

export function cancelActionLaterParameters(comments: string): fhir.Parameters {
  return {
    resourceType: 'Parameters', meta: { profile: [ersProfiles.cancelAppointmentActionLater] },
    parameter: [{ name: 'comments', valueString: comments }],
  };
}

/** A parameter's value from a Parameters body (the local service reads requests with it). */
export function parameterOf(p: fhir.Parameters | undefined, name: string): fhir.ParametersParameter | undefined {
  return p?.parameter?.find((x) => x.name === name);
}
