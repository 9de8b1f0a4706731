// The audit log in people's words: one sentence per action code, built from the names the API sends with
// each entry. A Record over the domain's list of codes, so a new code has no sentence until one is written.
import type { AuditAction } from '../../../domain/audit-actions';
import {
  absenceStatusLabels,
  appointmentStateLabels,
  communicationMethodLabels,
  fdsOutcomeLabels,
  labelFor,
  priorityLabels,
  referralStateLabels,
  rttStatusLabels,
  validationOutcomeLabels,
} from '../components/labels';
import { formatDate, formatDateTime } from '../components/dates';
import type { AuditEntry } from '../types';

/** A piece of a sentence: words, or a name that links to its record. */
export type SentencePart = string | { text: string; to?: string };
type Values = Record<string, unknown>;

const asValues = (value: unknown): Values => (value && typeof value === 'object' && !Array.isArray(value) ? value as Values : {});
const text = (value: unknown): string | undefined => (typeof value === 'string' && value !== '' ? value : undefined);
const count = (n: unknown, one: string, many = `${one}s`) => `${Number(n) || 0} ${Number(n) === 1 ? one : many}`;
const show = (resource: string, id: string) => `/${resource}/${encodeURIComponent(id)}/show`;

/** The helpers a sentence is made with, bound to one entry. */
function wordsFor(entry: AuditEntry) {
  const before = asValues(entry.before);
  const after = asValues(entry.after);
  const leave = entry.leave;
  // Everyone the entry can name: the actor, the person on leave, and whom the before/after name.
  const names: Record<string, string> = {
    ...(entry.actorId && entry.actorName ? { [entry.actorId]: entry.actorName } : {}),
    ...(leave ? { [leave.staffId]: leave.staffName } : {}),
    ...(entry.names ?? {}),
  };
  const person = (id: unknown): SentencePart => {
    const key = text(id);
    if (!key) return 'nobody';
    // Where a person's name leads: what they did, in this log.
    return names[key] ? { text: names[key], to: `/audit?filter=${encodeURIComponent(JSON.stringify({ actorId: key }))}` } : 'someone no longer listed';
  };
  const queue = (id: unknown): SentencePart => {
    const key = text(id);
    return key && names[key] ? { text: `the ${names[key]} queue`, to: show('queues', key) } : 'its queue';
  };
  const who: SentencePart = entry.actorId
    ? (entry.actorName ? person(entry.actorId) : 'someone no longer listed')
    : 'System';
  const label = entry.entityLabel ?? undefined;
  const item: SentencePart = label ? { text: `‘${label}’`, to: show('tasks', entry.entityId) } : 'a work item';
  const referral: SentencePart = entry.referralId
    ? { text: label && entry.entityType === 'referral' ? `the ${label} referral` : 'the referral', to: show('referrals', entry.referralId) }
    : 'a referral';
  const appointment: SentencePart = label
    ? (entry.referralId ? { text: `the appointment at ${label}`, to: show('referrals', entry.referralId) } : `the appointment at ${label}`)
    : 'an appointment';
  const patient: SentencePart | undefined = entry.patientId && entry.patientName
    ? { text: entry.patientName, to: show('patients', entry.patientId) }
    : undefined;
  const forPatient: SentencePart[] = patient ? [' for ', patient] : [];
  const ofPatient: SentencePart[] = patient ? [' of ', patient] : [];
  const leaveOwner: SentencePart = leave ? person(leave.staffId) : label ? label : 'someone';
  const leaveLink: SentencePart = entry.entityType === 'absence'
    ? { text: 'leave', to: show('absences', entry.entityId) }
    : text(after.absenceId) ? { text: 'leave', to: show('absences', text(after.absenceId)!) } : 'leave';
  const why: SentencePart[] = leave?.reason ? [` (${leave.reason.toLocaleLowerCase('en-GB')})`] : [];
  const clinic: SentencePart = label && entry.entityType === 'clinic' ? { text: label, to: show('clinics', entry.entityId) } : 'a clinic';
  const session: SentencePart = label ? { text: label, to: show('session-changes', entry.entityId) } : 'a clinic session';
  const slot = label ? `the slot at ${label}` : 'a slot';
  const entityQueue: SentencePart = entry.entityType === 'queue' && label ? { text: `the ${label} queue`, to: show('queues', entry.entityId) } : 'a queue';
  const theImport: SentencePart = { text: 'a PAS extract', to: show('imports', entry.entityId) };
  return {
    before, after, names, person, queue, who, item, referral, appointment, patient, forPatient, ofPatient, leave, leaveOwner, leaveLink, why,
    clinic, session, slot, entityQueue, theImport,
  };
}

