// The react-admin list contract, implemented once: sort, range and filter in, an array and
// Content-Range out. Only whitelisted fields may be filtered or sorted.
import { sql, type SQL } from 'drizzle-orm';
import type { Context } from 'hono';
import { queryRows, type Database } from '../db/client';
import { isIsoDateTime, isStorableDate } from '../domain';
import { invalid } from './errors';

/** A timestamptz as ISO 8601 in UTC, the same from postgres.js and PGlite. */
export const iso = (column: SQL) => sql`to_char(${column} at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"')`;

export type FilterKind = 'text' | 'number' | 'bool' | 'timestamp' | 'date' | 'enum';
export type FilterField = { column: SQL; kind?: FilterKind; values?: readonly string[] };
export type ListSpec<Row> = {
  resource: string;
  select: SQL; // select list, with camelCase aliases
  from: SQL; // from and joins
  filters: Record<string, FilterField>;
  custom?: Record<string, (value: unknown) => SQL>;
  search?: SQL[]; // columns `q` looks in
  sorts: Record<string, SQL>;
  defaultSort: [string, 'ASC' | 'DESC'];
  /** Columns that break ties in the sort's direction, or `{ fixed }`: an order of its own, whatever the direction. */
  tieBreak: SQL | { fixed: SQL };
  map?: (row: Row) => Record<string, unknown>;
  /**
   * Count at most this many rows (or to the end of the page asked for, if further). Past it the total is a
   * lower bound, said by `X-Total-Capped: true`: an exact count of 100,000 work items costs twenty times the page.
   */
  countCap?: number;
  /**
   * A cheaper count: `from` alone (the main table) when its joins never add or drop a row, unless the filter names one
   * of `joined` (fields, or `q`, whose columns are in the joins). Counting 20,000 admissions without their joins is ~10× cheaper.
   */
  count?: { from: SQL; joined: readonly string[] };
};

/** The response header that says the total in Content-Range is a lower bound: there are at least that many. */
export const TOTAL_CAPPED_HEADER = 'X-Total-Capped';

/** An enum column's filter, knowing its values so a wrong one is a 400 and never reaches Postgres. */
export const enumFilter = (column: SQL, values: readonly string[]): FilterField => ({ column, kind: 'enum', values });

/** Offsets beyond this are no list anyone pages through; it also keeps `offset` inside a bigint. */
export const MAX_LIST_OFFSET = 10_000_000;
const MAX_TEXT = 500;

const hasNul = (v: string) => v.includes('\u0000');

function parseJsonParam(c: Context, name: string): unknown {
  const raw = c.req.query(name);
  if (raw === undefined || raw === '') return undefined;
  if (hasNul(raw)) throw invalid(name, 'must not contain a NUL character');
  try { return JSON.parse(raw); } catch { throw invalid(name, 'must be JSON'); }
}

/** One filter value checked against its field's kind; the value bound into SQL, or a 400 naming `field`. */
function filterValue(field: FilterField, value: unknown, name: string): string | number | boolean {
  const bad = (why: string) => invalid(name, why);
  switch (field.kind ?? 'text') {
    case 'number': {
      const n = typeof value === 'string' && value.trim() !== '' ? Number(value) : value;
      if (typeof n !== 'number' || !Number.isSafeInteger(n) || Math.abs(n) > 2_147_483_647) throw bad('must be a whole number');
      return n;
    }
    case 'bool':
      if (value === true || value === 'true') return true;
      if (value === false || value === 'false') return false;
      throw bad('must be true or false');
    case 'date':
      if (!isStorableDate(value)) throw bad('must be a real date written YYYY-MM-DD');
      return value;
    case 'timestamp':
      if (!isStorableDate(value) && !isIsoDateTime(value)) throw bad('must be a date (YYYY-MM-DD) or an ISO date-time with a zone');
      return value as string;
    case 'enum':
      if (typeof value !== 'string' || !field.values!.includes(value)) throw bad(`must be one of ${field.values!.join(', ')}`);
      return value;
    default:
      if (typeof value === 'number' && Number.isFinite(value)) return String(value);
      if (typeof value !== 'string') throw bad('must be text');
      if (hasNul(value)) throw bad('must not contain a NUL character');
      if (value.length > MAX_TEXT) throw bad(`must be at most ${MAX_TEXT} characters`);
      return value;
  }
}

export function whereFor<Row>(spec: ListSpec<Row>, filter: Record<string, unknown>): SQL {
  const parts: SQL[] = [sql`true`];
  for (const [key, value] of Object.entries(filter)) {
    if (value === undefined || value === null || value === '') continue;
    if (key === 'q' && spec.search) {
      const text = filterValue({ column: sql`` }, value, 'filter.q') as string;
      const like = `%${text.replace(/[%_\\]/g, (m) => `\\${m}`).replace(/\s+/g, '')}%`;
      parts.push(sql`(${sql.join(spec.search.map((col) => sql`replace(${col}, ' ', '') ilike ${like}`), sql` or `)})`);
      continue;
    }
    if (spec.custom && Object.hasOwn(spec.custom, key)) { parts.push(spec.custom[key](value)); continue; }
    const m = /^(.*?)(_gte|_lte|_gt|_lt)?$/.exec(key)!;
    const field = Object.hasOwn(spec.filters, m[1]) ? spec.filters[m[1]] : undefined;
    if (!field) throw invalid(`filter.${key}`, 'cannot filter on this field');
    const name = `filter.${key}`;
    const op = { _gte: sql`>=`, _lte: sql`<=`, _gt: sql`>`, _lt: sql`<` }[m[2] as '_gte'] ;
    if (op) parts.push(sql`${field.column} ${op} ${filterValue(field, value, name)}`);
    else if (Array.isArray(value)) {
      if (value.length > 1000) throw invalid(name, 'may list at most 1000 values');
      const values = value.map((v) => String(filterValue(field, v, name)));
      if (values.length === 0) parts.push(sql`false`);
      // No cast on the column: the partial indexes on enum columns only serve a bare comparison.
      else parts.push(sql`${field.column} in (${sql.join(values.map((v) => sql`${v}`), sql`, `)})`);
    } else parts.push(sql`${field.column} = ${filterValue(field, value, name)}`);
  }
  return sql.join(parts, sql` and `);
}

