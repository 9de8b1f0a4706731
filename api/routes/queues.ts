// Queues and who works them: team leaders and admins edit membership.
import { Hono } from 'hono';
import { and, eq, sql } from 'drizzle-orm';
import { z } from 'zod';
import { queryRows } from '../../db/client';
import { queueKind, queueMembers, queues, staff } from '../../db/schema';
import { writeAudit } from '../../activities/audit';
import { requireRole } from '../auth';
import type { AppDeps, AppEnv } from '../context';
import { invalid, notFound } from '../errors';
import { enumFilter, listResource, type ListSpec } from '../list';
import { parseBody } from '../validate';

const queueSpec: ListSpec<Record<string, unknown>> = {
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

export const memberBody = z.object({ staffId: z.string().min(1) });

export function queueRoutes(deps: AppDeps) {
  const { db } = deps;
  const show = async (id: string) => {
    const [queue] = await queryRows<Record<string, unknown>>(db, sql`select ${queueSpec.select} from ${queueSpec.from} where q.id = ${id}`);
    if (!queue) throw notFound('queue', id);
    const members = await db.select({ id: staff.id, name: staff.name, role: staff.role }).from(queueMembers)
      .innerJoin(staff, eq(staff.id, queueMembers.staffId)).where(eq(queueMembers.queueId, id)).orderBy(staff.name);
    return { ...queue, members };
  };
  return new Hono<AppEnv>()
    .get('/', (c) => listResource(c, db, queueSpec))
    .get('/:id', async (c) => c.json(await show(c.req.param('id'))))
    .post('/:id/members', requireRole('team_leader', 'admin'), async (c) => {
      const id = c.req.param('id');
      const { staffId } = await parseBody(c, memberBody);
      await show(id);
      const [person] = await db.select().from(staff).where(eq(staff.id, staffId));
      if (!person) throw invalid('staffId', 'no such member of staff');
      await db.transaction(async (tx) => {
        const added = await tx.insert(queueMembers).values({ queueId: id, staffId }).onConflictDoNothing().returning();
        if (added.length) await writeAudit(tx, { actorId: c.get('staff').id, action: 'queue.member_added', entityType: 'queue', entityId: id, after: { staffId } });
      });
      return c.json(await show(id));
    })
    .delete('/:id/members/:staffId', requireRole('team_leader', 'admin'), async (c) => {
      const id = c.req.param('id');
      const staffId = c.req.param('staffId');
      await db.transaction(async (tx) => {
        const removed = await tx.delete(queueMembers).where(and(eq(queueMembers.queueId, id), eq(queueMembers.staffId, staffId))).returning();
        if (removed.length) await writeAudit(tx, { actorId: c.get('staff').id, action: 'queue.member_removed', entityType: 'queue', entityId: id, before: { staffId } });
      });
      return c.json(await show(id));
    });
}
