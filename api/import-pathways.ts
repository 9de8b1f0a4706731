// Go-live (issue 13): the engine that brings validated PAS rows in as open pathways. Per chunk, one transaction of
// set-based inserts (patients upserted by NHS number, referrals `on conflict do nothing` by PPID/UBRN, then their
// pathways, RTT periods and events, timeline, held slots, appointments, work items and audit). Then each pathway's
// workflow starts with `imported` (where it stands), so its first task runs no activity: it only sets its state and
// waits on its timers. The referral's `pathwayStarted` flag marks what is done: a run stopped between the rows and the
// starts is finished by the next run (or by the worker's startPendingPathways), each pathway once.
import { WorkflowExecutionAlreadyStartedError, type Client } from '@temporalio/client';
import { Semaphore } from 'async-mutex';
import { and, eq, inArray, or, sql } from 'drizzle-orm';
import {
  addDays, cancer62TargetDate, fdsTargetDate, londonDate, queueFor, rttBreachDate, rttPolicyVersion, rttRuleFor, taskTitles,
  uscFirstSeenTargetDate, type QueueKind, type RttStatusCode, type TaskType,
} from '../domain';
import type { ImportRow } from '../domain/import';
import { importedClock, importedStage, importedTaskDueAt, importedTimers } from '../domain/import-plan';
import { queryRows, type Database, type Tx } from '../db/client';
import { newId } from '../db/ids';
import {
  appointments, auditLog, clinics, pathwayEvents, pathways, patients, queues, referrals, rttEvents, rttPeriods, slots, tasks,
} from '../db/schema';
import { desiredSlots, templateVersionsOf, type TemplateVersionPlan } from '../db/slots';
import { priorityRank } from '../activities/pathway';
import { referralPathway } from '../workflows';
import type { ImportedPathway, PathwayInput } from '../workflows/types';

export type ImportContext = { db: Database; temporal: { client: Client; taskQueue: string }; today: string; now: Date };

/** Rows per transaction: big enough that a round trip is shared by hundreds of pathways, small enough to stay under 65,535 parameters a statement. */
export const IMPORT_CHUNK = 500;
/** Workflow starts in flight at once: enough to keep the server busy, few enough not to swamp 2 cores. */
export const IMPORT_STARTS_IN_FLIGHT = 48;
const REASON = 'Open pathway brought over from the previous PAS at go-live';
/** An appointment off its clinic's template is held in a slot this long. */
const DEFAULT_SLOT_MINUTES = 15;

/** Idempotent by PPID/UBRN: rows already here count as unchanged; a row half-done (referral saved, pathway not started) is finished. */
export async function importPathways(ctx: ImportContext, importId: string, rows: ImportRow[]): Promise<{ imported: number; unchanged: number }> {
  const refs = await referenceData(ctx.db);
  let imported = 0;
  let unchanged = 0;
  // The next chunk's rows are written while this chunk's workflows start.
  let starting: Promise<void> = Promise.resolve();
  const start = async (ids: string[]) => {
    const marked = await startImportedPathways(ctx.db, ctx.temporal, ids, ctx.now);
    imported += marked;
    unchanged += ids.length - marked; // another run (or the worker) finished these first
  };
  try {
    for (let i = 0; i < rows.length; i += IMPORT_CHUNK) {
      const written = await writeChunk(ctx, refs, importId, rows.slice(i, i + IMPORT_CHUNK));
      unchanged += written.unchanged;
      await starting;
      starting = start(written.toStart);
      starting.catch(() => undefined); // awaited below; not an unhandled rejection while the next chunk is written
    }
  } finally {
    await starting;
  }
  return { imported, unchanged };
}

/**
 * The rows alone, no workflow started: what a run stopped between its write and its starts leaves behind (the
 * next importPathways finishes it). Tests use it to stand for such a stop.
 */
export async function writeImportRows(ctx: ImportContext, importId: string, rows: ImportRow[]): Promise<{ toStart: string[]; unchanged: number }> {
  const refs = await referenceData(ctx.db);
  const out = { toStart: [] as string[], unchanged: 0 };
  for (let i = 0; i < rows.length; i += IMPORT_CHUNK) {
    const written = await writeChunk(ctx, refs, importId, rows.slice(i, i + IMPORT_CHUNK));
    out.toStart.push(...written.toStart);
    out.unchanged += written.unchanged;
  }
  return out;
}

