// Records as the API answers them: the OpenAPI document's response schemas and the console's types
// (admin-ui/src/types.ts imports the types only). Pure: no node:*, no db.
import { z } from '@hono/zod-openapi';
import {
  aisNeeds, cancellationParties, absenceHandovers, absenceStatuses, appointmentKinds, interpreterStatuses, appointmentStates, communicationMethods, fdsOutcomes, queueKinds, referralPriorities,
  referralSources, referralStates, roles, rttClockStatuses, slotStatuses, slotTypes, taskStatuses, taskTypes,
  commChannels, communicationStatuses, letterFormats, messageRecipients, messageTemplates,
  contactChannels, contactDirections, contactOutcomes, staffNotificationKinds,
} from '../domain/model';
import { clinicSessions, sessionChangeKinds, sessionChangeStatuses } from '../domain/model';

const str = z.string();
const strN = z.string().nullable();
const int = z.number().int();
const intN = z.number().int().nullable();
const anyJson = z.unknown();

export const role = z.enum(roles);
export const priority = z.enum(referralPriorities);

export const errorRecord = z.object({
  message: str,
  code: str.openapi({ description: 'One code per reason, SCREAMING_SNAKE (docs/api.md lists them)', example: 'VALIDATION_FAILED' }),
  errors: z.record(z.string(), z.string()).openapi({ description: 'Field (dotted path) to what is wrong with it' }),
  queues: z.array(z.object({ id: str, name: str })).optional()
    .openapi({ description: 'ASSIGNEE_NOT_IN_QUEUE only: the queues the person does not work (add them with POST /api/queues/{id}/members)' }),
}).openapi('Error');

// Communication needs (issue 12): the patient's whole record, and the flag every work list carries on its rows.
export const carerRecord = z.object({ name: str, relationship: str, phone: strN, email: strN }).openapi('Carer');
export const communicationPreferences = z.object({
  channels: z.array(z.enum(commChannels)).openapi({ description: 'How the patient wants to hear from us, in order of preference' }),
  aisNeeds: z.array(z.enum(aisNeeds)).openapi({ description: 'Accessible Information Standard needs' }),
  interpreterLanguage: strN.openapi({ description: 'A spoken-language interpreter, by language (BSL is an AIS need)' }),
  carer: carerRecord.nullable().openapi({ description: 'Contact via this carer' }),
}).openapi('CommunicationPreferences');
export const communicationNeeds = z.object({
  aisNeeds: z.array(z.enum(aisNeeds)), interpreterLanguage: strN, viaCarer: z.boolean(),
}).nullable().openapi('CommunicationNeeds', { description: 'The patient needs more than a standard letter or message; null when nothing is recorded' });

export const taskRecord = z.object({
  id: str, type: z.enum(taskTypes), title: str, status: z.enum(taskStatuses), priority, dueAt: strN, escalationLevel: int,
  queueId: str, queueName: strN, assigneeId: strN, assigneeName: strN, referralId: strN, patientId: strN, patientName: strN,
  nhsNumber: strN, specialtyCode: strN, workflowId: strN,
  payload: z.record(z.string(), anyJson), outcome: z.record(z.string(), anyJson).nullable(),
  version: int, createdAt: str, completedAt: strN, completedBy: strN,
  snoozedUntil: strN.openapi({ description: 'Hidden from claim-next until then; still open' }), snoozeReason: strN, breachDate: strN,
  communicationNeeds,
}).openapi('Task');

export const referralRecord = z.object({
  id: str, patientId: str, patientName: str, nhsNumber: str, source: z.enum(referralSources), ubrn: strN, receivedAt: str,
  specialtyCode: str, specialtyName: str, priority, clinicalPriority: priority.nullable(), reason: str, state: z.enum(referralStates),
  clinicId: strN, clinicName: strN, workflowId: str, clockStart: strN, breachDate: strN,
  rttStatus: z.enum(rttClockStatuses).nullable(), lastRttCode: intN, clockStop: strN, createdAt: str,
  daysWaited: intN, weekBand: intN, communicationNeeds,
}).openapi('Referral');
export const registeredReferral = referralRecord.extend({
  pathwayStarted: z.boolean().openapi({ description: 'false: saved, and its pathway starts as soon as Temporal answers' }),
}).openapi('RegisteredReferral');

export const patientRecord = z.object({
  id: str, nhsNumber: str, givenName: str, familyName: str, name: str, dateOfBirth: str, postcode: strN, phone: strN, email: strN,
  addressLines: z.array(str), communication: communicationPreferences, communicationNeeds,
  updatedAt: str.openapi({ description: 'Send it back with a change: a change made since is refused (STALE_VERSION)' }),
}).openapi('Patient');

