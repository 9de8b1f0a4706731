// Go-live (issue 13): a PAS extract read and checked before anything is imported. Pure (no I/O, no clock): the
// API, the CLI and the console all get the same answer for the same file, `today` and reference data.
import { daysBetween, isIsoDate } from './dates';
import { IMPORT_HEADER, type ImportError, type ImportField, type ImportRow } from './import';
import { importStages, referralPriorities, type ImportStage, type ReferralPriority } from './model';
import { isValidNhsNumber, normaliseNhsNumber } from './nhs-number';
import { dateOfBirthProblem, isIsoDateTime } from './plausibility';
import { isRttStatusCode, rttStatusMeanings, type RttStatusCode } from './rtt-clock';
import { londonDate } from './trust-time';

/** What a row is checked against: the trust's date and its reference data. */
export type ImportCheckContext = {
  today: string;
  /** Treatment function codes of the specialties this trust runs. */
  specialties: ReadonlySet<string>;
  clinics: ReadonlyMap<string, { specialtyCode: string }>;
};

export type ImportValidation = {
  /** Data rows in the file (blank lines not counted). */
  total: number;
  rows: ImportRow[];
  /** Every bad cell of every rejected row, in file order. */
  errors: ImportError[];
};

/** A record of the file: the line it starts on (the header is line 1) and its cells. */
export type CsvRecord = { line: number; cells: string[]; unterminated?: boolean };

/**
 * RFC 4180 records: quoted cells (with commas, doubled quotes and line breaks inside), CRLF, LF or CR line ends,
 * a byte-order mark. Lines that are wholly blank are left out, so a trailing blank line (or several) is harmless.
 */
export function csvRecords(text: string): CsvRecord[] {
  const records: CsvRecord[] = [];
  const s = text.charCodeAt(0) === 0xfeff ? text.slice(1) : text;
  const n = s.length;
  let line = 1;
  let i = 0;
  while (i < n) {
    const start = line;
    const cells: string[] = [];
    let unterminated = false;
    let blank = true;
    for (;;) {
      // One cell, from i.
      let cell: string;
      if (s[i] === '"') {
        blank = false;
        let value = '';
        let from = i + 1;
        for (;;) {
          const quote = s.indexOf('"', from);
          if (quote === -1) { value += s.slice(from); i = n; unterminated = true; break; }
          value += s.slice(from, quote);
          if (s[quote + 1] === '"') { value += '"'; from = quote + 2; continue; }
          i = quote + 1;
          break;
        }
        line += countLineBreaks(value);
        // Anything between the closing quote and the next comma or line end is kept, as spreadsheets do.
        let j = i;
        while (j < n && s[j] !== ',' && s[j] !== '\n' && s[j] !== '\r') j++;
        cell = value + s.slice(i, j);
        i = j;
      } else {
        let j = i;
        while (j < n && s[j] !== ',' && s[j] !== '\n' && s[j] !== '\r') j++;
        cell = s.slice(i, j);
        if (cell.trim() !== '') blank = false;
        i = j;
      }
      cells.push(cell);
      if (i < n && s[i] === ',') { blank = false; i++; continue; }
      // End of the record: a line end (CRLF, LF or CR) or the end of the text.
      if (i < n) { i += s[i] === '\r' && s[i + 1] === '\n' ? 2 : 1; line++; }
      break;
    }
    if (!blank) records.push({ line: start, cells, ...(unterminated ? { unterminated } : {}) });
  }
  return records;
}

function countLineBreaks(value: string): number {
  let count = 0;
  for (let k = 0; k < value.length; k++) {
    if (value[k] === '\n') count++;
    else if (value[k] === '\r' && value[k + 1] !== '\n') count++;
  }
  return count;
}

const headerInWords = IMPORT_HEADER.join(',');

