// The OpenAPI 3.0 document: request bodies from the same zod schemas that validate them, response
// shapes written out, every route of the app (a test compares this with app.routes).
import { z } from 'zod';
import { absencePreviewBody, changeAbsenceBody, createAbsenceBody } from './routes/absences';
import { bulkAssignBody, claimNextBody, snoozeBody } from './routes/tasks';
import { memberBody } from './routes/queues';
import { loginBody, SESSION_COOKIE } from './auth';
import { assignBody, attendanceOutcome, bookingOutcome, dnaReviewOutcome, escalationOutcome, registerReferralBody, triageOutcome } from './schemas';
import { MAX_LIST_OFFSET } from './list';

type Schema = Record<string, unknown>;
const str: Schema = { type: 'string' };
const strN: Schema = { type: 'string', nullable: true };
const int: Schema = { type: 'integer' };
const intN: Schema = { type: 'integer', nullable: true };
const bool: Schema = { type: 'boolean' };
const anyValue: Schema = {};
const arrayOf = (items: Schema): Schema => ({ type: 'array', items });
const obj = (properties: Record<string, Schema>, required: string[] = []): Schema => ({ type: 'object', properties, ...(required.length ? { required } : {}) });
const ref = (name: string): Schema => ({ $ref: `#/components/schemas/${name}` });

const task = obj({
  id: str, type: str, title: str, status: str, priority: str, dueAt: strN, escalationLevel: int, queueId: str, queueName: strN,
  assigneeId: strN, assigneeName: strN, referralId: strN, patientId: strN, patientName: strN, nhsNumber: strN, specialtyCode: strN,
  workflowId: strN, payload: anyValue, outcome: anyValue, version: int, createdAt: strN, completedAt: strN, completedBy: strN,
  snoozedUntil: strN, snoozeReason: strN, breachDate: strN,
}, ['id', 'type', 'status', 'queueId', 'version']);
const referral = obj({
  id: str, patientId: str, patientName: strN, nhsNumber: strN, source: str, ubrn: strN, receivedAt: str, specialtyCode: str,
  specialtyName: strN, priority: str, clinicalPriority: strN, reason: strN, state: str, clinicId: strN, clinicName: strN, workflowId: strN,
  clockStart: strN, breachDate: strN, rttStatus: strN, lastRttCode: intN, clockStop: strN, createdAt: strN, daysWaited: intN, weekBand: intN,
}, ['id', 'patientId', 'state']);
const referralDetail: Schema = {
  allOf: [ref('Referral'), obj({
    rtt: { type: 'object', nullable: true }, cancer: { type: 'object', nullable: true }, patient: { type: 'object', nullable: true },
    events: arrayOf({ type: 'object' }), tasks: arrayOf(ref('Task')), appointments: arrayOf({ type: 'object' }),
  }, ['events', 'tasks', 'appointments'])],
};
const absence = obj({
  id: str, staffId: str, staffName: strN, from: str, to: str, handover: str, coverStaffId: strN, coverStaffName: strN, returnOnEnd: bool,
  reason: { type: 'string', nullable: true, description: 'Only for team leaders, admins and the person on leave; null for others' },
  status: str, workflowId: strN, createdAt: strN,
}, ['id', 'staffId', 'from', 'to', 'status']);
const queue = obj({ id: str, name: str, kind: str, specialtyCode: strN, openItems: int, memberCount: int }, ['id', 'name', 'kind']);
const queueDetail: Schema = { allOf: [ref('Queue'), obj({ members: arrayOf(obj({ id: str, name: str, role: str })) }, ['members'])] };
const records: Record<string, Schema> = {
  patients: obj({ id: str, nhsNumber: str, givenName: str, familyName: str, name: str, dateOfBirth: str, postcode: strN, phone: strN, email: strN }, ['id', 'nhsNumber']),
  appointments: obj({
    id: str, referralId: strN, patientId: str, patientName: strN, nhsNumber: strN, clinicId: str, clinicName: strN, slotId: strN, start: str,
    kind: str, state: str, outcome: strN, bookedByName: strN, bookedAt: strN,
  }, ['id', 'state']),
  clinics: obj({ id: str, name: str, specialtyCode: str, specialtyName: strN, clinicianName: strN, site: strN, template: arrayOf({ type: 'object' }), freeSlots: int }, ['id', 'name']),
  slots: obj({ id: str, clinicId: str, clinicName: strN, start: str, end: str, type: str, status: str }, ['id', 'clinicId', 'start', 'status']),
  specialties: obj({ id: str, code: str, name: str }, ['id', 'code', 'name']),
  staff: obj({ id: str, name: str, email: str, role: str, active: bool, queueIds: arrayOf(str) }, ['id', 'name', 'role']),
};
const audit = obj({ id: str, at: str, actorId: strN, actorName: strN, action: str, entityType: str, entityId: str, before: anyValue, after: anyValue }, ['id', 'at', 'action']);
const staffMember = obj({ id: str, email: str, name: str, role: str }, ['id', 'email', 'name', 'role']);
const errorShape = obj({
  message: str, code: { type: 'string', description: 'One code per reason, SCREAMING_SNAKE (e.g. VALIDATION_FAILED, NOT_IN_QUEUE)' },
  errors: { type: 'object', additionalProperties: str, description: 'Field (dotted path) to what is wrong with it' },
}, ['message', 'code', 'errors']);

