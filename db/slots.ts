// Dated slots from each clinic's versioned template, and the reconciliation that keeps them so: run at
// start-up, by the slot-horizon Schedule every night, and by a template change for its own clinic.
// Free slots follow the template in force on their date; booked and blocked slots are never touched; a
// template that would remove booked slots proposes a session reduction for a team leader to confirm.
import { and, asc, eq, gt, sql } from 'drizzle-orm';
import {
  addDays, defaultAccessPolicy, hasClinicChangeNotice, londonDate, londonInstant, londonOffsetMs,
  type AccessPolicy, type ClinicSession, type SlotType,
} from '../domain';
import { queryRows, type Database, type Tx } from './client';
import { newId } from './ids';
import { clinicSessionChanges, clinicTemplates, clinicTemplateVersions, clinics } from './schema';
import { writeAudit } from '../activities/audit';

export type TemplateSession = { weekday: number; startTime: string; slotMinutes: number; slotType: SlotType; slotCount: number };
export type TemplateVersionPlan = { id: string; version: number; effectiveFrom: string; sessions: TemplateSession[] };
export type DesiredSlot = { start: number; end: number; type: SlotType };

/** What reconciling did (stored on a template version, answered by the API). */
export type Reconciliation = {
  slotsAdded: number;
  /** Free slots whose type or length changed in place. */
  slotsUpdated: number;
  /** Free slots taken out: deleted, or blocked where an old appointment or offer names them. */
  slotsRemoved: number;
  /** Booked slots the template no longer has: kept, and put to a team leader as session reductions. */
  bookedSlotsKept: number;
  proposedChangeIds: string[];
};

const MINUTE = 60_000;
/** A morning session ends before 13:00 London time; the afternoon starts there. */
const PM_FROM = '13:00';
/** The latest a clinic session may run to, London time. */
export const SESSION_LATEST_END = '20:00';

/** ISO weekday, 1 Monday … 7 Sunday, of a calendar date. */
export const isoWeekday = (date: string) => ((new Date(`${date}T00:00:00Z`).getUTCDay() + 6) % 7) + 1;

/** London wall-clock time ('HH:MM') of an instant. */
export const londonTime = (instantMs: number) => new Date(instantMs + londonOffsetMs(instantMs)).toISOString().slice(11, 16);

/** The half-day session an instant falls in, London time. */
export const clinicSessionOf = (instantMs: number): ClinicSession => (londonTime(instantMs) < PM_FROM ? 'am' : 'pm');

/** Minutes after midnight of 'HH:MM'. */
export const minutesOf = (time: string) => Number(time.slice(0, 2)) * 60 + Number(time.slice(3, 5));

/** The version in force on a date: the latest effective date on or before it (the later version on a tie). */
export function versionInForce<V extends { version: number; effectiveFrom: string }>(versions: readonly V[], date: string): V | undefined {
  let best: V | undefined;
  for (const v of versions) {
    if (v.effectiveFrom > date) continue;
    if (!best || v.effectiveFrom > best.effectiveFrom || (v.effectiveFrom === best.effectiveFrom && v.version > best.version)) best = v;
  }
  return best;
}

/** The last day each version is in force: the day before the next later effective date (null: open-ended). */
export function effectiveTo(versions: readonly { version: number; effectiveFrom: string }[], v: { version: number; effectiveFrom: string }): string | null {
  const later = versions.filter((o) => o.effectiveFrom > v.effectiveFrom || (o.effectiveFrom === v.effectiveFrom && o.version > v.version));
  if (!later.length) return null;
  return addDays(later.reduce((min, o) => (o.effectiveFrom < min ? o.effectiveFrom : min), later[0].effectiveFrom), -1);
}

/** The slots the templates want on the dates [from, to), starting after `notBefore` (an instant). Pure. */
export function desiredSlots(versions: readonly TemplateVersionPlan[], from: string, to: string, notBefore = -Infinity): Array<DesiredSlot & { date: string; version: TemplateVersionPlan }> {
  const out: Array<DesiredSlot & { date: string; version: TemplateVersionPlan }> = [];
  for (let date = from; date < to; date = addDays(date, 1)) {
    const version = versionInForce(versions, date);
    if (!version) continue;
    const weekday = isoWeekday(date);
    for (const s of version.sessions) {
      if (s.weekday !== weekday) continue;
      const first = londonInstant(date, s.startTime);
      for (let i = 0; i < s.slotCount; i++) {
        const start = first + i * s.slotMinutes * MINUTE;
        if (start > notBefore) out.push({ start, end: start + s.slotMinutes * MINUTE, type: s.slotType, date, version });
      }
    }
  }
  return out;
}

