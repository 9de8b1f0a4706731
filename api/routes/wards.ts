// Ward capacity (issue 15): the elective beds a trust sets for each ward, and one bed_management item for a ward and day
// whose booked admissions exceed them (keyed by ward and day, so however many bookings push it over, one item).
import { z, type OpenAPIHono } from '@hono/zod-openapi';
import { sql } from 'drizzle-orm';
import { queryRows } from '../../db/client';
import { wards } from '../../db/schema';
import { writeAudit } from '../../activities/audit';
import { checkWard } from '../../activities/wards';
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
