// Clinics and their weekly templates (issue 10). A template change is a new version with an effective
// date: its free slots are reconciled in the request (one clinic is small), booked slots are never touched
// and become proposed session reductions; the nightly slot-horizon Schedule is the safety net.
// GET /api/clinics and /:id are the reference lists (routes/reference.ts).
import { requestForecastRecompute } from '../forecast-start';
import type { OpenAPIHono } from '@hono/zod-openapi';
import { eq, sql } from 'drizzle-orm';
import { queryRows, type Database } from '../../db/client';
import { newId } from '../../db/ids';
import { clinics, clinicTemplates, clinicTemplateVersions, specialties } from '../../db/schema';
import {
  effectiveTo, horizonEnd, minutesOf, reconcileClinic, SESSION_LATEST_END, templateVersionsOf, versionInForce,
} from '../../db/slots';
import { writeAudit } from '../../activities/audit';
import { addDays, daysBetween, defaultAccessPolicy, hasClinicChangeNotice, londonInstant, type SlotType } from '../../domain';
import { onlyFor } from '../auth';
import type { AppDeps, AppEnv, Role } from '../context';
import { AppError, invalid, notFound } from '../errors';
import { body, errors, idParams, json, route, router, signedIn } from '../openapi';
import { clinicRecord } from '../records';
import {
  calendarQuery, changeClinicBody, clinicCalendar, createClinicBody, createTemplateBody, templateVersionRecord,
  type Reconciliation, type TemplateSession, type TemplateVersion,
} from '../clinic-records';
import { referenceRecord } from './reference';

const leaders: Role[] = ['team_leader', 'admin'];
const clinicId = idParams('The clinic id (clin_…)', 'clin_2');

/** Every template version of a clinic, newest first, as the API answers them. */
async function templateVersions(db: Database, id: string, today: string): Promise<TemplateVersion[]> {
  const rows = await queryRows<Omit<TemplateVersion, 'effectiveTo' | 'current' | 'sessions'>>(db, sql`
    select v.id, v.clinic_id as "clinicId", v.version, v.effective_from::text as "effectiveFrom", v.within_notice as "withinNotice",
      cb.name as "confirmedByName", mb.name as "createdByName",
      to_char(v.created_at at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"') as "createdAt", v.reconciliation
    from clinic_template_versions v left join staff cb on cb.id = v.confirmed_by left join staff mb on mb.id = v.created_by
    where v.clinic_id = ${id}`);
  const plans = await templateVersionsOf(db, id);
  const current = versionInForce(plans, today);
  return rows.map((r) => {
    const plan = plans.find((p) => p.id === r.id)!;
    return { ...r, effectiveTo: effectiveTo(plans, plan), current: current?.id === r.id, sessions: plan.sessions };
  }).sort((a, b) => b.version - a.version);
}

/** Field errors of a week's sessions: a type the clinic offers, no overlap within a day, over by 20:00. */
function sessionProblems(sessions: TemplateSession[], offered: readonly SlotType[]): Record<string, string> {
  const errors: Record<string, string> = {};
  const latest = minutesOf(SESSION_LATEST_END);
  const spans = sessions.map((s, i) => ({ i, weekday: s.weekday, from: minutesOf(s.startTime), to: minutesOf(s.startTime) + s.slotMinutes * s.slotCount }));
  sessions.forEach((s, i) => {
    if (!offered.includes(s.slotType)) errors[`sessions.${i}.slotType`] = `this clinic does not offer ${s.slotType.replace(/_/g, ' ')} slots`;
    const end = spans[i].to;
    if (end > latest) {
      const hhmm = `${String(Math.floor(end / 60)).padStart(2, '0')}:${String(end % 60).padStart(2, '0')}`;
      errors[`sessions.${i}.slotCount`] ??= `the session would run to ${end > 24 * 60 ? 'after midnight' : hhmm}; sessions end by ${SESSION_LATEST_END}`;
    }
  });
  const ordered = [...spans].sort((a, b) => a.weekday - b.weekday || a.from - b.from || a.i - b.i);
  for (let k = 1; k < ordered.length; k++) {
    const [prev, next] = [ordered[k - 1], ordered[k]];
    if (prev.weekday === next.weekday && next.from < prev.to) {
      errors[`sessions.${next.i}.startTime`] ??= `overlaps session ${prev.i + 1} on the same day`;
    }
  }
  return errors;
}