type ReferenceData = {
  queueIds: Map<string, string>;
  clinics: Map<string, { name: string; specialtyCode: string }>;
  templates: Map<string, Promise<TemplateVersionPlan[]>>;
};

async function referenceData(db: Database): Promise<ReferenceData> {
  const qs = await db.select({ id: queues.id, kind: queues.kind, specialtyCode: queues.specialtyCode }).from(queues);
  const cs = await db.select({ id: clinics.id, name: clinics.name, specialtyCode: clinics.specialtyCode }).from(clinics);
  return {
    queueIds: new Map(qs.map((q) => [queueKey(q.kind, q.specialtyCode), q.id])),
    clinics: new Map(cs.map((c) => [c.id, { name: c.name, specialtyCode: c.specialtyCode }])),
    templates: new Map(),
  };
}

const queueKey = (kind: QueueKind, specialtyCode: string | null | undefined) => (kind === 'specialty' ? `specialty:${specialtyCode}` : kind);

/** The queue an item goes to, by the intake's own routing rule. */
function queueIdFor(refs: ReferenceData, type: TaskType, row: ImportRow): string {
  const route = queueFor(type, row.priority, row.specialtyCode);
  const id = refs.queueIds.get(queueKey(route.kind, route.specialtyCode));
  if (!id) throw new Error(`No ${route.kind} queue${route.specialtyCode ? ` for specialty ${route.specialtyCode}` : ''}: create it before importing`);
  return id;
}

const keysOf = (r: Pick<ImportRow, 'pathwayId' | 'ubrn'>) => [r.pathwayId && `ppid:${r.pathwayId}`, r.ubrn && `ubrn:${r.ubrn}`].filter((k): k is string => !!k);

type Planned = { row: ImportRow; referralId: string; patientId: string; slotId: string | null; slotEnd: Date | null; slotIsNew: boolean };

/** One chunk's rows in one transaction; answers which referrals' pathways are to start. */
async function writeChunk(ctx: ImportContext, refs: ReferenceData, importId: string, chunk: ImportRow[]) {
  return ctx.db.transaction(async (tx) => {
    const toStart: string[] = [];
    let unchanged = 0;

    // Already here (a second run, or another source with the same UBRN): unchanged, or finished if half-done.
    const ppids = chunk.map((r) => r.pathwayId).filter((v): v is string => !!v);
    const ubrns = chunk.map((r) => r.ubrn).filter((v): v is string => !!v);
    const existing = ppids.length || ubrns.length ? await tx.select({
      id: referrals.id, pathwayId: referrals.pathwayId, ubrn: referrals.ubrn, source: referrals.source, pathwayStarted: referrals.pathwayStarted,
    }).from(referrals).where(or(
      ppids.length ? inArray(referrals.pathwayId, ppids) : undefined, ubrns.length ? inArray(referrals.ubrn, ubrns) : undefined,
    )) : [];
    const known = new Map<string, (typeof existing)[number]>();
    for (const e of existing) for (const k of keysOf(e)) known.set(k, e);
    const seen = new Set<string>();
    const fresh: ImportRow[] = [];
    for (const row of chunk) {
      const keys = keysOf(row);
      const found = keys.map((k) => known.get(k)).find(Boolean);
      if (found) {
        if (found.source === 'pas_import' && !found.pathwayStarted && !seen.has(found.id)) toStart.push(found.id);
        else unchanged += 1;
        seen.add(found.id);
      } else if (keys.some((k) => seen.has(k))) {
        unchanged += 1; // the same pathway twice in one file
      } else {
        fresh.push(row);
      }
      for (const k of keys) seen.add(k);
    }
    if (!fresh.length) return { toStart, unchanged };

    // Patients upserted by NHS number as intake does: contact details move on, the identity on file is kept.
    const byNhs = new Map<string, ImportRow>();
    for (const r of fresh) if (!byNhs.has(r.nhsNumber)) byNhs.set(r.nhsNumber, r);
    // In NHS number order, so two runs at once take the patients' row locks in one order and cannot deadlock.
    const upserted = await tx.insert(patients).values([...byNhs.values()].sort((a, b) => a.nhsNumber.localeCompare(b.nhsNumber)).map((r) => ({
      id: newId('pat'), nhsNumber: r.nhsNumber, givenName: r.givenName, familyName: r.familyName, dateOfBirth: r.dateOfBirth,
      postcode: r.postcode?.toUpperCase() ?? null,
    }))).onConflictDoUpdate({
      target: patients.nhsNumber,
      set: { postcode: sql`coalesce(excluded.postcode, ${patients.postcode})` },
    }).returning({ id: patients.id, nhsNumber: patients.nhsNumber });
    const patientOf = new Map(upserted.map((p) => [p.nhsNumber, p.id]));

    // Referrals: `on conflict do nothing`, so a row another run wrote meanwhile is left to that run.
    const candidates = fresh.map((row) => ({ row, referralId: newId('ref'), patientId: patientOf.get(row.nhsNumber)! }));
    const inserted = await tx.insert(referrals).values(candidates.map(({ row, referralId, patientId }) => {
      const plan = importedStage(row, ctx.today, wantsSlot(row));
      return {
        id: referralId, patientId, source: 'pas_import' as const, ubrn: row.ubrn, pathwayId: row.pathwayId, importId, receivedAt: row.clockStart,
        specialtyCode: row.specialtyCode, priority: row.priority, clinicalPriority: row.stage === 'awaiting_triage' ? null : row.priority,
        reason: REASON, state: plan.stage, clinicId: wantsSlot(row) ? row.clinicId : null, workflowId: `referral-${referralId}`,
      };
    })).onConflictDoNothing().returning({ id: referrals.id });
    const kept = new Set(inserted.map((r) => r.id));
    unchanged += candidates.length - kept.size;
    const planned: Planned[] = candidates.filter((c) => kept.has(c.referralId)).map((c) => ({ ...c, slotId: null, slotEnd: null, slotIsNew: false }));
    if (!planned.length) return { toStart, unchanged };

    await holdSlots(tx, refs, planned);
    await writePathwayRows(tx, ctx, refs, importId, planned);
    toStart.push(...planned.map((p) => p.referralId));
    return { toStart, unchanged };
  });
}