/** Why a file's first line is not the import header, or null when it is exactly the header. */
export function importHeaderProblem(text: string): string | null {
  const first = csvRecords(firstRecordText(text))[0];
  if (!first) return `The file is empty: its first line must be the header ${headerInWords}`;
  return headerProblem(first.cells);
}

/** Enough of the text to hold its first record (the header), without splitting a 50 MB file. */
function firstRecordText(text: string): string {
  const end = text.search(/\r?\n|\r/);
  return end === -1 ? text : text.slice(0, end);
}

function headerProblem(cells: string[]): string | null {
  const found = cells.map((c) => c.trim());
  for (let k = 0; k < IMPORT_HEADER.length; k++) {
    if (found[k] === undefined) return `The header has ${found.length} columns; it must be exactly ${headerInWords} (${IMPORT_HEADER[k]} is missing)`;
    if (found[k] !== IMPORT_HEADER[k]) {
      return `Column ${k + 1} of the header is "${found[k].slice(0, 40)}" where ${IMPORT_HEADER[k]} is expected; the header must be exactly ${headerInWords}`;
    }
  }
  if (found.length > IMPORT_HEADER.length) {
    return `The header has ${found.length} columns; it must be exactly ${headerInWords} ("${found[IMPORT_HEADER.length].slice(0, 40)}" is extra)`;
  }
  return null;
}

/** Codes a still-open RTT pathway may have as its last status: its clock is running. */
export const openPathwayRttCodes: readonly RttStatusCode[] = [10, 11, 12, 20, 99];

const MAX_NAME = 100;
const MAX_PATHWAY_ID = 50;
const postcodePattern = /^[A-Za-z]{1,2}\d[A-Za-z\d]? ?\d[A-Za-z]{2}$/;
const list = (values: readonly string[]) => values.join(', ');

/**
 * Reads a PAS extract and checks every row. A file whose header is not exactly IMPORT_HEADER has no rows: its one
 * error is on line 1. Otherwise each bad cell is its own error (line, field, what is wrong in the access centre's
 * words, never repeating a patient's details), and only rows with no error are returned.
 */
export function validateImportFile(text: string, ctx: ImportCheckContext): ImportValidation {
  const records = csvRecords(text);
  const header = records[0];
  if (!header) return { total: 0, rows: [], errors: [{ line: 1, field: 'row', message: `The file is empty: its first line must be the header ${headerInWords}` }] };
  const problem = headerProblem(header.cells);
  if (problem) return { total: 0, rows: [], errors: [{ line: header.line, field: 'row', message: problem }] };

  const rows: ImportRow[] = [];
  const errors: ImportError[] = [];
  const pathwayIds = new Map<string, number>();
  const ubrns = new Map<string, number>();
  const births = new Map<string, { line: number; dateOfBirth: string }>();
  const data = records.slice(1);
  for (const record of data) {
    const found = checkRow(record, ctx, { pathwayIds, ubrns, births });
    if ('row' in found) rows.push(found.row);
    else errors.push(...found.errors);
  }
  return { total: data.length, rows, errors };
}

type Seen = {
  pathwayIds: Map<string, number>;
  ubrns: Map<string, number>;
  births: Map<string, { line: number; dateOfBirth: string }>;
};

