// One error type with a code-to-status table, rendered once by the app's onError.
import { z } from 'zod';

import { refusalStatus, type RefusalCode } from '../domain/refusals';

export type ErrorCode = RefusalCode;

export class AppError extends Error {
  constructor(
    readonly code: ErrorCode,
    message: string,
    readonly errors?: Record<string, string>,
  ) {
    super(message);
  }
  get status() { return refusalStatus[this.code]; }
}

export const invalid = (field: string, message: string) =>
  new AppError('VALIDATION_FAILED', `${field}: ${message}`, { [field]: message });
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

export function errorBody(err: AppError) {
  return {
    message: err.message,
    code: err.code,
    errors: err.errors ?? {},
    error: { code: err.code, message: err.message, details: err.errors ?? {} },
  };
}