const schemaName: Record<string, string> = {
  referrals: 'Referral', tasks: 'Task', absences: 'Absence', queues: 'Queue', audit: 'AuditEntry',
  patients: 'Patient', appointments: 'Appointment', clinics: 'Clinic', slots: 'Slot', specialties: 'Specialty', staff: 'StaffRecord',
};

const body = (schema: z.ZodType) => ({
  required: true,
  content: { 'application/json': { schema: z.toJSONSchema(schema, { io: 'input', unrepresentable: 'any', target: 'openapi-3.0' }) } },
});
const jsonResponse = (description: string, schema: Schema, headers?: Schema) => ({ description, content: { 'application/json': { schema } }, ...(headers ? { headers } : {}) });
const errorResponse = (description: string) => jsonResponse(description, ref('Error'));
const errors = (...codes: number[]) => Object.fromEntries(codes.map((code) => [code, { $ref: `#/components/responses/E${code}` }]));
// Every signed-in route may answer these: invalid input, not signed in, not allowed, too large, not JSON.
const common = [400, 401, 403, 413, 415];
const idParam = (description: string, example?: string) => ({
  name: 'id', in: 'path', required: true, description, schema: { type: 'string', minLength: 1 }, ...(example ? { example } : {}),
});
// Ids of the reference data every installation has, so a fuzzer reaches past "not found".
const exampleIds: Record<string, string> = { queues: 'queue_101', staff: 'staff_officer', specialties: '101', clinics: 'clin_2' };

function list(resource: string, summary: string) {
  return {
    get: {
      summary, tags: [resource], operationId: `list_${resource}`,
      description: 'The react-admin list contract. Each query parameter is a JSON value written as a string.',
      parameters: [
        { name: 'sort', in: 'query', description: 'JSON ["field", "ASC" | "DESC"]; only listed fields may be sorted', schema: { type: 'string' }, example: '["id","ASC"]' },
        { name: 'range', in: 'query', description: `JSON [first, last], whole numbers, 0 <= first <= last <= ${MAX_LIST_OFFSET}; at most 1000 rows are returned`, schema: { type: 'string' }, example: '[0,24]' },
        { name: 'filter', in: 'query', description: 'JSON object; keys AND together, an array means IN, `q` searches text, _gte/_lte/_gt/_lt suffixes are ranges; values must be of the field\'s kind (enum values, YYYY-MM-DD dates, ISO date-times, numbers)', schema: { type: 'string' }, example: '{}' },
      ],
      responses: {
        200: jsonResponse('The records of the page', arrayOf(ref(schemaName[resource])), {
          'Content-Range': { description: `\`${resource} <first>-<last>/<total>\``, schema: { type: 'string' } },
        }),
        ...errors(...common),
      },
    },
  };
}
const show = (resource: string, summary: string, schema: Schema = ref(schemaName[resource])) => ({
  get: { summary, tags: [resource], operationId: `get_${resource}`, parameters: [idParam(`The ${resource} record's id`, exampleIds[resource])], responses: { 200: jsonResponse('The record', schema), ...errors(...common, 404) } },
});
type Operation = { summary: string; request?: z.ZodType; ok: Record<number, unknown>; also?: number[]; params?: unknown[]; public?: boolean };
function op(tag: string, id: string, o: Operation) {
  return {
    summary: o.summary, tags: [tag], operationId: id, ...(o.params ? { parameters: o.params } : {}),
    ...(o.request ? { requestBody: body(o.request) } : {}),
    responses: { ...o.ok, ...errors(...(o.public ? [400, 413, 415] : common), ...(o.also ?? [])) },
    ...(o.public ? { security: [] } : {}),
  };
}
const taskId = [idParam('The work item id (task_…)')];
const absenceId = [idParam('The absence id (abs_…)')];
const taskOk = { 200: jsonResponse('The work item as it now is', ref('Task')) };
const absenceOk = { 200: jsonResponse('The absence as it now is', ref('Absence')) };
const queueOk = { 200: jsonResponse('The queue and its members', ref('QueueDetail')) };

