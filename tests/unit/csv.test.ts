// The CSV exports' cells: RFC 4180 quoting, formulas neutralised in free text, London wall-clock times.
import { describe, expect, it } from 'vitest';
import { csvField, labelOf, londonDateTime, yesNo } from '../../api/csv';

describe('csvField', () => {
  it.each([
    ['plain', 'Ada Lovelace', false, 'Ada Lovelace'],
    ['a comma is quoted', 'Carter, Jr', false, '"Carter, Jr"'],
    ['quotes are doubled', 'say "hi"', false, '"say ""hi"""'],
    ['a line break is quoted', 'one\ntwo', false, '"one\ntwo"'],
    ['a formula in free text is neutralised', '=HYPERLINK("x")', true, '"\'=HYPERLINK(""x"")"'],
    ['+, - and @ too', '+44 7700', true, "'+44 7700"],
    ['a code is left as it is', '-1', false, '-1'],
    ['null is empty', null, true, ''],
  ])('%s', (_, value, freeText, expected) => expect(csvField(value, freeText)).toBe(expected));
});

describe('londonDateTime', () => {
  it.each([
    ['winter: London is UTC', '2026-12-04T09:30:00.000Z', '2026-12-04 09:30'],
    ['summer: an hour ahead', '2026-07-01T23:30:00.000Z', '2026-07-02 00:30'],
    ['the last minute before the clocks go back', '2026-10-25T00:59:00.000Z', '2026-10-25 01:59'],
    ['empty', '', null],
    ['not a time', 'soon', null],
  ])('%s', (_, value, expected) => expect(londonDateTime(value)).toBe(expected));
});

it('labels codes in people\'s words, keeping an unknown code', () => {
  const label = labelOf({ two_week_wait: 'Two-week wait' });
  expect([label('two_week_wait'), label('other'), label(null)]).toEqual(['Two-week wait', 'other', null]);
  expect([yesNo(true), yesNo(false), yesNo(null)]).toEqual(['Yes', 'No', null]);
});
