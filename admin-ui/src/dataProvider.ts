// ra-data-simple-rest against the Access Desk API, with the session cookie sent along, plus the
// commands (decisions are commands, not PUTs of a status field).
import { fetchUtils, type DataProvider, type Identifier } from 'react-admin';
import simpleRestProvider from 'ra-data-simple-rest';
import type {
  Absence, AbsenceChangeRequest, AbsencePlan, AbsencePreview, AssignRequest, AttendanceOutcome, ClaimNextRequest, SnoozeRequest, BookingOutcome, BulkMoved, Dashboard, DnaReviewOutcome, EscalationOutcome,
  QueueDetail, Task, TriageOutcome,
} from './types';

export const apiUrl = '/api';

export const httpClient = (url: string, options: fetchUtils.Options = {}) =>
  fetchUtils.fetchJson(url, { ...options, credentials: 'include' });

/** The outcome of each task type, as the API's schemas accept it. */
export type TaskOutcome = TriageOutcome | BookingOutcome | AttendanceOutcome | DnaReviewOutcome | EscalationOutcome;
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
}

const path = (...parts: Identifier[]) => parts.map((part) => encodeURIComponent(String(part))).join('/');

async function send<T>(url: string, method: string, body?: unknown): Promise<{ data: T }> {
  const { json } = await httpClient(`${apiUrl}/${url}`, {
    method,
    ...(body === undefined ? {} : { body: JSON.stringify(body) }),
  });
  return { data: json as T };
}

const taskCommand = (id: Identifier, verb: string, body: unknown = {}) =>
  send<Task>(`tasks/${path(id, verb)}`, 'POST', body);

export const dataProvider: AccessDeskDataProvider = {
  ...simpleRestProvider(apiUrl, httpClient),
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
};
