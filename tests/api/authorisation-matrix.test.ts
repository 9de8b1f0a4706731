// Every route × every role × signed out, from the table below, checked against the app's own route list:
// a route added without a row here fails this test. "allowed" means past authentication and the role
// and queue checks (the answer may still be 400, 404 or 409 for the empty body or made-up id sent).
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AccessDeskClient } from '../../bin/lib/api-client';
import { newId } from '../../db/ids';
import { tasks } from '../../db/schema';
import { startTestStack, type TestStack } from '../support/stack';

type Role = 'officer' | 'team_leader' | 'clinician' | 'ops' | 'admin';
const roles: Role[] = ['officer', 'team_leader', 'clinician', 'ops', 'admin'];
const emails: Record<Role, string> = {
  officer: 'officer@demo.nhs.uk', team_leader: 'leader@demo.nhs.uk', clinician: 'clinician@demo.nhs.uk', ops: 'ops@demo.nhs.uk', admin: 'admin@demo.nhs.uk',
};

// Who may: 'public' (no sign-in), 'any' (any signed-in role), or the roles allowed.
type Who = 'public' | 'any' | Role[];
const leaders: Role[] = ['team_leader', 'admin'];
const bookers: Role[] = ['officer', 'team_leader', 'admin']; // on a booking item of queue_101 (not worked by ops)

