// How a workflow or an activity refuses: a non-retryable ApplicationFailure whose type is one code of
// domain/refusals.ts and whose first detail names the field to blame. The API reads `type` and
// `details[0].field`, so the console picks its words from the code, never from the message.
import { ActivityFailure, ApplicationFailure } from '@temporalio/common';
import type { RefusalCode, RefusalDetail } from '../domain/refusals';

export function refusal(type: RefusalCode, message: string, field?: string): ApplicationFailure {
  const details: RefusalDetail[] = field ? [{ field }] : [];
  return ApplicationFailure.create({ type, message, details, nonRetryable: true });
}

/** The field a refusal blames, if any. */
export const refusedField = (failure: ApplicationFailure): string | undefined =>
  (failure.details?.[0] as RefusalDetail | undefined)?.field;

/** An activity's refusal handed on to whoever sent the Update, with its code and field; anything else as it was. */
export function passOnRefusal(err: unknown): unknown {
  if (err instanceof ActivityFailure && err.cause instanceof ApplicationFailure) {
    const { type, message, details } = err.cause;
    return ApplicationFailure.create({ type: type ?? 'ACTIVITY_FAILED', message, details: details ?? undefined, nonRetryable: true });
  }
  return err;
}
