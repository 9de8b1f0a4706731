// Reading the API's error body ({ message, code, errors }) out of react-admin's HttpError.
import type { HttpError } from 'react-admin';

type ErrorBody = { message?: string; code?: string; errors?: Record<string, string>; error?: { code?: string; message?: string } };

const bodyOf = (error: unknown) => ((error as HttpError)?.body ?? undefined) as ErrorBody | undefined;

export function errorStatus(error: unknown): number | undefined {
  return (error as HttpError)?.status;
}

export function errorCode(error: unknown): string | undefined {
  const body = bodyOf(error);
  return body?.code ?? body?.error?.code;
}

export function errorMessage(error: unknown, fallback = 'That did not work, please try again'): string {
  const body = bodyOf(error);
  return body?.message ?? body?.error?.message ?? (error as HttpError)?.message ?? fallback;
}

export function fieldErrors(error: unknown): Record<string, string> {
  return bodyOf(error)?.errors ?? {};
}

/**
 * A 422 refusal that a leader may override by confirming: the person is on leave. Inactive people
 * and people outside the item's queue cannot be confirmed past, so no second chance is offered.
 */
export function isLeaveRefusal(error: unknown): boolean {
  if (errorStatus(error) !== 422) return false;
  if (bodyOf(error)?.code) return bodyOf(error)?.code === 'ASSIGNEE_ON_LEAVE';
  const text = [errorMessage(error, ''), ...Object.values(fieldErrors(error))].join(' ');
  return /leave|absen/i.test(text);
}
