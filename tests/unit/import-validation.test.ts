// The PAS extract read and checked (issue 13): the header is the contract, every bad cell of a row is its own
// error with the row's line and the column's name, and only clean rows come back to be imported.
import { describe, expect, it } from 'vitest';
import { IMPORT_HEADER } from '../../domain/import';
import { csvRecords, importHeaderProblem, reasonsByLine, validateImportFile, type ImportCheckContext } from '../../domain/import-validation';

const today = '2026-12-01';
const ctx: ImportCheckContext = {
  today,
  specialties: new Set(['100', '101', '110', '120', '130', '300', '320', '330', '502']),
  clinics: new Map([['clin_1', { specialtyCode: '100' }], ['clin_2', { specialtyCode: '101' }], ['clin_11', { specialtyCode: '101' }]]),
};

/** A valid NHS number from nine digits: the Modulus 11 check digit appended (null when the nine have none). */
function withCheckDigit(nine: string): string | null {
  const sum = [...nine].reduce((s, d, i) => s + Number(d) * (10 - i), 0);
  const check = 11 - (sum % 11);
  return check === 10 ? null : `${nine}${check === 11 ? 0 : check}`;
}
const nhs = (n: number) => {
  for (let k = n; ; k++) { const v = withCheckDigit(String(100000000 + k * 7919).slice(0, 9)); if (v) return v; }
};

let rowCount = 0;
type Cells = Partial<Record<(typeof IMPORT_HEADER)[number], string>>;
const good = (over: Cells = {}, i?: number): string => {
  const n = ++rowCount;
  const cells: Record<string, string> = {
    nhs_number: nhs(i ?? n), given_name: 'Ann', family_name: 'Example', date_of_birth: '1960-04-02', postcode: 'L39 2AZ',
    pathway_id: `PPID${n}`, ubrn: '', treatment_function_code: '100', priority: 'routine', clock_start: '2026-09-01',
    last_rtt_code: '', last_rtt_date: '', stage: 'awaiting_first_appointment', clinic_id: '', appointment_start: '', ...over,
  };
  return IMPORT_HEADER.map((h) => cells[h]).join(',');
};
const file = (...rows: string[]) => [IMPORT_HEADER.join(','), ...rows].join('\r\n');

describe('reading the file', () => {
  it('reads quoted cells with commas, doubled quotes and line breaks, CRLF, a byte-order mark and a trailing blank line', () => {
    const text = '\uFEFFa,b,c\r\n"x, y","say ""hi""","two\nlines"\r\n1,,3\r\n\r\n';
    expect(csvRecords(text)).toEqual([
      { line: 1, cells: ['a', 'b', 'c'] },
      { line: 2, cells: ['x, y', 'say "hi"', 'two\nlines'] },
      { line: 4, cells: ['1', '', '3'] },
    ]);
  });

  it('numbers rows by the line they start on, counting the header as line 1 and skipping blank lines', () => {
    const { rows } = validateImportFile(`${file(good({}, 1), '', good({}, 2))}\n\n`, ctx);
    expect(rows.map((r) => r.line)).toEqual([2, 4]);
  });

  it('reads LF-only files and names with quotes', () => {
    const text = [IMPORT_HEADER.join(','), good({ family_name: '"O\'Neill, Jr"' })].join('\n');
    const { rows, errors } = validateImportFile(text, ctx);
    expect(errors).toEqual([]);
    expect(rows[0].familyName).toBe("O'Neill, Jr");
  });
});

describe('the header', () => {
  it('must be exactly the contract header', () => {
    expect(importHeaderProblem(file(good()))).toBeNull();
    expect(importHeaderProblem('\uFEFF' + file(good()))).toBeNull();
    expect(importHeaderProblem(IMPORT_HEADER.join(',').replace('family_name', 'surname'))).toMatch(/Column 3 .*"surname".*family_name/);
    expect(importHeaderProblem(IMPORT_HEADER.slice(0, -1).join(','))).toMatch(/14 columns.*appointment_start is missing/);
    expect(importHeaderProblem(`${IMPORT_HEADER.join(',')},notes`)).toMatch(/16 columns.*"notes" is extra/);
    expect(importHeaderProblem('')).toMatch(/empty/);
  });

  it('a wrong header is one error on line 1 and no rows', () => {
    const result = validateImportFile(file(good()).replace('nhs_number', 'nhs_no'), ctx);
    expect(result).toEqual({ total: 0, rows: [], errors: [{ line: 1, field: 'row', message: expect.stringMatching(/nhs_no/) }] });
  });
});

