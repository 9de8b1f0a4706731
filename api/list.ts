// The react-admin list contract, implemented once: sort, range and filter in, an array and
// Content-Range out. Only whitelisted fields may be filtered or sorted.
import { sql, type SQL } from 'drizzle-orm';
import type { Context } from 'hono';
import { queryRows, type Database } from '../db/client';
import { invalid } from './errors';

/** A timestamptz as ISO 8601 in UTC, the same from postgres.js and PGlite. */
export const iso = (column: SQL) => sql`to_char(${column} at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"')`;

export type FilterKind = 'text' | 'number' | 'bool' | 'timestamp' | 'date';
export type ListSpec<Row> = {
  resource: string;
  select: SQL; // select list, with camelCase aliases
  from: SQL; // from and joins
  filters: Record<string, { column: SQL; kind?: FilterKind }>;
  custom?: Record<string, (value: unknown) => SQL>;
  search?: SQL[]; // columns `q` looks in
  sorts: Record<string, SQL>;
  defaultSort: [string, 'ASC' | 'DESC'];
  tieBreak: SQL;
  map?: (row: Row) => Record<string, unknown>;
};

function parseJsonParam<T>(c: Context, name: string, fallback: T): T {
  const raw = c.req.query(name);
  if (raw === undefined || raw === '') return fallback;
  try { return JSON.parse(raw) as T; } catch { throw invalid(name, 'must be JSON'); }
}

export function whereFor<Row>(spec: ListSpec<Row>, filter: Record<string, unknown>): SQL {
  const parts: SQL[] = [sql`true`];
  for (const [key, value] of Object.entries(filter)) {
    if (value === undefined || value === null || value === '') continue;
    if (key === 'q' && spec.search) {
      const like = `%${String(value).replace(/[%_\\]/g, (m) => `\\${m}`).replace(/\s+/g, '')}%`;
      parts.push(sql`(${sql.join(spec.search.map((col) => sql`replace(${col}, ' ', '') ilike ${like}`), sql` or `)})`);
      continue;
    }
    if (spec.custom?.[key]) { parts.push(spec.custom[key](value)); continue; }
    const m = /^(.*?)(_gte|_lte|_gt|_lt)?$/.exec(key)!;
    const field = spec.filters[m[1]];
    if (!field) throw invalid(`filter.${key}`, 'cannot filter on this field');
    const cast = (v: unknown) => field.kind === 'number' ? Number(v) : field.kind === 'bool' ? v === true || v === 'true' : String(v);
    const op = { _gte: sql`>=`, _lte: sql`<=`, _gt: sql`>`, _lt: sql`<` }[m[2] as '_gte'] ;
    if (op) parts.push(sql`${field.column} ${op} ${cast(value)}`);
    else if (Array.isArray(value)) {
      if (value.length === 0) parts.push(sql`false`);
      // No cast on the column: the partial indexes on enum columns only serve a bare comparison.
      else parts.push(sql`${field.column} in (${sql.join(value.map((v) => sql`${String(v)}`), sql`, `)})`);
    } else parts.push(sql`${field.column} = ${cast(value)}`);
  }
  return sql.join(parts, sql` and `);
}

export async function listResource<Row extends Record<string, unknown>>(c: Context, db: Database, spec: ListSpec<Row>, extraFilter: Record<string, unknown> = {}) {
  const [sortField, sortDir] = parseJsonParam<[string, string]>(c, 'sort', spec.defaultSort);
  const range = parseJsonParam<[number, number]>(c, 'range', [0, 24]);
  const filter = { ...parseJsonParam<Record<string, unknown>>(c, 'filter', {}), ...extraFilter };
  if (typeof filter !== 'object' || Array.isArray(filter)) throw invalid('filter', 'must be a JSON object');
  const sortCol = spec.sorts[sortField];
  if (!sortCol) throw invalid('sort', `cannot sort by ${sortField}`);
  const dir = String(sortDir).toUpperCase() === 'DESC' ? sql`desc` : sql`asc`;
  if (!Array.isArray(range) || range.length !== 2 || !range.every((n) => Number.isInteger(n) && n >= 0) || range[1] < range[0]) {
    throw invalid('range', 'must be [first, last] with 0 <= first <= last');
  }
  const [first, last] = range;
  const limit = Math.min(last - first + 1, 1000);
  const where = whereFor(spec, filter);
  const [rows, [{ total }]] = await Promise.all([
    queryRows<Row>(db, sql`select ${spec.select} from ${spec.from} where ${where} order by ${sortCol} ${dir} nulls last, ${spec.tieBreak} ${dir} limit ${limit} offset ${first}`),
    queryRows<{ total: number }>(db, sql`select count(*)::int as total from ${spec.from} where ${where}`),
  ]);
  const records = spec.map ? rows.map(spec.map) : rows;
  const end = records.length ? first + records.length - 1 : first;
  c.header('Content-Range', `${spec.resource} ${first}-${end}/${total}`);
  return c.json(records);
}