export function openApiDocument() {
  return {
    openapi: '3.0.3',
    info: {
      title: 'Access Desk API', version: '0.2.0',
      description: 'Referral-to-appointment pathways for an NHS access centre. Sign in with POST /api/auth/login; the session cookie '
        + `\`${SESSION_COOKIE}\` authenticates every other call. Errors are one JSON shape: { message, code, errors: { field: message } }.`,
    },
    security: [{ session: [] }],
    paths: {
      '/api/health': { get: { summary: 'Health of the API, database and Temporal', tags: ['operations'], operationId: 'health', security: [],
        responses: { 200: jsonResponse('All parts up', ref('Health')), 503: jsonResponse('A part is down', ref('Health')) } } },
      '/api/openapi.json': { get: { summary: 'This document', tags: ['operations'], operationId: 'openapi', security: [], responses: { 200: jsonResponse('OpenAPI 3.0', { type: 'object' }) } } },
      '/api/auth/login': { post: op('auth', 'login', { summary: 'Sign in; ends the person\'s other sessions', request: loginBody, public: true,
        ok: { 200: { ...jsonResponse('Signed in; session cookie set', ref('StaffMember')), headers: { 'Set-Cookie': { schema: { type: 'string' } } } } }, also: [401, 429] }) },
      '/api/auth/logout': { post: { summary: 'Sign out', tags: ['auth'], operationId: 'logout', security: [], responses: { 204: { description: 'Signed out' } } } },
      '/api/auth/me': { get: op('auth', 'me', { summary: 'Who is signed in, with the queues they work', ok: { 200: jsonResponse('The member of staff', ref('Me')) } }) },
      '/api/referrals': { ...list('referrals', 'List referrals'), post: op('referrals', 'register_referral', { summary: 'Register a referral', request: registerReferralBody,
        ok: { 201: jsonResponse('Registered; pathway started', ref('Referral')), 200: jsonResponse('Known UBRN: the existing referral', ref('Referral')) }, also: [409, 503] }) },
      '/api/referrals/{id}': show('referrals', 'A referral with its RTT clock, cancer targets and timeline', ref('ReferralDetail')),
      '/api/tasks': list('tasks', 'List work items'),
      '/api/tasks/claim-next': { post: op('tasks', 'claim_next', { summary: 'Claim the most urgent unassigned item of my queues', request: claimNextBody,
        ok: { 200: jsonResponse('The item, now mine', ref('Task')), 204: { description: 'Nothing waiting (or I am on leave)' } } }) },
      '/api/tasks/bulk-assign': { post: op('tasks', 'bulk_assign', { summary: 'Move many work items at once (team leaders)', request: bulkAssignBody,
        ok: { 200: jsonResponse('What moved', obj({ moved: int, ids: arrayOf(str) }, ['moved', 'ids'])) }, also: [422] }) },
      '/api/tasks/{id}': show('tasks', 'A work item'),
      '/api/tasks/{id}/complete': { post: op('tasks', 'complete_task', { summary: "Complete a work item with its type's outcome", params: taskId,
        request: z.union([triageOutcome, bookingOutcome, attendanceOutcome, dnaReviewOutcome, escalationOutcome]), ok: taskOk, also: [404, 409, 422, 503] }) },
      '/api/tasks/{id}/claim': { post: op('tasks', 'claim_task', { summary: 'Take a work item of a queue I work', params: taskId, ok: taskOk, also: [404, 409] }) },
      '/api/tasks/{id}/release': { post: op('tasks', 'release_task', { summary: 'Put a work item back in its queue', params: taskId, ok: taskOk, also: [404, 409] }) },
      '/api/tasks/{id}/snooze': { post: op('tasks', 'snooze_task', { summary: 'Hide a work item from claim-next until a date (at most 366 days ahead)', params: taskId,
        request: snoozeBody, ok: taskOk, also: [404, 409] }) },
      '/api/tasks/{id}/unsnooze': { post: op('tasks', 'unsnooze_task', { summary: 'Show a snoozed work item again', params: taskId, ok: taskOk, also: [404, 409] }) },
      '/api/tasks/{id}/assign': { post: op('tasks', 'assign_task', { summary: 'Move a work item to a person or queue (team leaders)', params: taskId,
        request: assignBody, ok: taskOk, also: [404, 409, 422] }) },
      '/api/absences': { ...list('absences', 'List staff leave'), post: op('absences', 'record_absence', { summary: 'Record leave with cover (team leaders)',
        request: createAbsenceBody, ok: { 201: jsonResponse('Recorded; its workflow started', ref('Absence')) }, also: [422, 503] }) },
      '/api/absences/preview': { post: op('absences', 'preview_absence', { summary: 'What would move if this leave were recorded', request: absencePreviewBody,
        ok: { 200: jsonResponse('The work that would move', obj({ count: int, items: arrayOf(ref('Task')) }, ['count', 'items'])) }, also: [422] }) },
      '/api/absences/{id}': { ...show('absences', 'A period of leave'), put: op('absences', 'change_absence', { summary: 'Shorten or extend leave (at most 366 days)',
        params: absenceId, request: changeAbsenceBody, ok: absenceOk, also: [404, 409, 422, 503] }) },
      '/api/absences/{id}/cancel': { post: op('absences', 'cancel_absence', { summary: 'Cancel leave; moved work goes back at once', params: absenceId, ok: absenceOk, also: [404, 409, 503] }) },
      '/api/queues': list('queues', 'List work queues'),
      '/api/queues/{id}': show('queues', 'A queue and who works it', ref('QueueDetail')),
      '/api/queues/{id}/members': { post: op('queues', 'add_queue_member', { summary: 'Add someone to a queue (team leaders)', params: [idParam('The queue id', 'queue_101')],
        request: memberBody, ok: queueOk, also: [404] }) },
      '/api/queues/{id}/members/{staffId}': { delete: op('queues', 'remove_queue_member', { summary: 'Take someone off a queue (team leaders)',
        params: [idParam('The queue id', 'queue_101'), { name: 'staffId', in: 'path', required: true, description: 'The member of staff', schema: { type: 'string', minLength: 1 }, example: 'staff_ops' }],
        ok: queueOk, also: [404] }) },
      '/api/audit': list('audit', 'The audit log (team leaders)'),
      '/api/dashboard': { get: op('team', 'dashboard', { summary: 'Team dashboard: per officer, per queue, and leave', ok: { 200: jsonResponse('Counts', ref('Dashboard')) } }) },
      ...Object.fromEntries(Object.keys(records).flatMap((r) => [[`/api/${r}`, list(r, `List ${r}`)], [`/api/${r}/{id}`, show(r, `One of ${r}`)]])),
    },
    components: {
      securitySchemes: { session: { type: 'apiKey', in: 'cookie', name: SESSION_COOKIE, description: 'Set by POST /api/auth/login; HttpOnly, SameSite=Lax' } },
      schemas: {
        Error: errorShape, Task: task, Referral: referral, ReferralDetail: referralDetail, Absence: absence, Queue: queue, QueueDetail: queueDetail,
        AuditEntry: audit, StaffMember: staffMember,
        Patient: records.patients, Appointment: records.appointments, Clinic: records.clinics, Slot: records.slots, Specialty: records.specialties, StaffRecord: records.staff,
        Me: { allOf: [ref('StaffMember'), obj({ queueIds: arrayOf(str) }, ['queueIds'])] },
        Health: obj({ status: str }, ['status']),
        Dashboard: obj({ officers: arrayOf({ type: 'object' }), queues: arrayOf({ type: 'object' }), absences: arrayOf(ref('Absence')) }, ['officers', 'queues', 'absences']),
      },
      responses: {
        E400: errorResponse('Invalid input; `errors` names each field'),
        E401: errorResponse('Not signed in, or the session has ended'),
        E403: errorResponse('Your role or your queues do not allow this'),
        E404: errorResponse('No such record'),
        E409: errorResponse('Conflict: taken, not open, or changed since you loaded it'),
        E413: errorResponse('The body is larger than allowed (100 kB; 1 MB for bulk moves)'),
        E415: errorResponse('The body is not application/json'),
        E422: errorResponse('A rule refuses it; `errors` names the field'),
        E429: { ...errorResponse('Too many failed sign-ins'), headers: { 'Retry-After': { description: 'Seconds to wait', schema: { type: 'integer' } } } },
        E503: errorResponse('Temporal is not reachable just now; nothing was changed'),
      },
    },
  };
}