describe('every kind of bad row', () => {
  // The fixture: one bad row per kind, each with the field and words it must be reported with.
  const cases: { why: string; row: string; errors: [string, RegExp][] }[] = [
    { why: 'NHS number fails Modulus 11', row: good({ nhs_number: '9434765918' }), errors: [['nhs_number', /not valid.*Modulus 11/]] },
    { why: 'NHS number missing', row: good({ nhs_number: '' }), errors: [['nhs_number', /missing/]] },
    { why: 'given name missing', row: good({ given_name: '' }), errors: [['given_name', /given name is missing/]] },
    { why: 'family name too long', row: good({ family_name: 'x'.repeat(101) }), errors: [['family_name', /longer than 100/]] },
    { why: 'date of birth not a date', row: good({ date_of_birth: '1960-02-30' }), errors: [['date_of_birth', /real date/]] },
    { why: 'date of birth in the future', row: good({ date_of_birth: '2027-01-01' }), errors: [['date_of_birth', /future/]] },
    { why: 'date of birth implausible', row: good({ date_of_birth: '1850-01-01' }), errors: [['date_of_birth', /1900 or later/]] },
    { why: 'postcode not a postcode', row: good({ postcode: 'NOWHERE' }), errors: [['postcode', /UK postcode/]] },
    { why: 'neither PPID nor UBRN', row: good({ pathway_id: '', ubrn: '' }), errors: [['pathway_id', /pathway id \(PPID\) or a UBRN/]] },
    { why: 'UBRN not 12 digits', row: good({ ubrn: '12345' }), errors: [['ubrn', /12-digit/]] },
    { why: 'unknown treatment function code', row: good({ treatment_function_code: '999' }), errors: [['treatment_function_code', /"999" is not a specialty/]] },
    { why: 'priority not a priority', row: good({ priority: 'soon' }), errors: [['priority', /one of two_week_wait, urgent, routine/]] },
    { why: 'clock start after today', row: good({ clock_start: '2026-12-02' }), errors: [['clock_start', /after today/]] },
    { why: 'clock start not a date', row: good({ clock_start: '01/09/2026' }), errors: [['clock_start', /YYYY-MM-DD/]] },
    { why: 'clock start before birth', row: good({ date_of_birth: '2026-10-01', clock_start: '2026-09-01' }), errors: [['clock_start', /before the date of birth/]] },
    { why: 'RTT code not a code', row: good({ last_rtt_code: '17', last_rtt_date: '2026-10-01' }), errors: [['last_rtt_code', /not a national RTT/]] },
    { why: 'RTT code stops the clock', row: good({ last_rtt_code: '30', last_rtt_date: '2026-10-01' }), errors: [['last_rtt_code', /clock is not running/]] },
    { why: 'RTT code without its date', row: good({ last_rtt_code: '20' }), errors: [['last_rtt_date', /missing/]] },
    { why: 'RTT date after today', row: good({ last_rtt_code: '20', last_rtt_date: '2026-12-25' }), errors: [['last_rtt_date', /after today/]] },
    { why: 'RTT date before clock start', row: good({ last_rtt_code: '20', last_rtt_date: '2026-08-01' }), errors: [['last_rtt_date', /before the clock start/]] },
    { why: 'stage not a stage', row: good({ stage: 'waiting' }), errors: [['stage', /one of awaiting_triage, awaiting_first_appointment/]] },
    { why: 'stage missing', row: good({ stage: '' }), errors: [['stage', /missing/]] },
    { why: 'unknown clinic', row: good({ clinic_id: 'clin_99', appointment_start: '2027-01-12T09:20:00Z' }), errors: [['clinic_id', /not a clinic of this trust/]] },
    { why: 'clinic of another specialty', row: good({ clinic_id: 'clin_2', appointment_start: '2027-01-12T09:20:00Z' }), errors: [['clinic_id', /101 clinic, not 100/]] },
    { why: 'clinic without a start', row: good({ clinic_id: 'clin_1' }), errors: [['appointment_start', /missing/]] },
    { why: 'start without a clinic', row: good({ appointment_start: '2027-01-12T09:20:00Z' }), errors: [['clinic_id', /missing/]] },
    { why: 'start not an instant', row: good({ clinic_id: 'clin_1', appointment_start: '2027-01-12 09:20' }), errors: [['appointment_start', /with its zone/]] },
    { why: 'start in the past', row: good({ clinic_id: 'clin_1', appointment_start: '2026-11-30T09:20:00Z' }), errors: [['appointment_start', /before today/]] },
    { why: 'booked while awaiting triage', row: good({ stage: 'awaiting_triage', clinic_id: 'clin_1', appointment_start: '2027-01-12T09:20:00Z' }), errors: [['stage', /awaiting triage has no appointment/]] },
    { why: 'too few cells', row: 'a,b,c', errors: [['row', /3 cells; the header has 15/]] },
    { why: 'several bad cells', row: good({ nhs_number: '123', priority: 'x', stage: 'y' }),
      errors: [['nhs_number', /not valid/], ['priority', /one of/], ['stage', /one of/]] },
  ];

  it.each(cases)('$why: each bad cell is reported on its line and field', ({ row, errors }) => {
    const result = validateImportFile(file(good(), row), ctx);
    expect(result.total).toBe(2);
    expect(result.rows.map((r) => r.line)).toEqual([2]);
    expect(result.errors.map((e) => [e.line, e.field])).toEqual(errors.map(([field]) => [3, field]));
    result.errors.forEach((e, k) => expect(e.message).toMatch(errors[k][1]));
  });

  it('the whole fixture at once: every bad row rejected with its own line, every good row kept', () => {
    const rows = cases.map((c) => c.row);
    const result = validateImportFile(file(...rows, good()), ctx);
    expect(result.total).toBe(cases.length + 1);
    expect(result.rows.map((r) => r.line)).toEqual([cases.length + 2]);
    expect([...new Set(result.errors.map((e) => e.line))]).toEqual(cases.map((_, k) => k + 2));
    // Messages never repeat the patient's details.
    for (const e of result.errors) expect(e.message).not.toMatch(/Ann|Example|1960-04-02|L39/);
  });

  it('duplicates within the file: the second use of a PPID or UBRN names the first line', () => {
    const result = validateImportFile(file(
      good({ pathway_id: 'P1', ubrn: '000000000001' }, 1), good({ pathway_id: 'P1' }, 2), good({ pathway_id: 'P3', ubrn: '000000000001' }, 3),
    ), ctx);
    expect(result.rows.map((r) => r.line)).toEqual([2]);
    expect(result.errors).toEqual([
      { line: 3, field: 'pathway_id', message: 'The same pathway id (PPID) as line 2: each pathway is one row' },
      { line: 4, field: 'ubrn', message: 'The same UBRN as line 2: each pathway is one row' },
    ]);
  });

  it('one patient with two pathways is fine; the same NHS number with another date of birth is not', () => {
    const result = validateImportFile(file(
      good({ nhs_number: nhs(7), pathway_id: 'A' }), good({ nhs_number: nhs(7), pathway_id: 'B' }),
      good({ nhs_number: nhs(7), pathway_id: 'C', date_of_birth: '1961-01-01' }),
    ), ctx);
    expect(result.rows.map((r) => r.line)).toEqual([2, 3]);
    expect(result.errors).toEqual([{ line: 4, field: 'date_of_birth', message: 'The same NHS number as line 2 with a different date of birth' }]);
  });

  it('an unclosed quote at the end of the file rejects that row', () => {
    const result = validateImportFile(`${file(good())}\r\n"${good({}, 2)}`, ctx);
    expect(result.errors).toEqual([{ line: 3, field: 'row', message: expect.stringMatching(/never closed/) }]);
  });
});

