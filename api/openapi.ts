// The OpenAPI document, built from the same zod schemas that validate requests.
import { z } from 'zod';
import { absencePreviewBody, changeAbsenceBody, createAbsenceBody } from './routes/absences';
import { assignBody, attendanceOutcome, bookingOutcome, dnaReviewOutcome, escalationOutcome, registerReferralBody, triageOutcome } from './schemas';

const json = (schema: z.ZodType) => ({ content: { 'application/json': { schema: z.toJSONSchema(schema, { io: 'input', unrepresentable: 'any' }) } } });
const list = (resource: string) => ({
  get: { summary: `List ${resource} (react-admin list contract: sort, range, filter; Content-Range header)`, tags: [resource],
    parameters: ['sort', 'range', 'filter'].map((name) => ({ name, in: 'query', schema: { type: 'string' } })),
    responses: { 200: { description: 'An array of records' } } },
});

export function openApiDocument() {
  return {
    openapi: '3.0.3',
    info: { title: 'Access Desk API', version: '0.1.0', description: 'Referral-to-appointment pathways for an NHS access centre.' },
    paths: {
      '/api/auth/login': { post: { summary: 'Sign in', requestBody: json(z.object({ email: z.string(), password: z.string() })), responses: { 200: { description: 'Signed in; session cookie set' }, 401: { description: 'Wrong email or password' } } } },
      '/api/auth/me': { get: { summary: 'Who is signed in', responses: { 200: { description: 'The member of staff' } } } },
      '/api/health': { get: { summary: 'Health of the API, database and Temporal', responses: { 200: { description: 'ok' }, 503: { description: 'a part is down' } } } },
      '/api/referrals': { ...list('referrals'), post: { summary: 'Register a referral', requestBody: json(registerReferralBody),
        responses: { 201: { description: 'Registered; pathway started' }, 200: { description: 'Known UBRN: the existing referral' }, 400: { description: 'Invalid input, naming the field' } } } },
      '/api/referrals/{id}': { get: { summary: 'A referral with its RTT clock, cancer targets and timeline', responses: { 200: { description: 'The referral' } } } },
      '/api/tasks': list('tasks'),
      '/api/tasks/{id}/complete': { post: { summary: "Complete a work item with its type's outcome",
        requestBody: json(z.union([triageOutcome, bookingOutcome, attendanceOutcome, dnaReviewOutcome, escalationOutcome])),
        responses: { 200: { description: 'The completed work item' }, 409: { description: 'Slot taken, item not open or stale' }, 422: { description: 'A rule refuses it' } } } },
      '/api/tasks/{id}/claim': { post: { summary: 'Take a work item', responses: { 200: { description: 'Claimed' }, 409: { description: 'Someone else has it' } } } },
      '/api/tasks/{id}/release': { post: { summary: 'Put a work item back in its queue', responses: { 200: { description: 'Released' } } } },
      '/api/tasks/{id}/assign': { post: { summary: 'Move a work item to a person or queue (team leaders)', requestBody: json(assignBody), responses: { 200: { description: 'Moved' }, 403: { description: 'Not a team leader' } } } },
      '/api/tasks/claim-next': { post: { summary: 'Claim the most urgent unassigned item of my queues', responses: { 200: { description: 'The item, now mine' }, 204: { description: 'Nothing waiting' } } } },
      '/api/tasks/bulk-assign': { post: { summary: 'Move many work items at once (team leaders)', responses: { 200: { description: '{ moved, ids }' }, 422: { description: 'The person cannot take this work' } } } },
      '/api/tasks/{id}/snooze': { post: { summary: 'Hide a work item from claim-next until a date', responses: { 200: { description: 'Snoozed' } } } },
      '/api/dashboard': { get: { summary: 'Team dashboard: per officer and per queue', responses: { 200: { description: 'Counts' } } } },
      '/api/audit': list('audit'),
      '/api/absences': { ...list('absences'), post: { summary: 'Record leave with cover (team leaders)', requestBody: json(createAbsenceBody), responses: { 201: { description: 'Recorded; its workflow started' } } } },
      '/api/absences/preview': { post: { summary: 'What would move if this leave were recorded', requestBody: json(absencePreviewBody), responses: { 200: { description: '{ count, items }' } } } },
      '/api/absences/{id}': { put: { summary: 'Shorten or extend leave', requestBody: json(changeAbsenceBody), responses: { 200: { description: 'Changed' } } } },
      '/api/absences/{id}/cancel': { post: { summary: 'Cancel leave; moved work goes back at once', responses: { 200: { description: 'Cancelled' } } } },
      ...Object.fromEntries(['patients', 'appointments', 'clinics', 'slots', 'specialties', 'queues', 'staff'].map((r) => [`/api/${r}`, list(r)])),
    },
  };
}
