/// <reference types="fhir" />
// The e-RS adapter: Access Desk's ErsApi (domain/ers.ts) over the e-RS FHIR API (interfaces.md §1). Every call
// carries the §1.3 headers and its own correlation id, every write sends If-Match, and every failure becomes an
// ErsError whose kind tells the caller what to do: retry later, re-read (412), or tell a person.
import { randomUUID } from 'node:crypto';
import {
  ErsError, type ErsApi, type ErsAttachmentRef, type ErsDocument, type ErsPriority, type ErsReviewOutcome, type ErsWorklist, type ErsWorklistItem,
} from '../domain/ers';
import {
  cancelActionLaterParameters, ErsShapeError, ifMatch, parseAllowedActions, parseAppointment, parseOperationOutcome, parseReferral, parseWorklist,
  rejectParameters, reviewOutcomeParameters, worklistParameters,
} from '../domain/ers-fhir';

/** Business functions a provider organisation acts in; APPLICATION_RESTRICTED sends none (unattended, read-only). */
export const ersBusinessFunctions = ['SERVICE_PROVIDER_CLINICIAN', 'SERVICE_PROVIDER_CLINICIAN_ADMIN', 'SERVICE_PROVIDER_ADMIN', 'APPLICATION_RESTRICTED'] as const;
export type ErsBusinessFunction = (typeof ersBusinessFunctions)[number];

export type ErsClientConfig = {
  /** The FHIR base, e.g. https://int.api.service.nhs.uk/referrals/FHIR. */
  baseUrl: string;
  accessToken: string | (() => string | Promise<string>);
  /** NHSD-End-User-Organisation-ODS (user-restricted access). */
  odsCode?: string;
  businessFunction: ErsBusinessFunction;
  /** NHSD-eRS-On-Behalf-Of-User-ID: only, and always, with SERVICE_PROVIDER_CLINICIAN_ADMIN. */
  onBehalfOfUserId?: string;
  /** Services whose worklists are fetched (A008's `service` filter; mandatory for application-restricted access). */
  serviceIds?: string[];
  /** Per call, including reading the body. */
  timeoutMs?: number;
  fetch?: typeof fetch;
  /** Told each call's correlation id, route and outcome (never a UBRN): for logs. */
  onCall?: (call: { route: string; correlationId: string; status: number; ms: number }) => void;
};

const fhirJson = 'application/fhir+json';
// UBRNs (12 digits) and NHS numbers (10) may appear in e-RS diagnostics; errors travel into logs and Temporal payloads.
const scrub = (s: string) => s.replace(/\b\d{10,12}\b/g, '…');

/** Retry-After as seconds or an HTTP date, in ms. */
export function retryAfterMs(header: string | null, now = Date.now()): number | undefined {
  if (!header) return undefined;
  const seconds = Number(header.trim());
  if (Number.isFinite(seconds) && seconds >= 0) return Math.round(seconds * 1000);
  const at = Date.parse(header);
  return Number.isNaN(at) ? undefined : Math.max(0, at - now);
}

/** How each status is treated (§1.7): busy or broken on their side → retryable; 412 → changed; the rest → final. */
export function failureKind(status: number): ErsError['kind'] {
  if (status === 412) return 'changed';
  if (status === 429 || status === 423 || status === 408 || status >= 500) return 'retryable';
  return 'final';
}

export function validateErsClientConfig(cfg: Pick<ErsClientConfig, 'businessFunction' | 'onBehalfOfUserId' | 'odsCode' | 'serviceIds'>): string[] {
  const problems: string[] = [];
  if (cfg.businessFunction === 'SERVICE_PROVIDER_CLINICIAN_ADMIN' && !cfg.onBehalfOfUserId) problems.push('ERS_ON_BEHALF_OF_USER_ID: required with SERVICE_PROVIDER_CLINICIAN_ADMIN');
  if (cfg.businessFunction !== 'SERVICE_PROVIDER_CLINICIAN_ADMIN' && cfg.onBehalfOfUserId) problems.push('ERS_ON_BEHALF_OF_USER_ID: only allowed with SERVICE_PROVIDER_CLINICIAN_ADMIN');
  if (cfg.onBehalfOfUserId && !/^\d{12}$/.test(cfg.onBehalfOfUserId)) problems.push('ERS_ON_BEHALF_OF_USER_ID: must be a 12-digit SDS user id');
  if (cfg.businessFunction !== 'APPLICATION_RESTRICTED' && !cfg.odsCode) problems.push('ERS_ODS_CODE: required for user-restricted access');
  if (cfg.businessFunction === 'APPLICATION_RESTRICTED' && !cfg.serviceIds?.length) problems.push('ERS_SERVICE_IDS: required for application-restricted access');
  return problems;
}

