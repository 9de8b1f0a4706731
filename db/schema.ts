// The access centre's records. Temporal owns where a pathway is; these tables own what people see.
import { sql } from 'drizzle-orm';
import {
  bigserial, boolean, check, customType, date, doublePrecision, index, integer, jsonb, pgEnum, pgTable, primaryKey, text, timestamp, uniqueIndex,
} from 'drizzle-orm/pg-core';
import {
  cancellationParties, clinicalReviewReasons, clinicSessions, offerStatuses, sessionChangeKinds, sessionChangeOutcomes, sessionChangeStatuses,
  absenceHandovers, absenceStatuses, appointmentKinds, appointmentStates, commChannels, communicationMethods, fdsOutcomes, queueKinds,
  referralPriorities, referralSources, referralStates, roles, rttClockStatuses, rttEventCauses, rttPeriodStatuses, slotStatuses, slotTypes,
  taskStatuses, taskTypes, aisNeeds, communicationStatuses, messageTemplates, messageRecipients, letterFormats, interpreterStatuses,
  contactDirections, contactChannels, contactOutcomes, staffNotificationKinds, importStatuses, hl7Events, hl7Statuses,
  ersOutcomeActions, ersOutcomeStatuses, ersDocumentKinds,
  intendedManagements, surgicalPriorities, admissionStatuses, preOpStatuses, theatreSessionKinds, tciChannels, tciOfferStatuses,
  cancelledOperationStatuses, partialBookingStatuses, pifuExpiryActions, attendanceSettings,
  forecastStages, capacityTypes, forecastTargets,
} from '../domain/model';
import type { Hl7Content } from '../domain/hl7';
import type { ImportError } from '../domain/import';

/** A referrer as a referral names them: a practice or clinician, reached by email (NHSmail) or post. */
export type Referrer = { name: string; organisation: string | null; odsCode: string | null; email: string | null; addressLines: string[]; postcode: string | null };

const createdAt = () => timestamp('created_at', { withTimezone: true }).notNull().defaultNow();
const updatedAt = () => timestamp('updated_at', { withTimezone: true }).notNull().defaultNow();

// Enums from the domain's lists: the database holds exactly the values the code knows (tests/api/access-model.test.ts).
export const staffRole = pgEnum('staff_role', roles);
export const referralSource = pgEnum('referral_source', referralSources);
export const referralPriority = pgEnum('referral_priority', referralPriorities);
export const referralState = pgEnum('referral_state', referralStates);
export const rttClockStatus = pgEnum('rtt_clock_status', rttClockStatuses);
export const slotType = pgEnum('slot_type', slotTypes);
export const slotStatus = pgEnum('slot_status', slotStatuses);
export const appointmentKind = pgEnum('appointment_kind', appointmentKinds);
export const appointmentState = pgEnum('appointment_state', appointmentStates);
export const taskType = pgEnum('task_type', taskTypes);
export const taskStatus = pgEnum('task_status', taskStatuses);
export const queueKind = pgEnum('queue_kind', queueKinds);
export const absenceStatus = pgEnum('absence_status', absenceStatuses);
export const absenceHandover = pgEnum('absence_handover', absenceHandovers);
export const commChannel = pgEnum('comm_channel', commChannels);
export const communicationMethod = pgEnum('communication_method', communicationMethods);
export const aisNeed = pgEnum('ais_need', aisNeeds);
export const communicationStatus = pgEnum('communication_status', communicationStatuses);
export const messageTemplate = pgEnum('message_template', messageTemplates);
export const messageRecipient = pgEnum('message_recipient', messageRecipients);
export const letterFormat = pgEnum('letter_format', letterFormats);
export const interpreterStatus = pgEnum('interpreter_status', interpreterStatuses);
export const contactDirection = pgEnum('contact_direction', contactDirections);
export const contactChannel = pgEnum('contact_channel', contactChannels);
export const contactOutcome = pgEnum('contact_outcome', contactOutcomes);
export const staffNotificationKind = pgEnum('staff_notification_kind', staffNotificationKinds);
export const importStatus = pgEnum('import_status', importStatuses);
export const hl7Event = pgEnum('hl7_event', hl7Events);
export const hl7Status = pgEnum('hl7_status', hl7Statuses);
export const rttPeriodStatus = pgEnum('rtt_period_status', rttPeriodStatuses);
export const rttEventCause = pgEnum('rtt_event_cause', rttEventCauses);
export const fdsOutcome = pgEnum('fds_outcome', fdsOutcomes);
export const cancellationParty = pgEnum('cancellation_party', cancellationParties);
export const offerStatus = pgEnum('offer_status', offerStatuses);
export const clinicalReviewReason = pgEnum('clinical_review_reason', clinicalReviewReasons);
export const clinicSession = pgEnum('clinic_session', clinicSessions);
export const sessionChangeKind = pgEnum('session_change_kind', sessionChangeKinds);
export const sessionChangeStatus = pgEnum('session_change_status', sessionChangeStatuses);
export const sessionChangeOutcome = pgEnum('session_change_outcome', sessionChangeOutcomes);
export const ersOutcomeAction = pgEnum('ers_outcome_action', ersOutcomeActions);
export const ersOutcomeStatus = pgEnum('ers_outcome_status', ersOutcomeStatuses);
export const ersDocumentKind = pgEnum('ers_document_kind', ersDocumentKinds);
export const intendedManagement = pgEnum('intended_management', intendedManagements);
export const surgicalPriority = pgEnum('surgical_priority', surgicalPriorities);
export const admissionStatus = pgEnum('admission_status', admissionStatuses);
export const preOpStatus = pgEnum('pre_op_status', preOpStatuses);
export const theatreSessionKind = pgEnum('theatre_session_kind', theatreSessionKinds);
export const tciChannel = pgEnum('tci_channel', tciChannels);
export const tciOfferStatus = pgEnum('tci_offer_status', tciOfferStatuses);
export const pifuExpiryAction = pgEnum('pifu_expiry_action', pifuExpiryActions);
export const attendanceSetting = pgEnum('attendance_setting', attendanceSettings);

const bytea = customType<{ data: Uint8Array; driverData: Uint8Array }>({ dataType: () => 'bytea' });

export const staff = pgTable('staff', {
  id: text('id').primaryKey(),
  email: text('email').notNull().unique(),
  name: text('name').notNull(),
  role: staffRole('role').notNull(),
  passwordHash: text('password_hash').notNull(),
  active: boolean('active').notNull().default(true),
  createdAt: createdAt(),
});

export const sessions = pgTable('sessions', {
  id: text('id').primaryKey(), // sha-256 of the cookie token: a stolen table is no use as cookies
  staffId: text('staff_id').notNull().references(() => staff.id),
  expiresAt: timestamp('expires_at', { withTimezone: true }).notNull(),
  createdAt: createdAt(),
}, (t) => [index('sessions_staff').on(t.staffId), index('sessions_expires_at').on(t.expiresAt)]);

/** Failed sign-ins of the last day, by email and by address: the lockout counts them across API processes. */
export const signInFailures = pgTable('sign_in_failures', {
  id: bigserial('id', { mode: 'number' }).primaryKey(),
  email: text('email').notNull(),
  ip: text('ip').notNull(),
  at: timestamp('at', { withTimezone: true }).notNull().defaultNow(),
}, (t) => [index('sign_in_failures_email_at').on(t.email, t.at), index('sign_in_failures_ip_at').on(t.ip, t.at)]);