/**
 * Booked rows hold their slot: the slot at that clinic and start if it is free; else the slot the clinic's template
 * would make there (its length and type), made now as booked, so slot generation later finds it and leaves it be;
 * else (off the template) a booked slot of DEFAULT_SLOT_MINUTES, which the next reconciliation puts to a team leader as
 * any booked slot off the template. A slot already booked or blocked is not double-booked: the pathway waits on a
 * booking item instead (its stage says so).
 */
async function holdSlots(tx: Tx, refs: ReferenceData, planned: Planned[]) {
  const wanting = planned.filter((p) => wantsSlot(p.row));
  if (!wanting.length) return;
  const key = (clinicId: string, startMs: number) => `${clinicId}@${startMs}`;
  const pairs = sql.join(wanting.map((p) => sql`(${p.row.clinicId!}, ${new Date(p.row.appointmentStart!).toISOString()}::timestamptz)`), sql`, `);
  const found = await queryRows<{ id: string; clinic_id: string; start_ms: number; status: string }>(tx, sql`
    select s.id, s.clinic_id, (extract(epoch from s.start) * 1000)::float8 as start_ms, s.status from slots s
    where (s.clinic_id, s.start) in (${pairs}) for update`);
  const bySlot = new Map(found.map((s) => [key(s.clinic_id, Number(s.start_ms)), s]));
  const claimed = new Set<string>();
  const freeIds: string[] = [];
  const newSlots: (typeof slots.$inferInsert)[] = [];
  for (const p of wanting) {
    const startMs = Date.parse(p.row.appointmentStart!);
    const k = key(p.row.clinicId!, startMs);
    if (claimed.has(k)) continue; // two rows, one slot: the first holds it
    const slot = bySlot.get(k);
    if (slot) {
      if (slot.status !== 'free') continue;
      p.slotId = slot.id;
      freeIds.push(slot.id);
    } else {
      const plan = importedStage(p.row, '', true);
      const templated = desiredSlotOf(await templatesOf(tx, refs, p.row.clinicId!), startMs);
      p.slotId = newId('slot');
      p.slotIsNew = true;
      p.slotEnd = new Date(templated?.end ?? startMs + DEFAULT_SLOT_MINUTES * 60_000);
      newSlots.push({ id: p.slotId, clinicId: p.row.clinicId!, start: new Date(startMs), end: p.slotEnd, type: templated?.type ?? plan.appointment!.slotType, status: 'booked' });
    }
    claimed.add(k);
  }
  if (freeIds.length) await tx.update(slots).set({ status: 'booked' }).where(and(inArray(slots.id, freeIds), eq(slots.status, 'free')));
  if (newSlots.length) await tx.insert(slots).values(newSlots);
}