/** A clinic's template versions with their sessions, oldest first. */
export async function templateVersionsOf(db: Database | Tx, clinicId: string): Promise<TemplateVersionPlan[]> {
  const versions = await db.select({ id: clinicTemplateVersions.id, version: clinicTemplateVersions.version, effectiveFrom: clinicTemplateVersions.effectiveFrom })
    .from(clinicTemplateVersions).where(eq(clinicTemplateVersions.clinicId, clinicId)).orderBy(asc(clinicTemplateVersions.version));
  const sessions = await db.select({
    versionId: clinicTemplates.versionId, weekday: clinicTemplates.weekday, startTime: clinicTemplates.startTime,
    slotMinutes: clinicTemplates.slotMinutes, slotType: clinicTemplates.slotType, slotCount: clinicTemplates.slotCount,
  }).from(clinicTemplates).where(eq(clinicTemplates.clinicId, clinicId)).orderBy(asc(clinicTemplates.weekday), asc(clinicTemplates.startTime));
  return versions.map((v) => ({ ...v, sessions: sessions.filter((s) => s.versionId === v.id).map(({ versionId: _, ...s }) => s) }));
}

/** Errors a concurrent booking, offer or reconciliation can cause: the whole reconciliation is simply run again. */
const retryable = (err: unknown) => {
  for (let e = err as { code?: string; cause?: unknown } | undefined, i = 0; e && i < 5; e = e.cause as typeof e, i++) {
    if (e.code === '23503' || e.code === '40001' || e.code === '40P01' || e.code === '23505') return true;
  }
  return false;
};

export type ReconcileOptions = {
  clinicId: string;
  /** First date (London) to reconcile. */
  from: string;
  /** The day after the last date: dates [from, to) are reconciled. */
  to: string;
  /** Who asked (a template's author), or null for the Schedule and start-up. */
  actorId: string | null;
  /** Slots that have started are history: only later ones are touched (default: the clock). */
  now?: number;
  policy?: AccessPolicy;
};

/**
 * Makes a clinic's free slots on [from, to) what its template versions want. Idempotent (a second run
 * changes nothing) and safe beside booking: deletes and updates name `status = 'free'` in the same
 * statement, so a slot booked a moment earlier is left alone; inserts skip a start that exists. Runs
 * under a lock on the clinic row (FOR NO KEY UPDATE: bookings, whose appointment rows only key-share the
 * clinic, are not held up) so two reconciliations of one clinic take turns and propose a change once.
 */
export async function reconcileClinic(db: Database, opts: ReconcileOptions): Promise<Reconciliation> {
  for (let attempt = 1; ; attempt++) {
    try {
      return await db.transaction((tx) => reconcileOnce(tx, opts));
    } catch (err) {
      if (attempt >= 5 || !retryable(err)) throw err;
    }
  }
}