export const specialties = pgTable('specialties', {
  code: text('code').primaryKey(), // NHS treatment function code
  name: text('name').notNull(),
});

export const queues = pgTable('queues', {
  id: text('id').primaryKey(),
  name: text('name').notNull(),
  kind: queueKind('kind').notNull(),
  specialtyCode: text('specialty_code').references(() => specialties.code),
}, (t) => [uniqueIndex('queues_kind_specialty').on(t.kind, sql`coalesce(${t.specialtyCode}, '')`)]);

export const queueMembers = pgTable('queue_members', {
  queueId: text('queue_id').notNull().references(() => queues.id),
  staffId: text('staff_id').notNull().references(() => staff.id),
}, (t) => [primaryKey({ columns: [t.queueId, t.staffId] }), index('queue_members_staff').on(t.staffId)]);

export const patients = pgTable('patients', {
  id: text('id').primaryKey(),
  nhsNumber: text('nhs_number').notNull().unique(),
  givenName: text('given_name').notNull(),
  familyName: text('family_name').notNull(),
  dateOfBirth: date('date_of_birth', { mode: 'string' }).notNull(),
  postcode: text('postcode'),
  phone: text('phone'),
  email: text('email'),
  // Communication needs (issue 12): where letters go, how they want to hear from us (in order; sms and email only
  // with their consent), Accessible Information Standard needs, a spoken-language interpreter, a carer as contact.
  addressLines: text('address_lines').array().notNull().default(sql`'{}'::text[]`),
  channels: commChannel('channels').array().notNull().default(sql`'{letter}'::comm_channel[]`),
  aisNeeds: aisNeed('ais_needs').array().notNull().default(sql`'{}'::ais_need[]`),
  interpreterLanguage: text('interpreter_language'),
  carer: jsonb('carer').$type<{ name: string; relationship: string; phone: string | null; email: string | null } | null>(),
  createdAt: createdAt(),
  updatedAt: updatedAt(),
}, (t) => [index('patients_family_name').on(t.familyName)]);

export const clinics = pgTable('clinics', {
  id: text('id').primaryKey(),
  name: text('name').notNull(),
  specialtyCode: text('specialty_code').notNull().references(() => specialties.code),
  clinicianName: text('clinician_name').notNull(),
  site: text('site').notNull(),
  // The slot types this clinic offers (issue 10): its templates may only use these.
  slotTypes: slotType('slot_types').array().notNull().default(sql`'{new,follow_up,urgent,two_week_wait}'::slot_type[]`),
  active: boolean('active').notNull().default(true),
  createdAt: createdAt(),
  updatedAt: updatedAt(),
});

// A clinic's weekly template, versioned (issue 10): the version in force on a date is the one with the latest
// effective_from on or before it. Its sessions are the clinic_templates rows that name it.
export const clinicTemplateVersions = pgTable('clinic_template_versions', {
  id: text('id').primaryKey(),
  clinicId: text('clinic_id').notNull().references(() => clinics.id),
  version: integer('version').notNull(), // 1, 2, … within the clinic
  effectiveFrom: date('effective_from', { mode: 'string' }).notNull(),
  // Inside the notice period: a team leader confirmed it, and it is reported.
  withinNotice: boolean('within_notice').notNull().default(false),
  confirmedBy: text('confirmed_by').references(() => staff.id),
  // What applying it did: slots added, free slots removed, booked slots it would remove (proposed session changes).
  reconciliation: jsonb('reconciliation'),
  reconciledAt: timestamp('reconciled_at', { withTimezone: true }),
  createdBy: text('created_by').references(() => staff.id),
  createdAt: createdAt(),
}, (t) => [uniqueIndex('clinic_template_versions_clinic_version').on(t.clinicId, t.version), index('clinic_template_versions_effective').on(t.clinicId, t.effectiveFrom)]);

export const clinicTemplates = pgTable('clinic_templates', {
  id: text('id').primaryKey(),
  clinicId: text('clinic_id').notNull().references(() => clinics.id),
  weekday: integer('weekday').notNull(), // 1 Monday … 7 Sunday (ISO)
  startTime: text('start_time').notNull(), // HH:MM, trust local time
  slotMinutes: integer('slot_minutes').notNull(),
  slotType: slotType('slot_type').notNull(),
  slotCount: integer('slot_count').notNull(),
  effectiveFrom: date('effective_from', { mode: 'string' }).notNull(),
  effectiveTo: date('effective_to', { mode: 'string' }),
  versionId: text('version_id').references(() => clinicTemplateVersions.id),
}, (t) => [index('clinic_templates_version').on(t.versionId)]);

export const slots = pgTable('slots', {
  id: text('id').primaryKey(),
  clinicId: text('clinic_id').notNull().references(() => clinics.id),
  start: timestamp('start', { withTimezone: true }).notNull(),
  end: timestamp('end', { withTimezone: true }).notNull(),
  type: slotType('type').notNull(),
  status: slotStatus('status').notNull().default('free'),
}, (t) => [
  uniqueIndex('slots_clinic_start').on(t.clinicId, t.start),
  index('slots_free').on(t.clinicId, t.type, t.start).where(sql`status = 'free'`),
]);

export const referrals = pgTable('referrals', {
  id: text('id').primaryKey(),
  patientId: text('patient_id').notNull().references(() => patients.id),
  source: referralSource('source').notNull(),
  ubrn: text('ubrn').unique(),
  receivedAt: date('received_at', { mode: 'string' }).notNull(),
  specialtyCode: text('specialty_code').notNull().references(() => specialties.code),
  priority: referralPriority('priority').notNull(),
  clinicalPriority: referralPriority('clinical_priority'),
  reason: text('reason').notNull(),
  // Who referred (issue 12): where the notice goes when the referral is returned.
  referrer: jsonb('referrer').$type<Referrer | null>(),
  state: referralState('state').notNull().default('awaiting_triage'),
  clinicId: text('clinic_id').references(() => clinics.id),
  workflowId: text('workflow_id').notNull(),
  pathwayStarted: boolean('pathway_started').notNull().default(false),
  // Go-live (issue 13): the previous PAS's local pathway id (PPID) and the import that brought it; a second
  // import of the same row finds it by PPID (or UBRN) and changes nothing.
  pathwayId: text('pathway_id').unique(),
  importId: text('import_id'),
  createdBy: text('created_by').references(() => staff.id),
  createdAt: createdAt(),
  updatedAt: updatedAt(),
}, (t) => [
  index('referrals_state').on(t.state),
  index('referrals_patient').on(t.patientId),
  index('referrals_received').on(t.receivedAt),
]);