function checkRow(record: CsvRecord, ctx: ImportCheckContext, seen: Seen): { row: ImportRow } | { errors: ImportError[] } {
  const { line } = record;
  if (record.unterminated) return { errors: [{ line, field: 'row', message: 'A quoted cell is never closed: the file ends inside quotes' }] };
  if (record.cells.length !== IMPORT_HEADER.length) {
    return { errors: [{ line, field: 'row', message: `The row has ${record.cells.length} cells; the header has ${IMPORT_HEADER.length}` }] };
  }
  const errors: ImportError[] = [];
  const bad = (field: ImportField, message: string) => { errors.push({ line, field, message }); };
  const cell = Object.fromEntries(IMPORT_HEADER.map((name, k) => [name, record.cells[k].trim()])) as Record<ImportField, string>;
  const required = (field: ImportField, what: string) => {
    if (cell[field] === '') { bad(field, `${what} is missing`); return false; }
    return true;
  };
  const { today } = ctx;

  if (required('nhs_number', 'The NHS number') && !isValidNhsNumber(cell.nhs_number)) {
    bad('nhs_number', 'The NHS number is not valid: it must be 10 digits whose last is the Modulus 11 check digit');
  }
  for (const [field, what] of [['given_name', 'The given name'], ['family_name', 'The family name']] as const) {
    if (required(field, what) && cell[field].length > MAX_NAME) bad(field, `${what} is longer than ${MAX_NAME} characters`);
  }
  let dateOfBirthOk = false;
  if (required('date_of_birth', 'The date of birth')) {
    const why = dateOfBirthProblem(cell.date_of_birth, today);
    if (why) bad('date_of_birth', `The date of birth ${why}`);
    else dateOfBirthOk = true;
  }
  if (cell.postcode !== '' && !postcodePattern.test(cell.postcode)) bad('postcode', 'The postcode is not a UK postcode');

  if (cell.pathway_id === '' && cell.ubrn === '') bad('pathway_id', 'The row needs a pathway id (PPID) or a UBRN, or both');
  if (cell.pathway_id.length > MAX_PATHWAY_ID) bad('pathway_id', `The pathway id (PPID) is longer than ${MAX_PATHWAY_ID} characters`);
  if (cell.ubrn !== '' && !/^\d{12}$/.test(cell.ubrn)) bad('ubrn', 'The UBRN must be the 12-digit e-RS booking reference');

  const specialtyKnown = required('treatment_function_code', 'The treatment function code') && ctx.specialties.has(cell.treatment_function_code);
  if (cell.treatment_function_code !== '' && !specialtyKnown) {
    bad('treatment_function_code', `Treatment function code "${cell.treatment_function_code.slice(0, 10)}" is not a specialty of this trust`);
  }
  if (required('priority', 'The priority') && !(referralPriorities as readonly string[]).includes(cell.priority)) {
    bad('priority', `The priority must be one of ${list(referralPriorities)}`);
  }

  let clockStartOk = false;
  if (required('clock_start', 'The clock start')) {
    if (!isIsoDate(cell.clock_start)) bad('clock_start', 'The clock start must be a real date written YYYY-MM-DD');
    else if (daysBetween(today, cell.clock_start) > 0) bad('clock_start', `The clock start is after today (${today})`);
    else if (dateOfBirthOk && daysBetween(cell.date_of_birth, cell.clock_start) < 0) bad('clock_start', 'The clock start is before the date of birth');
    else clockStartOk = true;
  }

  let lastRttCode: number | null = null;
  if (cell.last_rtt_code !== '') {
    const code = /^\d{1,2}$/.test(cell.last_rtt_code) ? Number(cell.last_rtt_code) : NaN;
    if (!isRttStatusCode(code)) bad('last_rtt_code', `"${cell.last_rtt_code.slice(0, 10)}" is not a national RTT period status code`);
    else if (!openPathwayRttCodes.includes(code)) {
      bad('last_rtt_code', `Code ${code} (${rttStatusMeanings[code]}) means the clock is not running: only open pathways are imported `
        + `(last code one of ${openPathwayRttCodes.join(', ')})`);
    } else lastRttCode = code;
  }
  if (cell.last_rtt_date !== '') {
    if (!isIsoDate(cell.last_rtt_date)) bad('last_rtt_date', 'The last RTT date must be a real date written YYYY-MM-DD');
    else if (daysBetween(today, cell.last_rtt_date) > 0) bad('last_rtt_date', `The last RTT date is after today (${today})`);
    else if (clockStartOk && daysBetween(cell.clock_start, cell.last_rtt_date) < 0) bad('last_rtt_date', 'The last RTT date is before the clock start');
    if (cell.last_rtt_code === '') bad('last_rtt_code', 'The last RTT code is missing: give the code with its date, or neither');
  } else if (cell.last_rtt_code !== '') bad('last_rtt_date', 'The last RTT date is missing: give the code with its date, or neither');

  const stageOk = required('stage', 'The stage') && (importStages as readonly string[]).includes(cell.stage);
  if (cell.stage !== '' && !stageOk) bad('stage', `The stage must be one of ${list(importStages)}`);

  if (cell.clinic_id !== '') {
    const clinic = ctx.clinics.get(cell.clinic_id);
    if (!clinic) bad('clinic_id', `Clinic "${cell.clinic_id.slice(0, 40)}" is not a clinic of this trust`);
    else if (specialtyKnown && clinic.specialtyCode !== cell.treatment_function_code) {
      bad('clinic_id', `Clinic ${cell.clinic_id} is a ${clinic.specialtyCode} clinic, not ${cell.treatment_function_code}`);
    }
    if (cell.appointment_start === '') bad('appointment_start', 'The appointment start is missing: a booked row gives the clinic and the start, or neither');
  }
  if (cell.appointment_start !== '') {
    if (!isIsoDateTime(cell.appointment_start)) {
      bad('appointment_start', 'The appointment start must be a date and time with its zone, such as 2027-01-12T09:20:00Z');
    } else if (daysBetween(today, londonDate(Date.parse(cell.appointment_start))) < 0) {
      bad('appointment_start', `The appointment is before today (${today}): only appointments still to come are imported`);
    }
    if (cell.clinic_id === '') bad('clinic_id', 'The clinic is missing: a booked row gives the clinic and the start, or neither');
    if (cell.stage === 'awaiting_triage') bad('stage', 'A referral awaiting triage has no appointment booked yet');
  }

  // Within the file: a pathway once; one patient with one date of birth.
  for (const [field, value, where, what] of [
    ['pathway_id', cell.pathway_id, seen.pathwayIds, 'pathway id (PPID)'], ['ubrn', cell.ubrn, seen.ubrns, 'UBRN'],
  ] as const) {
    if (value === '') continue;
    const first = where.get(value);
    if (first !== undefined) bad(field, `The same ${what} as line ${first}: each pathway is one row`);
    else where.set(value, line);
  }
  const nhsNumber = normaliseNhsNumber(cell.nhs_number);
  if (nhsNumber && dateOfBirthOk) {
    const before = seen.births.get(nhsNumber);
    if (!before) seen.births.set(nhsNumber, { line, dateOfBirth: cell.date_of_birth });
    else if (before.dateOfBirth !== cell.date_of_birth) bad('date_of_birth', `The same NHS number as line ${before.line} with a different date of birth`);
  }

  if (errors.length) return { errors };
  return {
    row: {
      line, nhsNumber: nhsNumber!, givenName: cell.given_name, familyName: cell.family_name, dateOfBirth: cell.date_of_birth,
      postcode: cell.postcode === '' ? null : cell.postcode.toUpperCase(), pathwayId: cell.pathway_id || null, ubrn: cell.ubrn || null,
      specialtyCode: cell.treatment_function_code, priority: cell.priority as ReferralPriority, clockStart: cell.clock_start,
      lastRttCode, lastRttDate: cell.last_rtt_date || null, stage: cell.stage as ImportStage,
      clinicId: cell.clinic_id || null, appointmentStart: cell.appointment_start ? new Date(Date.parse(cell.appointment_start)).toISOString() : null,
    },
  };
}

/** The rejected rows' reasons, one line per row: what the rejected file's `reason` column says. */
export function reasonsByLine(errors: readonly ImportError[]): Map<number, string> {
  const reasons = new Map<number, string>();
  for (const e of errors) {
    const said = e.field === 'row' ? e.message : `${e.field}: ${e.message}`;
    reasons.set(e.line, reasons.has(e.line) ? `${reasons.get(e.line)}; ${said}` : said);
  }
  return reasons;
}
