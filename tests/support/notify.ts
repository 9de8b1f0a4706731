// The local Notify service's control API (/__control), typed, for tests that drive it.
export type ReceivedNotification = {
  id: string; type: 'sms' | 'email' | 'letter'; reference: string | null; keyType: 'test' | 'team' | 'live'; status: string;
  phoneNumber: string | null; emailAddress: string | null; addressLines: string[]; templateId: string | null;
  personalisation: Record<string, unknown>; subject: string | null; body: string; pdfBytes: number | null;
};

/** Recipients the local service (like Notify's simulator) fails: use these names, not the numbers. */
export const simulatorRecipients = {
  permanentFailurePhone: '07700900002', temporaryFailurePhone: '07700900003', technicalFailurePhone: '07700900004',
  permanentFailureEmail: 'perm-fail@simulator.notify', temporaryFailureEmail: 'temp-fail@simulator.notify',
} as const;

export type NotifyControl = ReturnType<typeof notifyControl>;

export function notifyControl(baseUrl: string) {
  const call = async <T>(method: 'GET' | 'POST', path: string, body?: unknown): Promise<T> => {
    const res = await fetch(`${baseUrl}/__control${path}`, {
      method, headers: body === undefined ? {} : { 'content-type': 'application/json' }, body: body === undefined ? undefined : JSON.stringify(body),
    });
    if (!res.ok) throw new Error(`local Notify control ${method} ${path}: ${res.status} ${await res.text()}`);
    return res.json() as Promise<T>;
  };
  return {
    /** Forgets every message and injected failure; the rate limit goes back to its start value. */
    reset: () => call<{ ok: true }>('POST', '/reset'),
    /** The next `count` authenticated /v2 requests fail with this status and Notify error (default 500 Exception). */
    failNext: (count: number, failure: { statusCode?: number; error?: string; message?: string } = {}) =>
      call<{ pending: number }>('POST', '/fail', { count, ...failure }),
    /** `limited: true` refuses every request with 429 until switched off; `limit` sets requests per 60 s (null: none). */
    rateLimit: (s: { limited?: boolean; limit?: number | null }) => call<{ limited: boolean; limit: number | null }>('POST', '/rate-limit', s),
    /** Sets a message's Notify status (e.g. 'permanent-failure'); it stays there. */
    setStatus: (id: string, status: string) => call<unknown>('POST', `/notifications/${id}/status`, { status }),
    /** Everything received, oldest first. */
    received: () => call<ReceivedNotification[]>('GET', '/notifications'),
  };
}