describe('a good row', () => {
  it('comes back in the access model\'s words', () => {
    const { rows, errors } = validateImportFile(file(good({
      nhs_number: '943 476 5919', postcode: 'l39 2az', ubrn: '000000000042', treatment_function_code: '101', priority: 'urgent',
      last_rtt_code: '20', last_rtt_date: '2026-10-05', stage: 'awaiting_follow_up', clinic_id: 'clin_11', appointment_start: '2027-01-12T09:20:00+00:00',
    })), ctx);
    expect(errors).toEqual([]);
    expect(rows).toEqual([{
      line: 2, nhsNumber: '9434765919', givenName: 'Ann', familyName: 'Example', dateOfBirth: '1960-04-02', postcode: 'L39 2AZ',
      pathwayId: expect.stringMatching(/^PPID\d+$/), ubrn: '000000000042', specialtyCode: '101', priority: 'urgent', clockStart: '2026-09-01', lastRttCode: 20,
      lastRttDate: '2026-10-05', stage: 'awaiting_follow_up', clinicId: 'clin_11', appointmentStart: '2027-01-12T09:20:00.000Z',
    }]);
  });

  it('empty cells where not known: no postcode, no UBRN, no RTT code, not booked', () => {
    const { rows } = validateImportFile(file(good({ postcode: '', stage: 'awaiting_triage' })), ctx);
    expect(rows[0]).toMatchObject({ postcode: null, ubrn: null, lastRttCode: null, lastRttDate: null, clinicId: null, appointmentStart: null });
  });

  it('a clock that started today and an appointment later today are accepted', () => {
    const { errors } = validateImportFile(file(good({ clock_start: today, clinic_id: 'clin_1', appointment_start: `${today}T16:00:00Z` })), ctx);
    expect(errors).toEqual([]);
  });
});

describe('the rejected file\'s reasons', () => {
  it('joins a row\'s errors into one reason', () => {
    const reasons = reasonsByLine([
      { line: 3, field: 'nhs_number', message: 'bad' }, { line: 3, field: 'stage', message: 'worse' }, { line: 5, field: 'row', message: 'short' },
    ]);
    expect([...reasons]).toEqual([[3, 'nhs_number: bad; stage: worse'], [5, 'short']]);
  });
});