/** The list contract's sort, range and filter, checked: a 400 naming `sort`, `range` or `filter` when wrong. */
export function listParams<Row>(c: Context, spec: Pick<ListSpec<Row>, 'sorts' | 'defaultSort'>) {
  const sort = parseJsonParam(c, 'sort') ?? spec.defaultSort;
  if (!Array.isArray(sort) || sort.length !== 2 || !sort.every((v) => typeof v === 'string')) {
    throw invalid('sort', 'must be ["field", "ASC" or "DESC"]');
  }
  const [sortField, sortDir] = sort as [string, string];
  const sortCol = Object.hasOwn(spec.sorts, sortField) ? spec.sorts[sortField] : undefined;
  if (!sortCol) throw invalid('sort', `cannot sort by ${sortField.slice(0, 50)}`);
  if (!/^(asc|desc)$/i.test(sortDir)) throw invalid('sort', 'direction must be ASC or DESC');
  const descending = sortDir.toUpperCase() === 'DESC';
  const dir = descending ? sql`desc` : sql`asc`;
  const range = parseJsonParam(c, 'range') ?? [0, 24];
  if (!Array.isArray(range) || range.length !== 2 || !range.every((n) => Number.isSafeInteger(n) && n >= 0 && n <= MAX_LIST_OFFSET) || range[1] < range[0]) {
    throw invalid('range', `must be [first, last] with 0 <= first <= last <= ${MAX_LIST_OFFSET}`);
  }
  const rawFilter = parseJsonParam(c, 'filter') ?? {};
  if (typeof rawFilter !== 'object' || rawFilter === null || Array.isArray(rawFilter)) throw invalid('filter', 'must be a JSON object');
  const [first, last] = range as [number, number];
  return {
    sortField, sortCol, dir, descending, first, limit: Math.min(last - first + 1, 1000),
    filter: rawFilter as Record<string, unknown>,
  };
}

/**
 * A list's count: exact, or for a spec with `countCap` at most one row past the cap or past the page, whichever is
 * further, so a capped total still says whether a next page exists. `limit` is that bound (a total equal to it is
 * capped). The capped count walks the rows in the page's own order, so it takes the page's path (for My work the
 * partial index on open items) and never a scan that wades through a year of done items to find open ones.
 */
export function countQuery(spec: Pick<ListSpec<never>, 'from' | 'countCap'>, where: SQL, order: SQL, first: number, limit: number): { query: SQL; limit?: number } {
  if (spec.countCap === undefined) return { query: sql`select count(*)::int as total from ${spec.from} where ${where}` };
  const bound = Math.max(spec.countCap, first + limit) + 1;
  return { query: sql`select count(*)::int as total from (select 1 from ${spec.from} where ${where} order by ${order} limit ${bound}) counted`, limit: bound };
}

/** The from a list's total counts over for this filter: `spec.count.from` unless a given filter needs the joins. */
export function countFrom(spec: Pick<ListSpec<never>, 'from' | 'count' | 'countCap'>, filter: Record<string, unknown>): SQL {
  // A capped count walks the page's order, which may sort on joined columns.
  if (!spec.count || spec.countCap !== undefined) return spec.from;
  const joined = new Set(spec.count.joined);
  const needsJoins = Object.entries(filter).some(([key, value]) =>
    value !== undefined && value !== null && value !== '' && joined.has(key.replace(/_(gte|lte|gt|lt)$/, '')));
  return needsJoins ? spec.from : spec.count.from;
}

export async function listResource<Row extends Record<string, unknown>>(c: Context, db: Database, spec: ListSpec<Row>, extraFilter: Record<string, unknown> = {}) {
  const params = listParams(c, spec);
  const { sortCol, dir, first, limit } = params;
  const filter = { ...params.filter, ...extraFilter };
  const where = whereFor(spec, filter);
  const tieBreak = 'fixed' in spec.tieBreak ? spec.tieBreak.fixed : sql`${spec.tieBreak} ${dir}`;
  const order = sql`${sortCol} ${dir} nulls last, ${tieBreak}`;
  const count = countQuery({ from: countFrom(spec, filter), countCap: spec.countCap }, where, order, first, limit);
  const [rows, [{ total }]] = await Promise.all([
    queryRows<Row>(db, sql`select ${spec.select} from ${spec.from} where ${where} order by ${order} limit ${limit} offset ${first}`),
    queryRows<{ total: number }>(db, count.query),
  ]);
  const countLimit = count.limit;
  const records = spec.map ? rows.map(spec.map) : rows;
  const end = records.length ? first + records.length - 1 : first;
  c.header('Content-Range', `${spec.resource} ${first}-${end}/${total}`);
  if (countLimit !== undefined && total >= countLimit) c.header(TOTAL_CAPPED_HEADER, 'true');
  return c.json(records);
}