/** The slot the clinic's template would make at that instant, if any. */
function desiredSlotOf(versions: TemplateVersionPlan[], startMs: number) {
  const date = londonDate(startMs);
  return desiredSlots(versions, date, addDays(date, 1)).find((d) => d.start === startMs);
}

function templatesOf(tx: Tx, refs: ReferenceData, clinicId: string): Promise<TemplateVersionPlan[]> {
  let t = refs.templates.get(clinicId);
  if (!t) { t = templateVersionsOf(tx, clinicId); refs.templates.set(clinicId, t); }
  return t;
}

/** The pathway's own rows, as its startPathway and booking activities would have written them, set-based. */
async function writePathwayRows(tx: Tx, ctx: ImportContext, refs: ReferenceData, importId: string, planned: Planned[]) {
  const pathwayRows: (typeof pathways.$inferInsert)[] = [];
  const periodRows: (typeof rttPeriods.$inferInsert)[] = [];
  const eventRows: (typeof rttEvents.$inferInsert)[] = [];
  const timeline: (typeof pathwayEvents.$inferInsert)[] = [];
  const appointmentRows: (typeof appointments.$inferInsert)[] = [];
  const taskRows: (typeof tasks.$inferInsert)[] = [];
  const audit: (typeof auditLog.$inferInsert)[] = [];
  const stageChanged: { id: string; state: 'awaiting_booking' | 'awaiting_follow_up' }[] = [];

  for (const p of planned) {
    const { row, referralId, patientId } = p;
    const booked = p.slotId !== null;
    const plan = importedStage(row, ctx.today, booked);
    if (plan.stage !== referralStateOf(row)) stageChanged.push({ id: referralId, state: plan.stage as 'awaiting_booking' | 'awaiting_follow_up' });
    const clock = importedClock(row);
    const breachDate = rttBreachDate(clock.clockStart);
    const cancer = row.priority === 'two_week_wait'
      ? { uscFirstSeenTarget: uscFirstSeenTargetDate(row.clockStart), fdsTarget: fdsTargetDate(row.clockStart), cancer62Target: cancer62TargetDate(row.clockStart), cancerClockStart: row.clockStart }
      : {};
    pathwayRows.push({ referralId, rttStatus: 'running', clockStart: clock.clockStart, lastRttCode: clock.lastCode, breachDate, ...cancer });

    // The clock's events as the code base records them: its start (10, or the PAS's 11/12), then a 20 on its date.
    const startCode = (clock.lastCode === 11 || clock.lastCode === 12 ? clock.lastCode : 10) as RttStatusCode;
    const lastOn = row.lastRttDate ?? row.clockStart;
    const later = clock.lastCode === 20;
    const cause = 'referral' as const;
    periodRows.push({
      referralId, periodNo: 1, status: 'running', clockStart: clock.clockStart, startCode, ptlOrderStart: clock.clockStart,
      lastCode: clock.lastCode, lastEventOn: later ? lastOn : clock.clockStart, decisionToAdmitOn: later && row.stage === 'awaiting_admission' ? lastOn : null,
    });
    const base = { referralId, periodNo: 1, actorId: null, policyVersion: rttPolicyVersion, changeKey: `${referralId}:import` };
    eventRows.push({ ...base, code: startCode, eventDate: clock.clockStart, cause, rule: rttRuleFor(startCode, cause) });
    if (later) eventRows.push({ ...base, code: 20, eventDate: lastOn, cause: 'outcome', rule: rttRuleFor(20, 'outcome'), outcome: row.stage === 'awaiting_admission' ? 'added_to_waiting_list' : 'follow_up' });

    timeline.push({
      referralId, kind: 'imported', rttCode: clock.lastCode, eventDate: ctx.today,
      note: `Brought over from the previous PAS (import ${importId}): RTT clock running since ${clock.clockStart}`
        + (row.appointmentStart && !booked ? '; its appointment slot was already taken, so it waits to be booked again' : ''),
    });
    audit.push(
      { actorId: null, action: 'referral.registered', entityType: 'referral', entityId: referralId,
        after: { source: 'pas_import', importId, pathwayId: row.pathwayId, ubrn: row.ubrn, receivedAt: row.clockStart, specialty: row.specialtyCode, priority: row.priority, stage: plan.stage } },
      { actorId: null, action: 'pathway.started', entityType: 'referral', entityId: referralId, after: { clock, breachDate, imported: true } },
    );

    let appointment: { id: string; start: string; clinicName: string } | null = null;
    if (booked && plan.appointment) {
      const clinic = refs.clinics.get(row.clinicId!)!;
      appointment = { id: newId('appt'), start: new Date(row.appointmentStart!).toISOString(), clinicName: clinic.name };
      appointmentRows.push({
        id: appointment.id, referralId, patientId, slotId: p.slotId!, clinicId: row.clinicId!, start: new Date(row.appointmentStart!),
        kind: plan.appointment.kind, bookedAt: ctx.now,
      });
      audit.push(
        { actorId: null, action: 'slot.booked', entityType: 'slot', entityId: p.slotId!, before: p.slotIsNew ? null : { status: 'free' }, after: { status: 'booked', imported: true } },
        { actorId: null, action: 'appointment.booked', entityType: 'appointment', entityId: appointment.id,
          after: { slotId: p.slotId, start: appointment.start, clinicId: row.clinicId, kind: plan.appointment.kind, imported: true } },
      );
    }

    if (plan.openTaskType) {
      const type = plan.openTaskType;
      const dueAt = importedTaskDueAt(type, row, plan.bookBy, appointment?.start ?? null);
      const payload: Record<string, unknown> = { specialtyCode: row.specialtyCode, imported: true };
      if (type === 'triage_referral') payload.reason = REASON;
      if (plan.bookBy) Object.assign(payload, { clinicId: null, slotType: plan.stage === 'awaiting_follow_up' ? 'follow_up' : importedSlotType(row), bookBy: plan.bookBy });
      if (appointment) Object.assign(payload, { appointmentId: appointment.id, clinicName: appointment.clinicName, slotStart: appointment.start });
      const id = newId('task');
      taskRows.push({
        id, taskKey: `${referralId}:1:${type}`, type, title: taskTitles[type], priority: row.priority, priorityRank: priorityRank[row.priority],
        dueAt: new Date(dueAt), queueId: queueIdFor(refs, type, row), breachDate, workflowId: `referral-${referralId}`, referralId, patientId, payload,
      });
      audit.push({ actorId: null, action: 'task.opened', entityType: 'task', entityId: id, after: { type, priority: row.priority, dueAt, imported: true } });
    }
  }

  await tx.insert(pathways).values(pathwayRows).onConflictDoNothing();
  await tx.insert(rttPeriods).values(periodRows).onConflictDoNothing();
  await tx.insert(rttEvents).values(eventRows);
  await tx.insert(pathwayEvents).values(timeline);
  if (appointmentRows.length) await tx.insert(appointments).values(appointmentRows);
  if (taskRows.length) await tx.insert(tasks).values(taskRows).onConflictDoNothing({ target: tasks.taskKey });
  for (let i = 0; i < audit.length; i += 2000) await tx.insert(auditLog).values(audit.slice(i, i + 2000));
  for (const state of ['awaiting_booking', 'awaiting_follow_up'] as const) {
    const ids = stageChanged.filter((s) => s.state === state).map((s) => s.id);
    if (ids.length) await tx.update(referrals).set({ state, clinicId: null }).where(inArray(referrals.id, ids));
  }
}