const matrix: Record<string, Who> = {
  'GET /api/health': 'public',
  'GET /api/ready': 'public',
  'GET /api/openapi.json': 'public',
  'GET /api/docs': 'public',
  'GET /api/docs/standalone.js': 'public',
  'POST /api/auth/login': 'public',
  'POST /api/auth/logout': 'public',
  'GET /api/auth/me': 'any',
  'GET /api/referrals': 'any',
  'POST /api/referrals': ['officer', 'team_leader', 'clinician', 'admin'],
  'GET /api/referrals/:id': 'any',
  'POST /api/referrals/:id/rtt-events': ['officer', 'team_leader', 'clinician', 'admin'],
  'POST /api/appointments/:id/communication': ['officer', 'team_leader', 'clinician', 'admin'],
  // Issue 10: appointments cancelled or moved, and offers, by those who book; everyone reads offers.
  'POST /api/appointments/:id/cancel': bookers,
  'POST /api/appointments/:id/reschedule': bookers,
  'POST /api/referrals/:id/offers': bookers,
  'GET /api/offers': 'any',
  'GET /api/offers/:id': 'any',
  // Issue 15: admitted care. Clinicians decide to admit (or not to treat); bookers offer TCIs; those who record outcomes
  // record pre-op and admission; leaders add theatre sessions; everyone reads the lists.
  'POST /api/referrals/:id/decision-to-admit': ['team_leader', 'clinician', 'admin'],
  'POST /api/referrals/:id/tci-offers': bookers,
  // Issue 16: those who record outcomes record attendances outside clinic and PIFU requests; everyone reads the PIFU count.
  'POST /api/attendances': ['officer', 'team_leader', 'clinician', 'admin'],
  'POST /api/referrals/:id/pifu-trigger': ['officer', 'team_leader', 'clinician', 'admin'],
  'GET /api/pifu': 'any',
  'GET /api/admissions': 'any',
  'GET /api/admissions/:id': 'any',
  'POST /api/admissions/:id/pre-op-outcome': ['officer', 'team_leader', 'clinician', 'admin'],
  'POST /api/admissions/:id/admit': ['officer', 'team_leader', 'clinician', 'admin'],
  'POST /api/admissions/:id/decision-not-to-treat': ['team_leader', 'clinician', 'admin'],
  'GET /api/theatre-sessions': 'any',
  'GET /api/theatre-sessions/:id': 'any',
  'POST /api/theatre-sessions': leaders,
  'GET /api/tci-offers': 'any',
  'GET /api/tci-offers/:id': 'any',
  'POST /api/tci-offers/:id/accept': bookers,
  'POST /api/tci-offers/:id/decline': bookers,
  'GET /api/admissions.csv': 'any',
  'GET /api/theatre-sessions.csv': 'any',
  'GET /api/stand-by.csv': 'any',
  'POST /api/offers/:id/accept': bookers,
  'POST /api/offers/:id/decline': bookers,
  'GET /api/tasks': 'any',
  'POST /api/tasks/claim-next': 'any',
  'POST /api/tasks/bulk-assign': leaders,
  'GET /api/tasks/:id': 'any',
  'POST /api/tasks/:id/complete': bookers,
  'POST /api/tasks/:id/claim': bookers,
  'POST /api/tasks/:id/release': 'any', // refused as a conflict unless you hold it
  'POST /api/tasks/:id/snooze': bookers,
  'POST /api/tasks/:id/unsnooze': bookers,
  'POST /api/tasks/:id/assign': leaders,
  'GET /api/absences': 'any',
  'POST /api/absences/preview': leaders,
  'GET /api/absences/:id': 'any',
  'POST /api/absences': leaders,
  'POST /api/absences/:id/cancel': leaders,
  'PUT /api/absences/:id': leaders,
  'GET /api/queues': 'any',
  'GET /api/queues/:id': 'any',
  'POST /api/queues/:id/members': leaders,
  'DELETE /api/queues/:id/members/:staffId': leaders,
  'GET /api/audit': leaders,
  // Clinic session changes (issue 10): team leaders cancel or reduce a session; everyone may read what happened.
  'GET /api/clinic-sessions/changes': 'any',
  'POST /api/clinic-sessions/changes': leaders,
  'GET /api/clinic-sessions/changes/:id': 'any',
  'POST /api/clinic-sessions/changes/:id/confirm': leaders,
  // The outbox (issue 12): every signed-in role reads what was sent, as it reads the patient it was sent to.
  'GET /api/communications': 'any',
  'GET /api/communications/:id': 'any',
  'GET /api/communications/:id/letter.pdf': 'any',
  'GET /api/communications.csv': 'any',
  'GET /api/dashboard': ['team_leader', 'admin', 'ops'],
  // The PTL, the cancer view and the clock: every role reads them; FDS outcomes are recorded by those who tell patients.
  'GET /api/ptl': 'any',
  'GET /api/ptl.csv': 'any',
  // Exports of the lists (api/routes/exports.ts): whoever may read the list.
  'GET /api/tasks.csv': 'any',
  'GET /api/referrals.csv': 'any',
  'GET /api/patients.csv': 'any',
  'GET /api/appointments.csv': 'any',
  'GET /api/clinics.csv': 'any',
  'GET /api/clinic-sessions/changes.csv': 'any',
  'GET /api/absences.csv': 'any',
  'GET /api/queues.csv': 'any',
  'GET /api/audit.csv': leaders,
  'GET /api/cancer-ptl.csv': 'any',
  'GET /api/ptl/histogram': 'any',
  'GET /api/cancer-ptl': 'any',
  'GET /api/referrals/:id/clock': 'any',
  'POST /api/referrals/:id/fds-outcome': ['officer', 'team_leader', 'clinician', 'admin'],
  // The returns: every role reads them (officers, leaders and ops work from them; clinicians see their waits; admins support).
  'GET /api/returns/rtt': 'any',
  'GET /api/returns/rtt.csv': 'any',
  'GET /api/returns/wlmds': 'any',
  'GET /api/returns/wlmds/summary': 'any',
  // Clinics and templates (issue 10): team leaders and admins change them; everyone reads the calendar and the versions.
  'POST /api/clinics': leaders,
  'PUT /api/clinics/:id': leaders,
  'GET /api/clinics/:id/templates': 'any',
  'POST /api/clinics/:id/templates': leaders,
  'GET /api/clinics/:id/calendar': 'any',
  // Issue 12: communication needs and contact details, kept by those who talk to patients.
  'PUT /api/patients/:id': bookers,
  // Issue 12: contacts are logged by those who talk to patients, read by all; the Enquiry search; everyone's own inbox.
  'POST /api/patients/:id/contacts': ['officer', 'team_leader', 'clinician', 'admin'],
  'GET /api/contacts': 'any',
  'GET /api/enquiry': 'any',
  'GET /api/notifications': 'any',
  'POST /api/notifications/read-all': 'any',
  'POST /api/notifications/:id/read': 'any',
  // Issue 14: the PAS feed's messages, listed for ops and admins (no patient details); a rejected one resent or set aside by them.
  'GET /api/hl7-messages': ['ops', 'admin'],
  'GET /api/hl7-messages/:id': ['ops', 'admin'],
  'POST /api/hl7-messages/:id/resend': ['ops', 'admin'],
  'POST /api/hl7-messages/:id/set-aside': ['ops', 'admin'],
  // Go-live imports (issue 13): team leaders and administrators bring a PAS extract over and follow it.
  'POST /api/imports': leaders,
  'GET /api/imports': leaders,
  'GET /api/imports/:id': leaders,
  // FHIR read API (issue 14): only administrators give other systems tokens.
  'GET /api/system-clients': ['admin'],
  'POST /api/system-clients': ['admin'],
  'GET /api/system-clients/:id': ['admin'],
  'DELETE /api/system-clients/:id': ['admin'],
  // Issue 15, stand-by and on-the-day cancellations: those who book put patients on stand-by and cancel operations; everyone
  // reads the stand-by list and the cancelled operations report; team leaders and administrators set ward capacity.
  'POST /api/admissions/:id/stand-by': bookers,
  'GET /api/stand-by': 'any',
  'POST /api/admissions/:id/cancel': bookers,
  'GET /api/cancelled-operations': 'any',
  'GET /api/cancelled-operations/summary': 'any',
  'GET /api/cancelled-operations/:id': 'any',
  'GET /api/cancelled-operations.csv': 'any',
  'GET /api/wards': leaders,
  'GET /api/wards/:code': leaders,
  'PUT /api/wards/:code': leaders,
  // Issue 16: everyone reads the partial booking list and the follow-up backlog; those who book book from it or escalate.
  'GET /api/partial-booking': 'any',
  'GET /api/partial-booking/:id': 'any',
  'POST /api/partial-booking/:id/book': bookers,
  'POST /api/partial-booking/:id/escalate': bookers,
  'GET /api/partial-booking.csv': 'any',
  'GET /api/follow-up-backlog': 'any',
  'GET /api/follow-up-backlog.csv': 'any',
  // Issue 16: those who record outcomes take ward forms and cash up clinics; everyone reads them.
  'GET /api/ward-forms': 'any',
  'GET /api/ward-forms/:id': 'any',
  'POST /api/ward-forms': ['officer', 'team_leader', 'clinician', 'admin'],
  'GET /api/ward-forms.csv': 'any',
  'GET /api/cash-up': 'any',
  'GET /api/cash-up/:id': 'any',
  'POST /api/cash-up/:id': ['officer', 'team_leader', 'clinician', 'admin'],
  'GET /api/cash-up.csv': 'any',
  // Issue 17: team leaders, operations and admins read the breach forecast and try changes on it; operations and admins recompute it.
  'GET /api/forecast': ['team_leader', 'ops', 'admin'],
  'GET /api/forecast/at-risk': ['team_leader', 'ops', 'admin'],
  'GET /api/forecast/at-risk.csv': ['team_leader', 'ops', 'admin'],
  'POST /api/forecast/what-if': ['team_leader', 'ops', 'admin'],
  'POST /api/forecast/recompute': ['ops', 'admin'],
  ...Object.fromEntries(['patients', 'appointments', 'clinics', 'slots', 'specialties', 'staff']
    .flatMap((r) => [[`GET /api/${r}`, 'any'], [`GET /api/${r}/:id`, 'any']])),
};

