// GOV.UK Notify behind Access Desk's own interface (issue 12): the outbox sender talks to this, the real
// notifications-node-client sits behind it, and the local Notify service answers it in development and tests.
import { NotifyClient } from 'notifications-node-client';
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

/**
 * Maps a failed Notify call (axios's error from notifications-node-client) to what the sender does next. Only the
 * status and Notify's own words are kept: axios's error carries the request (the token, the phone number or email,
 * the personalisation), which must reach neither logs nor Temporal history.
 */
export function notifyErrorOf(err: unknown): NotifyError {
  if (err instanceof NotifyError) return err;
  const e = err as { response?: { status?: number; data?: unknown; headers?: Record<string, unknown> }; code?: string; message?: string };
  const res = e.response;
  if (!res?.status) return new NotifyError(`Notify could not be reached (${e.code ?? 'network error'})`, 'retryable', null, null);
  const first = (res.data as { errors?: Array<{ error?: string; message?: string }> } | undefined)?.errors?.[0];
  const message = `Notify answered ${res.status}${first?.error ? ` ${first.error}` : ''}${first?.message ? `: ${first.message}` : ''}`;
  const errorType = first?.error ?? null;
  if (res.status === 429) {
    const seconds = Number(res.headers?.['retry-after']);
    return new NotifyError(message, 'retryable', 429, errorType, Number.isFinite(seconds) && seconds > 0 ? seconds * 1000 : null);
  }
  if (res.status === 401 || res.status === 403) return new NotifyError(message, 'auth', res.status, errorType);
  if (res.status >= 400 && res.status < 500) return new NotifyError(message, 'permanent', res.status, errorType);
  return new NotifyError(message, 'retryable', res.status, errorType);
}

/** The gateway over the real notifications-node-client; `baseUrl` is Notify's, or the local service's. */
export function createNotifyGateway({ baseUrl, apiKey }: { baseUrl: string; apiKey: string }): NotifyGateway {
  const client = new NotifyClient(baseUrl, apiKey);
  const call = async <T>(f: () => Promise<{ data: T }>) => {
    try { return (await f()).data; } catch (err) { throw notifyErrorOf(err); }
  };
  return {
    async send(m) {
      const sent = await call<{ id: string }>(() => (m.channel === 'sms'
        ? client.sendSms(m.templateId, m.phoneNumber, { personalisation: m.personalisation, reference: m.reference })
        : m.channel === 'email'
          ? client.sendEmail(m.templateId, m.emailAddress, { personalisation: m.personalisation, reference: m.reference })
          : client.sendPrecompiledLetter(m.reference, Buffer.from(m.pdf), m.postage)));
      return { notifyId: sent.id };
    },
    async findByReference(reference) {
      const { notifications } = await call<{ notifications: Array<{ id: string; status: string }> }>(
        () => client.getNotifications(undefined, undefined, reference));
      const newest = notifications[0];
      return newest ? { notifyId: newest.id, status: newest.status } : null;
    },
    async status(notifyId) {
      const n = await call<{ status: string; sent_at?: string | null; completed_at?: string | null }>(() => client.getNotificationById(notifyId));
      return { status: n.status, sentAt: n.sent_at ?? null, completedAt: n.completed_at ?? null };
    },
  };
}