export const appointmentRecord = z.object({
  id: str, referralId: str, patientId: str, patientName: str, nhsNumber: str, clinicId: str, clinicName: str, slotId: str,
  start: str, kind: z.enum(appointmentKinds), state: z.enum(appointmentStates), outcome: strN, bookedByName: strN, bookedAt: str,
  // A cancellation (issue 10): by whom, when, why (the note's text), what replaced it, the clinic session change behind it.
  cancelledBy: z.enum(cancellationParties).nullable(), cancelledAt: strN, cancelReason: strN, rebookedAppointmentId: strN, sessionChangeId: strN,
  // Issue 12: whether an interpreter is needed and booked, and the booking reference or note.
  interpreterStatus: z.enum(interpreterStatuses), interpreterNote: strN,
}).openapi('Appointment');

const referralEvent = z.object({
  id: str, at: str, date: str, kind: str, rttCode: intN, note: strN, actorName: strN,
});
const referralAppointment = appointmentRecord.pick({
  id: true, start: true, kind: true, state: true, outcome: true, clinicId: true, clinicName: true, slotId: true, bookedByName: true,
  interpreterStatus: true, interpreterNote: true,
}).extend({
  // The evidence a first-appointment DNA needs: when and how the patient was told.
  communicatedAt: strN, communicatedBy: z.enum(communicationMethods).nullable(),
});
export const referralDetail = referralRecord.extend({
  rtt: z.object({
    status: z.enum(rttClockStatuses), clockStart: str, lastCompliantDate: str, daysWaited: int, weekBand: int, breachDate: str,
  }).nullable(),
  cancer: z.object({
    uscFirstSeenTarget: strN, fdsTarget: strN, cancer62Target: strN, cancerClockStart: strN,
    fdsOutcome: z.enum(fdsOutcomes).nullable(), fdsCommunicatedOn: strN,
  }).nullable(),
  patient: patientRecord.extend({ createdAt: str }).nullable(),
  events: z.array(referralEvent),
  tasks: z.array(taskRecord),
  appointments: z.array(referralAppointment),
}).openapi('ReferralDetail');

// The outbox (issue 12): what was sent, or is waiting to be, to a patient, their carer or their referrer.
export const communicationRecord = z.object({
  id: str, patientId: str, referralId: strN, appointmentId: strN, channel: z.enum(commChannels), template: z.enum(messageTemplates),
  status: z.enum(communicationStatuses), notifyId: strN.openapi({ description: "GOV.UK Notify's id once sent" }),
  createdAt: str, sentAt: strN, deliveredAt: strN, failureReason: strN.openapi({ description: "Why it could not be delivered, in Notify's words" }),
  patientName: str, nhsNumber: str, recipient: z.enum(messageRecipients), format: z.enum(letterFormats), subject: strN,
  sendAfter: str.openapi({ description: 'Not sent before this (a reminder, or the next try after a failed one)' }), attempts: int,
}).openapi('Communication');
export const communicationDetail = communicationRecord.extend({
  body: str.openapi({ description: 'The words as sent (or to be sent)' }),
  personalisation: z.record(z.string(), z.string()).openapi({ description: 'The fields the words were made from' }),
}).openapi('CommunicationDetail');

// The patient page (issue 11): who they are, every pathway, appointments, what we sent them and their open work.
export const patientCommunication = communicationRecord;
export const patientDetail = patientRecord.extend({
  createdAt: str,
  referrals: z.array(referralRecord), appointments: z.array(appointmentRecord), communications: z.array(patientCommunication),
  openTasks: z.array(taskRecord),
}).openapi('PatientDetail');

export const absenceRecord = z.object({
  id: str, staffId: str, staffName: str, from: str, to: str, handover: z.enum(absenceHandovers), coverStaffId: strN, coverStaffName: strN,
  returnOnEnd: z.boolean(),
  reason: strN.openapi({ description: 'Only for team leaders, admins and the person on leave; null for others' }),
  status: z.enum(absenceStatuses), workflowId: str, createdAt: str,
}).openapi('Absence');
export const absencePreview = z.object({ count: int, items: z.array(taskRecord) }).openapi('AbsencePreview');

