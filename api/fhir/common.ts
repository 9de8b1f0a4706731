// What every FHIR resource and answer shares: UK Core profile and identifier URLs, our ids as FHIR ids,
// OperationOutcome errors, searchset Bundles with keyset paging, and FHIR date search parameters.
import type { Bundle, OperationOutcome, Resource } from '@medplum/fhirtypes';
import { sql, type SQL } from 'drizzle-orm';
import { addDays, londonInstant } from '../../domain';

export const FHIR_JSON = 'application/fhir+json';
export const ukCore = (name: string) => `https://fhir.hl7.org.uk/StructureDefinition/UKCore-${name}`;
export const ukCoreExtension = (name: string) => `https://fhir.hl7.org.uk/StructureDefinition/Extension-UKCore-${name}`;
export const NHS_NUMBER_SYSTEM = 'https://fhir.nhs.uk/Id/nhs-number';
export const UBRN_SYSTEM = 'https://fhir.nhs.uk/Id/UBRN';
export const ODS_SYSTEM = 'https://fhir.nhs.uk/Id/ods-organization-code';
export const TREATMENT_FUNCTION_SYSTEM = 'https://fhir.nhs.uk/CodeSystem/NHSDataModelAndDictionary-treatment-function';
/** Our own identifiers (a clinic, a pathway id from the previous PAS): a URN, as no public namespace names them. */
export const localSystem = (what: string) => `urn:access-desk:${what}`;

// FHIR ids allow [A-Za-z0-9.-] only; ours are `pat_01jc…` (lower-case base32 after one underscore, or a demo key
// such as `clin_2`), so '_' ↔ '-' is a one-to-one change and the FHIR id still says what it names.
export const fhirId = (ourId: string) => ourId.replace(/_/g, '-');
export const ourId = (fhir: string) => fhir.replace(/-/g, '_');
export const isFhirId = (value: string) => /^[A-Za-z0-9.-]{1,64}$/.test(value);

export type IssueCode = 'invalid' | 'not-found' | 'login' | 'forbidden' | 'not-supported' | 'exception' | 'too-costly' | 'processing';

/** Every /fhir failure: rendered as an OperationOutcome with this status. */
export class FhirError extends Error {
  constructor(readonly status: 400 | 401 | 403 | 404 | 405 | 406 | 500 | 503, readonly code: IssueCode, message: string,
    readonly expression?: string) {
    super(message);
  }
}
export const badParameter = (name: string, message: string) => new FhirError(400, 'invalid', `${name}: ${message}`, name);

export function operationOutcome(err: FhirError): OperationOutcome {
  return {
    resourceType: 'OperationOutcome',
    issue: [{
      severity: 'error', code: err.code, diagnostics: err.message,
      details: { text: err.message },
      ...(err.expression ? { expression: [err.expression] } : {}),
    }],
  };
}

/** A parameter value as `Patient/pat-…` or `pat-…`: our row id, or a 400 naming the parameter. */
export function referenceParam(name: string, value: string, type: string): string {
  const bare = value.startsWith(`${type}/`) ? value.slice(type.length + 1) : value;
  if (!isFhirId(bare)) throw badParameter(name, `expected ${type}/<id> or <id>, got '${value}'`);
  return ourId(bare);
}

// ---- Date search (FHIR R4 §3.1.1.4.1): a parameter's value is a range at its own precision ----

const datePattern = /^(?<prefix>eq|ne|gt|lt|ge|le|sa|eb|ap)?(?<value>\d{4}(-\d{2}(-\d{2}(T\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:\d{2})?)?)?)?)$/;

