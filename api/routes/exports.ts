// CSV exports of the console's lists: GET /api/<resource>.csv with the list's own filter, search and sort, every
// row (range is ignored), streamed. Columns in people's words; dates YYYY-MM-DD, times London 'YYYY-MM-DD HH:MM'.
// Who may read a list may export it: the same role checks, and the same per-person rules (leave reasons, "mine").
import { z, type OpenAPIHono } from '@hono/zod-openapi';
import type { MiddlewareHandler } from 'hono';
import {
  absenceStatusLabels, appointmentKindLabels, appointmentStateLabels, cancellationPartyLabels, clinicSessionLabels, handoverLabels,
  priorityLabels, queueKindLabels, referralSourceLabels, referralStateLabels, rttStatusLabels, sessionChangeKindLabels,
  sessionChangeStatusLabels, taskStatusLabels, taskTypeLabels, commChannelLabels, communicationStatusLabels, letterFormatLabels,
  messageRecipientLabels, messageTemplateLabels, admissionStatusLabels, intendedManagementLabels, preOpStatusLabels, theatreSessionKindLabels,
  wardFormStatusLabels,
} from '../../domain/labels';
import { admissionSpec, theatreSessionSpec } from './admitted';
import { standByListSpec } from './stand-by';
import { onlyFor } from '../auth';
import type { AppDeps, AppEnv } from '../context';
import { labelOf, listCsv, londonDateTime, yesNo, type CsvColumn } from '../csv';
import type { ListSpec } from '../list';
import { errors, listQuery, route, router, signedIn } from '../openapi';
import { absenceListSpec } from './absences';
import { communicationListSpec } from './communications';
import { queueSpec } from './queues';
import { referralListSpec } from './referrals';
import { specs as referenceSpecs } from './reference';
import { sessionChangeListSpec } from './session-changes';
import { mine, taskListSpec } from './tasks';
import { auditSpec } from './team';
import { cashUpListSpec } from './cash-up';
import { wardFormListSpec } from './ward-forms';

type Row = Record<string, unknown>;
const col = (header: string, key: string, format?: (v: unknown) => unknown, freeText = false): CsvColumn<Row> =>
  ({ header, value: (row) => (format ? format(row[key]) : row[key]), freeText });
const text = (header: string, key: string) => col(header, key, undefined, true);
const json = (v: unknown) => (v === null || v === undefined ? null : JSON.stringify(v));