let stack: TestStack;
const clients = {} as Record<Role | 'signed out', AccessDeskClient>;

beforeAll(async () => {
  stack = await startTestStack({ database: 'postgres', temporal: 'dev' });
  for (const role of roles) clients[role] = await stack.signIn(emails[role]);
  clients['signed out'] = new AccessDeskClient(stack.url);
});
afterAll(async () => { await stack?.stop(); });

/** A fresh unassigned booking item in queue_101 for each request, so one cell's claim never decides the next. */
async function bookingItem() {
  const id = newId('task');
  await stack.db.db.insert(tasks).values({
    id, taskKey: `matrix:${id}`, type: 'book_new_appointment', title: 'Book new appointment', priority: 'routine', priorityRank: 3,
    dueAt: new Date(Date.now() + 86_400_000), queueId: 'queue_101', workflowId: `test-matrix-${id}`, breachDate: '2027-03-01',
  });
  return id;
}

async function pathFor(route: string) {
  const path = route.split(' ')[1];
  const id = path.startsWith('/api/tasks/:id') ? await bookingItem() : path.startsWith('/api/queues/:id') ? 'queue_101' : 'x_none';
  return path.replace(':id', id).replace(':staffId', 'staff_nobody').replace(':code', 'W_none');
}

const classOf = (status: number) => (status === 401 ? '401' : status === 403 ? '403' : 'allowed');
const expected = (who: Who, as: Role | 'signed out') =>
  who === 'public' ? 'allowed' : as === 'signed out' ? '401' : who === 'any' || who.includes(as) ? 'allowed' : '403';