/** [from, to) in ms: a date without a time is a whole trust-time (Europe/London) day, month or year. */
export function dateRange(value: string): [number, number] | null {
  if (/^\d{4}$/.test(value)) return [londonInstant(`${value}-01-01`, '00:00'), londonInstant(`${Number(value) + 1}-01-01`, '00:00')];
  if (/^\d{4}-\d{2}$/.test(value)) {
    const [y, m] = value.split('-').map(Number);
    if (m < 1 || m > 12) return null;
    const next = m === 12 ? `${y + 1}-01-01` : `${y}-${String(m + 1).padStart(2, '0')}-01`;
    return [londonInstant(`${value}-01`, '00:00'), londonInstant(next, '00:00')];
  }
  if (/^\d{4}-\d{2}-\d{2}$/.test(value)) {
    if (Number.isNaN(Date.parse(`${value}T00:00:00Z`)) || new Date(`${value}T00:00:00Z`).toISOString().slice(0, 10) !== value) return null;
    return [londonInstant(value, '00:00'), londonInstant(addDays(value, 1), '00:00')];
  }
  // A time needs a zone to be an instant; without one, it is trust time.
  const zoned = /(Z|[+-]\d{2}:\d{2})$/.test(value);
  const at = zoned ? Date.parse(value) : londonInstant(value.slice(0, 10), value.slice(11, 16)) + (Date.parse(`2000-01-01T00:00${value.slice(16)}Z`) - Date.parse('2000-01-01T00:00:00Z') || 0);
  if (Number.isNaN(at)) return null;
  const precisionMs = /T\d{2}:\d{2}$/.test(value.replace(/(Z|[+-]\d{2}:\d{2})$/, '')) ? 60_000 : /\.\d+/.test(value) ? 1 : 1000;
  return [at, at + precisionMs];
}

/** One `date=` (or `start=`) value as a SQL condition on an instant column. */
export function dateCondition(name: string, value: string, column: SQL | unknown): SQL {
  const match = datePattern.exec(value);
  const range = match && dateRange(match.groups!.value);
  if (!match || !range) {
    throw badParameter(name, `'${value}' is not a FHIR date (YYYY, YYYY-MM, YYYY-MM-DD or a date-time), optionally after eq, ne, gt, ge, lt or le`);
  }
  const prefix = match.groups!.prefix ?? 'eq';
  const [from, to] = range.map((ms) => new Date(ms).toISOString());
  const col = column as SQL;
  switch (prefix) {
    case 'eq': return sql`(${col} >= ${from}::timestamptz and ${col} < ${to}::timestamptz)`;
    case 'ne': return sql`(${col} < ${from}::timestamptz or ${col} >= ${to}::timestamptz)`;
    case 'gt': return sql`${col} >= ${to}::timestamptz`;
    case 'ge': return sql`${col} >= ${from}::timestamptz`;
    case 'lt': return sql`${col} < ${from}::timestamptz`;
    case 'le': return sql`${col} < ${to}::timestamptz`;
    default: throw badParameter(name, `the '${prefix}' prefix is not supported here; use eq, ne, gt, ge, lt or le`);
  }
}

// ---- Search parameters and paging ----

export const MAX_COUNT = 100;
export const DEFAULT_COUNT = 20;
/** Parameters any search takes besides its own. */
const commonParams = new Set(['_format', '_count', '_page']);

export type SearchQuery = { params: Map<string, string[]>; count: number; page: Cursor | null };
/** Where a page starts: after the last row of the page before it, or before the first row of the page after it. */
export type Cursor = { dir: 'after' | 'before'; key: string[] };

/** Parses the query string strictly: an unknown parameter, a repeated one that may not repeat, or a bad _count is a 400. */
export function parseSearch(url: URL, allowed: Record<string, { repeats?: boolean }>): SearchQuery {
  const params = new Map<string, string[]>();
  for (const [name, value] of url.searchParams) {
    if (!(name in allowed) && !commonParams.has(name)) {
      const known = [...Object.keys(allowed), ...commonParams].join(', ');
      throw badParameter(name, `unknown search parameter (this server knows ${known})`);
    }
    if (value === '') throw badParameter(name, 'empty value');
    const list = params.get(name) ?? [];
    if (list.length && !allowed[name]?.repeats) throw badParameter(name, 'given more than once');
    params.set(name, [...list, value]);
  }
  let count = DEFAULT_COUNT;
  const countText = params.get('_count')?.[0];
  if (countText !== undefined) {
    if (!/^\d+$/.test(countText)) throw badParameter('_count', `expected a whole number from 0 to ${MAX_COUNT}, got '${countText}'`);
    count = Math.min(Number(countText), MAX_COUNT); // a larger page than we serve is trimmed, as FHIR allows
  }
  const pageText = params.get('_page')?.[0];
  return { params, count, page: pageText === undefined ? null : decodeCursor(pageText) };
}