export const pathways = pgTable('pathways', {
  referralId: text('referral_id').primaryKey().references(() => referrals.id),
  rttStatus: rttClockStatus('rtt_status').notNull(),
  clockStart: date('clock_start', { mode: 'string' }).notNull(),
  clockStop: date('clock_stop', { mode: 'string' }),
  lastRttCode: integer('last_rtt_code').notNull(),
  breachDate: date('breach_date', { mode: 'string' }).notNull(),
  uscFirstSeenTarget: date('usc_first_seen_target', { mode: 'string' }),
  fdsTarget: date('fds_target', { mode: 'string' }),
  cancer62Target: date('cancer62_target', { mode: 'string' }),
  // Cancer: the 28-day FDS outcome as told to the patient, and the date the cancer clocks count from
  // (received, or the date a clinician upgraded the referral to two-week wait).
  cancerClockStart: date('cancer_clock_start', { mode: 'string' }),
  fdsOutcome: fdsOutcome('fds_outcome'),
  fdsCommunicatedOn: date('fds_communicated_on', { mode: 'string' }),
  // Waiting-list validation (12, 26, 52 weeks, then every 12): when last validated and by whom.
  lastValidatedAt: timestamp('last_validated_at', { withTimezone: true }),
  lastValidatedBy: text('last_validated_by').references(() => staff.id),
  // Issue 16: on patient-initiated follow-up until this date, and what happens then; null when not on PIFU.
  pifuExpiresOn: date('pifu_expires_on', { mode: 'string' }),
  pifuAtExpiry: pifuExpiryAction('pifu_at_expiry'),
  updatedAt: updatedAt(),
}, (t) => [
  index('pathways_pifu').on(t.pifuExpiresOn).where(sql`pifu_expires_on is not null`),
]);

// Issue 16: a patient seen outside a booked clinic (on a ward, by phone or video), recorded after the fact. No slot: the
// outcome is recorded through the pathway like a clinic outcome, and `rtt_code` is the status the clinician gave.
export const attendances = pgTable('attendances', {
  id: text('id').primaryKey(),
  referralId: text('referral_id').notNull().references(() => referrals.id),
  patientId: text('patient_id').notNull().references(() => patients.id),
  attendedOn: date('attended_on', { mode: 'string' }).notNull(),
  clinicianId: text('clinician_id').notNull().references(() => staff.id),
  setting: attendanceSetting('setting').notNull(),
  outcome: text('outcome').notNull(),
  followUpWeeks: integer('follow_up_weeks'),
  rttCode: integer('rtt_code').notNull(),
  // The pathway change that recorded it: a retried activity finds the row and writes no second one.
  changeKey: text('change_key').notNull().unique(),
  recordedBy: text('recorded_by').references(() => staff.id),
  createdAt: createdAt(),
}, (t) => [index('attendances_referral').on(t.referralId, t.attendedOn)]);

// One row per RTT period of a referral, kept by the activities from the dated RTT events in the same
// transaction: what the PTL lists (running periods) and the returns count (starts, stops, census).
export const rttPeriods = pgTable('rtt_periods', {
  id: bigserial('id', { mode: 'number' }).primaryKey(),
  referralId: text('referral_id').notNull().references(() => referrals.id),
  periodNo: integer('period_no').notNull(), // 1, 2, … within the referral
  status: rttPeriodStatus('status').notNull(),
  clockStart: date('clock_start', { mode: 'string' }).notNull(),
  startCode: integer('start_code').notNull(), // 10, 11 or 12
  startKnown: boolean('start_known').notNull().default(true), // false: reported in the return's "unknown" column
  // The PTL orders by this: a new period after active monitoring (11) keeps its original clock-start order.
  ptlOrderStart: date('ptl_order_start', { mode: 'string' }).notNull(),
  clockStop: date('clock_stop', { mode: 'string' }), // stop, nullification or transfer date
  stopCode: integer('stop_code'),
  stopAdmitted: boolean('stop_admitted').notNull().default(false), // stopped by treatment on admission: Part 1A
  decisionToAdmitOn: date('decision_to_admit_on', { mode: 'string' }), // Part 2A from this date
  lastCode: integer('last_code').notNull(),
  lastEventOn: date('last_event_on', { mode: 'string' }).notNull(),
}, (t) => [
  uniqueIndex('rtt_periods_referral_period').on(t.referralId, t.periodNo),
  index('rtt_periods_open').on(t.ptlOrderStart, t.id).where(sql`status = 'running'`),
  index('rtt_periods_start').on(t.clockStart),
  index('rtt_periods_stop').on(t.clockStop),
  // The PTL's patients on active monitoring (clock stopped by 31/32), listed when its stage filter asks.
  index('rtt_periods_monitoring').on(t.clockStop).where(sql`stop_code in (31, 32)`),
]);

// Every RTT status event, dated, with what caused it and the rule that decided it: the clock's explanation.
export const rttEvents = pgTable('rtt_events', {
  id: bigserial('id', { mode: 'number' }).primaryKey(),
  referralId: text('referral_id').notNull().references(() => referrals.id),
  periodNo: integer('period_no').notNull(),
  code: integer('code').notNull(),
  eventDate: date('event_date', { mode: 'string' }).notNull(),
  cause: rttEventCause('cause').notNull(),
  appointmentId: text('appointment_id'),
  taskId: text('task_id'),
  outcome: text('outcome'), // the decision behind it, e.g. treated, did_not_attend, still_waiting
  actorId: text('actor_id').references(() => staff.id),
  rule: text('rule').notNull(),
  policyVersion: text('policy_version').notNull(),
  noteId: text('note_id'),
  changeKey: text('change_key'), // the pathway change that recorded it
  recordedAt: timestamp('recorded_at', { withTimezone: true }).notNull().defaultNow(),
}, (t) => [index('rtt_events_referral').on(t.referralId, t.id), index('rtt_events_date').on(t.eventDate)]);

export const pathwayEvents = pgTable('pathway_events', {
  id: bigserial('id', { mode: 'number' }).primaryKey(),
  referralId: text('referral_id').notNull().references(() => referrals.id),
  kind: text('kind').notNull(),
  rttCode: integer('rtt_code'),
  eventDate: date('event_date', { mode: 'string' }).notNull(),
  note: text('note'),
  actorId: text('actor_id').references(() => staff.id),
  at: timestamp('at', { withTimezone: true }).notNull().defaultNow(),
}, (t) => [index('pathway_events_referral').on(t.referralId, t.id)]);

// One row per pathway transition the worker has applied: the idempotency key that makes a retried
// activity a no-op and hands back what the first attempt did.
export const pathwayChanges = pgTable('pathway_changes', {
  changeKey: text('change_key').primaryKey(),
  referralId: text('referral_id').notNull(),
  result: jsonb('result').notNull(),
  appliedAt: timestamp('applied_at', { withTimezone: true }).notNull().defaultNow(),
});

export const appointments = pgTable('appointments', {
  id: text('id').primaryKey(),
  referralId: text('referral_id').notNull().references(() => referrals.id),
  patientId: text('patient_id').notNull().references(() => patients.id),
  slotId: text('slot_id').notNull().references(() => slots.id),
  clinicId: text('clinic_id').notNull().references(() => clinics.id),
  start: timestamp('start', { withTimezone: true }).notNull(),
  kind: appointmentKind('kind').notNull(),
  state: appointmentState('state').notNull().default('booked'),
  outcome: text('outcome'),
  // How and when the patient was told: the evidence a first-appointment DNA needs to nullify the clock.
  communicatedAt: timestamp('communicated_at', { withTimezone: true }),
  communicatedBy: communicationMethod('communicated_by'),
  bookedBy: text('booked_by').references(() => staff.id),
  bookedAt: timestamp('booked_at', { withTimezone: true }).notNull().defaultNow(),
  // A cancellation (issue 10): by whom, when, why (a note: it can name the patient), what replaced it, and the
  // clinic session change that caused it. The RTT clock is not touched by any of these.
  cancelledBy: cancellationParty('cancelled_by'),
  cancelledAt: timestamp('cancelled_at', { withTimezone: true }),
  cancelledByStaff: text('cancelled_by_staff').references(() => staff.id),
  cancelNoteId: text('cancel_note_id'),
  rebookedAppointmentId: text('rebooked_appointment_id'),
  sessionChangeId: text('session_change_id'),
  // Issue 12: an interpreter (spoken language or BSL) for this appointment, and whether one is booked.
  interpreterStatus: interpreterStatus('interpreter_status').notNull().default('not_needed'),
  interpreterNote: text('interpreter_note'),
}, (t) => [
  uniqueIndex('appointments_one_per_slot').on(t.slotId).where(sql`state = 'booked'`),
  // Every appointment of a slot, whatever its state: a slot a template no longer wants is deleted only when
  // nothing names it, and deleting checks the foreign key (issue 10).
  index('appointments_slot').on(t.slotId),
  index('appointments_referral').on(t.referralId),
  // The PTL's next event: a referral's first booked appointment from a date on.
  index('appointments_booked_referral_start').on(t.referralId, t.start).where(sql`state = 'booked'`),
]);