describe('authorisation matrix', () => {
  it('has a row for every route the app serves, and no row for a route it does not', () => {
    const served = [...new Set(stack.system.app.routes.filter((r) => r.method !== 'ALL' && r.path.startsWith('/api/')).map((r) => `${r.method} ${r.path}`))];
    expect(Object.keys(matrix).sort()).toEqual(served.sort());
  });

  // Sign-out last: it ends the session the other rows use.
  const rows = Object.entries(matrix).sort(([a], [b]) => Number(a.includes('/logout')) - Number(b.includes('/logout')));
  it.each(rows)('%s', async (route, who) => {
    const method = route.split(' ')[0];
    const seen: Record<string, string> = {};
    const want: Record<string, string> = {};
    for (const as of [...roles, 'signed out'] as const) {
      const path = await pathFor(route);
      const body = method === 'GET' || method === 'DELETE' ? undefined : {};
      // The reference page and its script are not JSON: asked for as a browser would.
      const status = route.startsWith('GET /api/docs') ? (await fetch(`${stack.url}${path}`)).status
        : await clients[as].request(method, path, body).then((r) => r.status, (err) => err.status as number);
      expect(status, `${route} as ${as}`).toBeLessThan(500);
      seen[as] = classOf(status);
      want[as] = expected(who, as);
    }
    expect(seen).toEqual(want);
  });
});

// Prometheus metrics (issue 18): ops and admin signed in, or METRICS_TOKEN (tests/api/metrics.test.ts); no other role.
const metricsMatrix: Record<string, Who> = { 'GET /metrics': ['ops', 'admin'] };

describe('authorisation matrix of /metrics', () => {
  it('has a row for every route outside /api and /fhir the app serves, besides the console', () => {
    const served = [...new Set(stack.system.app.routes.filter((r) => r.method !== 'ALL' && !r.path.startsWith('/api/') && !r.path.startsWith('/fhir/') && r.path !== '*' && r.path !== '/*')
      .map((r) => `${r.method} ${r.path}`))];
    expect(Object.keys(metricsMatrix).sort()).toEqual(served.sort());
  });

  it.each(Object.entries(metricsMatrix))('%s', async (route, who) => {
    const seen: Record<string, string> = {};
    const want: Record<string, string> = {};
    for (const as of [...roles, 'signed out'] as const) {
      await clients[as].get('/api/specialties').catch(() => {}); // signs in again if the sign-out row ended this session
      const status = (await fetch(`${stack.url}${route.split(' ')[1]}`, { headers: as === 'signed out' ? {} : { cookie: clients[as].sessionCookie } })).status;
      expect(status, `${route} as ${as}`).toBeLessThan(500);
      seen[as] = classOf(status);
      want[as] = expected(who, as);
    }
    expect(seen).toEqual(want);
  });
});

// The FHIR read API (issue 14): every staff role on its session, and a system client's token; nobody else.
const fhirMatrix: string[] = ['Patient', 'ServiceRequest', 'Appointment', 'Slot', 'Schedule']
  .flatMap((type) => [`GET /fhir/${type}`, `GET /fhir/${type}/:id`]);

describe('authorisation matrix of /fhir', () => {
  let token: string;
  beforeAll(async () => { token = (await clients.admin.post('/api/system-clients', { name: 'Matrix system' })).token; });

  it('has a row for every FHIR route the app serves', () => {
    const served = [...new Set(stack.system.app.routes.filter((r) => r.method !== 'ALL' && r.path.startsWith('/fhir/')).map((r) => `${r.method} ${r.path}`))];
    expect([...fhirMatrix, 'GET /fhir/metadata'].sort()).toEqual(served.sort());
  });

  it('GET /fhir/metadata is public: it says what the server does, and holds no patient data', async () => {
    expect((await fetch(`${stack.url}/fhir/metadata`)).status).toBe(200);
  });

  it.each(fhirMatrix)('%s', async (route) => {
    // A search with a parameter it needs, a read of an id that is not there: past authentication, each is a 200 or a 404.
    const path = route.split(' ')[1].replace(':id', 'x-none');
    const query = { Patient: '?_id=x-none', ServiceRequest: '?_id=x-none', Appointment: '?_id=x-none', Slot: '?_id=x-none', Schedule: '' }[path.split('/')[2]] ?? '';
    const url = `${stack.url}${path}${path.endsWith('x-none') ? '' : query}`;
    const seen: Record<string, number> = {};
    for (const as of roles) {
      await clients[as].get('/api/specialties'); // signs in again if a row above (sign-out) ended this session
      seen[as] = (await fetch(url, { headers: { cookie: clients[as].sessionCookie } })).status;
    }
    seen['system client'] = (await fetch(url, { headers: { authorization: `Bearer ${token}` } })).status;
    seen['signed out'] = (await fetch(url)).status;
    const allowed = path.endsWith('x-none') ? 404 : 200;
    expect(seen).toEqual({ ...Object.fromEntries([...roles, 'system client'].map((r) => [r, allowed])), 'signed out': 401 });
  });
});