const fieldErrors = (errors: Record<string, string>) => {
  const first = Object.entries(errors)[0];
  if (first) throw new AppError('VALIDATION_FAILED', `${first[0]}: ${first[1]}`, errors);
};

/** Slot types a template version in force today or later uses (a clinic cannot stop offering those). */
function typesInUse(plans: Awaited<ReturnType<typeof templateVersionsOf>>, today: string): Set<SlotType> {
  const current = versionInForce(plans, today);
  const live = plans.filter((p) => p === current || p.effectiveFrom > today);
  return new Set(live.flatMap((p) => p.sessions.map((s) => s.slotType)));
}

/** Monday of the week a date falls in. */
const mondayOf = (date: string) => addDays(date, -((new Date(`${date}T00:00:00Z`).getUTCDay() + 6) % 7));

export function clinicRoutes(deps: AppDeps & { today: () => string }): OpenAPIHono<AppEnv> {
  const { db } = deps;
  const policy = defaultAccessPolicy;
  const clinicOf = async (id: string) => {
    const [row] = await db.select().from(clinics).where(eq(clinics.id, id));
    if (!row) throw notFound('clinic', id);
    return row;
  };

  return router()
    .openapi(route({
      method: 'post', path: '/', tags: ['clinics'], operationId: 'create_clinic', summary: 'Add a clinic (team leaders, admins); its template comes next',
      middleware: onlyFor(leaders, 'add clinics'), request: { body: body(createClinicBody) },
      responses: { 201: json('The clinic', clinicRecord), ...errors(...signedIn) },
    }), async (c) => {
      const me = c.get('staff');
      const b = c.req.valid('json');
      const [specialty] = await db.select().from(specialties).where(eq(specialties.code, b.specialtyCode));
      if (!specialty) throw invalid('specialtyCode', `no specialty with code ${b.specialtyCode}`);
      const id = newId('clin');
      const values = { id, name: b.name, specialtyCode: b.specialtyCode, clinicianName: b.clinicianName, site: b.site, slotTypes: b.slotTypes, active: b.active ?? true };
      await db.transaction(async (tx) => {
        await tx.insert(clinics).values(values);
        await writeAudit(tx, { actorId: me.id, action: 'clinic.created', entityType: 'clinic', entityId: id, after: values });
      });
      return c.json(await referenceRecord(db, 'clinics', id), 201);
    })
    .openapi(route({
      method: 'put', path: '/{id}', tags: ['clinics'], operationId: 'change_clinic', summary: 'Change a clinic: name, clinician, site, slot types, active',
      middleware: onlyFor(leaders, 'change clinics'), request: { params: clinicId, body: body(changeClinicBody) },
      responses: { 200: json('The clinic as it now is', clinicRecord), ...errors(...signedIn, 404, 422) },
    }), async (c) => {
      const me = c.get('staff');
      const id = c.req.valid('param').id;
      const b = c.req.valid('json');
      await db.transaction(async (tx) => {
        // Locked, so a template posted meanwhile cannot slip in a type being dropped.
        const [before] = await tx.select().from(clinics).where(eq(clinics.id, id)).for('no key update');
        if (!before) throw notFound('clinic', id);
        if (b.slotTypes) {
          const used = typesInUse(await templateVersionsOf(tx, id), deps.today());
          const dropped = [...used].filter((t) => !b.slotTypes!.includes(t));
          if (dropped.length) {
            const why = `the template uses ${dropped.map((t) => t.replace(/_/g, ' ')).join(' and ')} slots; change the template first`;
            throw new AppError('RULE_REFUSED', `Cannot stop offering those slot types: ${why}`, { slotTypes: why });
          }
        }
        const change = Object.fromEntries(Object.entries(b).filter(([, v]) => v !== undefined));
        if (!Object.keys(change).length) return;
        await tx.update(clinics).set({ ...change, updatedAt: new Date() }).where(eq(clinics.id, id));
        const was = Object.fromEntries(Object.keys(change).map((k) => [k, before[k as keyof typeof before]]));
        await writeAudit(tx, { actorId: me.id, action: 'clinic.changed', entityType: 'clinic', entityId: id, before: was, after: change });
      });
      return c.json(await referenceRecord(db, 'clinics', id));
    })
    .openapi(route({
      method: 'get', path: '/{id}/templates', tags: ['clinics'], operationId: 'list_clinic_templates', summary: "A clinic's template versions, newest first",
      request: { params: clinicId },
      responses: { 200: json('The versions, newest first', templateVersionRecord.array()), ...errors(...signedIn, 404) },
    }), async (c) => {
      const id = c.req.valid('param').id;
      await clinicOf(id);
      return c.json(await templateVersions(db, id, deps.today()));
    })
    .openapi(route({
      method: 'post', path: '/{id}/templates', tags: ['clinics'], operationId: 'create_clinic_template',
      summary: 'A new template version from a date; free slots follow it at once, booked slots become proposed reductions',
      middleware: onlyFor(leaders, 'change clinic templates'), request: { params: clinicId, body: body(createTemplateBody) },
      responses: { 201: json('The version, reconciled', templateVersionRecord), ...errors(...signedIn, 404, 422) },
    }), async (c) => {
      const me = c.get('staff');
      const id = c.req.valid('param').id;
      const b = c.req.valid('json');
      const today = deps.today();
      const clinic = await clinicOf(id);
      fieldErrors(sessionProblems(b.sessions, clinic.slotTypes));
      if (b.effectiveFrom < today) {
        throw new AppError('TEMPLATE_EFFECTIVE_IN_PAST', `A template cannot take effect in the past (${b.effectiveFrom}); start it today or later`,
          { effectiveFrom: 'is in the past' });
      }
      const withinNotice = !hasClinicChangeNotice({ requestedOn: today, sessionDate: b.effectiveFrom, change: 'template' }, policy);
      if (withinNotice && b.confirmShortNotice !== true) {
        const weeks = policy.clinicChanges.cancellationNoticeDays / 7;
        const why = `takes effect in ${daysBetween(today, b.effectiveFrom)} days, inside the ${weeks}-week notice period; a team leader must confirm the short notice`;
        throw new AppError('SHORT_NOTICE_NEEDS_LEADER', `This template ${why}`, { confirmShortNotice: why });
      }

      const versionId = newId('tmplv');
      const version = await db.transaction(async (tx) => {
        // The clinic row's lock numbers versions one at a time (the unique index is the backstop).
        await tx.select({ id: clinics.id }).from(clinics).where(eq(clinics.id, id)).for('no key update');
        const [{ next }] = await queryRows<{ next: number }>(tx, sql`select coalesce(max(version), 0)::int + 1 as next from clinic_template_versions where clinic_id = ${id}`);
        await tx.insert(clinicTemplateVersions).values({
          id: versionId, clinicId: id, version: next, effectiveFrom: b.effectiveFrom, withinNotice, confirmedBy: withinNotice ? me.id : null, createdBy: me.id,
        });
        if (b.sessions.length) {
          await tx.insert(clinicTemplates).values(b.sessions.map((s) => ({ id: newId('tmpl'), clinicId: id, ...s, effectiveFrom: b.effectiveFrom, versionId })));
        }
        await writeAudit(tx, [
          { actorId: me.id, action: 'clinic.template_added', entityType: 'clinic', entityId: id,
            after: { versionId, version: next, effectiveFrom: b.effectiveFrom, withinNotice, sessions: b.sessions } },
          // Short-notice changes are reported: their own entry, easy to find.
          ...(withinNotice ? [{ actorId: me.id, action: 'clinic.template_short_notice' as const, entityType: 'clinic' as const, entityId: id,
            after: { versionId, version: next, effectiveFrom: b.effectiveFrom, confirmedBy: me.id, noticeDays: daysBetween(today, b.effectiveFrom) } }] : []),
        ]);
        return next;
      });

      // The new version's dates to the horizon; a later version already posted keeps its own dates.
      const result: Reconciliation = await reconcileClinic(db, { clinicId: id, from: b.effectiveFrom, to: horizonEnd(today, policy), actorId: me.id, policy });
      await db.update(clinicTemplateVersions).set({ reconciliation: result, reconciledAt: new Date() }).where(eq(clinicTemplateVersions.id, versionId));
      c.get('logger').info('template version reconciled', { clinicId: id, versionId, version, ...result, proposedChangeIds: result.proposedChangeIds.length });
      await requestForecastRecompute(deps.temporal, versionId, c.get('logger')); // issue 17: capacity changed
      const [answer] = (await templateVersions(db, id, today)).filter((v) => v.id === versionId);
      return c.json(answer, 201);
    })
    .openapi(route({
      method: 'get', path: '/{id}/calendar', tags: ['clinics'], operationId: 'clinic_calendar',
      summary: "A clinic's week: each day's am/pm sessions with utilisation by slot type and the session changes on them",
      request: { params: clinicId, query: calendarQuery },
      responses: { 200: json('The week', clinicCalendar), ...errors(...signedIn, 404) },
    }), async (c) => {
      const id = c.req.valid('param').id;
      const weekStart = mondayOf(c.req.valid('query').week ?? deps.today());
      const weekEnd = addDays(weekStart, 7);
      const from = new Date(londonInstant(weekStart, '00:00')).toISOString();
      const until = new Date(londonInstant(weekEnd, '00:00')).toISOString();
      // One query: the clinic, its week's slots counted by date, session and type, and the changes on those dates.
      const [row] = await queryRows<{ name: string; slots: SlotCount[] | null; changes: ChangeRow[] | null }>(db, sql`
        with s as (
          select (s.start at time zone 'Europe/London')::date::text as date,
            case when (s.start at time zone 'Europe/London')::time < time '13:00' then 'am' else 'pm' end as session,
            s.type, s.status, s.start, s."end"
          from slots s where s.clinic_id = ${id} and s.start >= ${from}::timestamptz and s.start < ${until}::timestamptz
        ), counted as (
          select date, session, type, count(*)::int as total, (count(*) filter (where status = 'free'))::int as free,
            (count(*) filter (where status = 'booked'))::int as booked, (count(*) filter (where status = 'blocked'))::int as blocked,
            min(start) as start, max("end") as "end"
          from s group by date, session, type
        )
        select c.name,
          (select json_agg(json_build_object('date', date, 'session', session, 'slotType', type, 'total', total, 'free', free, 'booked', booked,
              'blocked', blocked, 'start', to_char(start at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"'),
              'end', to_char("end" at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"')) order by date, session, type) from counted) as slots,
          (select json_agg(json_build_object('id', x.id, 'date', x.session_date::text, 'session', x.session, 'kind', x.kind, 'status', x.status) order by x.created_at, x.id)
            from clinic_session_changes x where x.clinic_id = c.id and x.session_date >= ${weekStart}::date and x.session_date < ${weekEnd}::date) as changes
        from clinics c where c.id = ${id}`);
      if (!row) throw notFound('clinic', id);
      return c.json(calendarWeek(id, row.name, weekStart, row.slots ?? [], row.changes ?? []));
    });
}