export const queueRecord = z.object({
  id: str, name: str, kind: z.enum(queueKinds), specialtyCode: strN,
  openItems: int.openapi({ description: 'Open and claimed items in the queue' }), memberCount: int,
}).openapi('Queue');
export const queueMember = z.object({ id: str, name: str, role });
export const queueDetail = queueRecord.extend({ members: z.array(queueMember) }).openapi('QueueDetail');

const clinicTemplateRow = z.object({
  weekday: int, start: str, slotMinutes: int, slotType: z.enum(slotTypes), count: int, effectiveFrom: str, effectiveTo: strN,
});
export const clinicRecord = z.object({
  id: str, name: str, specialtyCode: str, specialtyName: str, clinicianName: str, site: str,
  template: z.array(clinicTemplateRow).openapi({ description: 'The sessions of the template version in force today' }), freeSlots: int,
  slotTypes: z.array(z.enum(slotTypes)).openapi({ description: 'The slot types the clinic offers; its templates use only these' }),
  active: z.boolean(),
  currentVersion: intN.openapi({ description: 'The template version in force today; null before the first takes effect' }),
}).openapi('Clinic');
export const slotRecord = z.object({
  id: str, clinicId: str, clinicName: str, start: str, end: str, type: z.enum(slotTypes), status: z.enum(slotStatuses),
}).openapi('Slot');
export const specialtyRecord = z.object({ id: str, code: str, name: str }).openapi('Specialty');
export const staffRecord = z.object({
  id: str, name: str, email: str, role, active: z.boolean(), queueIds: z.array(str),
}).openapi('StaffRecord');

export const auditRecord = z.object({
  id: str, at: str, actorId: strN, actorName: strN, action: str, entityType: str, entityId: str, before: anyJson, after: anyJson,
  // Words for the entry (issue 11): the console says it as a sentence with these, never with ids.
  patientId: strN, patientName: strN, referralId: strN,
  entityLabel: strN.openapi({ description: 'The record in words: a work item title, a clinic and time, a person' }),
  names: z.record(z.string(), z.string()).openapi({ description: 'Names of the people, queues and clinics the before and after refer to, by id' }),
  leave: z.object({ staffId: str, staffName: str, reason: str, coverName: strN }).nullable()
    .openapi({ description: 'The leave behind a leave entry or a work item moved for leave' }),
}).openapi('AuditEntry');

export const staffMember = z.object({ id: str, email: str, name: str, role }).openapi('StaffMember');
export const me = staffMember.extend({
  queueIds: z.array(str),
  completableTypes: z.array(z.enum(taskTypes)).openapi({ description: 'The work item types my role may complete; others show read-only' }),
  leave: z.object({
    to: str.openapi({ description: 'The last day of the leave (YYYY-MM-DD)' }), reason: strN, handover: z.enum(absenceHandovers),
    coverStaffName: strN, message: str.openapi({ description: 'What the console says: "You are on annual leave until …"' }),
  }).nullable().openapi({ description: 'The leave I am on today; null at work' }),
}).openapi('Me');

export const health = z.object({
  status: str.openapi({ description: 'ok: the process answers (a liveness probe; the dependencies are /api/ready)' }),
}).openapi('Health');

export const readiness = z.object({
  // Plain strings, as health's were: the document's enums are the access model's lists (tests/api/access-model.test.ts).
  status: str.openapi({ description: 'ready or not_ready' }), db: str.openapi({ description: 'up or down' }), temporal: str.openapi({ description: 'up or down' }),
  migrations: str.openapi({ description: 'current; behind: run npm run migrate; unknown: the database did not answer' }),
  message: str.openapi({ description: 'What is down, in words' }),
}).openapi('Readiness');

export const dashboardOfficer = z.object({
  staffId: str, name: str, role, open: int, claimed: int, overdue: int, escalated: int, onLeave: z.boolean(),
  coveredBy: strN.openapi({ description: 'Who covers while they are away' }),
});
export const dashboardQueue = z.object({
  queueId: str, name: str, kind: str, depth: int, unassigned: int, overdue: int, oldestDueAt: strN, oldestCreatedAt: strN,
});
export const dashboard = z.object({
  officers: z.array(dashboardOfficer), queues: z.array(dashboardQueue),
  absences: z.array(absenceRecord.omit({ workflowId: true, createdAt: true })),
}).openapi('Dashboard');

export const bulkMoved = z.object({ moved: int, ids: z.array(str) }).openapi('BulkMoved');

export type {
  AbsenceHandover, AbsenceStatus, AppointmentState, ReferralSource, ReferralState, Role, SlotType, TaskStatus, TaskType,
} from '../domain/model';

