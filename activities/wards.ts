// Ward capacity (issue 15): one bed_management item for a ward and day whose booked admissions exceed the elective beds
// the trust set (keyed by ward and day, so however many bookings push it over, one item). Checked when a ward's beds are
// set (PUT /api/wards/:code) and when a TCI is accepted (the pathway's recordAdmittedCare, in its transaction).
import { sql } from 'drizzle-orm';
import { queryRows, type Queryable, type Tx } from '../db/client';
import { newId } from '../db/ids';
import { tasks } from '../db/schema';
import { bedManagementTaskKey, endOfWorkingDay, formatDayDate, queueFor as routeFor, taskTitles, wardOverCapacity } from '../domain';
import { writeAudit } from './audit';
import { priorityRank, queueFor } from './pathway';

/**
 * A ward's day checked against its elective beds: booked admissions (TCIs booked for that day on that ward) above them
 * raise one bed_management item for the ward and day. Nothing for a ward whose beds the trust has not set.
 */
export async function checkWardDay(tx: Queryable, wardCode: string, date: string, actorId: string | null): Promise<string | null> {
  const [row] = await queryRows<{ beds: number; name: string; booked: number }>(tx, sql`select w.elective_beds as beds, w.name,
      (select count(*)::int from admissions a where a.ward = w.code and a.tci_date = ${date}::date and a.status in ('tci_booked', 'admitted')) as booked
    from wards w where w.code = ${wardCode}`);
  if (!row || !wardOverCapacity(row.booked, row.beds)) return null;
  const id = newId('task');
  const inserted = await (tx as Tx).insert(tasks).values({
    id, taskKey: bedManagementTaskKey(wardCode, date), type: 'bed_management', title: taskTitles.bed_management,
    priority: 'urgent', priorityRank: priorityRank.urgent, dueAt: new Date(endOfWorkingDay(date)),
    queueId: await queueFor(tx as Tx, routeFor('bed_management', 'urgent', '')), workflowId: `ward-${wardCode}`,
    payload: { wardCode, wardName: row.name, date, electiveBeds: row.beds, booked: row.booked,
      reason: `${row.booked} admissions booked on ${row.name} for ${formatDayDate(date)}, ${row.beds} elective beds` },
  }).onConflictDoNothing({ target: tasks.taskKey }).returning({ id: tasks.id });
  if (!inserted.length) return null;
  await writeAudit(tx, { actorId, action: 'task.opened', entityType: 'task', entityId: id,
    after: { type: 'bed_management', wardCode, date, booked: row.booked, electiveBeds: row.beds } });
  return id;
}

/** Every day from `from` with bookings on the ward, checked (a ward's beds lowered may put several days over). */
export async function checkWard(tx: Queryable, wardCode: string, from: string, actorId: string | null): Promise<void> {
  const days = await queryRows<{ date: string }>(tx, sql`select distinct tci_date::text as date from admissions
    where ward = ${wardCode} and tci_date >= ${from}::date and status in ('tci_booked', 'admitted') order by 1`);
  for (const { date } of days) await checkWardDay(tx, wardCode, date, actorId);
}