// Dates offered to a patient (issue 10), with whether each was reasonable (isReasonableOffer) when made. Two
// declined reasonable offers raise a clinical review [A RTT-Rec25 v4.0, rules §1.4, §4.1].
export const offers = pgTable('offers', {
  id: text('id').primaryKey(),
  referralId: text('referral_id').notNull().references(() => referrals.id),
  slotId: text('slot_id').references(() => slots.id),
  offeredDate: date('offered_date', { mode: 'string' }).notNull(), // the slot's London date, or the date offered
  offeredOn: date('offered_on', { mode: 'string' }).notNull(),
  channel: communicationMethod('channel').notNull(),
  reasonable: boolean('reasonable').notNull(),
  noticeDays: integer('notice_days').notNull(),
  status: offerStatus('status').notNull().default('offered'),
  declineNoteId: text('decline_note_id'),
  decidedAt: timestamp('decided_at', { withTimezone: true }),
  decidedBy: text('decided_by').references(() => staff.id),
  appointmentId: text('appointment_id'), // the booking an accepted slot offer made
  createdBy: text('created_by').references(() => staff.id),
  createdAt: createdAt(),
}, (t) => [index('offers_referral').on(t.referralId, t.createdAt), index('offers_slot').on(t.slotId)]);

// A clinic session cancelled or reduced (issue 10): one audited action, run by the clinicSessionChange workflow.
export const clinicSessionChanges = pgTable('clinic_session_changes', {
  id: text('id').primaryKey(),
  clinicId: text('clinic_id').notNull().references(() => clinics.id),
  sessionDate: date('session_date', { mode: 'string' }).notNull(),
  session: clinicSession('session'), // null: the whole day
  kind: sessionChangeKind('kind').notNull(),
  slotIds: jsonb('slot_ids').$type<string[]>().notNull().default([]), // the slots taken out
  reason: text('reason').notNull(), // about the clinic (leave, sickness, rota), never the patient
  status: sessionChangeStatus('status').notNull(),
  withinNotice: boolean('within_notice').notNull().default(false), // asked for inside the notice period
  templateVersionId: text('template_version_id').references(() => clinicTemplateVersions.id), // raised by a template change
  requestedBy: text('requested_by').references(() => staff.id),
  confirmedBy: text('confirmed_by').references(() => staff.id),
  workflowId: text('workflow_id'),
  // What it did: counts of cancelled, moved, waiting for a slot, at risk of breach (written as it goes).
  summary: jsonb('summary'),
  createdAt: createdAt(),
  completedAt: timestamp('completed_at', { withTimezone: true }),
}, (t) => [index('clinic_session_changes_clinic').on(t.clinicId, t.sessionDate)]);

// Each patient a session change affects, in compareForRebooking order, and what happened to them. One row per
// referral per change: nobody is bumped twice by one change.
export const sessionChangePatients = pgTable('session_change_patients', {
  changeId: text('change_id').notNull().references(() => clinicSessionChanges.id),
  appointmentId: text('appointment_id').notNull().references(() => appointments.id),
  referralId: text('referral_id').notNull().references(() => referrals.id),
  position: integer('position').notNull(),
  priority: referralPriority('priority').notNull(),
  breachDate: date('breach_date', { mode: 'string' }).notNull(),
  outcome: sessionChangeOutcome('outcome'),
  newAppointmentId: text('new_appointment_id'),
  newSlotId: text('new_slot_id'),
  taskId: text('task_id'), // the rebook item when waiting for a slot
  atRisk: boolean('at_risk').notNull().default(false), // no slot before the breach date
  doneAt: timestamp('done_at', { withTimezone: true }),
}, (t) => [primaryKey({ columns: [t.changeId, t.appointmentId] }), uniqueIndex('session_change_patients_referral').on(t.changeId, t.referralId)]);

export const tasks = pgTable('tasks', {
  id: text('id').primaryKey(),
  taskKey: text('task_key').notNull().unique(),
  type: taskType('type').notNull(),
  title: text('title').notNull(),
  status: taskStatus('status').notNull().default('open'),
  priority: referralPriority('priority').notNull(),
  priorityRank: integer('priority_rank').notNull(), // clinicalRank (0 2WW, 1 urgent, 2 routine), one less once escalated
  dueAt: timestamp('due_at', { withTimezone: true }).notNull(),
  escalationLevel: integer('escalation_level').notNull().default(0),
  queueId: text('queue_id').notNull().references(() => queues.id),
  assigneeId: text('assignee_id').references(() => staff.id),
  workflowId: text('workflow_id').notNull(),
  referralId: text('referral_id').references(() => referrals.id),
  patientId: text('patient_id').references(() => patients.id),
  payload: jsonb('payload').notNull().default({}),
  outcome: jsonb('outcome'),
  version: integer('version').notNull().default(1),
  createdAt: createdAt(),
  updatedAt: updatedAt(),
  completedAt: timestamp('completed_at', { withTimezone: true }),
  completedBy: text('completed_by').references(() => staff.id),
  // A follow-up date: hidden from claim-next until then, still open.
  snoozedUntil: timestamp('snoozed_until', { withTimezone: true }),
  snoozeReason: text('snooze_reason'),
  // The pathway's RTT breach date when the item was raised: orders queues by days to breach.
  breachDate: date('breach_date', { mode: 'string' }),
}, (t) => [
  index('tasks_claimable').on(t.queueId, t.priorityRank, t.breachDate, t.createdAt).where(sql`status = 'open' and assignee_id is null`),
  // claim-next across all my queues in the work order (db/work-order.ts), without sorting the queue on every call.
  index('tasks_claim_order').on(t.priorityRank, t.breachDate, t.createdAt, t.id).where(sql`status = 'open' and assignee_id is null`),
  // My work and the work lists: open items in the work order, read a page at a time.
  index('tasks_open_order').on(t.priorityRank, t.breachDate, t.createdAt, t.id).where(sql`status in ('open', 'claimed')`),
  index('tasks_open_queue').on(t.queueId, t.priorityRank, t.dueAt).where(sql`status in ('open','claimed')`),
  index('tasks_open_assignee').on(t.assigneeId, t.priorityRank, t.dueAt).where(sql`status in ('open','claimed')`),
  index('tasks_referral').on(t.referralId),
]);

// Free text staff write on a decision (attendance, DNA review, escalation notes, triage return reasons). It can
// name the patient, so it lives here and the workflow carries only its id: Temporal history is not encrypted.
export const notes = pgTable('notes', {
  id: text('id').primaryKey(),
  referralId: text('referral_id').notNull().references(() => referrals.id),
  taskId: text('task_id').references(() => tasks.id),
  authorId: text('author_id').references(() => staff.id),
  body: text('body').notNull(),
  createdAt: createdAt(),
}, (t) => [index('notes_referral').on(t.referralId)]);