export type ApiError = z.infer<typeof errorRecord>;
export type Task = z.infer<typeof taskRecord>;
export type Referral = z.infer<typeof referralRecord>;
export type RegisteredReferral = z.infer<typeof registeredReferral>;
export type ReferralDetail = z.infer<typeof referralDetail>;
export type ReferralEvent = z.infer<typeof referralEvent>;
export type Patient = z.infer<typeof patientRecord>;
export type CommunicationPreferences = z.infer<typeof communicationPreferences>;
export type CommunicationNeeds = z.infer<typeof communicationNeeds>;
export type Carer = z.infer<typeof carerRecord>;
export type PatientDetail = z.infer<typeof patientDetail>;
export type PatientCommunication = z.infer<typeof patientCommunication>;
export type Communication = z.infer<typeof communicationRecord>;
export type CommunicationDetail = z.infer<typeof communicationDetail>;
export type Appointment = z.infer<typeof appointmentRecord>;
export type Absence = z.infer<typeof absenceRecord>;
export type AbsencePreview = z.infer<typeof absencePreview>;
export type Queue = z.infer<typeof queueRecord>;
export type QueueMember = z.infer<typeof queueMember>;
export type QueueDetail = z.infer<typeof queueDetail>;
export type ClinicTemplateRow = z.infer<typeof clinicTemplateRow>;
export type Clinic = z.infer<typeof clinicRecord>;
export type Slot = z.infer<typeof slotRecord>;
export type Specialty = z.infer<typeof specialtyRecord>;
export type StaffRecord = z.infer<typeof staffRecord>;
export type AuditEntry = z.infer<typeof auditRecord>;
export type StaffMember = z.infer<typeof staffMember>;
export type Me = z.infer<typeof me>;
export type Health = z.infer<typeof health>;
export type DashboardOfficer = z.infer<typeof dashboardOfficer>;
export type DashboardQueue = z.infer<typeof dashboardQueue>;
export type Dashboard = z.infer<typeof dashboard>;
export type BulkMoved = z.infer<typeof bulkMoved>;

// The national returns (issue 9): the monthly RTT return and the weekly WLMDS summary.
// A string, not an enum: every enum in the document is one of the access model's lists (rttReturnParts is reporting's own).
const returnPart = str.openapi({ description: "The return's part: 1A, 1B, 2, 2A or 3 (rttReturnParts)", example: '2' });
export const rttReturnRow = z.object({
  part: returnPart, tfc: str.openapi({ description: 'Treatment function code of the return line (own code or X02…X06)', example: '101' }),
  bands: z.array(int).openapi({ description: '105 counts, one per week band in bandLabels order' }),
  unknown: int.openapi({ description: 'Periods with an unknown clock start (not banded; in total)' }),
  total: int, within18Weeks: int.openapi({ description: 'Known starts waiting 126 days or fewer' }),
});
const partTotal = z.object({ total: int, within18Weeks: int, percentWithin18Weeks: z.number().nullable().openapi({ description: 'within18Weeks ÷ known starts × 100, one decimal; null when none' }) });
export const rttReturn = z.object({
  month: str.openapi({ example: '2026-10' }), census: str.openapi({ description: 'Last day of the month', example: '2026-10-31' }),
  bandLabels: z.array(str), rows: z.array(rttReturnRow),
  totals: z.object({ '1A': partTotal, '1B': partTotal, '2': partTotal, '2A': partTotal, '3': partTotal }),
}).openapi('RttReturn');
export const wlmdsSummary = z.object({
  week: str.openapi({ example: '2026-W47' }), census: str, previousWeek: str, previousCensus: str,
  total: int.openapi({ description: 'Periods open at the census' }), joiners: int, leavers: int,
  leaversByReason: z.array(z.object({ reason: str, label: str, count: int })), changed: int,
  changedByField: z.array(z.object({ field: str, count: int })),
}).openapi('WlmdsSummary');

