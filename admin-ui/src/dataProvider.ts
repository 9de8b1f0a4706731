// ra-data-simple-rest against the Access Desk API, with the session cookie sent along, plus the
// commands (decisions are commands, not PUTs of a status field).
import { fetchUtils, type DataProvider, type GetListParams, type GetListResult, type Identifier } from 'react-admin';
import simpleRestProvider from 'ra-data-simple-rest';
import type {
  Absence, AbsenceChangeRequest, AbsencePlan, AbsencePreview, AssignRequest, AttendanceOutcome, ClaimNextRequest, SnoozeRequest, BookingOutcome, BulkMoved, Dashboard, DnaReviewOutcome, EscalationOutcome, InterpreterOutcome, ContactPatientOutcome,
  QueueDetail, Task, TriageOutcome, Patient, ChangePatient, Contact, ContactRequest, EnquiryResult, StaffNotification,
} from './types';
import type {
  ClinicalReviewOutcome, CancerRow, CommunicationMethod, FdsOutcomeRequest, MonitoringReviewOutcome, PtlHistogram, ReferralClock, RttEventRequest,
  RttReturn, ValidationOutcome, WlmdsSummary,
} from './rtt-types';
import type {
  AcceptOfferRequest, AppointmentChange, CancelAppointmentRequest, ClinicCalendar, Offer, OfferDeclined, OfferRequest, RescheduleAppointmentRequest,
  SessionChange, SessionChangeRequest, SessionChangePreview, TemplateRequest, TemplateVersion,
} from './change-types';
import type { Hl7MessageRecord } from '../../api/routes/hl7-messages';
import type { NewSystemClient, SystemClient } from '../../api/routes/system-clients';
import type { AttendanceOutsideClinic, AttendanceOutsideClinicBody, BookFromPartialBooking, PartialBookingRecord, PifuTriggered } from './follow-ups/follow-up-types';

import type {
  AdmitRequest, Admission, CancelAdmissionRequest, CancelOperationResult, CancelledOperationsSummary, PreOpOutcomeRequest, StandByRequest, TciOffer, TciOfferRequest,
} from './inpatient/inpatient-types';

export const apiUrl = '/api';

export const httpClient = (url: string, options: fetchUtils.Options = {}) =>
  fetchUtils.fetchJson(url, { ...options, credentials: 'include' });

/** The outcome of each task type, as the API's schemas accept it. */
export type TaskOutcome =
  | TriageOutcome | BookingOutcome | AttendanceOutcome | DnaReviewOutcome | EscalationOutcome | ValidationOutcome | MonitoringReviewOutcome
  | ClinicalReviewOutcome | InterpreterOutcome | ContactPatientOutcome;
/** A list's filter and sort, as react-admin holds them, for the CSV and histogram routes. */
export type ListQuery = { filter?: Record<string, unknown>; sort?: { field: string; order: 'ASC' | 'DESC' } };
export type AssignTarget = { assigneeId: string } | { queueId: string };
/** Assigning to someone on leave is refused (422) unless the leader confirms it. */
export type AssignOptions = { confirmLeave?: boolean; version?: number };
/** Which items a bulk move takes: named ones, or whatever a task list filter matches. */
export type BulkSelection = { ids: Identifier[] } | { filter: Record<string, unknown> };
export type BulkAssignResult = BulkMoved;