// The outbox (issue 12): written in the transaction of the change that causes it; the sender delivers it through
// GOV.UK Notify with `reference` = id, so a retry finds what an earlier attempt sent instead of sending again.
export const communications = pgTable('communications', {
  id: text('id').primaryKey(),
  commKey: text('comm_key').notNull().unique(),
  referralId: text('referral_id').references(() => referrals.id),
  patientId: text('patient_id').notNull().references(() => patients.id),
  appointmentId: text('appointment_id').references(() => appointments.id),
  recipient: messageRecipient('recipient').notNull().default('patient'),
  channel: commChannel('channel').notNull(),
  template: messageTemplate('template').notNull(),
  format: letterFormat('format').notNull().default('standard'),
  // The personalisation the words were made from (no NHS number: Notify's reference rule applies to us too).
  personalisation: jsonb('personalisation').$type<Record<string, string>>().notNull().default({}),
  subject: text('subject'),
  body: text('body').notNull(),
  status: communicationStatus('status').notNull().default('queued'),
  // Not before (a reminder 7 days ahead); the sender's back-off moves it on after a failed attempt.
  sendAfter: timestamp('send_after', { withTimezone: true }).notNull().defaultNow(),
  attempts: integer('attempts').notNull().default(0),
  notifyId: text('notify_id'),
  sentAt: timestamp('sent_at', { withTimezone: true }),
  deliveredAt: timestamp('delivered_at', { withTimezone: true }),
  failureReason: text('failure_reason'),
  createdAt: createdAt(),
  updatedAt: updatedAt(),
}, (t) => [
  index('communications_due').on(t.sendAfter).where(sql`status = 'queued'`),
  index('communications_in_flight').on(t.updatedAt).where(sql`status = 'sending'`),
  index('communications_patient').on(t.patientId, t.createdAt),
  index('communications_referral').on(t.referralId),
  index('communications_appointment').on(t.appointmentId),
]);

/** The contact log (issue 12): a patient's calls and messages, in and out, and how each ended. */
export const contacts = pgTable('contacts', {
  id: text('id').primaryKey(),
  patientId: text('patient_id').notNull().references(() => patients.id),
  referralId: text('referral_id').references(() => referrals.id),
  direction: contactDirection('direction').notNull(),
  channel: contactChannel('channel').notNull(),
  summary: text('summary').notNull(),
  outcome: contactOutcome('outcome').notNull(),
  staffId: text('staff_id').notNull().references(() => staff.id),
  at: timestamp('at', { withTimezone: true }).notNull().defaultNow(),
}, (t) => [index('contacts_patient').on(t.patientId, t.at)]);

/** A staff member's inbox (issue 12): the bell's count is the unread rows. */
export const staffNotifications = pgTable('staff_notifications', {
  id: text('id').primaryKey(),
  // One per cause (an escalation rung, an assignment): a retried activity writes it once.
  notificationKey: text('notification_key').notNull().unique(),
  staffId: text('staff_id').notNull().references(() => staff.id),
  kind: staffNotificationKind('kind').notNull(),
  title: text('title').notNull(),
  body: text('body').notNull(),
  taskId: text('task_id').references(() => tasks.id),
  referralId: text('referral_id').references(() => referrals.id),
  createdAt: createdAt(),
  readAt: timestamp('read_at', { withTimezone: true }),
}, (t) => [index('staff_notifications_unread').on(t.staffId, t.createdAt).where(sql`read_at is null`)]);

// Go-live imports (issue 13): one row per file brought over (or checked, when a dry run). The file itself is
// kept so a stopped import resumes from `nextLine`; `errors` are the rejected rows with line and field.
export const imports = pgTable('imports', {
  id: text('id').primaryKey(),
  status: importStatus('status').notNull().default('running'),
  dryRun: boolean('dry_run').notNull().default(false),
  fileName: text('file_name'),
  source: text('source').notNull(),
  total: integer('total').notNull().default(0),
  imported: integer('imported').notNull().default(0),
  /** Rows already here (same PPID or UBRN): a second import changes nothing. */
  unchanged: integer('unchanged').notNull().default(0),
  rejected: integer('rejected').notNull().default(0),
  errors: jsonb('errors').$type<ImportError[]>().notNull().default(sql`'[]'::jsonb`),
  /** The first data line (1 = the header) not yet imported: where a stopped import resumes. */
  nextLine: integer('next_line').notNull().default(2),
  failure: text('failure'),
  createdBy: text('created_by').references(() => staff.id),
  createdAt: createdAt(),
  finishedAt: timestamp('finished_at', { withTimezone: true }),
});

export const auditLog = pgTable('audit_log', {
  id: bigserial('id', { mode: 'number' }).primaryKey(),
  at: timestamp('at', { withTimezone: true }).notNull().defaultNow(),
  actorId: text('actor_id'), // null for the system (timers, the worker)
  action: text('action').notNull(),
  entityType: text('entity_type').notNull(),
  entityId: text('entity_id').notNull(),
  before: jsonb('before'),
  after: jsonb('after'),
}, (t) => [index('audit_entity').on(t.entityType, t.entityId)]);

export const absences = pgTable('absences', {
  id: text('id').primaryKey(),
  staffId: text('staff_id').notNull().references(() => staff.id),
  from: date('from', { mode: 'string' }).notNull(),
  to: date('to', { mode: 'string' }).notNull(),
  handover: absenceHandover('handover').notNull(),
  coverStaffId: text('cover_staff_id').references(() => staff.id),
  returnOnEnd: boolean('return_on_end').notNull().default(true),
  reason: text('reason').notNull(),
  status: absenceStatus('status').notNull().default('planned'),
  workflowId: text('workflow_id').notNull(),
  createdBy: text('created_by').references(() => staff.id),
  createdAt: createdAt(),
  updatedAt: updatedAt(),
}, (t) => [index('absences_staff').on(t.staffId, t.from)]);

// What an absence moved, so the end of the leave can hand back exactly that and nothing twice.
export const absenceMoves = pgTable('absence_moves', {
  absenceId: text('absence_id').notNull().references(() => absences.id),
  taskId: text('task_id').notNull().references(() => tasks.id),
  fromAssigneeId: text('from_assignee_id').notNull(),
  toAssigneeId: text('to_assignee_id'),
  movedAt: timestamp('moved_at', { withTimezone: true }).notNull().defaultNow(),
  returnedAt: timestamp('returned_at', { withTimezone: true }),
}, (t) => [primaryKey({ columns: [t.absenceId, t.taskId] })]);