/** A row whose appointment is to hold a slot (only outpatient stages have one). */
const wantsSlot = (row: ImportRow) => row.clinicId !== null && row.appointmentStart !== null
  && (row.stage === 'awaiting_first_appointment' || row.stage === 'awaiting_follow_up');
/** The referral's state as first written, before holdSlots knows whether its slot was free. */
const referralStateOf = (row: ImportRow) => importedStage(row, '', wantsSlot(row)).stage;

const importedSlotType = (row: ImportRow) => (row.priority === 'routine' ? 'new' : row.priority);

type StartRow = {
  id: string; patient_id: string; received_at: string; priority: PathwayInput['priority']; specialty_code: string; state: ImportedPathway['stage'];
  clinic_id: string | null; workflow_id: string; clock_start: string; last_rtt_code: number;
  task_id: string | null; task_type: TaskType | null; task_due_ms: number | null; book_by: string | null;
  appointment_id: string | null; appointment_start_ms: number | null; appointment_kind: 'new' | 'follow_up' | null;
};

/**
 * Starts the imported referrals' pathways where their rows say they stand (read back, so a start after a crash is the
 * same as one straight after the write), at most IMPORT_STARTS_IN_FLIGHT at once, then marks them started. Answers
 * how many it started. Also run by the worker's startPendingPathways for imported referrals left unstarted.
 */