export interface AccessDeskDataProvider extends DataProvider {
  completeTask(id: Identifier, outcome: TaskOutcome): Promise<{ data: Task }>;
  claimTask(id: Identifier): Promise<{ data: Task }>;
  releaseTask(id: Identifier): Promise<{ data: Task }>;
  assignTask(id: Identifier, target: AssignTarget, options?: AssignOptions): Promise<{ data: Task }>;
  /** The most urgent unassigned item of my queues, now claimed by me; null when nothing waits (204). */
  claimNextTask(queueId?: string): Promise<{ data: Task | null }>;
  snoozeTask(id: Identifier, until: string, reason: string): Promise<{ data: Task }>;
  unsnoozeTask(id: Identifier): Promise<{ data: Task }>;
  bulkAssignTasks(
    selection: BulkSelection,
    target: AssignTarget,
    options?: Pick<AssignOptions, 'confirmLeave'>,
  ): Promise<{ data: BulkAssignResult }>;
  getDashboard(): Promise<{ data: Dashboard }>;
  previewAbsence(draft: AbsencePlan): Promise<{ data: AbsencePreview }>;
  cancelAbsence(id: Identifier): Promise<{ data: Absence }>;
  shortenAbsence(id: Identifier, to: string): Promise<{ data: Absence }>;
  addQueueMember(queueId: Identifier, staffId: string): Promise<{ data: QueueDetail }>;
  removeQueueMember(queueId: Identifier, staffId: string): Promise<{ data: QueueDetail }>;
  getPtlHistogram(filter: Record<string, unknown>): Promise<{ data: PtlHistogram }>;
  getReferralClock(referralId: Identifier): Promise<{ data: ReferralClock }>;
  recordRttEvent(referralId: Identifier, event: RttEventRequest): Promise<{ data: unknown }>;
  /** Issue 12: a patient's communication needs and contact details. */
  changePatient(patientId: Identifier, request: ChangePatient): Promise<{ data: Patient }>;
  recordFdsOutcome(referralId: Identifier, request: FdsOutcomeRequest): Promise<{ data: CancerRow }>;
  getRttReturn(month: string): Promise<{ data: RttReturn }>;
  getWlmdsSummary(week: string): Promise<{ data: WlmdsSummary }>;
  recordAppointmentCommunication(appointmentId: Identifier, evidence: { communicatedBy: CommunicationMethod; communicatedAt: string }): Promise<{ data: unknown }>;
  // Changes (issue 10).
  cancelAppointment(appointmentId: Identifier, request: CancelAppointmentRequest): Promise<{ data: AppointmentChange }>;
  rescheduleAppointment(appointmentId: Identifier, request: RescheduleAppointmentRequest): Promise<{ data: AppointmentChange }>;
  createOffer(referralId: Identifier, request: OfferRequest): Promise<{ data: Offer }>;
  acceptOffer(offerId: Identifier, request: AcceptOfferRequest): Promise<{ data: Offer }>;
  declineOffer(offerId: Identifier, reason: string): Promise<{ data: OfferDeclined }>;
  getClinicTemplates(clinicId: Identifier): Promise<{ data: TemplateVersion[] }>;
  createClinicTemplate(clinicId: Identifier, request: TemplateRequest): Promise<{ data: TemplateVersion }>;
  /** The Monday-based week holding `week` (any date in it). */
  getClinicCalendar(clinicId: Identifier, week: string): Promise<{ data: ClinicCalendar }>;
  previewSessionChange(request: SessionChangeRequest): Promise<{ data: SessionChangePreview }>;
  /** Starts the change (202): it runs on, so read it again for its outcome. */
  startSessionChange(request: SessionChangeRequest): Promise<{ data: SessionChange }>;
  /** Confirms a change a template raised (proposed). */
  confirmSessionChange(changeId: Identifier, confirmShortNotice?: boolean): Promise<{ data: SessionChange }>;
  // Issue 12: the contact log, the Enquiry search, the staff inbox.
  logContact(patientId: Identifier, request: ContactRequest): Promise<{ data: Contact }>;
  findForEnquiry(q: string, dateOfBirth?: string): Promise<{ data: EnquiryResult }>;
  readNotification(id: Identifier): Promise<{ data: StaffNotification }>;
  readAllNotifications(): Promise<{ data: { read: number } }>;
  /** Go-live (issue 13): a PAS extract sent as text/csv; the import runs on (202), so read it again for progress. */
  startImport(file: File, dryRun: boolean): Promise<{ data: { id: string } }>;
  // Issue 14's back office: FHIR system clients (administrators) and the PAS feed's rejected messages (ops, admins).
  /** The new client with its token: the only time the token is ever sent. */
  createSystemClient(name: string): Promise<{ data: NewSystemClient }>;
  revokeSystemClient(id: Identifier): Promise<{ data: SystemClient }>;
  resendPasMessage(id: Identifier): Promise<{ data: Pick<Hl7MessageRecord, 'id' | 'status'> }>;
  setAsidePasMessage(id: Identifier, reason: string): Promise<{ data: Pick<Hl7MessageRecord, 'id' | 'status'> }>;
  // The admitted pathway (issue 15).
  recordPreOpOutcome(admissionId: Identifier, request: PreOpOutcomeRequest): Promise<{ data: Admission }>;
  admit(admissionId: Identifier, request: AdmitRequest): Promise<{ data: Admission }>;
  decideNotToTreat(admissionId: Identifier, request: { decidedOn: string; note: string }): Promise<{ data: Admission }>;
  cancelAdmission(admissionId: Identifier, request: CancelAdmissionRequest): Promise<{ data: CancelOperationResult }>;
  setStandBy(admissionId: Identifier, request: StandByRequest): Promise<{ data: Admission }>;
  offerTci(referralId: Identifier, request: TciOfferRequest): Promise<{ data: TciOffer }>;
  acceptTci(offerId: Identifier): Promise<{ data: TciOffer }>;
  declineTci(offerId: Identifier, reason: string): Promise<{ data: TciOffer }>;
  getCancelledOperationsSummary(from: string, to: string): Promise<{ data: CancelledOperationsSummary }>;
  // Follow-ups (issue 16): booking from the partial booking list, escalating it, attendances outside clinic, PIFU requests.
  bookFromPartialBooking(entryId: Identifier, request: BookFromPartialBooking): Promise<{ data: PartialBookingRecord }>;
  escalatePartialBooking(entryId: Identifier): Promise<{ data: PartialBookingRecord }>;
  /** `idempotencyKey`: one per dialog opening, so a resend after a lost answer records the attendance once. */
  recordAttendanceOutsideClinic(request: AttendanceOutsideClinicBody, idempotencyKey: string): Promise<{ data: AttendanceOutsideClinic }>;
  triggerPifu(referralId: Identifier, note: string | undefined, idempotencyKey: string): Promise<{ data: PifuTriggered }>;
}