// e-RS (issue 14). What the poll saw of each referral we took in from e-RS: its version, worklist, related UBRNs and
// appointment, so the next poll can tell a patient's cancellation or rebooking. The UBRN itself is referrals.ubrn.
export const ersReferrals = pgTable('ers_referrals', {
  referralId: text('referral_id').primaryKey().references(() => referrals.id),
  relatedUbrns: text('related_ubrns').array().notNull().default(sql`'{}'::text[]`),
  version: text('version').notNull(),
  worklist: text('worklist').notNull(),
  ersState: text('ers_state').notNull(),
  serviceId: text('service_id').notNull(),
  /** A Referral Assessment Service referral: its outcome goes back with A028, not A013/A014. */
  triage: boolean('triage').notNull().default(false),
  /** The e-RS appointment last seen (A005's appointment reference) and its start: a change is the patient's doing. */
  ersAppointmentId: text('ers_appointment_id'),
  ersAppointmentStart: timestamp('ers_appointment_start', { withTimezone: true }),
  ersAppointmentStatus: text('ers_appointment_status'),
  /** Attachments and the clinical summary are all stored: until then each poll tries again. */
  documentsFetchedAt: timestamp('documents_fetched_at', { withTimezone: true }),
  /** Why the last attempt to take it in or fetch its documents failed, in words (never the UBRN). */
  lastError: text('last_error'),
  seenAt: timestamp('seen_at', { withTimezone: true }).notNull().defaultNow(),
  createdAt: createdAt(),
  updatedAt: updatedAt(),
}, (t) => [index('ers_referrals_appointment').on(t.ersAppointmentId).where(sql`ers_appointment_id is not null`)]);

/** The worklists as the last poll read them, one row per UBRN and list: the poll's workflow passes only these ids. */
export const ersWorklistEntries = pgTable('ers_worklist_entries', {
  id: text('id').primaryKey(),
  ubrn: text('ubrn').notNull(),
  worklist: text('worklist').notNull(),
  item: jsonb('item').notNull(),
  referralId: text('referral_id').references(() => referrals.id),
  firstSeenAt: timestamp('first_seen_at', { withTimezone: true }).notNull().defaultNow(),
  lastSeenAt: timestamp('last_seen_at', { withTimezone: true }).notNull().defaultNow(),
  /** Off the list at the last poll (accepted, returned, booked elsewhere). */
  goneAt: timestamp('gone_at', { withTimezone: true }),
  /**
   * The poll taking this entry in (its activity), and since when: two polls at once would otherwise both read the
   * referral and fetch its documents. A claim older than the lease is free again (its worker died).
   */
  claimedBy: text('claimed_by'),
  claimedAt: timestamp('claimed_at', { withTimezone: true }),
}, (t) => [uniqueIndex('ers_worklist_entries_ubrn').on(t.ubrn, t.worklist)]);

/** Attachments and the clinical summary, bytes and all: clinicians read them here, not in e-RS. */
export const ersDocuments = pgTable('ers_documents', {
  id: text('id').primaryKey(),
  referralId: text('referral_id').notNull().references(() => referrals.id),
  kind: ersDocumentKind('kind').notNull(),
  /** e-RS's attachment id, or the UBRN's own summary ('summary'), per referral: fetched once. */
  sourceId: text('source_id').notNull(),
  /** The UBRN it came from (a related UBRN may carry the clinical information). */
  fromUbrn: text('from_ubrn').notNull(),
  filename: text('filename').notNull(),
  contentType: text('content_type').notNull(),
  size: integer('size').notNull(),
  bytes: bytea('bytes').notNull(),
  fetchedAt: timestamp('fetched_at', { withTimezone: true }).notNull().defaultNow(),
}, (t) => [uniqueIndex('ers_documents_source').on(t.referralId, t.kind, t.fromUbrn, t.sourceId)]);

/**
 * Triage outcomes to send to e-RS: written in the transaction of the triage decision, sent by the poll, retried until
 * e-RS acknowledges, never sent twice (a row is claimed before its call; a 412 re-reads the referral first).
 */
export const ersOutcomes = pgTable('ers_outcomes', {
  id: text('id').primaryKey(),
  /** The pathway change that decided it: one outcome per decision. */
  changeKey: text('change_key').notNull().unique(),
  referralId: text('referral_id').notNull().references(() => referrals.id),
  action: ersOutcomeAction('action').notNull(),
  /** Who made the triage decision: told if e-RS will not take it. */
  decidedBy: text('decided_by').references(() => staff.id),
  /** To the referrer (return) or to the provider's admins (accept and book later): the triage note's words. */
  comments: text('comments').notNull(),
  status: ersOutcomeStatus('status').notNull().default('pending'),
  /** The e-RS call made or to make: A013, A014 or A028. */
  call: text('call'),
  attempts: integer('attempts').notNull().default(0),
  lastError: text('last_error'),
  nextAttemptAt: timestamp('next_attempt_at', { withTimezone: true }).notNull().defaultNow(),
  /** Held by a sender until then: a second sender leaves it alone. */
  claimedUntil: timestamp('claimed_until', { withTimezone: true }),
  sentAt: timestamp('sent_at', { withTimezone: true }),
  createdAt: createdAt(),
  updatedAt: updatedAt(),
}, (t) => [index('ers_outcomes_due').on(t.nextAttemptAt).where(sql`status = 'pending'`)]);
// FHIR read API (issue 14): other hospital systems that read /fhir with a bearer token. Only a hash of the token is
// kept (shown once when made); a revoked client is refused at once and kept for the audit trail.
export const systemClients = pgTable('system_clients', {
  id: text('id').primaryKey(),
  name: text('name').notNull(),
  tokenHash: text('token_hash').notNull().unique(),
  createdBy: text('created_by').references(() => staff.id),
  createdAt: createdAt(),
  revokedAt: timestamp('revoked_at', { withTimezone: true }),
  revokedBy: text('revoked_by').references(() => staff.id),
  lastUsedAt: timestamp('last_used_at', { withTimezone: true }),
});

// The PAS feed's outbox (issue 14): one HL7 v2 message per booking, move, cancellation or demographics change, written
// in that change's transaction with what it said then (`content`), numbered per patient (`patientSeq`) so the sender
// sends a patient's messages strictly in order. MSH-10 is `AD` + `controlNumber`, the same on every resend.
export const hl7Messages = pgTable('hl7_messages', {
  id: text('id').primaryKey(),
  messageKey: text('message_key').notNull().unique(),
  controlNumber: bigserial('control_number', { mode: 'number' }).notNull().unique(),
  patientId: text('patient_id').notNull().references(() => patients.id),
  patientSeq: integer('patient_seq').notNull(),
  appointmentId: text('appointment_id').references(() => appointments.id),
  event: hl7Event('event').notNull(),
  content: jsonb('content').$type<Hl7Content>().notNull(),
  status: hl7Status('status').notNull().default('queued'),
  attempts: integer('attempts').notNull().default(0),
  sendAfter: timestamp('send_after', { withTimezone: true }).notNull().defaultNow(),
  /** MSA-1 of the last ACK (AA, AE, AR), and the PAS's words or why no ACK came. */
  lastAck: text('last_ack'),
  lastError: text('last_error'),
  sentAt: timestamp('sent_at', { withTimezone: true }),
  acknowledgedAt: timestamp('acknowledged_at', { withTimezone: true }),
  createdAt: createdAt(),
  updatedAt: updatedAt(),
}, (t) => [
  uniqueIndex('hl7_messages_patient_seq').on(t.patientId, t.patientSeq),
  index('hl7_messages_pending').on(t.patientId, t.patientSeq).where(sql`status not in ('acknowledged', 'set_aside')`),
]);