export function createErsClient(cfg: ErsClientConfig): ErsApi {
  const problems = validateErsClientConfig(cfg);
  if (problems.length) throw new Error(`The e-RS settings are not valid:\n  ${problems.join('\n  ')}`);
  const base = cfg.baseUrl.replace(/\/+$/, '');
  const doFetch = cfg.fetch ?? fetch;
  const timeoutMs = cfg.timeoutMs ?? 30_000;

  const headers = async (correlationId: string): Promise<Record<string, string>> => {
    const token = typeof cfg.accessToken === 'function' ? await cfg.accessToken() : cfg.accessToken;
    const h: Record<string, string> = { Authorization: `Bearer ${token}`, 'X-Correlation-ID': correlationId, Accept: fhirJson };
    if (cfg.businessFunction !== 'APPLICATION_RESTRICTED') {
      h['NHSD-End-User-Organisation-ODS'] = cfg.odsCode!;
      h['NHSD-eRS-Business-Function'] = cfg.businessFunction;
      if (cfg.businessFunction === 'SERVICE_PROVIDER_CLINICIAN_ADMIN') h['NHSD-eRS-On-Behalf-Of-User-ID'] = cfg.onBehalfOfUserId!;
    }
    return h;
  };

  type Call = { route: string; what: string; method: 'GET' | 'POST'; path: string; body?: unknown; version?: string; redirect?: 'manual' };
  /** One call: headers, timeout, and any non-2xx (or 3xx unless asked for) turned into an ErsError. */
  const call = async <T>(c: Call, read: (res: Response) => Promise<T>): Promise<T> => {
    const correlationId = randomUUID();
    const h = await headers(correlationId);
    if (c.body !== undefined) h['Content-Type'] = fhirJson;
    if (c.version !== undefined) h['If-Match'] = ifMatch(c.version);
    const started = Date.now();
    const signal = AbortSignal.timeout(timeoutMs);
    let res: Response;
    try {
      res = await doFetch(`${base}${c.path}`, { method: c.method, headers: h, body: c.body === undefined ? undefined : JSON.stringify(c.body), signal, redirect: c.redirect ?? 'follow' });
    } catch (err) {
      cfg.onCall?.({ route: c.route, correlationId, status: 0, ms: Date.now() - started });
      const timedOut = (err as Error).name === 'TimeoutError' || signal.aborted;
      throw new ErsError('retryable', 0, timedOut ? 'TIMEOUT' : 'NETWORK', timedOut
        ? `e-RS did not answer ${c.what} within ${Math.round(timeoutMs / 1000)} s (${c.route}, correlation ${correlationId})`
        : `e-RS could not be reached for ${c.what} (${c.route}, correlation ${correlationId}): ${scrub((err as Error).message)}`);
    }
    cfg.onCall?.({ route: c.route, correlationId, status: res.status, ms: Date.now() - started });
    const expected = res.ok || (c.redirect === 'manual' && res.status >= 300 && res.status < 400);
    if (!expected) {
      const text = await res.text().catch(() => '');
      let parsed: unknown;
      try { parsed = JSON.parse(text); } catch { parsed = undefined; }
      const outcome = parseOperationOutcome(parsed);
      const said = outcome.diagnostics ?? outcome.display;
      throw new ErsError(failureKind(res.status), res.status, outcome.code,
        `e-RS refused ${c.what} with ${res.status}${outcome.code ? ` ${outcome.code}` : ''}${said ? `: ${scrub(said)}` : ''} (${c.route}, correlation ${correlationId})`,
        retryAfterMs(res.headers.get('Retry-After')));
    }
    try {
      return await read(res);
    } catch (err) {
      if (err instanceof ErsError) throw err;
      if (err instanceof ErsShapeError || err instanceof SyntaxError) {
        throw new ErsError('final', res.status, 'UNREADABLE_RESPONSE', `e-RS answered ${c.what} in a shape Access Desk cannot read: ${scrub(err.message)} (${c.route}, correlation ${correlationId})`);
      }
      if ((err as Error).name === 'TimeoutError' || signal.aborted) throw new ErsError('retryable', res.status, 'TIMEOUT', `e-RS did not finish sending ${c.what} within ${Math.round(timeoutMs / 1000)} s (${c.route}, correlation ${correlationId})`);
      throw err;
    }
  };

  const json = async <T>(res: Response) => (await res.json()) as T;
  const referral = async (res: Response) => parseReferral(await json<fhir.ReferralRequest>(res), res.headers.get('ETag'));
  const document = (fallbackName: string) => async (res: Response): Promise<ErsDocument> => {
    const disposition = res.headers.get('Content-Disposition') ?? '';
    const name = /filename\*?=(?:UTF-8'')?"?([^";]+)"?/i.exec(disposition)?.[1];
    return { filename: name ? decodeURIComponent(name) : fallbackName, contentType: (res.headers.get('Content-Type') ?? 'application/octet-stream').split(';')[0], bytes: new Uint8Array(await res.arrayBuffer()) };
  };
  const ref = (ubrn: string) => encodeURIComponent(ubrn);

  return {
    async fetchWorklist(worklist: ErsWorklist): Promise<ErsWorklistItem[]> {
      const services: (string | undefined)[] = cfg.serviceIds?.length ? cfg.serviceIds : [undefined];
      const out: ErsWorklistItem[] = [];
      for (const service of services) {
        out.push(...await call({ route: 'A008', what: 'the worklist', method: 'POST', path: '/STU3/ReferralRequest/$ers.fetchworklist', body: worklistParameters(worklist, service) },
          async (res) => parseWorklist(await json<fhir.List>(res), worklist)));
      }
      return out;
    },
    getReferral: (ubrn) => call({ route: 'A005', what: 'a referral', method: 'GET', path: `/STU3/ReferralRequest/${ref(ubrn)}` }, referral),
    clinicalSummary: (ubrn) => call({ route: 'A007', what: 'the clinical summary', method: 'POST', path: `/STU3/ReferralRequest/${ref(ubrn)}/$ers.generateCRI` }, document('Clinical_Information_Summary.pdf')),
    async attachment(att: ErsAttachmentRef): Promise<ErsDocument> {
      const id = encodeURIComponent(att.id);
      const named = async (res: Response) => ({ ...(await document(att.title)(res)), filename: att.title });
      // A042 answers with a short-lived pre-signed URL: fetched without e-RS's headers (its token must not leave for another host).
      try {
        const location = await call({ route: 'A042', what: 'an attachment', method: 'GET', path: `/R4/Binary/${id}`, redirect: 'manual' }, async (res) => {
          const to = res.headers.get('Location');
          if (res.status !== 307 && res.status !== 302 && res.status !== 303) throw new ErsShapeError(`A042 answered ${res.status} instead of a redirect`);
          if (!to) throw new ErsShapeError('A042 redirect without a Location');
          return new URL(to, `${base}/`).toString();
        });
        let res: Response;
        try {
          res = await doFetch(location, { signal: AbortSignal.timeout(timeoutMs) });
        } catch (err) {
          throw new ErsError('retryable', 0, 'NETWORK', `The attachment's download link could not be fetched: ${scrub((err as Error).message)}`);
        }
        if (!res.ok) throw new ErsError(res.status === 403 ? 'retryable' : failureKind(res.status), res.status, 'DOWNLOAD_FAILED', `The attachment's download link answered ${res.status} (it may have expired)`);
        return await named(res);
      } catch (err) {
        // A042's 400 is "not yet available" (the malware scan has not finished): worth asking again later.
        if (err instanceof ErsError && err.status === 400) {
          throw new ErsError('retryable', 400, err.code, `The attachment is not yet available in e-RS (it is still being checked); ${err.message}`);
        }
        // Ids the R4 route does not know (A006's `att-…` ids) are still served by A006.
        if (err instanceof ErsError && err.status === 404) {
          return call({ route: 'A006', what: 'an attachment', method: 'GET', path: `/STU3/Binary/${id}` }, named);
        }
        throw err;
      }
    },
    allowedActions: (ubrn, version) => call({ route: 'A029', what: 'the allowed actions', method: 'GET',
      path: `/STU3/Task?${new URLSearchParams({ focus: `ReferralRequest/${ubrn}/_history/${version}`, intent: 'proposal', status: 'ready' })}` },
      async (res) => parseAllowedActions(await json<fhir.Bundle>(res))),
    accept: (ubrn, version) => call({ route: 'A013', what: 'accepting the referral', method: 'POST', path: `/STU3/ReferralRequest/${ref(ubrn)}/$ers.acceptReferral`, version }, referral),
    reject: (ubrn, version, reason, comments) => call({ route: 'A014', what: 'rejecting the referral', method: 'POST', path: `/STU3/ReferralRequest/${ref(ubrn)}/$ers.rejectReferral`,
      version, body: rejectParameters(reason, comments, base) }, referral),
    recordReviewOutcome: (ubrn: string, version: string, outcome: ErsReviewOutcome, comments: string, priority?: ErsPriority) => call({ route: 'A028', what: 'recording the review outcome',
      method: 'POST', path: `/STU3/ReferralRequest/${ref(ubrn)}/$ers.recordReviewOutcome`, version, body: reviewOutcomeParameters(outcome, comments, priority) }, referral),
    cancelAppointmentActionLater: (ubrn, version, comments) => call({ route: 'A022', what: 'cancelling the appointment to action later', method: 'POST',
      path: `/STU3/ReferralRequest/${ref(ubrn)}/$ers.cancelAppointmentActionLater`, version, body: cancelActionLaterParameters(comments) }, referral),
    getAppointment: (id) => call({ route: 'A038', what: 'an appointment', method: 'GET', path: `/STU3/Appointment/${encodeURIComponent(id)}` },
      async (res) => parseAppointment(await json<fhir.Appointment>(res))),
  } satisfies ErsApi;
}
