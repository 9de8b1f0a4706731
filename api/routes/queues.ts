// Queues and who works them: team leaders and admins edit membership.
import { and, eq, sql } from 'drizzle-orm';
import { z, type OpenAPIHono } from '@hono/zod-openapi';
import { queryRows } from '../../db/client';
import { queueKind, queueMembers, queues, staff } from '../../db/schema';
import { writeAudit } from '../../activities/audit';
import { onlyFor } from '../auth';
import type { AppDeps, AppEnv } from '../context';
import { invalid, notFound } from '../errors';
import { enumFilter, listResource, type ListSpec } from '../list';
import { body, errors, idParams, json, listRoute, route, router, showRoute, signedIn } from '../openapi';
import { queueDetail, queueRecord } from '../records';
import { memberBody } from '../schemas';

export const queueSpec: ListSpec<Record<string, unknown>> = {
  resource: 'queues',
  select: sql`q.id, q.name, q.kind, q.specialty_code as "specialtyCode",
    (select count(*)::int from tasks t where t.queue_id = q.id and t.status in ('open', 'claimed')) as "openItems",
    (select count(*)::int from queue_members m where m.queue_id = q.id) as "memberCount"`,
  from: sql`queues q`,
  filters: { id: { column: sql`q.id` }, kind: enumFilter(sql`q.kind`, queueKind.enumValues), specialtyCode: { column: sql`q.specialty_code` } },
  search: [sql`q.name`],
  sorts: { id: sql`q.id`, name: sql`q.name`, kind: sql`q.kind` },
  defaultSort: ['name', 'ASC'],
  tieBreak: sql`q.id`,
};

const queueOk = { 200: json('The queue and its members', queueDetail) };
const leaders = onlyFor(['team_leader', 'admin'], 'edit queues');

export function queueRoutes(deps: AppDeps): OpenAPIHono<AppEnv> {
  const { db } = deps;
  const show = async (id: string) => {
    const [queue] = await queryRows<Record<string, unknown>>(db, sql`select ${queueSpec.select} from ${queueSpec.from} where q.id = ${id}`);
    if (!queue) throw notFound('queue', id);
    const members = await db.select({ id: staff.id, name: staff.name, role: staff.role }).from(queueMembers)
      .innerJoin(staff, eq(staff.id, queueMembers.staffId)).where(eq(queueMembers.queueId, id)).orderBy(staff.name);
    return { ...queue, members };
  };
  return router()
    .openapi(listRoute('queues', 'List work queues', queueRecord), (c) => listResource(c, db, queueSpec))
    .openapi(showRoute('queues', 'A queue and who works it', queueDetail, 'queue_101'), async (c) => c.json(await show(c.req.valid('param').id)))
    .openapi(route({
      method: 'post', path: '/{id}/members', tags: ['queues'], operationId: 'add_queue_member', summary: 'Add someone to a queue (team leaders)',
      middleware: leaders, request: { params: idParams('The queue id', 'queue_101'), body: body(memberBody) },
      responses: { ...queueOk, ...errors(...signedIn, 404) },
    }), async (c) => {
      const id = c.req.valid('param').id;
      const { staffId } = c.req.valid('json');
      await show(id);
      const [person] = await db.select().from(staff).where(eq(staff.id, staffId));
      if (!person) throw invalid('staffId', 'no such member of staff');
      await db.transaction(async (tx) => {
        const added = await tx.insert(queueMembers).values({ queueId: id, staffId }).onConflictDoNothing().returning();
        if (added.length) await writeAudit(tx, { actorId: c.get('staff').id, action: 'queue.member_added', entityType: 'queue', entityId: id, after: { staffId } });
      });
      return c.json(await show(id));
    })
    .openapi(route({
      method: 'delete', path: '/{id}/members/{staffId}', tags: ['queues'], operationId: 'remove_queue_member', summary: 'Take someone off a queue (team leaders)',
      middleware: leaders,
      request: { params: idParams('The queue id', 'queue_101').extend({
        staffId: z.string().min(1).openapi({ param: { name: 'staffId', in: 'path', description: 'The member of staff' }, example: 'staff_ops' }),
      }) },
      responses: { ...queueOk, ...errors(...signedIn, 404) },
    }), async (c) => {
      const { id, staffId } = c.req.valid('param');
      await db.transaction(async (tx) => {
        const removed = await tx.delete(queueMembers).where(and(eq(queueMembers.queueId, id), eq(queueMembers.staffId, staffId))).returning();
        if (removed.length) await writeAudit(tx, { actorId: c.get('staff').id, action: 'queue.member_removed', entityType: 'queue', entityId: id, before: { staffId } });
      });
      return c.json(await show(id));
    });
}