// Clinic session changes (issue 10).
const sessionChangeSlot = z.object({ id: str, start: str, clinicId: str, clinicName: str });
export const sessionChangePreview = z.object({
  clinicId: str, clinicName: str, date: str, session: z.enum(clinicSessions).nullable(), kind: z.enum(sessionChangeKinds),
  slotCount: int.openapi({ description: 'Slots taken out (free and booked)' }), withinNotice: z.boolean(), noticeDays: int,
  affected: z.array(z.object({
    position: int, appointmentId: str, referralId: str, patientName: str, nhsNumber: str, priority, breachDate: str,
    slotType: z.enum(slotTypes), currentStart: str, offeredSlot: sessionChangeSlot.nullable(), wouldBreach: z.boolean(),
  })),
  summary: z.object({ affected: int, wouldMove: int, wouldWait: int, atRisk: int }),
}).openapi('SessionChangePreview');
export const sessionChangeSummary = z.object({
  affected: int, cancelled: int, moved: int, waitingForSlot: int, atRisk: int,
  skipped: int.openapi({ description: 'Pathway ended or appointment changed before the change reached the patient' }),
  escalationTaskId: strN,
});
export const sessionChangeRecord = z.object({
  id: str, clinicId: str, clinicName: str, sessionDate: str, session: z.enum(clinicSessions).nullable(), kind: z.enum(sessionChangeKinds),
  status: z.enum(sessionChangeStatuses), reason: str, withinNotice: z.boolean(), slotIds: z.array(str), requestedByName: strN, confirmedByName: strN,
  createdAt: str, completedAt: strN, summary: sessionChangeSummary,
}).openapi('SessionChangeListed');
export const sessionChangeDetail = sessionChangeRecord.extend({
  patients: z.array(z.object({
    position: int, appointmentId: str, referralId: str, patientName: str, priority, breachDate: str,
    outcome: strN.openapi({ description: 'moved or waiting_for_slot (session change outcomes); null until done, or when skipped' }), newAppointmentId: strN, newStart: strN, newClinicName: strN, atRisk: z.boolean(), taskId: strN,
  })),
}).openapi('SessionChange');
export type SessionChangePreview = z.infer<typeof sessionChangePreview>;
export type SessionChange = z.infer<typeof sessionChangeDetail>;

// Patients hear from us (issue 12): the contact log, the staff inbox and the Enquiry screen.
export const contactRecord = z.object({
  id: str, patientId: str, patientName: str, nhsNumber: str, referralId: strN, specialtyName: strN,
  direction: z.enum(contactDirections), channel: z.enum(contactChannels), summary: str, outcome: z.enum(contactOutcomes),
  staffId: str, staffName: str, at: str,
}).openapi('Contact');
export type Contact = z.infer<typeof contactRecord>;

export const staffNotificationRecord = z.object({
  id: str, kind: z.enum(staffNotificationKinds), title: str, body: str, taskId: strN, referralId: strN,
  patientName: strN.openapi({ description: "The work item's patient, read when listed (never stored in the notification)" }),
  createdAt: str, readAt: strN, read: z.boolean(),
}).openapi('StaffNotification');
export type StaffNotification = z.infer<typeof staffNotificationRecord>;
export const notificationsRead = z.object({ read: int.openapi({ description: 'How many were unread and are now read' }) }).openapi('NotificationsRead');

const expectedWait = z.object({
  bookings: int.openapi({ description: 'First appointments the estimate is made from' }),
  medianDays: int.openapi({ description: 'Half of them were seen by this many days after their clock started' }),
  p92Days: int.openapi({ description: '92% were seen by this many days' }),
  expectedBy: str.openapi({ description: 'Clock start + median days' }), likelyBy: str.openapi({ description: 'Clock start + 92nd percentile days' }),
}).openapi({ description: 'An honest estimate, not a promise: null when too few recent first appointments to say' });
export const enquiryPathway = z.object({
  referralId: str, specialtyCode: str, specialtyName: str, priority, state: z.enum(referralStates), receivedAt: str,
  clockStart: strN, breachDate: strN, daysWaited: intN, weekBand: intN,
  nextAppointment: z.object({ id: str, start: str, clinicName: str, site: strN, kind: z.enum(appointmentKinds) }).nullable(),
  openWork: z.array(z.object({ id: str, title: str, status: z.enum(taskStatuses), assigneeName: strN, dueAt: strN })),
  expectedWait: expectedWait.nullable(),
});
export const enquiryPatient = patientRecord.extend({
  pathways: z.array(enquiryPathway),
  lastContacts: z.array(contactRecord).openapi({ description: 'The three most recent contacts' }),
}).openapi('EnquiryPatient');
export const enquiryResult = z.object({
  patients: z.array(enquiryPatient), total: int.openapi({ description: 'How many matched; at most 10 are answered' }),
  expectedWaitBasis: str.openapi({ description: 'What the expected waits are made from, in words' }),
}).openapi('EnquiryResult');
export type EnquiryResult = z.infer<typeof enquiryResult>;
export type EnquiryPatient = z.infer<typeof enquiryPatient>;