type Words = ReturnType<typeof wordsFor>;
type Sentence = { label: string; say: (w: Words) => SentencePart[] };

const possessive = (part: SentencePart): SentencePart[] => [part, '’s'];

export const auditSentences: Record<AuditAction, Sentence> = {
  'absence.recorded': {
    label: 'Leave recorded',
    say: ({ who, after, person, leaveLink }) => [
      who, ' recorded ', leaveLink, ' for ', person(after.staffId), ` from ${formatDate(text(after.from))} to ${formatDate(text(after.to))}`,
      ...(text(after.coverStaffId) ? [', covered by ', person(after.coverStaffId)] : [', their work back to its queues']),
    ],
  },
  'absence.started': {
    label: 'Leave began',
    say: ({ after, person, leaveOwner, leaveLink, why }) => [
      ...possessive(leaveOwner), ' ', leaveLink, ' began', ...why, ': ', count(after.moved, 'work item'),
      ...(text(after.coverStaffId) ? [' moved to ', person(after.coverStaffId)] : [' went back to their queues']),
      ...(text(after.note) ? [` (${text(after.note)})`] : []),
    ],
  },
  'absence.changed': {
    label: 'Leave dates changed',
    say: ({ who, before, after, leaveOwner, leaveLink }) => [
      who, ' changed the last day of ', ...possessive(leaveOwner), ' ', leaveLink, ` from ${formatDate(text(before.to))} to ${formatDate(text(after.to))}`,
    ],
  },
  'absence.ended': {
    label: 'Leave ended',
    say: ({ who, after, leaveOwner, leaveLink }) => [
      who, ' ended ', ...possessive(leaveOwner), ' ', leaveLink,
      ...(Number(after.returned) > 0 ? [`: ${count(after.returned, 'work item')} handed back`] : []),
      ...(Number(after.kept) > 0 ? [`, ${count(after.kept, 'work item')} stayed where they were`] : []),
    ],
  },
  'absence.cancelled': {
    label: 'Leave cancelled',
    say: ({ who, after, leaveOwner, leaveLink }) => [
      who, ' cancelled ', ...possessive(leaveOwner), ' ', leaveLink,
      ...(Number(after.returned) > 0 ? [`: ${count(after.returned, 'work item')} handed back`] : []),
      ...(text(after.note) ? [` (${text(after.note)})`] : []),
    ],
  },
  'absence.planned': {
    label: 'Leave planned',
    say: ({ who, leaveOwner, leaveLink }) => [who, ' marked ', ...possessive(leaveOwner), ' ', leaveLink, ` as ${labelFor(absenceStatusLabels, 'planned').toLocaleLowerCase('en-GB')}`],
  },
  'absence.active': {
    label: 'Leave under way',
    say: ({ who, leaveOwner, leaveLink }) => [who, ' marked ', ...possessive(leaveOwner), ' ', leaveLink, ` as ${labelFor(absenceStatusLabels, 'active').toLocaleLowerCase('en-GB')}`],
  },
  'task.opened': {
    label: 'Work item raised',
    say: ({ who, item, forPatient, after, queue }) => [who, ' raised ', item, ...forPatient, ' in ', queue(after.queueId)],
  },
  'task.claimed': {
    label: 'Work item claimed',
    say: ({ who, item, forPatient, after }) => [who, ' claimed ', item, ...forPatient, ...(after.via === 'claim-next' ? [' (claim next)'] : [])],
  },
  'task.released': {
    label: 'Work item released',
    say: ({ who, item, forPatient }) => [who, ' released ', item, ...forPatient, ' back to its queue'],
  },
  'task.assigned': {
    label: 'Work item assigned',
    say: ({ who, item, forPatient, before, after, person, queue }) => [
      who, text(after.assigneeId) ? ' assigned ' : ' put ', item, ...forPatient,
      ...(text(after.assigneeId) ? [' to ', person(after.assigneeId)] : [' back in ', queue(after.queueId ?? before.queueId)]),
      ...(text(before.assigneeId) && before.assigneeId !== after.assigneeId ? [' (it was with ', person(before.assigneeId), ')'] : []),
      ...(text(after.queueId) && after.queueId !== before.queueId && text(after.assigneeId) ? [', in ', queue(after.queueId)] : []),
    ],
  },
  'task.snoozed': {
    label: 'Work item snoozed',
    say: ({ who, item, forPatient, after }) => [
      who, ' snoozed ', item, ...forPatient, ` until ${formatDateTime(text(after.snoozedUntil))}`, ...(text(after.reason) ? [`: ${text(after.reason)}`] : []),
    ],
  },
  'task.unsnoozed': {
    label: 'Snooze ended',
    say: ({ who, item, forPatient }) => [who, ' took ', item, ...forPatient, ' out of snooze'],
  },
  'task.completed': {
    label: 'Work item completed',
    say: ({ who, item, forPatient }) => [who, ' completed ', item, ...forPatient],
  },
  'task.cancelled': {
    label: 'Work item closed',
    say: ({ who, item, forPatient, after }) => [who, ' closed ', item, ...forPatient, ...(text(after.reason) ? [`: ${text(after.reason)}`] : [])],
  },
  'task.escalated': {
    label: 'Work item escalated',
    say: ({ who, item, forPatient, after }) => [who, ' escalated ', item, ...forPatient, ` to level ${Number(after.escalationLevel) || 1}`],
  },
  'task.escalation_closed': {
    label: 'Escalation closed',
    // The pathway closes it itself once what it escalated is resolved; the outcome says how.
    say: ({ item, forPatient, after }) => {
      const closed = (after.outcome as { closed?: unknown } | undefined)?.closed;
      const why = text(closed)?.replace(/^Closed: /, '');
      return ['The pathway closed ', item, ...forPatient, ...(why ? [`: ${why}`] : [])];
    },
  },
  'task.absence_moved': {
    label: 'Moved for leave',
    say: ({ who, item, forPatient, before, after, person, queue, leaveOwner, leaveLink, why }) => [
      who, ' moved ', item, ...forPatient, ' from ', person(before.assigneeId),
      ...(text(after.assigneeId) ? [' to ', person(after.assigneeId)] : [' back to ', queue(after.queueId)]),
      ' for ', ...possessive(leaveOwner), ' ', leaveLink, ...why,
    ],
  },
  'task.absence_returned': {
    label: 'Handed back after leave',
    say: ({ who, item, forPatient, after, person, leaveLink }) => [
      who, ' handed ', item, ...forPatient, ' back to ', person(after.assigneeId), ' as their ', leaveLink, ' ended',
    ],
  },
  'referral.registered': {
    label: 'Referral registered',
    say: ({ who, after, referral, forPatient }) => {
      const priority = labelFor(priorityLabels, after.priority);
      const named = typeof referral === 'string' ? referral : { ...referral, text: `${priority === '2WW' ? priority : priority.toLocaleLowerCase('en-GB')} ${referral.text.replace(/^the /, '')}` };
      return [who, ` registered ${priority === 'Urgent' ? 'an' : 'a'} `, named, ...forPatient];
    },
  },
  'referral.updated': {
    label: 'Referral moved on',
    say: ({ who, after, referral, ofPatient }) => [
      who, ' moved ', referral, ...ofPatient, ...(text(after.state) ? [` to ‘${labelFor(referralStateLabels, after.state)}’`] : [' on']),
    ],
  },
  'pathway.started': {
    label: 'Pathway started',
    say: ({ who, after, referral, ofPatient }) => {
      const clockStart = text(asValues(after.clock).clockStart);
      return [who, ' started the pathway of ', referral, ...ofPatient, ...(clockStart ? [`, the RTT clock from ${formatDate(clockStart)}`] : [])];
    },
  },
  'pathway.validated': {
    label: 'Pathway validated',
    say: ({ who, after, referral, ofPatient }) => [
      who, ' validated ', referral, ...ofPatient, ...(text(after.outcome) ? [`: ${labelFor(validationOutcomeLabels, after.outcome)}`] : []),
    ],
  },
  'pathway.fds_outcome_recorded': {
    label: 'Faster Diagnosis outcome',
    say: ({ who, after, referral, ofPatient }) => [
      who, ' recorded the Faster Diagnosis outcome of ', referral, ...ofPatient, `: ${labelFor(fdsOutcomeLabels, after.fdsOutcome)}`,
      ...(text(after.fdsCommunicatedOn) ? [`, told on ${formatDate(text(after.fdsCommunicatedOn))}`] : []),
    ],
  },
  'rtt_clock.changed': {
    label: 'RTT clock changed',
    say: ({ who, after, referral, ofPatient }) => [
      who, ' changed the RTT clock of ', referral, ...ofPatient, `: ${labelFor(rttStatusLabels, after.rttStatus).toLocaleLowerCase('en-GB')}`,
      ...(text(after.clockStop) ? [`, stopped ${formatDate(text(after.clockStop))}`] : text(after.clockStart) ? [` from ${formatDate(text(after.clockStart))}`] : []),
    ],
  },
  'cancer_targets.set': {
    label: 'Cancer targets set',
    say: ({ who, referral, ofPatient }) => [who, ' set the cancer target dates of ', referral, ...ofPatient],
  },
  'appointment.booked': {
    label: 'Appointment booked',
    say: ({ who, appointment, forPatient }) => [who, ' booked ', appointment, ...forPatient],
  },
  'appointment.cancelled': {
    label: 'Appointment cancelled',
    say: ({ who, after, appointment, ofPatient }) => [
      who, ' cancelled ', appointment, ...ofPatient,
      ...(text(after.state) ? [` (${labelFor(appointmentStateLabels, after.state).toLocaleLowerCase('en-GB')})`] : []),
      ...(text(after.reason) ? [`: ${text(after.reason)}`] : []),
    ],
  },
  'appointment.outcome': {
    label: 'Attendance recorded',
    say: ({ who, after, appointment, ofPatient }) => [
      who, ' recorded ', appointment, ...ofPatient, ` as ${labelFor(appointmentStateLabels, after.state).toLocaleLowerCase('en-GB')}`,
    ],
  },
  'appointment.communicated': {
    label: 'Patient told',
    say: ({ who, after, appointment, patient }) => [
      who, ' recorded that ', patient ?? 'the patient', ' was told of ', appointment,
      ...(text(after.communicatedBy) ? [` (${labelFor(communicationMethodLabels, after.communicatedBy).toLocaleLowerCase('en-GB')})`] : []),
    ],
  },
  'appointment.interpreter': {
    label: 'Interpreter',
    say: ({ who, after, appointment, forPatient }) => [
      who, after.interpreterStatus === 'booked' ? ' booked an interpreter for ' : ' recorded that no interpreter is needed for ', appointment, ...forPatient,
    ],
  },
  'patient.communication_changed': {
    label: 'Communication needs changed',
    say: ({ who, patient }) => [who, ' changed how ', patient ?? 'the patient', ' hears from us'],
  },
  'patient.contact_logged': {
    label: 'Contact logged',
    say: ({ who, after, patient }) => [
      who, ` logged ${after.direction === 'inbound' ? 'a contact from' : 'a contact with'} `, patient ?? 'the patient',
      ...(text(after.channel) ? [` (${labelFor(communicationMethodLabels, after.channel).toLocaleLowerCase('en-GB')})`] : []),
    ],
  },
  'communication.failed': {
    label: 'Message not delivered',
    say: ({ who, after, forPatient }) => [
      who, ' could not deliver a message', ...forPatient, ...(text(after.failureReason) ? [`: ${text(after.failureReason)}`] : []),
    ],
  },
  'slot.booked': { label: 'Slot booked', say: ({ who, slot }) => [who, ` booked ${slot}`] },
  'slot.freed': { label: 'Slot freed', say: ({ who, slot }) => [who, ` freed ${slot}`] },
  'slot.blocked': { label: 'Slot blocked', say: ({ who, slot }) => [who, ` blocked ${slot} (its session was cancelled or reduced)`] },
  'offer.recorded': {
    label: 'Offer recorded',
    say: ({ who, after, referral, forPatient }) => [
      who, ` recorded an offer of ${formatDate(text(after.offeredDate))}`, ...forPatient, ' on ', referral,
      ...(after.reasonable === false ? [' (short notice)'] : []),
    ],
  },
  'offer.offered': {
    label: 'Offer reopened',
    say: ({ who, patient, referral }) => [who, ' reopened an offer to ', patient ?? 'the patient', ' on ', referral],
  },
  'offer.accepted': {
    label: 'Offer accepted',
    say: ({ who, patient }) => [who, ' recorded that ', patient ?? 'the patient', ' accepted the offered date'],
  },
  'offer.declined': {
    label: 'Offer declined',
    say: ({ who, patient }) => [who, ' recorded that ', patient ?? 'the patient', ' declined the offered date'],
  },
  'clinic.created': { label: 'Clinic created', say: ({ who, clinic }) => [who, ' created ', clinic] },
  'clinic.changed': { label: 'Clinic changed', say: ({ who, clinic }) => [who, ' changed the details of ', clinic] },
  'clinic.template_added': {
    label: 'Clinic template changed',
    say: ({ who, clinic, after }) => [who, ` made version ${Number(after.version) || ''} of the template of `, clinic, ` from ${formatDate(text(after.effectiveFrom))}`],
  },
  'clinic.template_short_notice': {
    label: 'Template change at short notice',
    say: ({ who, clinic, after }) => [
      who, ' confirmed a template change of ', clinic, ` at short notice (${count(after.noticeDays, 'day')} before ${formatDate(text(after.effectiveFrom))})`,
    ],
  },
  'clinic.slots_reconciled': {
    label: 'Slots made from the template',
    say: ({ who, clinic, after }) => [who, ' brought the slots of ', clinic, ` in line with its template, ${formatDate(text(after.from))} to ${formatDate(text(after.to))}`],
  },
  'clinic_session.change_proposed': {
    label: 'Session change proposed',
    say: ({ who, session }) => [who, ' proposed a change to ', session, ' (a template change left booked patients in it)'],
  },
  'clinic_session.change_requested': {
    label: 'Session change confirmed',
    say: ({ who, session, after }) => [
      who, ` confirmed ${after.kind === 'reduce' ? 'reducing' : 'cancelling'} `, session, `: ${count(after.slotsBlocked, 'slot')} taken out, ${count(after.patients, 'patient')} to move`,
    ],
  },
  'clinic_session.changed': { label: 'Session change finished', say: ({ who, session }) => [who, ' finished moving the patients of ', session] },
  'clinic_session.patient_skipped': {
    label: 'Patient left out of a session change',
    say: ({ who, session, after }) => [who, ' left a patient of ', session, ` where they were (${String(after.code ?? 'no reason given').toLocaleLowerCase('en-GB').replace(/_/g, ' ')})`],
  },
  'clinic_session.slot_missed': {
    label: 'Slot taken during a session change',
    say: ({ who, session }) => [who, ' found the slot chosen for a patient of ', session, ' taken, and chose another'],
  },
  'queue.member_added': {
    label: 'Added to a queue',
    say: ({ who, after, person, entityQueue }) => [who, ' added ', person(after.staffId), ' to ', entityQueue],
  },
  'queue.member_removed': {
    label: 'Taken off a queue',
    say: ({ who, before, person, entityQueue }) => [who, ' took ', person(before.staffId), ' off ', entityQueue],
  },
  'staff.signed_in': { label: 'Signed in', say: ({ who }) => [who, ' signed in'] },
  // Go-live imports (issue 13): the import's page says which rows were rejected and why.
  'import.started': {
    label: 'Import started',
    say: ({ who, after, theImport }) => [who, after.dryRun ? ' checked ' : ' started importing ', theImport, after.dryRun ? ' (a dry run)' : ''],
  },
  'import.finished': {
    label: 'Import finished',
    say: ({ who, after, theImport }) => after.dryRun
      ? [who, ' finished checking ', theImport, `: ${count(after.total, 'row')}, ${count(after.rejected, 'row')} rejected`]
      : [who, ' finished importing ', theImport, `: ${count(after.imported, 'pathway')} imported, ${count(after.unchanged, 'pathway')} already here, ${count(after.rejected, 'row')} rejected`],
  },
  // FHIR read API (issue 14): whose record another system (or a person's own tool) read.
  'fhir.read': {
    label: 'Read through the FHIR API',
    say: ({ who, after, patient }) => [
      after.caller === 'system' ? `The system client ‘${text(after.clientName) ?? 'unknown'}’` : who,
      ` read ${patient ? '' : 'a patient’s '}${String(after.resourceType ?? 'record')} record${after.interaction === 'search' ? 's (a search)' : ''}`,
      ...(patient ? [' of ', patient] : []),
      ' through the FHIR API',
    ],
  },
  'system_client.created': {
    label: 'System client made',
    say: ({ who, after }) => [who, ` made the system client ‘${text(after.name) ?? ''}’ for the FHIR API`],
  },
  'system_client.revoked': {
    label: 'System client revoked',
    say: ({ who, before }) => [who, ` revoked the system client ‘${text(before.name) ?? ''}’: its token no longer reads the FHIR API`],
  },
  'import.failed': {
    label: 'Import failed',
    say: ({ who, after, theImport }) => [who, ' stopped importing ', theImport, ` on a failure, after ${count(after.imported, 'pathway')} imported`],
  },
  // The PAS feed (issue 14): a message the PAS rejected, sent again or set aside by ops.
  'hl7_message.resent': {
    label: 'PAS message resent',
    say: ({ who, after }) => [who, ` sent PAS message ${String(after.controlId ?? '')} again after the PAS rejected it`],
  },
  'hl7_message.set_aside': {
    label: 'PAS message set aside',
    say: ({ who, after }) => [who, ` set aside PAS message ${String(after.controlId ?? '')} that the PAS rejected: ${String(after.reason ?? '')}`],
  },
  // Admitted care (issue 15).
  'admission.listed': {
    label: 'Listed for admission',
    say: ({ who, after, forPatient, referral }) => [who, ` listed a ${String(after.surgicalPriority ?? '')} admission`, ...forPatient, ' on ', referral,
      ` (target ${formatDate(text(after.targetDate))})`],
  },
  'admission.changed': {
    label: 'Admission changed',
    say: ({ who, after, forPatient }) => [who, ' changed the admission', ...forPatient, `: ${Object.keys(after).join(', ')}`],
  },
  'tci_offer.offered': {
    label: 'TCI date offered',
    say: ({ who, after, forPatient }) => [who, ` offered admission on ${formatDate(text(after.admissionDate))}`, ...forPatient,
      ...(after.reasonable === false ? [' (short notice)'] : [])],
  },
  'tci_offer.accepted': {
    label: 'TCI date accepted',
    say: ({ who, patient }) => [who, ' recorded that ', patient ?? 'the patient', ' accepted the admission date'],
  },
  'tci_offer.declined': {
    label: 'TCI date declined',
    say: ({ who, patient }) => [who, ' recorded that ', patient ?? 'the patient', ' declined the admission date'],
  },
  'theatre_session.created': {
    label: 'Theatre session added',
    say: ({ who, after }) => [who, ` added theatre list ${String(after.listName ?? '')} on ${formatDate(text(after.date))}`],
  },
  // Issue 15: stand-by and the 28-day guarantee.
  'admission.stand_by_changed': {
    label: 'Stand-by changed',
    say: ({ who, after, ofPatient }) => [who, after.standBy ? ' put the operation' : ' took the operation', ...ofPatient,
      after.standBy ? ` on the stand-by list${after.noticeHours != null ? ` (${String(after.noticeHours)} hours' notice)` : ''}` : ' off the stand-by list'],
  },
  'admission.operation_cancelled': {
    label: 'Operation cancelled',
    say: ({ who, after, ofPatient }) => [who, ' cancelled the operation', ...ofPatient,
      after.onTheDay ? ' on the day' : '', after.clinical ? ' for a clinical reason' : ' for a non-clinical reason',
      after.rebookBy ? `: a new date is due by ${formatDate(text(after.rebookBy))}` : ''],
  },
  'cancelled_operation.rebooked': {
    label: 'Cancelled operation rebooked',
    say: ({ who, after }) => [who, ` rebooked a cancelled operation for ${formatDate(text(after.rebookedFor))}`,
      after.withinGuarantee ? ', within the 28-day guarantee' : ', after the 28-day guarantee'],
  },
  'cancelled_operation.breached': {
    label: '28-day guarantee breached',
    say: ({ after }) => [`A cancelled operation had no new date by ${formatDate(text(after.rebookBy))}: the 28-day guarantee was breached`],
  },
  'ward.saved': {
    label: 'Ward beds set',
    say: ({ who, after }) => [who, ` set ward ${String(after.code ?? '')} (${String(after.name ?? '')}) to ${count(after.electiveBeds, 'elective bed')}`],
  },
  // Issue 16: the partial booking list.
  'partial_booking.listed': {
    label: 'Put on the partial booking list',
    say: ({ who, after, referral }) => [who, ' put ', referral, ` on the partial booking list: follow-up due ${formatDate(text(after.dueDate))}, `
      + `latest clinically appropriate ${formatDate(text(after.lcad))}`],
  },
  'partial_booking.changed': {
    label: 'Partial booking changed',
    say: ({ who, before, after }) => [who, ` moved a partial-booking follow-up from ${String(before.status ?? 'unknown').replace(/_/g, ' ')} `
      + `to ${String(after.status ?? 'unknown').replace(/_/g, ' ')}`],
  },
  // Issue 16: ward forms.
  'ward_form.received': {
    label: 'Ward form received',
    say: ({ who, after, forPatient }) => [who, ` received a ward form from ${String(after.ward ?? 'a ward')}`, ...forPatient,
      after.intervalMet === false ? ': no slot within the interval asked, so the clinician decides' : `: follow-up by ${formatDate(text(after.bookBy))}`],
  },
  'attendance.recorded': {
    label: 'Seen outside clinic',
    say: ({ who, after, ofPatient }) => [who, ' recorded an attendance outside clinic', ...ofPatient,
      ` (${String(after.setting ?? 'other')}) on ${formatDate(text(after.attendedOn))}, RTT status ${String(after.rttCode ?? '')}`],
  },
  // e-RS (issue 14).
  'ers.outcome_sent': {
    label: 'Triage outcome sent to e-RS',
    say: ({ who, after, referral }) => [who, after.action === 'accept' ? ' told e-RS that ' : ' returned ', referral,
      after.action === 'accept' ? ' was accepted' : ' to the referrer in e-RS'],
  },
  'ers.outcome_failed': {
    label: 'e-RS refused a triage outcome',
    say: ({ after, referral }) => ['e-RS did not take the triage outcome of ', referral, `: ${String(after.why ?? 'no reason given')}`],
  },
};

/** The sentence for one entry; a code this console does not know yet still says who did what. */
export function auditSentence(entry: AuditEntry): SentencePart[] {
  const words = wordsFor(entry);
  const sentence = (auditSentences as Record<string, Sentence | undefined>)[entry.action];
  if (!sentence) return [words.who, ` did ‘${entry.action}’ to ${entry.entityLabel ?? 'a record'}`];
  return sentence.say(words);
}

/** The sentence as plain text (for tests and tooltips). */
export const auditSentenceText = (entry: AuditEntry): string =>
  auditSentence(entry).map((part) => (typeof part === 'string' ? part : part.text)).join('');

/** The What filter's choices: each code's short label. */
export const auditActionChoices = (Object.entries(auditSentences) as [AuditAction, Sentence][])
  .map(([id, { label }]) => ({ id, name: label }))
  .sort((a, b) => a.name.localeCompare(b.name, 'en-GB'));
