// CSV exports: any list spec as a streamed CSV with the list's own filters, search and order (GET /api/<res>.csv).
import { sql, type SQL } from 'drizzle-orm';
import { PgDialect } from 'drizzle-orm/pg-core';
import type { Context } from 'hono';
import { queryRows, type Database } from '../db/client';
import { londonOffsetMs } from '../domain';
import { listParams, whereFor, type ListSpec } from './list';

/**
 * One CSV field (RFC 4180): quoted when it holds a comma, quote, CR or LF or starts or ends with a space; quotes
 * doubled. Free text starting with = + - @ or a tab is prefixed with ' so a spreadsheet never runs it as a formula.
 */
export function csvField(value: unknown, freeText = false): string {
  if (value === null || value === undefined) return '';
  let text = String(value);
  if (freeText && /^[=+\-@\t\r]/.test(text)) text = `'${text}`;
  return /[",\r\n]|^\s|\s$/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
}

const dialect = new PgDialect();
type PostgresJsQuery = { cursor(rows: number): AsyncIterable<Record<string, unknown>[]> } & Promise<unknown>;
type PostgresJsConnection = { unsafe(query: string, params?: unknown[]): PostgresJsQuery; release(): void };
type PostgresJs = { unsafe(query: string, params?: unknown[]): PostgresJsQuery; reserve(): Promise<PostgresJsConnection> };

/**
 * The rows of a query a batch at a time, never all at once: a server-side cursor on postgres.js, pages of
 * `batch` rows (limit/offset on a total order) on PGlite, which is embedded and has no cursor to share.
 */
export async function* rowBatches<T>(db: Database, query: (page?: { limit: number; offset: number }) => SQL, batch = 1000): AsyncGenerator<T[]> {
  const client = (db as unknown as { $client?: unknown }).$client as Partial<PostgresJs> | undefined;
  if (client && typeof client.unsafe === 'function' && typeof client.reserve === 'function') {
    const { sql: text, params } = dialect.sqlToQuery(query());
    // A connection of its own for the cursor's life, with JIT off on it (see withoutJit in routes/ptl.ts) until it goes back.
    const conn = await client.reserve();
    try {
      await conn.unsafe('set jit = off');
      for await (const rows of conn.unsafe(text, params).cursor(batch)) yield rows as T[];
    } finally {
      await conn.unsafe('reset jit').catch(() => {});
      conn.release();
    }
    return;
  }
  for (let offset = 0; ; offset += batch) {
    const rows = await queryRows<T>(db, query({ limit: batch, offset }));
    if (rows.length) yield rows;
    if (rows.length < batch) return;
  }
}

/** A streamed CSV download: each line is encoded as the client reads, so a long export never sits in memory. */
export function csvResponse(lines: AsyncGenerator<string>, filename: string): Response {
  const encoder = new TextEncoder();
  const stream = new ReadableStream<Uint8Array>({
    async pull(controller) {
      try {
        const { value, done } = await lines.next();
        if (done) controller.close();
        else controller.enqueue(encoder.encode(value));
      } catch (err) {
        controller.error(err);
      }
    },
    async cancel() { await lines.return(undefined); },
  });
  return new Response(stream, {
    status: 200,
    headers: {
      'Content-Type': 'text/csv; charset=utf-8', 'Content-Disposition': `attachment; filename="${filename}"`, 'Cache-Control': 'no-store',
    },
  });
}

/** An export's column: its header in people's words and the cell from a row; free text is guarded against formulas. */
export type CsvColumn<Row> = { header: string; value: (row: Row) => unknown; freeText?: boolean };

/** An ISO instant as London wall-clock time, 'YYYY-MM-DD HH:MM': what a spreadsheet sorts and a person reads. */
export function londonDateTime(value: unknown): string | null {
  if (typeof value !== 'string' || value === '') return null;
  const ms = Date.parse(value);
  if (Number.isNaN(ms)) return null;
  return new Date(ms + londonOffsetMs(ms)).toISOString().slice(0, 16).replace('T', ' ');
}

/** A label from a table of words, or the code itself when the table has none. */
export const labelOf = (labels: Record<string, string>) => (value: unknown): string | null =>
  value === null || value === undefined ? null : labels[String(value)] ?? String(value);

export const yesNo = (value: unknown) => (value === null || value === undefined ? null : value ? 'Yes' : 'No');

/** The CSV lines of rows: the header line, then one line per row. */
export function csvLines<Row>(columns: readonly CsvColumn<Row>[], rows: readonly Row[]): string {
  return rows.map((row) => `${columns.map((col) => csvField(col.value(row), col.freeText)).join(',')}\r\n`).join('');
}
export const csvHeader = (columns: readonly CsvColumn<never>[]) => `${columns.map((col) => csvField(col.header)).join(',')}\r\n`;

/**
 * A list spec's rows as CSV, streamed: the same sort, filter and search as GET /api/<res> (checked the same way,
 * so a bad filter is the same 400 before anything is sent), every row rather than a page (range is ignored).
 */
export function listCsv<Row extends Record<string, unknown>, Out = Row>(
  c: Context, db: Database, spec: ListSpec<Row>, columns: readonly CsvColumn<Out>[],
  options: { filename: string; extraFilter?: Record<string, unknown> },
): Response {
  const params = listParams(c, spec);
  const where = whereFor(spec, { ...params.filter, ...options.extraFilter });
  const tieBreak = 'fixed' in spec.tieBreak ? spec.tieBreak.fixed : sql`${spec.tieBreak} ${params.dir}`;
  // The tie-break makes the order total, so PGlite's pages of limit/offset neither skip nor repeat a row.
  const query = (page?: { limit: number; offset: number }) => sql`select ${spec.select} from ${spec.from} where ${where}
    order by ${params.sortCol} ${params.dir} nulls last, ${tieBreak}${page ? sql` limit ${page.limit} offset ${page.offset}` : sql``}`;
  async function* lines() {
    yield csvHeader(columns as readonly CsvColumn<never>[]);
    for await (const rows of rowBatches<Row>(db, query)) {
      const records = (spec.map ? rows.map(spec.map) : rows) as unknown as Out[];
      yield csvLines(columns, records);
    }
  }
  return csvResponse(lines(), options.filename);
}
