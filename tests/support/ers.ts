// The local e-RS service's control API (/__control), typed, for tests that drive it (adapter and intake tests).
import type { LocalErsReferralInput, ReceivedRequest } from '../../bin/lib/local-ers';

export type ErsControl = ReturnType<typeof ersControl>;
export type AddedReferral = { ubrn: string; version: string; held: boolean; attachments: string[]; appointmentId: string | null };
export type HeldReferral = {
  ubrn: string; version: string; state: string; worklist: string | null; held: boolean; triage: boolean; priority: string; serviceId: string;
  appointmentId: string | null; outcomes: { action: string; at: string; detail: Record<string, unknown> }[];
};

/** `origin` is LocalErs.origin (not the FHIR base). */
export function ersControl(origin: string) {
  const call = async <T>(method: 'GET' | 'POST' | 'DELETE', path: string, body?: unknown): Promise<T> => {
    const res = await fetch(`${origin}/__control${path}`, {
      method, headers: body === undefined ? {} : { 'content-type': 'application/json' }, body: body === undefined ? undefined : JSON.stringify(body),
    });
    if (!res.ok) throw new Error(`local e-RS control ${method} ${path}: ${res.status} ${await res.text()}`);
    return res.json() as Promise<T>;
  };
  return {
    /** Forgets every referral, failure and request; `seed` adds demo referrals (some held back). */
    reset: (seed?: { visible: number; held: number; seed?: number }) => call<{ ok: true }>('POST', '/reset', seed ? { seed } : {}),
    addReferrals: async (...referrals: LocalErsReferralInput[]) => (await call<{ referrals: AddedReferral[] }>('POST', '/referrals', { referrals })).referrals,
    referrals: () => call<HeldReferral[]>('GET', '/referrals'),
    referral: async (ubrn: string) => (await call<HeldReferral[]>('GET', '/referrals')).find((r) => r.ubrn === ubrn),
    /** Releases the next `count` held referrals onto their worklists (all if omitted). */
    release: (count?: number) => call<{ released: string[] }>('POST', '/release', count === undefined ? {} : { count }),
    /** The next `count` e-RS requests (to `route`, an id such as A013, if given) fail with `status`, or wait `delayMs` first. */
    inject: (failure: { status?: number; route?: string; retryAfter?: number; delayMs?: number; diagnostics?: string; count?: number }) =>
      call<{ pending: number }>('POST', '/errors', failure),
    clearInjected: () => call<{ pending: number }>('DELETE', '/errors'),
    /** Every token is treated as application-restricted while on. */
    appRestricted: (on: boolean) => call<{ appRestricted: boolean }>('POST', '/mode', { appRestricted: on }),
    requests: () => call<ReceivedRequest[]>('GET', '/requests'),
    clearRequests: () => call<{ ok: true }>('DELETE', '/requests'),
    setAttachmentAvailable: (ubrn: string, id: string, available: boolean) => call<{ version: string }>('POST', `/referrals/${ubrn}/attachments/${id}`, { available }),
    patientCancels: (ubrn: string, reason?: string) => call<{ version: string; appointmentId: string }>('POST', `/referrals/${ubrn}/patient-cancels`, reason ? { reason } : {}),
    patientRebooks: (ubrn: string, start: string) => call<{ version: string; appointmentId: string; replaced: string | null }>('POST', `/referrals/${ubrn}/patient-rebooks`, { start }),
  };
}
