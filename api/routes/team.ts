// What team leaders look at: the team dashboard and the audit log.
import type { OpenAPIHono } from '@hono/zod-openapi';
import { sql, type SQL } from 'drizzle-orm';
import { queryRows } from '../../db/client';
import { staffOnLeaveSql } from '../../db/leave';
import { addDays } from '../../domain';
import { onlyFor } from '../auth';
import type { AppDeps, AppEnv } from '../context';
import { invalid } from '../errors';
import { iso, listResource, type ListSpec } from '../list';
import { visibleTo, type AbsenceRecord } from './absences';
import { errors, json, listRoute, route, router, signedIn } from '../openapi';
import { auditRecord, dashboard } from '../records';

// What an entry is about, in words: its patient, the referral it belongs to, a label for the record, the
// people and queues its before/after name, and the leave behind a leave move. Scalar subqueries, so they
// run for the page's rows only, never for the count.
const patientOfEntry = sql`case a.entity_type
  when 'task' then (select t.patient_id from tasks t where t.id = a.entity_id)
  when 'referral' then (select r.patient_id from referrals r where r.id = a.entity_id)
  when 'appointment' then (select x.patient_id from appointments x where x.id = a.entity_id)
  when 'offer' then (select r.patient_id from offers o join referrals r on r.id = o.referral_id where o.id = a.entity_id)
  when 'patient' then a.entity_id
end`;
const referralOfEntry = sql`case a.entity_type
  when 'task' then (select t.referral_id from tasks t where t.id = a.entity_id)
  when 'referral' then a.entity_id
  when 'appointment' then (select x.referral_id from appointments x where x.id = a.entity_id)
  when 'offer' then (select o.referral_id from offers o where o.id = a.entity_id)
end`;
const londonDay = (column: SQL) => sql`to_char(${column}, 'FMDD Mon YYYY')`;
const londonMinute = (column: SQL) => sql`to_char(${column} at time zone 'Europe/London', 'FMDD Mon YYYY HH24:MI')`;
const labelOfEntry = sql`case a.entity_type
  when 'task' then (select t.title from tasks t where t.id = a.entity_id)
  when 'referral' then (select sp.name from referrals r join specialties sp on sp.code = r.specialty_code where r.id = a.entity_id)
  when 'appointment' then (select c.name || ', ' || ${londonMinute(sql`x.start`)} from appointments x join clinics c on c.id = x.clinic_id where x.id = a.entity_id)
  when 'slot' then (select c.name || ', ' || ${londonMinute(sql`sl.start`)} from slots sl join clinics c on c.id = sl.clinic_id where sl.id = a.entity_id)
  when 'offer' then (select ${londonDay(sql`o.offered_date`)} from offers o where o.id = a.entity_id)
  when 'absence' then (select s.name from absences ab join staff s on s.id = ab.staff_id where ab.id = a.entity_id)
  when 'queue' then (select q.name from queues q where q.id = a.entity_id)
  when 'clinic' then (select c.name from clinics c where c.id = a.entity_id)
  when 'clinic_session_change' then (select c.name || ' on ' || ${londonDay(sql`sc.session_date`)} from clinic_session_changes sc join clinics c on c.id = sc.clinic_id where sc.id = a.entity_id)
  when 'staff' then (select s.name from staff s where s.id = a.entity_id)
end`;
const staffKeys = ['assigneeId', 'coverStaffId', 'staffId', 'notified', 'confirmedBy'];
const namedIn = (keys: string[]) => sql.join(keys.flatMap((k) => [sql`a.before->>${k}`, sql`a.after->>${k}`]), sql`, `);
const namesOfEntry = sql`(select coalesce(jsonb_object_agg(n.id, n.name), '{}'::jsonb) from (
    select s.id, s.name from staff s where s.id in (${namedIn(staffKeys)})
    union all select q.id, q.name from queues q where q.id in (${namedIn(['queueId'])})
    union all select c.id, c.name from clinics c where c.id in (${namedIn(['clinicId'])})) n)`;
const leaveOfEntry = sql`(select json_build_object('staffId', ab.staff_id, 'staffName', s.name, 'reason', ab.reason, 'coverName', c.name)
  from absences ab join staff s on s.id = ab.staff_id left join staff c on c.id = ab.cover_staff_id
  where ab.id = case when a.entity_type = 'absence' then a.entity_id else a.after->>'absenceId' end)`;

/** Entries about one patient: their record, work items, referrals, appointments and offers (by the audit_entity index). */
function aboutPatient(value: unknown): SQL {
  if (typeof value !== 'string' || value.length === 0 || value.length > 100) throw invalid('filter.patientId', 'must be a patient id');
  return sql`(
    (a.entity_type = 'task' and a.entity_id in (select t.id from tasks t where t.patient_id = ${value}))
    or (a.entity_type = 'referral' and a.entity_id in (select r.id from referrals r where r.patient_id = ${value}))
    or (a.entity_type = 'appointment' and a.entity_id in (select x.id from appointments x where x.patient_id = ${value}))
    or (a.entity_type = 'offer' and a.entity_id in (select o.id from offers o join referrals r on r.id = o.referral_id where r.patient_id = ${value}))
    or (a.entity_type = 'patient' and a.entity_id = ${value}))`;
}

export const auditSpec: ListSpec<Record<string, unknown>> = {
  resource: 'audit',
  select: sql`a.id::text as id, ${iso(sql`a.at`)} as at, a.actor_id as "actorId", s.name as "actorName", a.action,
    a.entity_type as "entityType", a.entity_id as "entityId", a.before, a.after,
    ${patientOfEntry} as "patientId",
    (select p.given_name || ' ' || p.family_name from patients p where p.id = ${patientOfEntry}) as "patientName",
    ${referralOfEntry} as "referralId", ${labelOfEntry} as "entityLabel", ${namesOfEntry} as names, ${leaveOfEntry} as leave`,
  from: sql`audit_log a left join staff s on s.id = a.actor_id`,
  filters: {
    entityType: { column: sql`a.entity_type` }, entityId: { column: sql`a.entity_id` }, actorId: { column: sql`a.actor_id` },
    action: { column: sql`a.action` }, at: { column: sql`a.at`, kind: 'timestamp' },
  },
  custom: { patientId: aboutPatient },
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