// Admitted care (issue 15) [rules §1.3, §4.5, §6]. Theatre capacity as sessions: a TCI booked into one takes the
// admission's estimated minutes by a conditional update (minutes_booked + m <= minutes_available), so two officers can
// never overbook the last minutes; the check constraint is the backstop.
export const theatreSessions = pgTable('theatre_sessions', {
  id: text('id').primaryKey(), // ths_
  listName: text('list_name').notNull(),
  specialtyCode: text('specialty_code').notNull().references(() => specialties.code),
  surgeonId: text('surgeon_id').notNull().references(() => staff.id),
  date: date('date', { mode: 'string' }).notNull(),
  session: theatreSessionKind('session').notNull(),
  minutesAvailable: integer('minutes_available').notNull(),
  minutesBooked: integer('minutes_booked').notNull().default(0),
  createdBy: text('created_by').references(() => staff.id),
  createdAt: createdAt(),
  updatedAt: updatedAt(),
}, (t) => [
  index('theatre_sessions_specialty_date').on(t.specialtyCode, t.date),
  index('theatre_sessions_date').on(t.date),
  check('theatre_sessions_not_overbooked', sql`${t.minutesBooked} >= 0 and ${t.minutesBooked} <= ${t.minutesAvailable}`),
]);

/**
 * One row per admitted waiting-list entry (a decision to admit). The pathway workflow owns it: its activities write it,
 * keyed by `admission_key` (the pathway change that made it). Patient, specialty's name and breach date are read by join.
 */
export const admissions = pgTable('admissions', {
  id: text('id').primaryKey(), // adm_
  admissionKey: text('admission_key').notNull().unique(),
  referralId: text('referral_id').notNull().references(() => referrals.id),
  specialtyCode: text('specialty_code').notNull().references(() => specialties.code),
  procedure: text('procedure').notNull(),
  intendedManagement: intendedManagement('intended_management').notNull(),
  surgicalPriority: surgicalPriority('surgical_priority').notNull(),
  consultantId: text('consultant_id').notNull().references(() => staff.id),
  decidedOn: date('decided_on', { mode: 'string' }).notNull(),
  decidedBy: text('decided_by').references(() => staff.id),
  noteId: text('note_id'),
  targetDate: date('target_date', { mode: 'string' }).notNull(), // the surgical-priority target (surgicalPriorityTargetDate)
  status: admissionStatus('status').notNull().default('waiting'),
  preOpRequired: boolean('pre_op_required').notNull(),
  preOpStatus: preOpStatus('pre_op_status').notNull(),
  preOpDate: date('pre_op_date', { mode: 'string' }), // the assessment's booked date
  preOpAssessedOn: date('pre_op_assessed_on', { mode: 'string' }),
  preOpValidUntil: date('pre_op_valid_until', { mode: 'string' }),
  preOpConditions: text('pre_op_conditions'),
  estimatedMinutes: integer('estimated_minutes').notNull().default(60),
  tciOfferId: text('tci_offer_id'), // the accepted TCI
  tciDate: date('tci_date', { mode: 'string' }),
  theatreSessionId: text('theatre_session_id').references(() => theatreSessions.id),
  ward: text('ward'),
  // Stand-by (issue 15, the stand-by list): willing to come in at short notice, with how many hours' notice they need.
  standBy: boolean('stand_by').notNull().default(false),
  standByNoticeHours: integer('stand_by_notice_hours'),
  declinedReasonableOffers: integer('declined_reasonable_offers').notNull().default(0),
  admittedOn: date('admitted_on', { mode: 'string' }),
  procedureDone: boolean('procedure_done'),
  diagnosticOnly: boolean('diagnostic_only'),
  notTreatedOn: date('not_treated_on', { mode: 'string' }),
  version: integer('version').notNull().default(1),
  createdAt: createdAt(),
  updatedAt: updatedAt(),
}, (t) => [
  index('admissions_referral').on(t.referralId),
  // One open entry on the admitted list per referral: a retried or raced decision to admit cannot add a second.
  uniqueIndex('admissions_one_open').on(t.referralId).where(sql`status in ('waiting', 'tci_booked', 'cancelled')`),
  // The admitted PTL: open entries by surgical priority then target date.
  index('admissions_open_order').on(t.surgicalPriority, t.targetDate, t.id).where(sql`status in ('waiting', 'tci_booked', 'cancelled')`),
  index('admissions_specialty').on(t.specialtyCode, t.status),
  index('admissions_stand_by').on(t.surgicalPriority, t.targetDate).where(sql`stand_by`),
  index('admissions_session').on(t.theatreSessionId),
]);

/**
 * TCI (to come in) dates offered [rules §6]: reasonable when at least 21 days' notice (isReasonableTciOffer); an offer into
 * a theatre session holds its minutes (`minutes_held`) until declined or cancelled.
 */
export const tciOffers = pgTable('tci_offers', {
  id: text('id').primaryKey(), // tci_
  offerKey: text('offer_key').unique(), // the request's idempotency key, when it sent one
  admissionId: text('admission_id').notNull().references(() => admissions.id),
  referralId: text('referral_id').notNull().references(() => referrals.id),
  admissionDate: date('admission_date', { mode: 'string' }).notNull(),
  theatreSessionId: text('theatre_session_id').references(() => theatreSessions.id),
  minutesHeld: integer('minutes_held').notNull().default(0),
  ward: text('ward').notNull(),
  offeredOn: date('offered_on', { mode: 'string' }).notNull(),
  channel: tciChannel('channel').notNull(),
  noticeDays: integer('notice_days').notNull(),
  reasonable: boolean('reasonable').notNull(),
  status: tciOfferStatus('status').notNull().default('offered'),
  declineReason: text('decline_reason'), // the patient's words: Postgres only, never the workflow's history
  decidedAt: timestamp('decided_at', { withTimezone: true }),
  decidedBy: text('decided_by').references(() => staff.id),
  createdBy: text('created_by').references(() => staff.id),
  createdAt: createdAt(),
  updatedAt: updatedAt(),
}, (t) => [
  index('tci_offers_admission').on(t.admissionId, t.createdAt),
  index('tci_offers_referral').on(t.referralId),
  index('tci_offers_session').on(t.theatreSessionId),
  // One open offer per admission at a time.
  uniqueIndex('tci_offers_one_open').on(t.admissionId).where(sql`status = 'offered'`),
]);

// Issue 15, the 28-day guarantee [rules §6]: one row per operation cancelled on the day for non-clinical reasons (one per
// cancelled TCI). The cancelledOperation workflow escalates it and records its breach; a new accepted TCI rebooks it.
export const cancelledOperationStatus = pgEnum('cancelled_operation_status', cancelledOperationStatuses);
export const cancelledOperations = pgTable('cancelled_operations', {
  id: text('id').primaryKey(), // cop_
  admissionId: text('admission_id').notNull().references(() => admissions.id),
  referralId: text('referral_id').notNull().references(() => referrals.id),
  patientId: text('patient_id').notNull().references(() => patients.id),
  tciOfferId: text('tci_offer_id').notNull().unique().references(() => tciOffers.id), // the TCI cancelled: one cancellation each
  theatreSessionId: text('theatre_session_id').references(() => theatreSessions.id),
  specialtyCode: text('specialty_code').notNull(),
  priority: referralPriority('priority').notNull(), // the referral's, for the work items' order
  operationDate: date('operation_date', { mode: 'string' }).notNull(), // the TCI date cancelled
  cancelledOn: date('cancelled_on', { mode: 'string' }).notNull(),
  reason: text('reason').notNull(), // the hospital's reason (no beds, list overran): Postgres only, never Temporal
  rebookBy: date('rebook_by', { mode: 'string' }).notNull(),
  status: cancelledOperationStatus('status').notNull().default('open'),
  escalationLevel: integer('escalation_level').notNull().default(0),
  rebookedOn: date('rebooked_on', { mode: 'string' }), // the day a new TCI was accepted
  rebookedFor: date('rebooked_for', { mode: 'string' }), // the new admission date
  rebookedTciOfferId: text('rebooked_tci_offer_id'),
  breachedOn: date('breached_on', { mode: 'string' }),
  rebookTaskId: text('rebook_task_id'),
  standByTaskId: text('stand_by_task_id'),
  workflowId: text('workflow_id').notNull(),
  cancelledBy: text('cancelled_by').references(() => staff.id),
  createdAt: createdAt(),
  updatedAt: updatedAt(),
}, (t) => [
  index('cancelled_operations_cancelled_on').on(t.cancelledOn),
  index('cancelled_operations_admission').on(t.admissionId),
  index('cancelled_operations_open').on(t.rebookBy).where(sql`status = 'open'`),
]);

