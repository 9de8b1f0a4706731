// GOV.UK Notify behind Access Desk's own interface (issue 12): the outbox sender talks to this, the real
// notifications-node-client sits behind it, and the local Notify service answers it in development and tests.
import type { CommChannel } from '../domain';

export type NotifySend =
  | { channel: Extract<CommChannel, 'sms'>; templateId: string; phoneNumber: string; personalisation: Record<string, string>; reference: string }
  | { channel: Extract<CommChannel, 'email'>; templateId: string; emailAddress: string; personalisation: Record<string, string>; reference: string }
  | { channel: Extract<CommChannel, 'letter'>; pdf: Uint8Array; reference: string; postage?: 'first' | 'second' };

/** Notify's own status words (sms/email and letters). */
export type NotifyStatus = string;

/**
 * Why a call failed, as the sender acts on it: `retryable` (5xx, network, 429 rate limit: try again later),
 * `permanent` (400 validation or bad request: sending again cannot help), `auth` (403: the key is wrong; nothing
 * will send until it is mended, so the sender stops and says so).
 */
export class NotifyError extends Error {
  constructor(
    message: string,
    readonly kind: 'retryable' | 'permanent' | 'auth',
    readonly statusCode: number | null,
    readonly errorType: string | null,
    readonly retryAfterMs: number | null = null,
  ) { super(message); this.name = 'NotifyError'; }
}

export interface NotifyGateway {
  /** Sends one message; `reference` is the communication id, never personal data. */
  send(message: NotifySend): Promise<{ notifyId: string }>;
  /** What Notify holds under a reference: how a retry after a crash learns an earlier attempt already sent. */
  findByReference(reference: string): Promise<{ notifyId: string; status: NotifyStatus } | null>;
  /** A message's current status. */
  status(notifyId: string): Promise<{ status: NotifyStatus; sentAt: string | null; completedAt: string | null }>;
}
