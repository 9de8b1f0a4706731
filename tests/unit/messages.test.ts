// The console's words for the API's refusals: every code has words an officer reads, picked from the
// code; the API's own sentences are grammatical and name roles, work and queues in words.
import { describe, expect, it } from 'vitest';
import { refusalCodes } from '../../domain/refusals';
import { fieldLabel, refusalMessage, refusalWords, wordsForCode } from '../../admin-ui/src/components/messages';
import { forbiddenFor, rolesInWords, taskTypeInWords } from '../../api/errors';
import { notWorking } from '../../activities/queue-membership';

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
