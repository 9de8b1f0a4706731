// Where a letter in the outbox goes and what date it bears: the one definition the PDF route (and the sender) draw with.
import { describe, expect, it } from 'vitest';
import { letterAddress, letterDate, letterInputFor, type LetterSource } from '../../activities/communication-letter';

const patient = { name: 'Ada Lovelace', addressLines: ['1 Church Lane', 'Ormskirk'], postcode: 'L39 2AZ' };

describe('letterAddress', () => {
  it.each([
    ['the patient by name, their lines, then the postcode', {}, patient, ['Ada Lovelace', '1 Church Lane', 'Ormskirk', 'L39 2AZ']],
    ['the postcode once when the lines already end with it', {}, { ...patient, addressLines: ['1 Church Lane', 'l392az'] }, ['Ada Lovelace', '1 Church Lane', 'l392az']],
    ['the postcode alone when no lines are held', {}, { ...patient, addressLines: [] }, ['Ada Lovelace', 'L39 2AZ']],
    ['Notify\'s address lines when the message carries them (a referrer)', { address_line_1: 'Dr Who', address_line_2: 'The Surgery', address_line_3: 'PR8 1AB' },
      patient, ['Dr Who', 'The Surgery', 'PR8 1AB']],
    ['at most 7 lines', {}, { ...patient, addressLines: ['a', 'b', 'c', 'd', 'e', 'f', 'g'] }, ['Ada Lovelace', 'a', 'b', 'c', 'd', 'e', 'f']],
  ])('%s', (_, personalisation, who, expected) => {
    expect(letterAddress({ personalisation: personalisation as Record<string, string>, patient: who })).toEqual(expected);
  });
});

describe('letterInputFor', () => {
  const source: LetterSource = {
    channel: 'letter', template: 'appointment_cancelled', format: 'large_print', subject: null, body: 'Words',
    createdAt: '2026-06-02T23:30:00.000Z', sentAt: null, personalisation: {}, patient,
  };
  it('dates the letter the London day it was sent (written, until then), and titles it by its template when it has no subject', () => {
    expect(letterDate('2026-06-02T23:30:00.000Z')).toBe('3 June 2026'); // half past midnight BST
    expect(letterInputFor(source)).toEqual({
      addressLines: ['Ada Lovelace', '1 Church Lane', 'Ormskirk', 'L39 2AZ'], date: '3 June 2026', subject: 'Appointment cancelled',
      body: 'Words', format: 'large_print',
    });
    expect(letterInputFor({ ...source, subject: 'Your appointment is cancelled' }).subject).toBe('Your appointment is cancelled');
    expect(letterInputFor({ ...source, sentAt: new Date('2026-06-05T09:00:00Z') }).date).toBe('5 June 2026');
  });
});