/** Resources whose API path is not their console name. */
export const resourcePaths: Record<string, string> = { 'session-changes': 'clinic-sessions/changes', 'pas-messages': 'hl7-messages' };
const apiResource = (resource: string) => resourcePaths[resource] ?? resource;

/**
 * The sort field that means "the server's own order" (for the PTL: clinical priority, then breach order):
 * the request goes without a `sort`, so the API's default applies and the console never re-sorts.
 */
export const serverOrder = { field: 'workOrder', order: 'ASC' as const };

/** Filter keys with no value are left out, as react-admin leaves them out of list requests. */
export function cleanFilter(filter: Record<string, unknown> = {}): Record<string, unknown> {
  return Object.fromEntries(Object.entries(filter).filter(([, v]) => v !== undefined && v !== null && v !== ''));
}

function queryString(params: Record<string, string | undefined>): string {
  const defined = Object.entries(params).filter((entry): entry is [string, string] => entry[1] !== undefined);
  return new URLSearchParams(defined).toString();
}

/** The download address of a list's CSV (GET /api/ptl.csv) with the list's own filter and order. */
export function listCsvUrl(resource: string, { filter, sort }: ListQuery = {}): string {
  const clean = cleanFilter(filter);
  return `${apiUrl}/${apiResource(resource)}.csv?${queryString({
    filter: JSON.stringify(clean),
    sort: sort && sort.field !== serverOrder.field ? JSON.stringify([sort.field, sort.order]) : undefined,
  })}`;
}