export const csvColumns = {
  tasks: [
    text('Work item', 'title'), col('Type', 'type', labelOf(taskTypeLabels)), col('Status', 'status', labelOf(taskStatusLabels)),
    col('Priority', 'priority', labelOf(priorityLabels)), text('Patient', 'patientName'), col('NHS number', 'nhsNumber'),
    text('Queue', 'queueName'), text('Assigned to', 'assigneeName'), col('Due', 'dueAt', londonDateTime), col('Breach date', 'breachDate'),
    col('Escalation level', 'escalationLevel'), col('Snoozed until', 'snoozedUntil', londonDateTime), text('Snooze reason', 'snoozeReason'),
    col('Created', 'createdAt', londonDateTime), col('Completed', 'completedAt', londonDateTime), col('Work item id', 'id'),
  ],
  referrals: [
    text('Patient', 'patientName'), col('NHS number', 'nhsNumber'), col('Received', 'receivedAt'), col('Source', 'source', labelOf(referralSourceLabels)),
    col('UBRN', 'ubrn'), text('Specialty', 'specialtyName'), col('Priority', 'priority', labelOf(priorityLabels)),
    col('Clinical priority', 'clinicalPriority', labelOf(priorityLabels)), col('State', 'state', labelOf(referralStateLabels)),
    text('Clinic', 'clinicName'), col('Clock start', 'clockStart'), col('Days waited', 'daysWaited'), col('Breach date', 'breachDate'),
    col('RTT status', 'rttStatus', labelOf(rttStatusLabels)), text('Reason', 'reason'), col('Referral id', 'id'),
  ],
  patients: [
    text('Patient', 'name'), col('NHS number', 'nhsNumber'), col('Date of birth', 'dateOfBirth'), text('Postcode', 'postcode'),
    text('Phone', 'phone'), text('Email', 'email'), col('Patient id', 'id'),
  ],
  appointments: [
    col('Start', 'start', londonDateTime), text('Patient', 'patientName'), col('NHS number', 'nhsNumber'), text('Clinic', 'clinicName'),
    col('Kind', 'kind', labelOf(appointmentKindLabels)), col('State', 'state', labelOf(appointmentStateLabels)), text('Outcome', 'outcome'),
    text('Booked by', 'bookedByName'), col('Booked at', 'bookedAt', londonDateTime), col('Cancelled by', 'cancelledBy', labelOf(cancellationPartyLabels)),
    col('Cancelled at', 'cancelledAt', londonDateTime), text('Cancellation reason', 'cancelReason'), col('Appointment id', 'id'),
    col('Referral id', 'referralId'),
  ],
  clinics: [
    text('Clinic', 'name'), text('Specialty', 'specialtyName'), text('Clinician', 'clinicianName'), text('Site', 'site'),
    col('Free slots ahead', 'freeSlots'), col('Slot types', 'slotTypes', (v) => (Array.isArray(v) ? v.join('; ') : v)),
    col('Active', 'active', yesNo), col('Clinic id', 'id'),
  ],
  'session-changes': [
    text('Clinic', 'clinicName'), col('Session date', 'sessionDate'), col('Session', 'session', labelOf(clinicSessionLabels)),
    col('Change', 'kind', labelOf(sessionChangeKindLabels)), col('Status', 'status', labelOf(sessionChangeStatusLabels)), text('Reason', 'reason'),
    col('Within notice', 'withinNotice', yesNo), text('Requested by', 'requestedByName'), text('Confirmed by', 'confirmedByName'),
    col('Requested', 'createdAt', londonDateTime), col('Completed', 'completedAt', londonDateTime),
    { header: 'Patients affected', value: (r: Row) => (r.summary as Row | null)?.affected ?? null },
    { header: 'Moved', value: (r: Row) => (r.summary as Row | null)?.moved ?? null },
    { header: 'Waiting for a slot', value: (r: Row) => (r.summary as Row | null)?.waitingForSlot ?? null },
    col('Change id', 'id'),
  ],
  absences: [
    text('Person', 'staffName'), col('From', 'from'), col('To', 'to'), col('Handover', 'handover', labelOf(handoverLabels)),
    text('Cover', 'coverStaffName'), col('Hand back at the end', 'returnOnEnd', yesNo), text('Reason', 'reason'),
    col('Status', 'status', labelOf(absenceStatusLabels)), col('Leave id', 'id'),
  ],
  queues: [
    text('Queue', 'name'), col('Kind', 'kind', labelOf(queueKindLabels)), col('Specialty code', 'specialtyCode'),
    col('Open work items', 'openItems'), col('Members', 'memberCount'), col('Queue id', 'id'),
  ],
  communications: [
    col('Created', 'createdAt', londonDateTime), text('Patient', 'patientName'), col('NHS number', 'nhsNumber'),
    col('To', 'recipient', labelOf(messageRecipientLabels)), col('How', 'channel', labelOf(commChannelLabels)),
    col('Message', 'template', labelOf(messageTemplateLabels)), col('Format', 'format', labelOf(letterFormatLabels)), text('Subject', 'subject'),
    col('Status', 'status', labelOf(communicationStatusLabels)), text('Why not delivered', 'failureReason'),
    col('Send after', 'sendAfter', londonDateTime), col('Attempts', 'attempts'), col('Sent', 'sentAt', londonDateTime),
    col('Delivered', 'deliveredAt', londonDateTime), col('Notify id', 'notifyId'), col('Communication id', 'id'),
    col('Referral id', 'referralId'), col('Appointment id', 'appointmentId'),
  ],
  // Issue 15: the admitted waiting list (a PTL of admitted care) and theatre capacity.
  admissions: [
    text('Patient', 'patientName'), col('Specialty code', 'specialtyCode'), text('Procedure', 'procedure'),
    col('Management', 'intendedManagement', labelOf(intendedManagementLabels)), col('Surgical priority', 'surgicalPriority'),
    text('Consultant', 'consultantName'), col('Decided', 'decidedOn'), col('Target date', 'targetDate'), col('Breach date', 'breachDate'),
    col('Status', 'status', labelOf(admissionStatusLabels)), col('Pre-op', 'preOpStatus', labelOf(preOpStatusLabels)),
    col('Pre-op valid until', 'preOpValidUntil'), col('TCI date', 'tciDate'), text('Ward', 'ward'), col('Stand-by', 'standBy', yesNo),
    col('Declined reasonable offers', 'declinedReasonableOffers'), col('Admission id', 'id'), col('Referral id', 'referralId'),
  ],
  'theatre-sessions': [
    col('Date', 'date'), col('Session', 'session', labelOf(theatreSessionKindLabels)), text('List', 'listName'), col('Specialty code', 'specialtyCode'),
    text('Surgeon', 'surgeonName'), col('Minutes available', 'minutesAvailable'), col('Minutes booked', 'minutesBooked'),
    col('Minutes free', 'minutesFree'), col('Session id', 'id'),
  ],
  // Issue 16: ward forms and the clinics still to cash up.
  'ward-forms': [
    text('Patient', 'patientName'), col('NHS number', 'nhsNumber'), text('Ward', 'ward'), col('Discharged', 'dischargedOn'),
    col('Specialty code', 'specialtyCode'), text('Clinician', 'clinicianName'), col('Follow-up within weeks', 'followUpWithinWeeks'),
    col('Follow-up by', 'bookBy'), col('Tests before', 'testsBefore', (v) => (Array.isArray(v) ? v.join('; ') : v)),
    col('Interval met at receipt', 'intervalMet', yesNo), col('Where it stands', 'status', labelOf(wardFormStatusLabels)),
    col('Received', 'receivedAt', londonDateTime), col('Action by', 'dueAt', londonDateTime), col('Escalation level', 'escalationLevel'),
    col('Follow-up', 'appointmentStart', londonDateTime), col('Ward form id', 'id'), col('Referral id', 'referralId'),
  ],
  'cash-up': [
    col('Clinic date', 'date'), col('Session', 'session', labelOf(clinicSessionLabels)), text('Clinic', 'clinicName'),
    col('Specialty code', 'specialtyCode'), text('Clinician', 'clinicianName'), col('Without outcome', 'appointmentsWithoutOutcome'),
    col('First appointment', 'firstStart', londonDateTime), col('Escalation level', 'escalationLevel'), col('Clinic session id', 'id'),
  ],
  audit: [
    col('When', 'at', londonDateTime), text('Who', 'actorName'), col('Action', 'action'), col('Record type', 'entityType'),
    col('Record id', 'entityId'), col('Before', 'before', json, true), col('After', 'after', json, true),
  ],
} satisfies Record<string, CsvColumn<Row>[]>;

