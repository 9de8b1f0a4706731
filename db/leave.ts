// The domain's "on leave on a date" (domain/leave.ts) as SQL; tests/api/access-model.test.ts holds the two together.
import { sql, type SQL } from 'drizzle-orm';

/** True for a row of `absences` aliased `alias` that makes its person away on `date` (YYYY-MM-DD). */
export function onLeaveSql(alias: string, date: string): SQL {
  const a = sql.identifier(alias);
  return sql`(${a}.status = 'active' or (${a}.status = 'planned' and ${a}."from" <= ${date}::date and ${a}."to" >= ${date}::date))`;
}

/** Whether `staffId` has leave that makes them away on `date`, as a boolean SQL expression. */
export function staffOnLeaveSql(staffId: SQL | string, date: string): SQL {
  return sql`exists (select 1 from absences l where l.staff_id = ${staffId} and ${onLeaveSql('l', date)})`;
}
