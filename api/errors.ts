// One error type with a code-to-status table, rendered once by the app's onError as
// { message, code, errors: { field: message } }.
import { z } from 'zod';
import { WorkflowNotFoundError, WorkflowUpdateFailedError } from '@temporalio/client';
import { ApplicationFailure } from '@temporalio/common';

import { isRefusalCode, refusalStatus, type RefusalCode, type RefusalDetail } from '../domain/refusals';
import { roleLabels, taskTypeLabels } from '../domain/labels';
import type { Role, TaskType } from '../domain/model';

export type ErrorCode = RefusalCode;

export class AppError extends Error {
  constructor(
    readonly code: ErrorCode,
    message: string,
    readonly errors?: Record<string, string>,
    /** ASSIGNEE_NOT_IN_QUEUE: the queues the person does not work, so a leader can add them and move. */
    readonly queues?: { id: string; name: string }[],
  ) {
    super(message);
  }
  get status() { return refusalStatus[this.code]; }
}

export const invalid = (field: string, message: string) =>
  new AppError('VALIDATION_FAILED', `${field}: ${message}`, { [field]: message });
const withArticle = (words: string) => `${/^[aeiou]/i.test(words) ? 'an' : 'a'} ${words}`;
/** 'a clinician, a team leader or an administrator' */
export const rolesInWords = (roles: readonly Role[]) => {
  const named = roles.map((role) => withArticle(roleLabels[role].toLowerCase()));
  return named.length <= 1 ? (named[0] ?? 'nobody') : `${named.slice(0, -1).join(', ')} or ${named.at(-1)}`;
};
/** 'a DNA review', 'an escalation review': a work item's type as a sentence names it. */
export const taskTypeInWords = (type: TaskType) => {
  const label = taskTypeLabels[type];
  const words = /^[A-Z]{2}/.test(label) ? label : label.charAt(0).toLowerCase() + label.slice(1);
  return `${/^[aeiou]/i.test(words) || /^(RTT|FDS)/.test(words) ? 'an' : 'a'} ${words}`;
};
/** 403 in words: "Only a clinician, a team leader or an administrator can complete a DNA review". */
export const forbiddenFor = (allowed: readonly Role[], what: string) =>
  new AppError('FORBIDDEN', `Only ${rolesInWords(allowed)} can ${what}`);

export const notFound = (what: string, id: string) => new AppError('NOT_FOUND', `No ${what} with id ${id}`);

export function fromZod(error: z.ZodError): AppError {
  const errors: Record<string, string> = {};
  for (const issue of error.issues) {
    const key = issue.path.join('.') || '(body)';
    errors[key] ??= issue.message;
  }
  const first = Object.entries(errors)[0];
  return new AppError('VALIDATION_FAILED', first ? `${first[0]}: ${first[1]}` : 'Invalid input', errors);
}

/** The one error body. */
export function errorBody(err: AppError) {
  return { message: err.message, code: err.code, errors: err.errors ?? {}, ...(err.queues ? { queues: err.queues } : {}) };
}

/**
 * The one translator of a workflow's refusal: an ApplicationFailure (bare, or the cause of a failed
 * Update) whose `type` is a refusal code becomes that code and status, blaming `details[0].field` if
 * given; any other type is a 409 CONFLICT blaming no field. `ended` answers a workflow that is no longer running.
 * Anything else (a timeout, Temporal unreachable) is returned unchanged: its outcome is unknown.
 */
export function fromWorkflowFailure(err: unknown, ended?: () => AppError): unknown {
  const failure = err instanceof WorkflowUpdateFailedError ? err.cause : err;
  if (failure instanceof ApplicationFailure) {
    if (!isRefusalCode(failure.type)) return new AppError('CONFLICT', failure.message);
    const field = (failure.details?.[0] as RefusalDetail | undefined)?.field;
    return new AppError(failure.type, failure.message, field ? { [field]: failure.message } : undefined);
  }
  if (err instanceof WorkflowNotFoundError && ended) return ended();
  return err;
}

/** True if the workflow answered (refused, or is gone), so nothing of this attempt will be read. */
export const isWorkflowRefusal = (err: unknown) =>
  (err instanceof WorkflowUpdateFailedError && err.cause instanceof ApplicationFailure) || err instanceof ApplicationFailure
  || err instanceof WorkflowNotFoundError;
