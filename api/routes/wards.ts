// Ward capacity (issue 15): the elective beds a trust sets for each ward, and one bed_management item for a ward and day
// whose booked admissions exceed them (keyed by ward and day, so however many bookings push it over, one item).
import { z, type OpenAPIHono } from '@hono/zod-openapi';
import { sql } from 'drizzle-orm';
import { queryRows, type Queryable, type Tx } from '../../db/client';
import { newId } from '../../db/ids';
import { tasks, wards } from '../../db/schema';
import { writeAudit } from '../../activities/audit';
import { priorityRank, queueFor } from '../../activities/pathway';
import { bedManagementTaskKey, endOfWorkingDay, formatDayDate, queueFor as routeFor, taskTitles, wardOverCapacity } from '../../domain';
import { onlyFor } from '../auth';
import type { AppDeps, AppEnv } from '../context';
import { notFound } from '../errors';
import { listResource, type ListSpec } from '../list';
import { body, errors, json, listRoute, route, router, signedIn } from '../openapi';

export const wardRecord = z.object({
  id: z.string(), code: z.string(), name: z.string(), electiveBeds: z.number().int(),
}).openapi('Ward');
export const wardBody = z.object({
  name: z.string().trim().min(1, 'give the ward a name').max(200),
  electiveBeds: z.number().int('a whole number of beds').min(0).max(1000),
}).strict().openapi('WardCapacity');
const codeParams = z.object({
  code: z.string().trim().min(1).max(40).regex(/^[A-Za-z0-9_-]+$/, 'letters, digits, - and _ only')
    .openapi({ param: { name: 'code', in: 'path', description: "The ward's code, as TCIs name it" }, example: 'W12' }),
});

const wardListSpec: ListSpec<Record<string, unknown>> = {
  resource: 'wards',
  select: sql`w.code as id, w.code, w.name, w.elective_beds as "electiveBeds"`,
  from: sql`wards w`,
  filters: { id: { column: sql`w.code` }, code: { column: sql`w.code` } },
  search: [sql`w.name`, sql`w.code`],
  sorts: { id: sql`w.code`, code: sql`w.code`, name: sql`w.name`, electiveBeds: sql`w.elective_beds` },
  defaultSort: ['code', 'ASC'],
  tieBreak: sql`w.code`,
};

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

/** GET /api/wards, GET /api/wards/:code, PUT /api/wards/:code. */
export function wardRoutes(deps: AppDeps & { today: () => string }): OpenAPIHono<AppEnv> {
  const { db } = deps;
  const read = async (code: string) => {
    const [row] = await queryRows(db, sql`select ${wardListSpec.select} from ${wardListSpec.from} where w.code = ${code}`);
    if (!row) throw notFound('ward', code);
    return row;
  };
  const managers = ['team_leader', 'admin'] as const;
  return router()
    .openapi(listRoute('wards', 'Wards and their elective beds', wardRecord, onlyFor(managers, 'manage ward capacity')),
      (c) => listResource(c, db, wardListSpec))
    .openapi(route({
      method: 'get', path: '/{code}', tags: ['wards'], operationId: 'show_ward', summary: "A ward's elective beds",
      middleware: onlyFor(managers, 'manage ward capacity'),
      request: { params: codeParams },
      responses: { 200: json('The ward', wardRecord), ...errors(...signedIn, 404) },
    }), async (c) => c.json(await read(c.req.valid('param').code)))
    .openapi(route({
      method: 'put', path: '/{code}', tags: ['wards'], operationId: 'save_ward',
      summary: "Set a ward's elective beds (made if new); days from today booked beyond them raise bed management",
      middleware: onlyFor(managers, 'manage ward capacity'),
      request: { params: codeParams, body: body(wardBody) },
      responses: { 200: json('The ward', wardRecord), ...errors(...signedIn) },
    }), async (c) => {
      const me = c.get('staff');
      const { code } = c.req.valid('param');
      const { name, electiveBeds } = c.req.valid('json');
      await db.transaction(async (tx) => {
        const [before] = await queryRows<{ name: string; electiveBeds: number }>(tx,
          sql`select name, elective_beds as "electiveBeds" from wards where code = ${code} for update`);
        const now = new Date();
        await tx.insert(wards).values({ code, name, electiveBeds, updatedBy: me.id })
          .onConflictDoUpdate({ target: wards.code, set: { name, electiveBeds, updatedBy: me.id, updatedAt: now } });
        await writeAudit(tx, { actorId: me.id, action: 'ward.saved', entityType: 'ward', entityId: code,
          before: before ?? null, after: { code, name, electiveBeds } });
        await checkWard(tx, code, deps.today(), me.id);
      });
      return c.json(await read(code));
    });
}
