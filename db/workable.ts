// "Workable by me", written once: claim-next hands out the first such item in the work order, and My work's
// tabs list them, so the top unassigned row of My items is the item `c` would give (tests/api/work-queues.test.ts).
import { sql, type SQL } from 'drizzle-orm';
import { queryRows, type Queryable } from './client';
import { onLeaveSql } from './leave';
import { completableTypes, type CurrentLeave } from '../domain/work-access';
import type { Role } from '../domain/model';

export type Worker = { id: string; role: Role };

const snoozedSql = (alias: string, now: Date) => sql`(${sql.identifier(alias)}.snoozed_until is not null and ${sql.identifier(alias)}.snoozed_until > ${now.toISOString()}::timestamptz)`;

/**
 * Open, unassigned items of `tasks` aliased `alias` that `who` could take and finish now, snoozed or not: in a
 * queue they work (any queue, for `anyQueue` with a `queueId`), of a type their role completes, and an attendance
 * item only once its appointment has started (it is due then, and cannot be recorded before).
 */
function takeableSql(alias: string, who: Worker, now: Date, scope: { queueId?: string; anyQueue?: boolean } = {}): SQL {
  const t = sql.identifier(alias);
  const types = completableTypes(who.role);
  return sql`(${t}.status = 'open' and ${t}.assignee_id is null
    and ${t}.type in (${sql.join(types.map((type) => sql`${type}`), sql`, `)})
    and not (${t}.type = 'record_attendance' and ${t}.due_at > ${now.toISOString()}::timestamptz)
    ${scope.anyQueue && scope.queueId ? sql`` : sql`and ${t}.queue_id in (select queue_id from queue_members where staff_id = ${who.id})`}
    ${scope.queueId ? sql`and ${t}.queue_id = ${scope.queueId}` : sql``})`;
}

/** What claim-next may hand out: takeable and not snoozed. */
export function claimableSql(alias: string, who: Worker, now: Date, scope: { queueId?: string; anyQueue?: boolean } = {}): SQL {
  return sql`(${takeableSql(alias, who, now, scope)} and not ${snoozedSql(alias, now)})`;
}

/**
 * My work: what I hold (whatever its type: a leader may have handed it to me, and it shows read-only if I cannot
 * finish it) and what I could take. `snoozed` picks the Snoozed tab (true) or My items (false); either way the
 * unassigned part is exactly what claim-next chooses from.
 */
export function myWorkSql(alias: string, who: Worker, now: Date, snoozed?: boolean): SQL {
  const t = sql.identifier(alias);
  const mine = sql`((${t}.assignee_id = ${who.id} and ${t}.status in ('open', 'claimed')) or ${takeableSql(alias, who, now)})`;
  if (snoozed === undefined) return mine;
  return sql`(${mine} and ${snoozed ? sql`` : sql`not`} ${snoozedSql(alias, now)})`;
}

/** The leave that makes someone away today (domain/leave.ts), with who has their items; null when at work. */
export async function currentLeave(db: Queryable, staffId: string, today: string): Promise<CurrentLeave | null> {
  const [row] = await queryRows<CurrentLeave>(db, sql`select l."to"::text as "to", l.reason, l.handover, c.name as "coverStaffName"
    from absences l left join staff c on c.id = l.cover_staff_id
    where l.staff_id = ${staffId} and ${onLeaveSql('l', today)} order by l."to" desc limit 1`);
  return row ?? null;
}