const encodeCursor = (cursor: Cursor) => Buffer.from(JSON.stringify([cursor.dir === 'after' ? 'a' : 'b', ...cursor.key])).toString('base64url');
function decodeCursor(text: string): Cursor {
  try {
    const [dir, ...key] = JSON.parse(Buffer.from(text, 'base64url').toString('utf8')) as unknown[];
    if ((dir === 'a' || dir === 'b') && key.length > 0 && key.every((k) => typeof k === 'string')) return { dir: dir === 'a' ? 'after' : 'before', key: key as string[] };
  } catch { /* fall through */ }
  throw badParameter('_page', 'not a page of this search; follow the next and previous links as given');
}

/**
 * Keyset paging over a sort key (columns, last one the id): the page's rows in order, and whether there are rows
 * before and after it. `fetch` runs the search with the keyset condition, the order and a limit.
 */
export async function keysetPage<Row>(
  query: SearchQuery,
  keyColumns: SQL[],
  fetch: (keyset: SQL | undefined, order: 'asc' | 'desc', limit: number) => Promise<Row[]>,
): Promise<{ rows: Row[]; hasPrevious: boolean; hasNext: boolean }> {
  const { page, count } = query;
  if (page && page.key.length !== keyColumns.length) throw badParameter('_page', 'not a page of this search; follow the next and previous links as given');
  const tuple = sql`(${sql.join(keyColumns, sql`, `)})`;
  // The key's columns are compared as text except an instant, cast by the caller's column (see keyValue).
  const values = page ? sql`(${sql.join(page.key.map((v, i) => keyValue(keyColumns[i], v)), sql`, `)})` : undefined;
  if (count === 0) return { rows: [], hasPrevious: false, hasNext: false };
  if (!page || page.dir === 'after') {
    const rows = await fetch(values ? sql`${tuple} > ${values}` : undefined, 'asc', count + 1);
    return { rows: rows.slice(0, count), hasPrevious: page !== null, hasNext: rows.length > count };
  }
  const rows = (await fetch(sql`${tuple} < ${values}`, 'desc', count + 1));
  return { rows: rows.slice(0, count).reverse(), hasPrevious: rows.length > count, hasNext: true };
}

/** Columns that hold instants are marked by wrapping them in `instantKey`; their cursor values are ISO strings. */
const instantColumns = new WeakSet<SQL>();
export const instantKey = (column: unknown): SQL => {
  const expr = sql`${column}`;
  instantColumns.add(expr);
  return expr;
};
function keyValue(column: SQL, value: string): SQL {
  if (instantColumns.has(column)) {
    if (Number.isNaN(Date.parse(value))) throw badParameter('_page', 'not a page of this search; follow the next and previous links as given');
    return sql`${value}::timestamptz`;
  }
  return sql`${value}`;
}

/** A searchset Bundle: total, the page's entries with their full URLs, and self/next/previous links. */
export function searchset<Row>(opts: {
  base: string; type: string; url: URL; query: SearchQuery; total: number;
  page: { rows: Row[]; hasPrevious: boolean; hasNext: boolean }; keyOf: (row: Row) => string[]; resource: (row: Row) => Resource;
}): Bundle {
  const { base, url, page, keyOf } = opts;
  const link = (cursor: Cursor | null) => {
    const next = new URL(url.pathname, base);
    for (const [name, value] of url.searchParams) if (name !== '_page') next.searchParams.append(name, value);
    if (cursor) next.searchParams.set('_page', encodeCursor(cursor));
    return next.toString();
  };
  const links: NonNullable<Bundle['link']> = [{ relation: 'self', url: link(opts.query.page) }];
  const first = page.rows[0];
  const last = page.rows.at(-1);
  if (page.hasNext && last) links.push({ relation: 'next', url: link({ dir: 'after', key: keyOf(last) }) });
  if (page.hasPrevious && first) links.push({ relation: 'previous', url: link({ dir: 'before', key: keyOf(first) }) });
  return {
    resourceType: 'Bundle', type: 'searchset', total: opts.total, link: links,
    entry: page.rows.map((row) => {
      const resource = opts.resource(row);
      return { fullUrl: `${base}/fhir/${resource.resourceType}/${resource.id}`, resource, search: { mode: 'match' as const } };
    }),
  };
}

/** An instant as FHIR writes one (always with a zone). */
export const instant = (at: Date | string) => new Date(at).toISOString();