async function reconcileOnce(tx: Tx, opts: ReconcileOptions): Promise<Reconciliation> {
  const none: Reconciliation = { slotsAdded: 0, slotsUpdated: 0, slotsRemoved: 0, bookedSlotsKept: 0, proposedChangeIds: [] };
  const policy = opts.policy ?? defaultAccessPolicy;
  const now = opts.now ?? Date.now();
  const { clinicId } = opts;
  const locked = await queryRows(tx, sql`select id from clinics where id = ${clinicId} for no key update`);
  if (!locked.length || opts.from >= opts.to) return none;
  const lo = Math.max(londonInstant(opts.from, '00:00'), now + 1);
  const hi = londonInstant(opts.to, '00:00');
  if (lo >= hi) return none;
  const versions = await templateVersionsOf(tx, clinicId);
  const desired = desiredSlots(versions, opts.from, opts.to, lo - 1);
  const from = new Date(lo).toISOString();
  const until = new Date(hi).toISOString();

  const existing = await queryRows<{ id: string; start: number; end: number; type: SlotType; status: string }>(tx, sql`
    select id, (extract(epoch from start) * 1000)::float8 as start, (extract(epoch from "end") * 1000)::float8 as "end", type, status
    from slots where clinic_id = ${clinicId} and start >= ${from}::timestamptz and start < ${until}::timestamptz`);
  const byStart = new Map(existing.map((e) => [Number(e.start), { ...e, start: Number(e.start), end: Number(e.end) }]));
  // Session changes a team leader made stand: a cancelled session gets no slots, and the time of slots taken
  // out of a session stays out. (A reduction a template raised took out slots the template no longer has.)
  const changes = await queryRows<{ date: string; session: ClinicSession | null; kind: string; byTemplate: boolean; slotIds: string[] }>(tx, sql`
    select session_date::text as date, session, kind, template_version_id is not null as "byTemplate", slot_ids as "slotIds"
    from clinic_session_changes where clinic_id = ${clinicId} and status <> 'proposed' and session_date >= ${opts.from}::date and session_date < ${opts.to}::date`);
  const cancelled = new Set(changes.filter((c) => c.kind === 'cancel').map((c) => `${c.date} ${c.session ?? 'day'}`));
  const takenOut = new Set(changes.filter((c) => !c.byTemplate).flatMap((c) => c.slotIds));
  const inCancelledSession = (d: { date: string; start: number }) => cancelled.has(`${d.date} day`) || cancelled.has(`${d.date} ${clinicSessionOf(d.start)}`);
  // Booked and blocked slots stay as they are. A desired slot overlapping a booked one (or one a leader took out)
  // at another start waits: the next run makes it once that one has gone, so a clinician never has two patients at once.
  const kept = [...byStart.values()].filter((e) => e.status === 'booked' || (e.status === 'blocked' && takenOut.has(e.id)));
  const wanted = desired.filter((d) => !inCancelledSession(d) && !kept.some((k) => k.start !== d.start && k.start < d.end && k.end > d.start));
  const wantedStarts = new Set(wanted.map((w) => w.start));
  const toInsert = wanted.filter((w) => !byStart.has(w.start));
  const toUpdate = wanted.flatMap((w) => {
    const e = byStart.get(w.start);
    return e && e.status === 'free' && (e.type !== w.type || e.end !== w.end) ? [{ id: e.id, type: w.type, end: new Date(w.end).toISOString() }] : [];
  });
  const unwanted = existing.filter((e) => e.status === 'free' && !wantedStarts.has(Number(e.start))).map((e) => e.id);

  // Each write names status = 'free' (or inserts only where nothing starts): a slot booked since the read
  // above is left alone by the statement itself, so booking and reconciling may run side by side.
  const [{ n: added }] = toInsert.length ? await queryRows<{ n: number }>(tx, sql`
    with i as (
      insert into slots (id, clinic_id, start, "end", type)
      select d.id, ${clinicId}, d.start, d."end", d.type from jsonb_to_recordset(${JSON.stringify(toInsert.map((w) => ({
        id: newId('slot'), start: new Date(w.start).toISOString(), end: new Date(w.end).toISOString(), type: w.type,
      })))}::jsonb) as d(id text, start timestamptz, "end" timestamptz, type slot_type)
      on conflict (clinic_id, start) do nothing returning 1)
    select count(*)::int as n from i`) : [{ n: 0 }];
  const [{ n: updated }] = toUpdate.length ? await queryRows<{ n: number }>(tx, sql`
    with u as (
      update slots s set type = d.type, "end" = d."end"
      from jsonb_to_recordset(${JSON.stringify(toUpdate)}::jsonb) as d(id text, type slot_type, "end" timestamptz)
      where s.id = d.id and s.status = 'free' returning 1)
    select count(*)::int as n from u`) : [{ n: 0 }];
  // A slot an appointment or offer still names (cancelled, declined) cannot go: it is blocked instead.
  const [{ n: removed }] = unwanted.length ? await queryRows<{ n: number }>(tx, sql`
    with u as (
      select s.id, (exists (select 1 from appointments a where a.slot_id = s.id) or exists (select 1 from offers o where o.slot_id = s.id)) as referenced
      from slots s where s.id in (select jsonb_array_elements_text(${JSON.stringify(unwanted)}::jsonb)) and s.status = 'free'
    ), blocked as (
      update slots s set status = 'blocked' from u where s.id = u.id and u.referenced and s.status = 'free' returning 1
    ), deleted as (
      delete from slots s using u where s.id = u.id and not u.referenced and s.status = 'free' returning 1
    )
    select ((select count(*) from blocked) + (select count(*) from deleted))::int as n`) : [{ n: 0 }];

  // A new statement, a new snapshot: slots booked while the writes above ran are seen here.
  const starts = new Set(desired.map((d) => d.start));
  const booked = await queryRows<{ id: string; start: number; held: boolean }>(tx, sql`
    select s.id, (extract(epoch from s.start) * 1000)::float8 as start,
      exists (select 1 from clinic_session_changes c where c.clinic_id = s.clinic_id and c.status in ('proposed', 'running')
        and c.slot_ids @> jsonb_build_array(s.id)) as held
    from slots s where s.clinic_id = ${clinicId} and s.status = 'booked' and s.start >= ${from}::timestamptz and s.start < ${until}::timestamptz
    order by s.start`);
  const removedBooked = booked.filter((b) => !starts.has(Number(b.start)));

  // One proposed reduction per London date and session, for the booked slots no change already holds.
  const groups = new Map<string, { date: string; session: ClinicSession; slotIds: string[] }>();
  for (const b of removedBooked.filter((r) => !r.held)) {
    const ms = Number(b.start);
    const date = londonDate(ms);
    const session = clinicSessionOf(ms);
    const key = `${date} ${session}`;
    if (!groups.has(key)) groups.set(key, { date, session, slotIds: [] });
    groups.get(key)!.slotIds.push(b.id);
  }
  const today = londonDate(now);
  const proposed = [...groups.values()].map((g) => {
    const version = versionInForce(versions, g.date);
    return {
      id: newId('chg'), clinicId, sessionDate: g.date, session: g.session, kind: 'reduce' as const, slotIds: g.slotIds, status: 'proposed' as const,
      reason: version ? `Template version ${version.version} from ${version.effectiveFrom} removes booked slots` : 'The clinic has no template for these booked slots',
      withinNotice: !hasClinicChangeNotice({ requestedOn: today, sessionDate: g.date, change: 'cancellation' }, policy),
      templateVersionId: version?.id ?? null, requestedBy: opts.actorId,
    };
  });
  if (proposed.length) await tx.insert(clinicSessionChanges).values(proposed);

  const result: Reconciliation = {
    slotsAdded: added, slotsUpdated: updated, slotsRemoved: removed,
    bookedSlotsKept: removedBooked.length, proposedChangeIds: proposed.map((p) => p.id),
  };
  // The nightly run changes nothing most nights: it leaves no audit entry then.
  if (result.slotsAdded || result.slotsUpdated || result.slotsRemoved || proposed.length) {
    await writeAudit(tx, [
      { actorId: opts.actorId, action: 'clinic.slots_reconciled', entityType: 'clinic', entityId: clinicId, after: { from: opts.from, to: opts.to, ...result } },
      ...proposed.map((p) => ({
        actorId: opts.actorId, action: 'clinic_session.change_proposed' as const, entityType: 'clinic_session_change' as const, entityId: p.id,
        after: { clinicId, sessionDate: p.sessionDate, session: p.session, kind: p.kind, slotIds: p.slotIds, templateVersionId: p.templateVersionId, withinNotice: p.withinNotice },
      })),
    ]);
  }
  return result;
}

