// PAS extracts for the import tests (issue 13): rows by column name, valid NHS numbers, the contract header.
import { IMPORT_HEADER, type ImportField } from '../../domain/import';

/** The k-th valid NHS number of a series that never repeats a number (Modulus 11 check digit appended). */
export function nhsNumberFor(k: number): string {
  for (let n = k * 13; ; n++) {
    const nine = String(400_000_000 + n * 7);
    const sum = [...nine].reduce((s, d, i) => s + Number(d) * (10 - i), 0);
    const check = 11 - (sum % 11);
    if (check !== 10) return `${nine}${check === 11 ? 0 : check}`;
  }
}

export type ImportCells = Partial<Record<ImportField, string>>;

/** One CSV line from cells by column name; a cell with a comma or quote is quoted. */
export function importLine(cells: ImportCells): string {
  return IMPORT_HEADER.map((h) => {
    const v = cells[h] ?? '';
    return /[",\r\n]/.test(v) ? `"${v.replace(/"/g, '""')}"` : v;
  }).join(',');
}

/** The file: the header, then the rows (given as cells or as raw lines), CRLF. */
export function importFile(rows: (ImportCells | string)[]): string {
  return [IMPORT_HEADER.join(','), ...rows.map((r) => (typeof r === 'string' ? r : importLine(r)))].join('\r\n') + '\r\n';
}
