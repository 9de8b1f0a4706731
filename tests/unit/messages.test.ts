// The console's words for the API's refusals: every code has words an officer reads, picked from the
// code; the API's own sentences are grammatical and name roles, work and queues in words.
import { describe, expect, it } from 'vitest';
import { refusalCodes } from '../../domain/refusals';
import { fieldLabel, refusalMessage, refusalWords, wordsForCode } from '../../admin-ui/src/components/messages';
import { forbiddenFor, rolesInWords, taskTypeInWords } from '../../api/errors';
import { notWorking } from '../../activities/queue-membership';
import { formatDate, formatDateRange, formatDateTime, formatPlainDate, formatSlotStart } from '../../admin-ui/src/components/dates';
import {
  assignedNotice, leaveRecordedNotice, movedNotice, plural, referralRegisteredNotice, workItemDoneNotice,
} from '../../admin-ui/src/components/notices';

const refused = (status: number, body: Record<string, unknown>) => ({ status, body, message: String(body.message ?? '') });

describe('words for every refusal code', () => {
  it.each(refusalCodes)('%s has words of its own', (code) => {
    const words = wordsForCode(code);
    expect(words).toMatch(/^[A-Z]/);
    expect(words).not.toMatch(/[A-Z]{2,}_[A-Z]/); // never the code itself
    expect(refusalMessage(refused(400, { code, errors: {} }))).toBe(words);
  });

  it('covers exactly the codes the API sends', () => {
    expect(Object.keys(refusalWords).sort()).toEqual([...refusalCodes].sort());
  });
});

describe('refusalMessage', () => {
  it('says what a taken slot means whatever the API wrote', () => {
    expect(refusalMessage(refused(409, { code: 'TASK_CLAIMED', message: 'task_123 claimed by staff_x' })))
      .toBe('Someone else is working on this item');
  });

  it('keeps the particulars the API names (people, dates, queues) for codes about them', () => {
    const body = { code: 'ASSIGNEE_NOT_IN_QUEUE', message: 'Omar Officer does not work Rebooking or Urology', errors: { assigneeId: 'does not work Rebooking or Urology' } };
    expect(refusalMessage(refused(422, body))).toBe('Omar Officer does not work Rebooking or Urology');
  });

  it('points at the highlighted fields when the form shows them, and spells them out when it does not', () => {
    const body = { code: 'VALIDATION_FAILED', message: 'patient.dateOfBirth: must be in 1900 or later', errors: { 'patient.dateOfBirth': 'must be in 1900 or later' } };
    expect(refusalMessage(refused(400, body), { onFields: true })).toBe('Check the highlighted fields');
    expect(refusalMessage(refused(400, body))).toBe('Date of birth: must be in 1900 or later');
  });

  it('falls back to the API message for a code the console does not know yet, then to plain words', () => {
    expect(refusalMessage(refused(422, { code: 'SOMETHING_NEW', message: 'The new rule says no' }))).toBe('The new rule says no');
    expect(refusalMessage(new TypeError('Failed to fetch'))).toBe('Access Desk could not be reached: check the connection and try again');
  });

  it.each([
    ['patient.dateOfBirth', 'Date of birth'],
    ['sessions.0.slotType', 'Slot type'],
    ['coverStaffId', 'Cover staff id'],
    ['(body)', 'The form'],
  ])('names the field %s as %s', (path, label) => {
    expect(fieldLabel(path)).toBe(label);
  });
});

describe("the API's own sentences", () => {
  it('names roles in words with the right article', () => {
    expect(rolesInWords(['clinician', 'team_leader', 'admin'])).toBe('a clinician, a team leader or an administrator');
    expect(rolesInWords(['ops'])).toBe('an operations manager');
    expect(forbiddenFor(['clinician', 'team_leader', 'admin'], `complete ${taskTypeInWords('dna_review')}`).message)
      .toBe('Only a clinician, a team leader or an administrator can complete a DNA review');
  });

  it.each([
    ['dna_review', 'a DNA review'],
    ['escalation_review', 'an escalation review'],
    ['book_follow_up', 'a book follow-up'],
    ['active_monitoring_review', 'an active monitoring review'],
  ] as const)('names a %s item as %s', (type, words) => {
    expect(taskTypeInWords(type)).toBe(words);
  });

  it('names the queues a person does not work', () => {
    expect(notWorking([{ name: 'Two week wait' }, { name: 'Rebooking' }, { name: 'Urology' }])).toBe('does not work Two week wait, Rebooking or Urology');
    expect(notWorking([{ name: 'Urology' }])).toBe('does not work Urology');
  });
});