export type HorizonResult = Reconciliation & { clinics: number };

/**
 * Reconciles every active clinic on [from, to), one clinic (one transaction) at a time in id order;
 * `onClinic` after each, and `after` resumes past a clinic already done (a retried activity).
 */
export async function reconcileClinics(
  db: Database, opts: Omit<ReconcileOptions, 'clinicId'> & { after?: string; onClinic?: (clinicId: string) => void },
): Promise<HorizonResult> {
  const active = await db.select({ id: clinics.id }).from(clinics)
    .where(and(eq(clinics.active, true), opts.after ? gt(clinics.id, opts.after) : undefined)).orderBy(asc(clinics.id));
  const total: HorizonResult = { clinics: 0, slotsAdded: 0, slotsUpdated: 0, slotsRemoved: 0, bookedSlotsKept: 0, proposedChangeIds: [] };
  for (const { id } of active) {
    const r = await reconcileClinic(db, { ...opts, clinicId: id });
    total.clinics += 1;
    total.slotsAdded += r.slotsAdded;
    total.slotsUpdated += r.slotsUpdated;
    total.slotsRemoved += r.slotsRemoved;
    total.bookedSlotsKept += r.bookedSlotsKept;
    total.proposedChangeIds.push(...r.proposedChangeIds);
    opts.onClinic?.(id);
  }
  return total;
}

/** The slot horizon's last date (exclusive) from a day: today + policy.slots.horizonDays. */
export const horizonEnd = (today: string, policy: AccessPolicy = defaultAccessPolicy) => addDays(today, policy.slots.horizonDays);

/** Slots for every active clinic from `from` for `days` days; the number of slots made. Used at start-up. */
export async function generateSlots(db: Database, opts: { from: string; days: number }): Promise<number> {
  return (await reconcileClinics(db, { from: opts.from, to: addDays(opts.from, opts.days), actorId: null })).slotsAdded;
}
