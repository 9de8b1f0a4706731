// What team leaders look at: the team dashboard and the audit log.
import type { OpenAPIHono } from '@hono/zod-openapi';
import { sql } from 'drizzle-orm';
import { queryRows } from '../../db/client';
import { staffOnLeaveSql } from '../../db/leave';
import { addDays } from '../../domain';
import { onlyFor } from '../auth';
import type { AppDeps, AppEnv } from '../context';
import { iso, listResource, type ListSpec } from '../list';
import { visibleTo, type AbsenceRecord } from './absences';
import { errors, json, listRoute, route, router, signedIn } from '../openapi';
import { auditRecord, dashboard } from '../records';

const auditSpec: ListSpec<Record<string, unknown>> = {
  resource: 'audit',
  select: sql`a.id::text as id, ${iso(sql`a.at`)} as at, a.actor_id as "actorId", s.name as "actorName", a.action,
    a.entity_type as "entityType", a.entity_id as "entityId", a.before, a.after`,
  from: sql`audit_log a left join staff s on s.id = a.actor_id`,
  filters: {
    entityType: { column: sql`a.entity_type` }, entityId: { column: sql`a.entity_id` }, actorId: { column: sql`a.actor_id` },
    action: { column: sql`a.action` }, at: { column: sql`a.at`, kind: 'timestamp' },
  },
  search: [sql`a.action`, sql`a.entity_id`],
  sorts: { id: sql`a.id`, at: sql`a.id` },
  defaultSort: ['id', 'DESC'],
  tieBreak: sql`a.id`,
};

export function auditRoutes(deps: AppDeps): OpenAPIHono<AppEnv> {
  return router().openapi(listRoute('audit', 'The audit log (team leaders)', auditRecord, onlyFor(['team_leader', 'admin'], 'read the audit log')),
    (c) => listResource(c, deps.db, auditSpec));
}

export function dashboardRoutes(deps: AppDeps & { today: () => string }): OpenAPIHono<AppEnv> {
  return router().openapi(route({
    method: 'get', path: '/', tags: ['team'], operationId: 'dashboard', summary: 'Team dashboard: per officer, per queue, and leave',
    middleware: onlyFor(['team_leader', 'admin', 'ops'], 'see the team dashboard'),
    responses: { 200: json('Counts', dashboard), ...errors(...signedIn) },
  }), async (c) => {
    const today = deps.today();
    const [officers, queues, absences] = await Promise.all([
      queryRows(deps.db, sql`
        select s.id as "staffId", s.name, s.role,
          count(t.id)::int as open,
          count(t.id) filter (where t.status = 'claimed')::int as claimed,
          count(t.id) filter (where t.due_at < now())::int as overdue,
          count(t.id) filter (where t.escalation_level > 0)::int as escalated,
          ${staffOnLeaveSql(sql`s.id`, today)} as "onLeave",
          (select c.name from absences a join staff c on c.id = a.cover_staff_id where a.staff_id = s.id and a.status = 'active' limit 1) as "coveredBy"
        from staff s left join tasks t on t.assignee_id = s.id and t.status in ('open', 'claimed')
        where s.active and s.role in ('officer', 'team_leader')
        group by s.id order by s.name`),
      queryRows(deps.db, sql`
        select q.id as "queueId", q.name, q.kind,
          count(t.id)::int as depth,
          count(t.id) filter (where t.assignee_id is null)::int as unassigned,
          count(t.id) filter (where t.due_at < now())::int as overdue,
          ${iso(sql`min(t.due_at)`)} as "oldestDueAt", ${iso(sql`min(t.created_at)`)} as "oldestCreatedAt"
        from queues q left join tasks t on t.queue_id = q.id and t.status in ('open', 'claimed')
        group by q.id order by count(t.id) desc, q.name`),
      queryRows(deps.db, sql`
        select a.id, a.staff_id as "staffId", s.name as "staffName", a."from"::text as "from", a."to"::text as "to", a.handover,
          a.cover_staff_id as "coverStaffId", c.name as "coverStaffName", a.return_on_end as "returnOnEnd", a.reason, a.status
        from absences a join staff s on s.id = a.staff_id left join staff c on c.id = a.cover_staff_id
        where a.status = 'active' or (a.status = 'planned' and a."from" <= ${addDays(today, 14)}::date)
        order by a."from"`),
    ]);
    // Leave reasons only for those the absences API shows them to (one rule, one helper).
    return c.json({ officers, queues, absences: (absences as AbsenceRecord[]).map(visibleTo(c.get('staff'))) });
  });
}