// Ward capacity (issue 15): the beds a ward keeps for elective admissions; a day booked beyond them raises bed management.
export const wards = pgTable('wards', {
  code: text('code').primaryKey(),
  name: text('name').notNull(),
  electiveBeds: integer('elective_beds').notNull(),
  updatedBy: text('updated_by').references(() => staff.id),
  createdAt: createdAt(),
  updatedAt: updatedAt(),
}, (t) => [check('wards_elective_beds', sql`${t.electiveBeds} >= 0`)]);

// Issue 16: the partial booking list [rules §4.6–4.7], follow-ups due beyond the booking horizon. The pathway owns
// each entry (activities/partial-booking.ts writes it); one open entry per referral.
export const partialBookingStatus = pgEnum('partial_booking_status', partialBookingStatuses);
export const partialBookingEntries = pgTable('partial_booking_entries', {
  id: text('id').primaryKey(), // pbe_
  entryKey: text('entry_key').notNull().unique(), // the change that listed it
  referralId: text('referral_id').notNull().references(() => referrals.id),
  patientId: text('patient_id').notNull().references(() => patients.id),
  specialtyCode: text('specialty_code').notNull().references(() => specialties.code),
  clinicId: text('clinic_id').references(() => clinics.id),
  listedOn: date('listed_on', { mode: 'string' }).notNull(),
  dueDate: date('due_date', { mode: 'string' }).notNull(),
  lcad: date('lcad', { mode: 'string' }).notNull(),
  status: partialBookingStatus('status').notNull().default('waiting'),
  invitedOn: date('invited_on', { mode: 'string' }),
  chasedOn: date('chased_on', { mode: 'string' }),
  appointmentId: text('appointment_id'),
  reviewTaskId: text('review_task_id'),
  version: integer('version').notNull().default(1),
  createdAt: createdAt(),
  updatedAt: updatedAt(),
}, (t) => [
  uniqueIndex('partial_booking_one_open').on(t.referralId).where(sql`status in ('waiting', 'invited', 'chased', 'in_review')`),
  // The list in its order (due date) and the backlog (open entries past due, by LCAD).
  index('partial_booking_due').on(t.dueDate, t.id),
  index('partial_booking_open_lcad').on(t.lcad).where(sql`status in ('waiting', 'invited', 'chased', 'in_review')`),
]);
// Ward forms (issue 16) [rules §8]: a ward's request at discharge for an outpatient follow-up. It becomes a follow-up
// pathway (its own referral, source `ward`) whose first item is in the Ward forms queue, or with the clinician when
// no slot meets the interval. Free text is in `notes` (noteId). Where it stands is read from its pathway.
export const wardForms = pgTable('ward_forms', {
  id: text('id').primaryKey(),
  referralId: text('referral_id').notNull().unique().references(() => referrals.id),
  patientId: text('patient_id').notNull().references(() => patients.id),
  ward: text('ward').notNull(),
  dischargedOn: date('discharged_on', { mode: 'string' }).notNull(),
  specialtyCode: text('specialty_code').notNull().references(() => specialties.code),
  clinicianId: text('clinician_id').notNull().references(() => staff.id),
  followUpWithinWeeks: integer('follow_up_within_weeks').notNull(),
  bookBy: date('book_by', { mode: 'string' }).notNull(), // discharge + the interval: no later date without the clinician
  testsBefore: jsonb('tests_before').$type<string[]>().notNull().default([]),
  noteId: text('note_id'),
  intervalMet: boolean('interval_met').notNull(), // false: no slot within the interval at receipt, so the clinician decides
  taskId: text('task_id'), // the first work item: book the follow-up, or the clinician's review
  receivedAt: timestamp('received_at', { withTimezone: true }).notNull(),
  dueAt: timestamp('due_at', { withTimezone: true }).notNull(), // 48 hours of receipt, counted on working days
  createdBy: text('created_by').references(() => staff.id),
  createdAt: createdAt(),
}, (t) => [index('ward_forms_received').on(t.receivedAt), index('ward_forms_patient').on(t.patientId)]);

// The breach forecast (issue 17), kept so a GET is a read: the latest run's weekly figures per specialty and the
// pathways it predicts to breach. Each recompute replaces both in one transaction; forecast_runs keeps the history.
export const forecastRuns = pgTable('forecast_runs', {
  id: text('id').primaryKey(), // fcr_
  today: date('today', { mode: 'string' }).notNull(),
  weeks: integer('weeks').notNull(),
  reason: text('reason').notNull(), // nightly, capacity_change, manual
  sourceId: text('source_id'), // the session change, template version or theatre session that caused it
  pathways: integer('pathways').notNull(),
  atRisk: integer('at_risk').notNull(),
  newlyAtRisk: integer('newly_at_risk').notNull(),
  escalationTaskId: text('escalation_task_id'),
  durationMs: integer('duration_ms').notNull(),
  createdAt: createdAt(),
}, (t) => [index('forecast_runs_created').on(t.createdAt)]);

export const forecastWeeks = pgTable('forecast_weeks', {
  specialtyCode: text('specialty_code').notNull(),
  weekStart: date('week_start', { mode: 'string' }).notNull(),
  demand: doublePrecision('demand').notNull(),
  capacity: jsonb('capacity').$type<Record<string, number>>().notNull(),
  bookings: integer('bookings').notNull(),
  breaches: integer('breaches').notNull(),
  runId: text('run_id').notNull(),
}, (t) => [primaryKey({ columns: [t.specialtyCode, t.weekStart] })]);

export const forecastStage = pgEnum('forecast_stage', forecastStages);
export const capacityType = pgEnum('capacity_type', capacityTypes);
export const forecastTarget = pgEnum('forecast_target', forecastTargets);
export const forecastAtRisk = pgTable('forecast_at_risk', {
  referralId: text('referral_id').primaryKey().references(() => referrals.id),
  specialtyCode: text('specialty_code').notNull(),
  priority: referralPriority('priority').notNull(),
  stage: forecastStage('stage').notNull(),
  predictedDate: date('predicted_date', { mode: 'string' }),
  breachDate: date('breach_date', { mode: 'string' }).notNull(),
  target: forecastTarget('target').notNull(),
  daysShort: integer('days_short').notNull(),
  saveType: capacityType('save_type'),
  saveFromWeek: date('save_from_week', { mode: 'string' }),
  saveByWeek: date('save_by_week', { mode: 'string' }),
  runId: text('run_id').notNull(),
  since: timestamp('since', { withTimezone: true }).notNull().defaultNow(), // first run that predicted it, while it stays
}, (t) => [index('forecast_at_risk_breach').on(t.breachDate, t.referralId), index('forecast_at_risk_specialty').on(t.specialtyCode)]);