/** A letter in the outbox as its PDF (opened in the browser's own viewer). */
export const communicationLetterUrl = (id: string) => `${apiUrl}/communications/${encodeURIComponent(id)}/letter.pdf`;
export const rttReturnCsvUrl = (month: string) => `${apiUrl}/returns/rtt.csv?${queryString({ month })}`;
export const wlmdsCsvUrl = (week: string, diff = false) =>
  `${apiUrl}/returns/wlmds?${queryString({ week, diff: diff ? 'true' : undefined })}`;

const path = (...parts: Identifier[]) => parts.map((part) => encodeURIComponent(String(part))).join('/');

async function send<T>(url: string, method: string, body?: unknown, idempotencyKey?: string): Promise<{ data: T }> {
  const { json } = await httpClient(`${apiUrl}/${url}`, {
    method,
    ...(body === undefined ? {} : { body: JSON.stringify(body) }),
    ...(idempotencyKey ? { headers: new Headers({ Accept: 'application/json', 'Idempotency-Key': idempotencyKey }) } : {}),
  });
  return { data: json as T };
}

const taskCommand = (id: Identifier, verb: string, body: unknown = {}) =>
  send<Task>(`tasks/${path(id, verb)}`, 'POST', body);

const restProvider = simpleRestProvider(apiUrl, httpClient);

/** What a list's `meta` says when the API stopped counting (X-Total-Capped): there are more than `totalCapped`. */
export type CappedListMeta = { totalCapped?: number };

/**
 * The list contract as ra-data-simple-rest speaks it (sort, range, filter; the total from Content-Range), or in the
 * server's order without `sort`. Where the API stopped counting (work items count to 1,000) the total is only a
 * lower bound: the list pages partially (react-admin's `pageInfo`) and `meta.totalCapped` says "1,000+", so the
 * console never shows a page count it does not know.
 */
export async function getListFromApi(resource: string, params: GetListParams): Promise<GetListResult> {
  const { page, perPage } = params.pagination ?? { page: 1, perPage: 10 };
  const first = (page - 1) * perPage;
  const last = first + perPage - 1;
  const sort = params.sort ?? { field: 'id', order: 'ASC' }; // ra-data-simple-rest's default
  const serverOrdered = sort.field === serverOrder.field;
  const { headers, json } = await httpClient(`${apiUrl}/${resource}?${queryString({
    sort: serverOrdered ? undefined : JSON.stringify([sort.field, sort.order]),
    range: JSON.stringify([first, last]),
    filter: JSON.stringify(serverOrdered ? cleanFilter(params.filter) : params.filter ?? {}),
  })}`, { headers: new Headers({ Range: `${resource}=${first}-${last}` }), signal: params.signal });
  const range = headers.get('content-range');
  if (!range) throw new Error(`The API sent no Content-Range for ${resource}`);
  const total = Number.parseInt(range.split('/').pop() ?? '0', 10);
  if (headers.get('x-total-capped') !== 'true') return { data: json, total };
  // Capped: the API counted one row past the cap (or past this page), so there is a next page.
  const meta: CappedListMeta = { totalCapped: total - 1 };
  return { data: json, pageInfo: { hasNextPage: true, hasPreviousPage: page > 1 }, meta };
}

/** A count for people: exact, or "1,000+" where the API stopped counting. */
export function countInWords(total: number | undefined, meta?: CappedListMeta): string | undefined {
  if (meta?.totalCapped != null) return `${meta.totalCapped.toLocaleString('en-GB')}+`;
  return total == null ? undefined : total.toLocaleString('en-GB');
}

