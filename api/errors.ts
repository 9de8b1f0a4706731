// One error type with a code-to-status table, rendered once by the app's onError.
import { z } from 'zod';

const statusByCode = {
  VALIDATION_FAILED: 400,
  UNAUTHENTICATED: 401,
  INVALID_CREDENTIALS: 401,
  FORBIDDEN: 403,
  NOT_FOUND: 404,
  CONFLICT: 409,
  SLOT_TAKEN: 409,
  TASK_NOT_OPEN: 409,
  TASK_BUSY: 409,
  TASK_CLAIMED: 409,
  STALE_VERSION: 409,
  RULE_REFUSED: 422,
  IDEMPOTENCY_KEY_REUSED: 422,
  IDEMPOTENCY_KEY_IN_USE: 409,
  UNAVAILABLE: 503,
  NOT_IN_QUEUE: 403,
  ASSIGNEE_INACTIVE: 422,
  ASSIGNEE_ON_LEAVE: 422,
  ASSIGNEE_NOT_IN_QUEUE: 422,
  PAYLOAD_TOO_LARGE: 413,
  UNSUPPORTED_MEDIA_TYPE: 415,
  TOO_MANY_ATTEMPTS: 429,
} as const;

export type ErrorCode = keyof typeof statusByCode;

export class AppError extends Error {
  constructor(
    readonly code: ErrorCode,
    message: string,
    readonly errors?: Record<string, string>,
  ) {
    super(message);
  }
  get status() { return statusByCode[this.code]; }
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