describe('counts, dates and what happened, in en-GB', () => {
  it.each([
    [0, '0 days'], [1, '1 day'], [2, '2 days'], [14, '14 days'],
  ])('writes %i days as %s', (n, words) => {
    expect(plural(n, 'day')).toBe(words);
  });

  it('writes dates the British way whatever the machine locale', () => {
    expect(formatDate('2026-12-04')).toBe('Fri 4 Dec 2026');
    expect(formatPlainDate('1980-12-04')).toBe('4 Dec 1980');
    expect(formatDateTime('2026-12-04T09:30:00.000Z')).toBe('4 Dec 2026, 09:30');
    // British Summer Time: 08:30 UTC is 09:30 in London.
    expect(formatDateTime('2026-07-01T08:30:00.000Z')).toBe('1 Jul 2026, 09:30');
    expect(formatSlotStart('2027-01-12T09:30:00.000Z')).toBe('Tue 12 Jan 2027, 09:30');
  });

  it.each([
    ['2026-12-01', '2026-12-04', '1 to 4 Dec'],
    ['2026-11-30', '2026-12-04', '30 Nov to 4 Dec'],
    ['2026-12-30', '2027-01-02', '30 Dec 2026 to 2 Jan 2027'],
    ['2026-12-04', '2026-12-04', '4 Dec'],
  ])('writes leave from %s to %s as %s', (from, to, words) => {
    expect(formatDateRange(from, to)).toBe(words);
  });

  it('says whose leave, when, and where the work goes', () => {
    const leave = { staffName: 'Olivia Officer', from: '2026-12-01', to: '2026-12-04', handover: 'cover' as const, coverName: 'Omar Officer' };
    expect(leaveRecordedNotice({ ...leave, moving: 14, today: '2026-12-01' }))
      .toBe('Leave recorded for Olivia Officer, 1 to 4 Dec; 14 work items moved to Omar Officer');
    expect(leaveRecordedNotice({ ...leave, moving: 1, today: '2026-11-29' }))
      .toBe('Leave recorded for Olivia Officer, 1 to 4 Dec; 1 work item will move to Omar Officer on 1 Dec');
    expect(leaveRecordedNotice({ ...leave, handover: 'queue', coverName: null, moving: 0, today: '2026-11-29' }))
      .toBe('Leave recorded for Olivia Officer, 1 to 4 Dec; no open work items to move');
  });

  it('says which referral was registered', () => {
    expect(referralRegisteredNotice({ patientName: 'Ann Patient', priority: 'two_week_wait', specialtyName: 'Dermatology' }))
      .toBe('Referral registered for Ann Patient, 2WW dermatology');
    expect(referralRegisteredNotice({ patientName: 'Bob Patient', priority: 'routine', specialtyName: 'Urology' }))
      .toBe('Referral registered for Bob Patient, routine urology');
  });

  it.each([
    ['triage_referral', { decision: 'accept', clinicalPriority: 'urgent' }, 'Referral for Ann Patient accepted as urgent'],
    ['triage_referral', { decision: 'return_to_referrer', reason: 'x' }, 'Referral for Ann Patient returned to the referrer'],
    ['record_attendance', { outcome: 'did_not_attend' }, 'Attendance recorded for Ann Patient: did not attend'],
    ['dna_review', { decision: 'discharge' }, 'DNA review for Ann Patient: discharged'],
    ['book_new_appointment', { slotId: 'slot_1' }, 'Appointment booked for Ann Patient'],
  ] as const)('says what was decided on a %s item', (type, outcome, words) => {
    expect(workItemDoneNotice(type, outcome, 'Ann Patient')).toBe(words);
  });

  it('moves say to whom', () => {
    expect(assignedNotice({ assigneeName: 'Omar Officer', queueName: 'Urology (101)' })).toBe('Assigned to Omar Officer');
    expect(assignedNotice({ assigneeName: null, queueName: 'Urology (101)' })).toBe('Back on Urology (101), for anyone in it to claim');
    expect(movedNotice(1, 'Omar Officer')).toBe('Moved 1 work item to Omar Officer');
    expect(movedNotice(14)).toBe('Moved 14 work items');
  });
});