type SlotCount = { date: string; session: 'am' | 'pm'; slotType: SlotType; total: number; free: number; booked: number; blocked: number; start: string; end: string };
type ChangeRow = { id: string; date: string; session: 'am' | 'pm' | null; kind: 'cancel' | 'reduce'; status: 'proposed' | 'running' | 'completed' };

/** Seven days, each with its sessions (those with slots or a change), counts summed over slot types. */
function calendarWeek(clinicId: string, clinicName: string, weekStart: string, slots: SlotCount[], changes: ChangeRow[]) {
  const days = Array.from({ length: 7 }, (_, i) => addDays(weekStart, i)).map((date) => ({
    date,
    sessions: (['am', 'pm'] as const).flatMap((session) => {
      const byType = slots.filter((s) => s.date === date && s.session === session);
      // A whole-day change (session null) touches both sessions.
      const touching = changes.filter((ch) => ch.date === date && (ch.session === null || ch.session === session)).map(({ id, kind, status }) => ({ id, kind, status }));
      if (!byType.length && !touching.length) return [];
      const sum = (k: 'total' | 'free' | 'booked' | 'blocked') => byType.reduce((n, s) => n + s[k], 0);
      return [{
        session,
        start: byType.length ? byType.map((s) => s.start).sort()[0] : null,
        end: byType.length ? byType.map((s) => s.end).sort().at(-1)! : null,
        total: sum('total'), free: sum('free'), booked: sum('booked'), blocked: sum('blocked'),
        byType: byType.map(({ slotType, total, free, booked, blocked }) => ({ slotType, total, free, booked, blocked })),
        changes: touching,
      }];
    }),
  }));
  return { clinicId, clinicName, weekStart, days };
}