const csvRoute = (path: string, name: string, list: string, columns: CsvColumn<Row>[], middleware?: MiddlewareHandler<AppEnv>) => route({
  method: 'get', path, tags: ['exports'], operationId: `export_${name}`, summary: `${list} as CSV (the list's filters and order, every row)`,
  description: `Header: ${columns.map((c) => c.header).join(', ')}. Dates YYYY-MM-DD, times London YYYY-MM-DD HH:MM. `
    + `sort, filter and q as for the list; range is ignored. Text starting with = + - @ is prefixed with ' (no formulas).`,
  ...(middleware ? { middleware } : {}),
  request: { query: listQuery },
  responses: { 200: { description: 'CSV, one line per row', content: { 'text/csv': { schema: z.string() } } }, ...errors(...signedIn) },
});

export function exportRoutes(deps: AppDeps & { today: () => string }): OpenAPIHono<AppEnv> {
  const { db } = deps;
  const file = (name: string) => `${name}-${deps.today()}.csv`;
  const ref = (resource: 'patients' | 'appointments' | 'clinics') => referenceSpecs[resource] as ListSpec<Row>;
  return router()
    .openapi(csvRoute('/tasks.csv', 'tasks', 'Work items', csvColumns.tasks), (c) =>
      listCsv(c, db, { ...taskListSpec, custom: { ...taskListSpec.custom, mine: mine(c.get('staff'), new Date((deps.now ?? Date.now)())) } }, csvColumns.tasks, { filename: file('work-items') }))
    .openapi(csvRoute('/referrals.csv', 'referrals', 'Referrals', csvColumns.referrals), (c) =>
      listCsv(c, db, referralListSpec(deps.today()), csvColumns.referrals, { filename: file('referrals') }))
    .openapi(csvRoute('/patients.csv', 'patients', 'Patients', csvColumns.patients), (c) =>
      listCsv(c, db, ref('patients'), csvColumns.patients, { filename: file('patients') }))
    .openapi(csvRoute('/appointments.csv', 'appointments', 'Appointments', csvColumns.appointments), (c) =>
      listCsv(c, db, ref('appointments'), csvColumns.appointments, { filename: file('appointments') }))
    .openapi(csvRoute('/clinics.csv', 'clinics', 'Clinics', csvColumns.clinics), (c) =>
      listCsv(c, db, ref('clinics'), csvColumns.clinics, { filename: file('clinics') }))
    .openapi(csvRoute('/clinic-sessions/changes.csv', 'clinic_session_changes', 'Clinic session changes', csvColumns['session-changes']), (c) =>
      listCsv(c, db, sessionChangeListSpec as ListSpec<Row>, csvColumns['session-changes'], { filename: file('session-changes') }))
    .openapi(csvRoute('/absences.csv', 'absences', 'Staff leave', csvColumns.absences), (c) =>
      listCsv(c, db, absenceListSpec(c.get('staff')) as ListSpec<Row>, csvColumns.absences, { filename: file('leave') }))
    .openapi(csvRoute('/queues.csv', 'queues', 'Queues', csvColumns.queues), (c) =>
      listCsv(c, db, queueSpec, csvColumns.queues, { filename: file('queues') }))
    .openapi(csvRoute('/communications.csv', 'communications', 'Letters, texts and emails (the outbox)', csvColumns.communications), (c) =>
      listCsv(c, db, communicationListSpec, csvColumns.communications, { filename: file('outbox') }))
    .openapi(csvRoute('/admissions.csv', 'admissions', 'The admitted waiting list', csvColumns.admissions), (c) =>
      listCsv(c, db, admissionSpec(deps.today()) as unknown as ListSpec<Row>, csvColumns.admissions, { filename: file('admitted-waiting-list') }))
    .openapi(csvRoute('/stand-by.csv', 'stand_by', 'The stand-by list', csvColumns.admissions), (c) =>
      listCsv(c, db, standByListSpec(deps.today()), csvColumns.admissions, { filename: file('stand-by-list'), extraFilter: { onStandByList: true } }))
    .openapi(csvRoute('/theatre-sessions.csv', 'theatre_sessions', 'Theatre sessions', csvColumns['theatre-sessions']), (c) =>
      listCsv(c, db, theatreSessionSpec as unknown as ListSpec<Row>, csvColumns['theatre-sessions'], { filename: file('theatre-sessions') }))
    .openapi(csvRoute('/ward-forms.csv', 'ward_forms', 'Ward forms', csvColumns['ward-forms']), (c) =>
      listCsv(c, db, wardFormListSpec, csvColumns['ward-forms'], { filename: file('ward-forms') }))
    .openapi(csvRoute('/cash-up.csv', 'cash_up', 'Clinics to cash up (no outcome 48 hours on)', csvColumns['cash-up']), (c) =>
      listCsv(c, db, cashUpListSpec((deps.now ?? Date.now)()), csvColumns['cash-up'], { filename: file('cash-up') }))
    .openapi(csvRoute('/audit.csv', 'audit', 'The audit log', csvColumns.audit, onlyFor(['team_leader', 'admin'], 'read the audit log')), (c) =>
      listCsv(c, db, auditSpec, csvColumns.audit, { filename: file('audit-log') }));
}