export async function startImportedPathways(db: Database, temporal: ImportContext['temporal'], referralIds: string[], now: Date): Promise<number> {
  if (!referralIds.length) return 0;
  const rows = await queryRows<StartRow>(db, sql`
    select r.id, r.patient_id, r.received_at::text, r.priority, r.specialty_code, r.state, r.clinic_id, r.workflow_id,
      p.clock_start::text, p.last_rtt_code,
      t.id as task_id, t.type as task_type, (extract(epoch from t.due_at) * 1000)::float8 as task_due_ms, t.payload->>'bookBy' as book_by,
      a.id as appointment_id, (extract(epoch from a.start) * 1000)::float8 as appointment_start_ms, a.kind as appointment_kind
    from referrals r join pathways p on p.referral_id = r.id
    left join tasks t on t.task_key in (r.id || ':1:triage_referral', r.id || ':1:book_new_appointment', r.id || ':1:book_follow_up', r.id || ':1:record_attendance')
    left join appointments a on a.referral_id = r.id and a.state = 'booked'
    where r.id in (${sql.join(referralIds.map((id) => sql`${id}`), sql`, `)}) and r.source = 'pas_import' and not r.pathway_started`);
  const gate = new Semaphore(IMPORT_STARTS_IN_FLIGHT);
  const started: string[] = [];
  await Promise.all(rows.map((r) => gate.runExclusive(async () => {
    await startOne(temporal, r, now);
    started.push(r.id);
  })));
  if (!started.length) return 0;
  // Of two runs finishing the same rows, one marks each: it alone counts it (the other's start found it running).
  const marked = await db.update(referrals).set({ pathwayStarted: true })
    .where(and(inArray(referrals.id, started), eq(referrals.pathwayStarted, false))).returning({ id: referrals.id });
  return marked.length;
}

async function startOne(temporal: ImportContext['temporal'], r: StartRow, now: Date) {
  const firstBooked = r.state !== 'awaiting_triage' && r.state !== 'awaiting_booking';
  const openTaskDueAt = r.task_due_ms === null ? null : new Date(Number(r.task_due_ms)).toISOString();
  const lastCode = r.last_rtt_code as RttStatusCode;
  const imported: ImportedPathway = {
    stage: r.state,
    clock: { status: 'running', clockStart: r.clock_start, clockStop: null, lastCode, eventsSinceStart: lastCode === 10 || lastCode === 12 ? 0 : 1 },
    firstBooked,
    clinicId: r.clinic_id,
    openTaskId: r.task_id,
    openTaskType: r.task_type,
    openTaskDueAt,
    appointmentId: r.appointment_id,
    appointmentKind: r.appointment_kind,
    appointmentStart: r.appointment_start_ms === null ? null : new Date(Number(r.appointment_start_ms)).toISOString(),
    bookBy: r.book_by,
    ...importedTimers({ clockStart: r.clock_start, priority: r.priority, firstBooked, openTaskType: r.task_type, openTaskDueAt, nowMs: now.getTime() }),
  };
  const input: PathwayInput = {
    referralId: r.id, patientId: r.patient_id, receivedAt: r.received_at, priority: r.priority, specialtyCode: r.specialty_code, imported,
  };
  try {
    await temporal.client.workflow.start(referralPathway, {
      workflowId: r.workflow_id, taskQueue: temporal.taskQueue, args: [input],
      workflowIdConflictPolicy: 'USE_EXISTING', workflowIdReusePolicy: 'REJECT_DUPLICATE',
    });
  } catch (err) {
    if (!(err instanceof WorkflowExecutionAlreadyStartedError)) throw err;
  }
}
