// The staff inbox (issue 12), the bell in the console's app bar: my notifications only, newest first. Another
// person's notification is answered as not found: whether it exists is theirs to know.
import type { OpenAPIHono } from '@hono/zod-openapi';
import { and, eq, isNull, sql } from 'drizzle-orm';
import { queryRows } from '../../db/client';
import { staffNotificationKind, staffNotifications } from '../../db/schema';
import type { AppDeps, AppEnv, SignedIn } from '../context';
import { invalid, notFound } from '../errors';
import { enumFilter, iso, listResource, type ListSpec } from '../list';
import { errors, idParams, json, listRoute, route, router, signedIn } from '../openapi';
import { notificationsRead, staffNotificationRecord } from '../records';

const yes = (v: unknown, name: string) => {
  if (v === true || v === 'true') return true;
  if (v === false || v === 'false') return false;
  throw invalid(name, 'must be true or false');
};

const spec: ListSpec<Record<string, unknown>> = {
  resource: 'notifications',
  select: sql`n.id, n.kind, n.title, n.body, n.task_id as "taskId", n.referral_id as "referralId",
    p.given_name || ' ' || p.family_name as "patientName", ${iso(sql`n.created_at`)} as "createdAt", ${iso(sql`n.read_at`)} as "readAt",
    n.read_at is not null as read`,
  from: sql`staff_notifications n left join tasks t on t.id = n.task_id left join patients p on p.id = t.patient_id`,
  filters: { id: { column: sql`n.id` }, kind: enumFilter(sql`n.kind`, staffNotificationKind.enumValues), createdAt: { column: sql`n.created_at`, kind: 'timestamp' } },
  custom: { read: (v) => (yes(v, 'filter.read') ? sql`n.read_at is not null` : sql`n.read_at is null`) },
  sorts: { createdAt: sql`n.created_at`, id: sql`n.id` },
  defaultSort: ['createdAt', 'DESC'],
  tieBreak: sql`n.id`,
};
/** The list, always only mine: no filter reaches another person's inbox. */
const mine = (me: SignedIn) => ({ ...spec, custom: { ...spec.custom, owner: () => sql`n.staff_id = ${me.id}` } });

export function notificationRoutes(deps: AppDeps): OpenAPIHono<AppEnv> {
  const { db } = deps;
  const record = async (me: SignedIn, id: string) => {
    const [row] = await queryRows<Record<string, unknown>>(db, sql`select ${spec.select} from ${spec.from} where n.id = ${id} and n.staff_id = ${me.id}`);
    if (!row) throw notFound('notification in your inbox', id);
    return row;
  };
  return router()
    .openapi(listRoute('notifications', 'My notifications (the bell), newest first; filter read: false for the unread', staffNotificationRecord),
      (c) => listResource(c, db, mine(c.get('staff')), { owner: true }))
    .openapi(route({
      method: 'post', path: '/read-all', tags: ['notifications'], operationId: 'read_all_notifications', summary: 'Mark all my notifications read',
      responses: { 200: json('How many were marked', notificationsRead), ...errors(...signedIn) },
    }), async (c) => {
      const me = c.get('staff');
      const read = await db.update(staffNotifications).set({ readAt: new Date() })
        .where(and(eq(staffNotifications.staffId, me.id), isNull(staffNotifications.readAt))).returning({ id: staffNotifications.id });
      return c.json({ read: read.length });
    })
    .openapi(route({
      method: 'post', path: '/{id}/read', tags: ['notifications'], operationId: 'read_notification', summary: 'Mark one of my notifications read',
      request: { params: idParams('The notification id (notif_…)') },
      responses: { 200: json('The notification, read', staffNotificationRecord), ...errors(...signedIn, 404) },
    }), async (c) => {
      const me = c.get('staff');
      const id = c.req.valid('param').id;
      // Read once: reading again keeps the first time it was read.
      await db.update(staffNotifications).set({ readAt: new Date() })
        .where(and(eq(staffNotifications.id, id), eq(staffNotifications.staffId, me.id), isNull(staffNotifications.readAt)));
      return c.json(await record(me, id));
    });
}
