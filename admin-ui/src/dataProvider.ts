// ra-data-simple-rest against the Access Desk API, with the session cookie sent along, plus the
// work-item commands (decisions are commands, not PUTs of a status field).
import { fetchUtils, type DataProvider, type Identifier } from 'react-admin';
import simpleRestProvider from 'ra-data-simple-rest';
import type { Task } from './types';

export const apiUrl = '/api';

export const httpClient = (url: string, options: fetchUtils.Options = {}) =>
  fetchUtils.fetchJson(url, { ...options, credentials: 'include' });

export type TaskOutcome = Record<string, unknown>;
export type AssignTarget = { assigneeId: string } | { queueId: string };

export interface AccessDeskDataProvider extends DataProvider {
  completeTask(id: Identifier, outcome: TaskOutcome): Promise<{ data: Task }>;
  claimTask(id: Identifier): Promise<{ data: Task }>;
  releaseTask(id: Identifier): Promise<{ data: Task }>;
  assignTask(id: Identifier, target: AssignTarget): Promise<{ data: Task }>;
}

async function taskCommand(id: Identifier, verb: string, body: unknown = {}): Promise<{ data: Task }> {
  const { json } = await httpClient(`${apiUrl}/tasks/${encodeURIComponent(String(id))}/${verb}`, {
    method: 'POST',
    body: JSON.stringify(body),
  });
  return { data: json as Task };
}

export const dataProvider: AccessDeskDataProvider = {
  ...simpleRestProvider(apiUrl, httpClient),
  completeTask: (id, outcome) => taskCommand(id, 'complete', outcome),
  claimTask: (id) => taskCommand(id, 'claim'),
  releaseTask: (id) => taskCommand(id, 'release'),
  assignTask: (id, target) => taskCommand(id, 'assign', target),
};