export const dataProvider: AccessDeskDataProvider = {
  ...restProvider,
  getList: (resource, params) => getListFromApi(apiResource(resource), params),
  getOne: (resource, params) => restProvider.getOne(apiResource(resource), params),
  getMany: (resource, params) => restProvider.getMany(apiResource(resource), params),
  completeTask: (id, outcome) => taskCommand(id, 'complete', outcome),
  claimTask: (id) => taskCommand(id, 'claim'),
  releaseTask: (id) => taskCommand(id, 'release'),
  assignTask: (id, target, options = {}) => taskCommand(id, 'assign', { ...target, ...options } satisfies AssignRequest),
  async claimNextTask(queueId) {
    const { status, json } = await httpClient(`${apiUrl}/tasks/claim-next`, {
      method: 'POST',
      body: JSON.stringify((queueId ? { queueId } : {}) satisfies ClaimNextRequest),
    });
    return { data: status === 204 || !json ? null : (json as Task) };
  },
  snoozeTask: (id, until, reason) => taskCommand(id, 'snooze', { until, reason } satisfies SnoozeRequest),
  unsnoozeTask: (id) => taskCommand(id, 'unsnooze'),
  bulkAssignTasks: (selection, target, options = {}) =>
    send<BulkAssignResult>('tasks/bulk-assign', 'POST', { ...selection, ...target, ...options }),
  getDashboard: () => send<Dashboard>('dashboard', 'GET'),
  previewAbsence: (draft) => send<AbsencePreview>('absences/preview', 'POST', draft),
  cancelAbsence: (id) => send<Absence>(`absences/${path(id, 'cancel')}`, 'POST', {}),
  shortenAbsence: (id, to) => send<Absence>(`absences/${path(id)}`, 'PUT', { to } satisfies AbsenceChangeRequest),
  addQueueMember: (queueId, staffId) => send<QueueDetail>(`queues/${path(queueId, 'members')}`, 'POST', { staffId }),
  removeQueueMember: (queueId, staffId) => send<QueueDetail>(`queues/${path(queueId, 'members', staffId)}`, 'DELETE'),
  getPtlHistogram: (filter) => send<PtlHistogram>(`ptl/histogram?${queryString({ filter: JSON.stringify(cleanFilter(filter)) })}`, 'GET'),
  getReferralClock: (referralId) => send<ReferralClock>(`referrals/${path(referralId, 'clock')}`, 'GET'),
  recordRttEvent: (referralId, event) => send<unknown>(`referrals/${path(referralId, 'rtt-events')}`, 'POST', event),
  changePatient: (patientId, request) => send<Patient>(`patients/${path(patientId)}`, 'PUT', request),
  recordFdsOutcome: (referralId, request) => send<CancerRow>(`referrals/${path(referralId, 'fds-outcome')}`, 'POST', request),
  getRttReturn: (month) => send<RttReturn>(`returns/rtt?${queryString({ month })}`, 'GET'),
  getWlmdsSummary: (week) => send<WlmdsSummary>(`returns/wlmds/summary?${queryString({ week })}`, 'GET'),
  recordAppointmentCommunication: (appointmentId, evidence) => send<unknown>(`appointments/${path(appointmentId, 'communication')}`, 'POST', evidence),
  cancelAppointment: (appointmentId, request) => send<AppointmentChange>(`appointments/${path(appointmentId, 'cancel')}`, 'POST', request),
  rescheduleAppointment: (appointmentId, request) => send<AppointmentChange>(`appointments/${path(appointmentId, 'reschedule')}`, 'POST', request),
  createOffer: (referralId, request) => send<Offer>(`referrals/${path(referralId, 'offers')}`, 'POST', request),
  acceptOffer: (offerId, request) => send<Offer>(`offers/${path(offerId, 'accept')}`, 'POST', request),
  declineOffer: (offerId, reason) => send<OfferDeclined>(`offers/${path(offerId, 'decline')}`, 'POST', { reason }),
  getClinicTemplates: (clinicId) => send<TemplateVersion[]>(`clinics/${path(clinicId, 'templates')}`, 'GET'),
  createClinicTemplate: (clinicId, request) => send<TemplateVersion>(`clinics/${path(clinicId, 'templates')}`, 'POST', request),
  getClinicCalendar: (clinicId, week) => send<ClinicCalendar>(`clinics/${path(clinicId, 'calendar')}?${queryString({ week })}`, 'GET'),
  previewSessionChange: (request) => send<SessionChangePreview>('clinic-sessions/changes?preview=true', 'POST', request),
  startSessionChange: (request) => send<SessionChange>('clinic-sessions/changes', 'POST', request),
  logContact: (patientId, request) => send<Contact>(`patients/${path(patientId, 'contacts')}`, 'POST', request),
  findForEnquiry: (q, dateOfBirth) => send<EnquiryResult>(`enquiry?${queryString({ q, dateOfBirth: dateOfBirth || undefined })}`, 'GET'),
  readNotification: (id) => send<StaffNotification>(`notifications/${path(id, 'read')}`, 'POST', {}),
  readAllNotifications: () => send<{ read: number }>('notifications/read-all', 'POST', {}),
  startImport: async (file, dryRun) => {
    const { json } = await httpClient(`${apiUrl}/imports?${queryString({ dryRun: dryRun ? 'true' : undefined, fileName: file.name })}`, {
      method: 'POST', body: await file.text(), headers: new Headers({ 'Content-Type': 'text/csv', Accept: 'application/json' }),
    });
    return { data: json as { id: string } };
  },
  createSystemClient: (name) => send<NewSystemClient>('system-clients', 'POST', { name }),
  revokeSystemClient: (id) => send<SystemClient>(`system-clients/${path(id)}`, 'DELETE'),
  resendPasMessage: (id) => send<Hl7MessageRecord>(`hl7-messages/${path(id, 'resend')}`, 'POST', {}),
  setAsidePasMessage: (id, reason) => send<Hl7MessageRecord>(`hl7-messages/${path(id, 'set-aside')}`, 'POST', { reason }),
  recordPreOpOutcome: (admissionId, request) => send<Admission>(`admissions/${path(admissionId, 'pre-op-outcome')}`, 'POST', request),
  admit: (admissionId, request) => send<Admission>(`admissions/${path(admissionId, 'admit')}`, 'POST', request),
  decideNotToTreat: (admissionId, request) => send<Admission>(`admissions/${path(admissionId, 'decision-not-to-treat')}`, 'POST', request),
  cancelAdmission: (admissionId, request) => send<CancelOperationResult>(`admissions/${path(admissionId, 'cancel')}`, 'POST', request),
  setStandBy: (admissionId, request) => send<Admission>(`admissions/${path(admissionId, 'stand-by')}`, 'POST', request),
  offerTci: (referralId, request) => send<TciOffer>(`referrals/${path(referralId, 'tci-offers')}`, 'POST', request),
  acceptTci: (offerId) => send<TciOffer>(`tci-offers/${path(offerId, 'accept')}`, 'POST', {}),
  declineTci: (offerId, reason) => send<TciOffer>(`tci-offers/${path(offerId, 'decline')}`, 'POST', { reason }),
  getCancelledOperationsSummary: (from, to) => send<CancelledOperationsSummary>(`cancelled-operations/summary?${queryString({ from, to })}`, 'GET'),
  bookFromPartialBooking: (entryId, request) => send<PartialBookingRecord>(`partial-booking/${path(entryId, 'book')}`, 'POST', request),
  escalatePartialBooking: (entryId) => send<PartialBookingRecord>(`partial-booking/${path(entryId, 'escalate')}`, 'POST', {}),
  recordAttendanceOutsideClinic: (request, idempotencyKey) => send<AttendanceOutsideClinic>('attendances', 'POST', request, idempotencyKey),
  triggerPifu: (referralId, note, idempotencyKey) =>
    send<PifuTriggered>(`referrals/${path(referralId, 'pifu-trigger')}`, 'POST', note ? { note } : {}, idempotencyKey),
  confirmSessionChange: (changeId, confirmShortNotice) =>
    send<SessionChange>(`clinic-sessions/changes/${path(changeId, 'confirm')}`, 'POST', confirmShortNotice ? { confirmShortNotice } : {}),
};
