// Reading the API's error body ({ message, code, errors }) out of react-admin's HttpError.
import type { HttpError } from 'react-admin';
import { refusalMessage } from './messages';

type ErrorBody = { message?: string; code?: string; errors?: Record<string, string> };

const bodyOf = (error: unknown) => ((error as HttpError)?.body ?? undefined) as ErrorBody | undefined;

export function errorStatus(error: unknown): number | undefined {
  return (error as HttpError)?.status;
}

export function errorCode(error: unknown): string | undefined {
  return bodyOf(error)?.code;
}

/** The refusal in the access centre's words, picked from its code (components/messages.ts). */
export function errorMessage(error: unknown, fallback?: string): string {
  return refusalMessage(error, { fallback });
}

export function fieldErrors(error: unknown): Record<string, string> {
  return bodyOf(error)?.errors ?? {};
}

/**
 * The refusal that a leader may override by confirming: the person is on leave. Inactive people
 * and people outside the item's queue cannot be confirmed past, so no second chance is offered.
 */
export function isLeaveRefusal(error: unknown): boolean {
  return errorCode(error) === 'ASSIGNEE_ON_LEAVE';
}
