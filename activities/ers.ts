// e-RS sync (issue 14): the activities of the `ers-poll` workflow. They read the worklists themselves and pass on only
// our own ids, so no UBRN or NHS number reaches Temporal: not in payloads, not in failures (an e-RS error leaves an
// activity as its status and code). Every step is idempotent: intake by UBRN, documents by their e-RS id, the slot
// issue item by its key, an outcome by the triage decision's change key.
import { randomUUID } from 'node:crypto';
import { ApplicationFailure, Context } from '@temporalio/activity';
import type { Client } from '@temporalio/client';
import { and, eq, inArray, isNull, lt, sql } from 'drizzle-orm';
import { ErsError, type ErsApi, type ErsReferral, type ErsWorklist, type ErsWorklistItem, ersWorklists } from '../domain/ers';
import {
  appointmentChange, ersClockStart, outcomeCall, outcomeRefusedMessage, ourPriority, ourSpecialty, slotIssueDueAt, stillAllowed,
} from '../domain/ers-rules';
import { londonDate, taskTitles, type ReferralPriority } from '../domain';
import type { Database, Tx } from '../db/client';
import { queryRows } from '../db/client';
import { newId } from '../db/ids';
import {
  appointments, ersDocuments, ersOutcomes, ersReferrals, ersWorklistEntries, notes, pathways, referrals, slots, tasks,
} from '../db/schema';
import { writeAudit } from './audit';
import { notifyStaff } from './staff-notifications';
import { priorityRank, queueFor } from './pathway';
import { registerReferral } from '../api/referral-intake';
import { registerReferralBody } from '../api/schemas';
import { AppError } from '../api/errors';
import { cancelAppointmentUpdate } from '../workflows';

export type ErsDeps = {
  db: Database;
  ers?: {
    api: ErsApi;
    /** e-RS service id → our specialty code, where the service decides (the trust's mapping). */
    services?: Readonly<Record<string, string>>;
    /** For intake (the pathway starts) and the pathway's Updates. */
    temporal: { client: Client; taskQueue: string };
  };
};

/** Worklist entries one takeInErsReferrals works on at once (e-RS calls, Postgres connections and pathway starts in flight). */
export const TAKE_IN_AT_ONCE = 8;

export type ErsWorklistRead = { seen: number; gone: number; toTakeIn: string[]; held: string[] };
export type ErsTakeInResult = { registered: number; alreadyHere: number; documents: number; slotIssues: number; needAttention: number };
export type ErsChangesResult = { checked: number; cancelled: number; moved: number };
export type ErsSendResult = { sent: number; retrying: number; failed: number };

/** An e-RS failure as Temporal may keep it: status and code only (the adapter's message can name the UBRN). */
function scrubbed(err: unknown): never {
  if (err instanceof ErsError) {
    throw ApplicationFailure.create({
      type: `ErsError:${err.kind}`, message: `e-RS answered ${err.status}${err.code ? ` ${err.code}` : ''}`,
      nonRetryable: err.kind === 'final',
      ...(err.retryAfterMs ? { nextRetryDelay: err.retryAfterMs } : {}),
    });
  }
  throw err;
}

const heartbeat = (details?: unknown) => { try { Context.current().heartbeat(details); } catch { /* outside an activity (tests) */ } };

/** How long a poll's claim on a worklist entry holds if its worker dies (a take-in is seconds; an activity's limit is 15 minutes). */
export const ERS_TAKE_IN_LEASE_MINUTES = 10;
/**
 * Who claims: the activity, the same on every attempt, so a retry after a worker died takes its own entries back at
 * once, while another poll waits for the lease. Outside an activity (tests), a one-off name.
 */
function claimant(): string {
  try {
    const { workflowExecution: run, activityId } = Context.current().info;
    if (run) return `${run.workflowId}/${run.runId}/${activityId}`;
  } catch { /* outside an activity */ }
  return `take-${randomUUID()}`;
}

/**
 * A worklist entry (`w`) still to take in: on the list, and not yet a referral here, or its documents not all stored, or
 * (a slot issue) its item not yet open.
 */
const stillToTakeIn = sql`w.gone_at is null and (w.referral_id is null
  or not exists (select 1 from ers_referrals e where e.referral_id = w.referral_id and e.documents_fetched_at is not null)
  or (w.worklist = 'APPOINTMENT_SLOT_ISSUES' and not exists (select 1 from tasks t where t.task_key = w.referral_id || ':ers:resolve_slot_issue')))`;

/** Words for the officer (and the rows) about why something did not come in: never the UBRN or NHS number. */
function inWords(err: unknown): string {
  if (err instanceof ErsError) return `e-RS answered ${err.status}${err.code ? ` (${err.code})` : ''}`;
  if (err instanceof AppError) return Object.entries(err.errors ?? {}).map(([f, m]) => `${f} ${m}`).join('; ') || err.code;
  return err instanceof Error ? err.name : 'unknown failure';
}

export const createErsActivities = (deps: ErsDeps) => {
  const { db } = deps;
  const ers = () => {
    if (!deps.ers) throw ApplicationFailure.nonRetryable('e-RS is not configured on this worker (ERS_BASE_URL)', 'ErsNotConfigured');
    return deps.ers;
  };

  /** A005 and the related UBRNs (clinical information may sit on the first one only). */
  async function readWithRelated(api: ErsApi, ubrn: string): Promise<{ referral: ErsReferral; related: ErsReferral[] }> {
    const referral = await api.getReferral(ubrn);
    const related: ErsReferral[] = [];
    for (const other of referral.relatedUbrns.filter((u) => u !== ubrn)) {
      try {
        related.push(await api.getReferral(other));
      } catch (err) {
        // A related UBRN we may not read (another provider's) still links; its start and documents are e-RS's to keep.
        if (!(err instanceof ErsError) || err.kind !== 'final') throw err;
      }
    }
    return { referral, related };
  }

  /** Attachments (available ones) and the clinical summary of the UBRN and its related UBRNs; true once all are here. */
  async function fetchDocuments(api: ErsApi, referralId: string, all: ErsReferral[]): Promise<{ stored: number; complete: boolean }> {
    let stored = 0;
    let complete = true;
    const have = new Set((await db.select({ kind: ersDocuments.kind, fromUbrn: ersDocuments.fromUbrn, sourceId: ersDocuments.sourceId })
      .from(ersDocuments).where(eq(ersDocuments.referralId, referralId))).map((d) => `${d.kind}:${d.fromUbrn}:${d.sourceId}`));
    const store = async (kind: 'attachment' | 'clinical_summary', fromUbrn: string, sourceId: string, fetch: () => Promise<{ filename: string; contentType: string; bytes: Uint8Array }>) => {
      if (have.has(`${kind}:${fromUbrn}:${sourceId}`)) return;
      try {
        const doc = await fetch();
        const inserted = await db.insert(ersDocuments).values({
          id: newId('ersdoc'), referralId, kind, sourceId, fromUbrn, filename: doc.filename, contentType: doc.contentType,
          size: doc.bytes.byteLength, bytes: doc.bytes,
        }).onConflictDoNothing().returning({ id: ersDocuments.id });
        stored += inserted.length;
      } catch (err) {
        // Not scanned yet (A042 400) or a passing failure: the next poll tries again.
        if (err instanceof ErsError && err.kind === 'retryable' && err.status === 429) throw err;
        complete = false;
      }
    };
    for (const r of all) {
      await store('clinical_summary', r.ubrn, 'summary', () => api.clinicalSummary(r.ubrn));
      for (const att of r.attachments) {
        if (!att.available) { complete = false; continue; }
        await store('attachment', r.ubrn, att.id, () => api.attachment(att));
      }
      heartbeat();
    }
    return { stored, complete };
  }

  /** The e-RS slot issues queue's item for a referral on the ASI worklist; one per referral, by its key. */
  async function openSlotIssue(tx: Tx, referralId: string, item: ErsWorklistItem, priority: ReferralPriority): Promise<boolean> {
    const [ref] = await tx.select({ patientId: referrals.patientId, state: referrals.state, specialtyCode: referrals.specialtyCode })
      .from(referrals).where(eq(referrals.id, referralId));
    if (!ref || !['awaiting_triage', 'awaiting_booking'].includes(ref.state)) return false;
    const [pathway] = await tx.select({ breachDate: pathways.breachDate }).from(pathways).where(eq(pathways.referralId, referralId));
    const receivedOn = londonDate(Date.parse(item.receivedAt ?? item.pathwayStart));
    const dueAt = slotIssueDueAt({ priority, receivedOn, patientContactExpected: item.patientContactExpected ?? null });
    const queueId = await queueFor(tx, { kind: 'ers_slot_issues' } as never);
    const id = newId('task');
    const inserted = await tx.insert(tasks).values({
      id, taskKey: `${referralId}:ers:resolve_slot_issue`, type: 'resolve_slot_issue', title: taskTitles.resolve_slot_issue,
      priority, priorityRank: priorityRank[priority], dueAt: new Date(dueAt), queueId, breachDate: pathway?.breachDate ?? null,
      workflowId: `referral-${referralId}`, referralId, patientId: ref.patientId,
      payload: { specialtyCode: ref.specialtyCode, ersReason: item.reason ?? null, patientContactExpected: item.patientContactExpected ?? null },
    }).onConflictDoNothing({ target: tasks.taskKey }).returning({ id: tasks.id });
    if (inserted.length) {
      await writeAudit(tx, { actorId: null, action: 'task.opened', entityType: 'task', entityId: id,
        after: { type: 'resolve_slot_issue', queueId, priority, dueAt } });
    }
    return inserted.length > 0;
  }

  /** One worklist entry taken in: registered through the console's intake, its e-RS details, documents and slot issue. */
  async function takeIn(entryId: string, result: ErsTakeInResult) {
    const { api, services, temporal } = ers();
    const [entry] = await db.select().from(ersWorklistEntries).where(eq(ersWorklistEntries.id, entryId));
    if (!entry) return;
    const item = entry.item as ErsWorklistItem;
    const { referral, related } = await readWithRelated(api, entry.ubrn);
    const priority = ourPriority(referral.priority);
    const specialty = ourSpecialty(referral.specialty, referral.serviceId, services);
    let referralId = entry.referralId;
    if (!referralId) {
      if (!priority || !specialty) {
        await db.update(ersWorklistEntries).set({ item: { ...item, problem: !priority ? `priority ${referral.priority} is not known here` : `service ${referral.serviceId} (${referral.specialty}) is not mapped to a specialty` } })
          .where(eq(ersWorklistEntries.id, entryId));
        result.needAttention += 1;
        return;
      }
      const receivedAt = ersClockStart({
        pathwayStart: referral.pathwayStart, asiReceivedAt: entry.worklist === 'APPOINTMENT_SLOT_ISSUES' ? item.receivedAt : null,
        relatedStarts: related.map((r) => r.pathwayStart),
      });
      const p = referral.patient;
      const parsed = registerReferralBody.safeParse({
        patient: { nhsNumber: p.nhsNumber, givenName: p.givenName, familyName: p.familyName, dateOfBirth: p.dateOfBirth, ...(p.postcode ? { postcode: p.postcode } : {}) },
        source: 'ers', ubrn: referral.ubrn, receivedAt, specialty, priority,
        reason: `e-RS referral (${referral.specialty.replace(/_/g, ' ').toLowerCase()}, service ${referral.serviceId})`,
      });
      if (!parsed.success) {
        const problem = parsed.error.issues.map((i) => `${i.path.join('.')} ${i.message}`).join('; ');
        await db.update(ersWorklistEntries).set({ item: { ...item, problem } }).where(eq(ersWorklistEntries.id, entryId));
        result.needAttention += 1;
        return;
      }
      try {
        const registered = await registerReferral({ db, temporal, today: () => londonDate(Date.now()) }, parsed.data, null);
        referralId = registered.referral.id;
        if (registered.created) result.registered += 1; else result.alreadyHere += 1;
      } catch (err) {
        if (!(err instanceof AppError)) throw err;
        await db.update(ersWorklistEntries).set({ item: { ...item, problem: inWords(err) } }).where(eq(ersWorklistEntries.id, entryId));
        result.needAttention += 1;
        return;
      }
    }
    const appt = referral.appointment;
    await db.insert(ersReferrals).values({
      referralId, relatedUbrns: referral.relatedUbrns, version: referral.version, worklist: entry.worklist, ersState: referral.state,
      serviceId: referral.serviceId, triage: referral.triage, ersAppointmentId: appt?.id ?? null,
      ersAppointmentStart: appt ? new Date(appt.start) : null, ersAppointmentStatus: appt?.status ?? null,
    }).onConflictDoUpdate({
      target: ersReferrals.referralId,
      set: { relatedUbrns: referral.relatedUbrns, version: referral.version, worklist: entry.worklist, ersState: referral.state, seenAt: new Date(), updatedAt: new Date() },
    });
    await db.update(ersWorklistEntries).set({ referralId, item: { ...item, problem: null } }).where(eq(ersWorklistEntries.id, entryId));
    const docs = await fetchDocuments(api, referralId, [referral, ...related]);
    result.documents += docs.stored;
    await db.update(ersReferrals).set(docs.complete ? { documentsFetchedAt: new Date(), lastError: null } : { lastError: 'some attachments are not available in e-RS yet' })
      .where(eq(ersReferrals.referralId, referralId));
    if (entry.worklist === 'APPOINTMENT_SLOT_ISSUES' && priority) {
      if (await db.transaction((tx) => openSlotIssue(tx, referralId!, item, priority))) result.slotIssues += 1;
    }
  }

  /** Sends one outcome row it holds; the row's new status is written here. */
  async function sendOne(api: ErsApi, row: typeof ersOutcomes.$inferSelect): Promise<'sent' | 'retrying' | 'failed'> {
    const [held] = await queryRows<{ ubrn: string; version: string; triage: boolean; worklist: string; ers_state: string }>(db, sql`
      select r.ubrn, e.version, e.triage, e.worklist, e.ers_state from referrals r join ers_referrals e on e.referral_id = r.id where r.id = ${row.referralId}`);
    const call = outcomeCall(row.action, { triage: held.triage, worklist: held.worklist });
    const attempt = (version: string) => {
      switch (call.call) {
        case 'A013': return api.accept(held.ubrn, version);
        case 'A014': return api.reject(held.ubrn, version, call.reason, row.comments);
        case 'A028': return api.recordReviewOutcome(held.ubrn, version, call.outcome, row.comments);
      }
    };
    const done = async (after: ErsReferral) => {
      await db.transaction(async (tx) => {
        await tx.update(ersOutcomes).set({ status: 'sent', call: call.call, sentAt: new Date(), attempts: sql`${ersOutcomes.attempts} + 1`, lastError: null, claimedUntil: null, updatedAt: new Date() })
          .where(eq(ersOutcomes.id, row.id));
        await tx.update(ersReferrals).set({ version: after.version, ersState: after.state, updatedAt: new Date() }).where(eq(ersReferrals.referralId, row.referralId));
        await writeAudit(tx, { actorId: null, action: 'ers.outcome_sent', entityType: 'referral', entityId: row.referralId, after: { call: call.call, action: row.action } });
      });
      return 'sent' as const;
    };
    const fail = async (why: string) => {
      await db.transaction(async (tx) => {
        await tx.update(ersOutcomes).set({ status: 'failed', call: call.call, attempts: sql`${ersOutcomes.attempts} + 1`, lastError: why, claimedUntil: null, updatedAt: new Date() })
          .where(eq(ersOutcomes.id, row.id));
        await writeAudit(tx, { actorId: null, action: 'ers.outcome_failed', entityType: 'referral', entityId: row.referralId, after: { call: call.call, action: row.action, why } });
        if (row.decidedBy) {
          await notifyStaff(tx, {
            key: `ers_outcome:${row.id}`, staffId: row.decidedBy, kind: 'ers_outcome',
            title: 'e-RS did not take a triage decision', body: outcomeRefusedMessage(row.action, why), referralId: row.referralId,
          });
        }
      });
      return 'failed' as const;
    };
    try {
      return await done(await attempt(held.version));
    } catch (err) {
      if (!(err instanceof ErsError)) throw err;
      if (err.kind === 'retryable') {
        const delayMs = err.retryAfterMs ?? Math.min(60_000 * 2 ** row.attempts, 3_600_000);
        await db.update(ersOutcomes).set({ attempts: sql`${ersOutcomes.attempts} + 1`, lastError: inWords(err), nextAttemptAt: new Date(Date.now() + delayMs), claimedUntil: null, updatedAt: new Date() })
          .where(eq(ersOutcomes.id, row.id));
        return 'retrying';
      }
      if (err.kind === 'final') return fail(inWords(err));
      // 412: the referral changed in e-RS since we read it. Read it again; retry once only if the action is still allowed.
      const now = await api.getReferral(held.ubrn);
      const allowed = await api.allowedActions(held.ubrn, now.version);
      await db.update(ersReferrals).set({ version: now.version, ersState: now.state, updatedAt: new Date() }).where(eq(ersReferrals.referralId, row.referralId));
      if (!stillAllowed(call.call, allowed)) return fail(`the referral changed in e-RS (now ${now.state.replace(/_/g, ' ').toLowerCase()}) and this action is no longer allowed`);
      try {
        return await done(await attempt(now.version));
      } catch (again) {
        if (again instanceof ErsError && again.kind === 'retryable') {
          await db.update(ersOutcomes).set({ attempts: sql`${ersOutcomes.attempts} + 1`, lastError: inWords(again), nextAttemptAt: new Date(Date.now() + (again.retryAfterMs ?? 60_000)), claimedUntil: null, updatedAt: new Date() })
            .where(eq(ersOutcomes.id, row.id));
          return 'retrying';
        }
        if (again instanceof ErsError) return fail(again.kind === 'changed' ? 'the referral changed in e-RS again while we sent it' : inWords(again));
        throw again;
      }
    }
  }

  return {
    /** A008 for both worklists: each entry recorded by UBRN, those off the list marked gone; our ids of what to take in. */
    async readErsWorklists(): Promise<ErsWorklistRead> {
      const { api } = ers();
      let seen = 0;
      let gone = 0;
      for (const worklist of ersWorklists as readonly ErsWorklist[]) {
        let items: ErsWorklistItem[];
        try { items = await api.fetchWorklist(worklist); } catch (err) { scrubbed(err); }
        const now = new Date();
        for (let i = 0; i < items.length; i += 500) {
          const chunk = items.slice(i, i + 500);
          await db.insert(ersWorklistEntries).values(chunk.map((item) => ({ id: newId('ersw'), ubrn: item.ubrn, worklist, item, firstSeenAt: now, lastSeenAt: now })))
            .onConflictDoUpdate({ target: [ersWorklistEntries.ubrn, ersWorklistEntries.worklist],
              set: { item: sql`excluded.item`, lastSeenAt: now, goneAt: null } });
          heartbeat();
        }
        seen += items.length;
        // Gone: what this read of the worklist did not list. Not "not seen since now": a poll running beside this one
        // may have read the same list a moment before and written its sighting a moment after, older than this now.
        const listed = items.map((item) => item.ubrn);
        const left = await db.update(ersWorklistEntries).set({ goneAt: now })
          .where(and(eq(ersWorklistEntries.worklist, worklist), isNull(ersWorklistEntries.goneAt),
            sql`${ersWorklistEntries.ubrn} not in (select jsonb_array_elements_text(${JSON.stringify(listed)}::jsonb))`))
          .returning({ id: ersWorklistEntries.id });
        gone += left.length;
      }
      // Link entries to referrals already here by UBRN (registered at the console, or by an earlier poll).
      await db.execute(sql`update ers_worklist_entries w set referral_id = r.id from referrals r
        where w.referral_id is null and r.ubrn = w.ubrn and exists (select 1 from ers_referrals e where e.referral_id = r.id)`);
      const toTakeIn = await queryRows<{ id: string }>(db, sql`
        select w.id from ers_worklist_entries w where ${stillToTakeIn} order by w.first_seen_at, w.id`);
      const held = await queryRows<{ referral_id: string }>(db, sql`
        select e.referral_id from ers_referrals e join referrals r on r.id = e.referral_id
        where e.ers_appointment_id is not null and r.state in ('booked', 'follow_up_booked', 'awaiting_triage', 'awaiting_booking')`);
      return { seen, gone, toTakeIn: toTakeIn.map((r) => r.id), held: held.map((r) => r.referral_id) };
    },

    /** Takes in worklist entries (our ids): one referral per UBRN however often it runs. */
    async takeInErsReferrals(entryIds: string[]): Promise<ErsTakeInResult> {
      const result: ErsTakeInResult = { registered: 0, alreadyHere: 0, documents: 0, slotIssues: 0, needAttention: 0 };
      const me = claimant();
      // A few entries at once: each is mostly waiting on e-RS, Postgres and Temporal's start, one after another, so
      // one at a time left the worker idle (issue 14's benchmark). Each entry is idempotent by its UBRN (two entries
      // of one UBRN meet at the referral's unique UBRN), so taking them in side by side makes nothing twice.
      let next = 0;
      let failure: { err: unknown } | undefined;
      const lane = async () => {
        while (!failure && next < entryIds.length) {
          const id = entryIds[next++];
          // One poll at a time reads an entry's referral and fetches its documents; a poll that finds it claimed leaves
          // it (the other poll takes it in, or, if that one died, a later poll once the lease is over).
          // Still to take in, too: a poll that read the worklists before another took the entry in leaves it be.
          const [claimed] = await queryRows<{ id: string }>(db, sql`
            update ers_worklist_entries w set claimed_by = ${me}, claimed_at = now()
            where w.id = ${id} and (w.claimed_by is null or w.claimed_by = ${me}
              or w.claimed_at < now() - ${ERS_TAKE_IN_LEASE_MINUTES}::int * interval '1 minute') and ${stillToTakeIn}
            returning w.id`);
          if (!claimed) continue;
          try {
            await takeIn(id, result);
          } catch (err) {
            if (err instanceof ErsError && err.kind === 'final') {
              await db.update(ersWorklistEntries).set({ item: sql`${ersWorklistEntries.item} || ${JSON.stringify({ problem: inWords(err) })}::jsonb` })
                .where(eq(ersWorklistEntries.id, id));
              result.needAttention += 1;
            } else {
              // The others finish what they started; the batch is then retried whole (what is done is found done).
              failure ??= { err };
              return;
            }
          } finally {
            await db.update(ersWorklistEntries).set({ claimedBy: null, claimedAt: null })
              .where(and(eq(ersWorklistEntries.id, id), eq(ersWorklistEntries.claimedBy, me)));
          }
          heartbeat(result);
        }
      };
      await Promise.all(Array.from({ length: Math.min(TAKE_IN_AT_ONCE, entryIds.length) }, lane));
      if (failure) scrubbed(failure.err);
      return result;
    },

    /**
     * A patient's cancellation or rebooking in e-RS, for referrals we hold (our ids): A005 again; a cancelled appointment
     * cancels the local booking by the patient through the pathway's Update, a moved one moves it to the slot at that
     * time in the same clinic if it is free (else cancels it, and the pathway's booking item follows).
     */
    async applyErsAppointmentChanges(referralIds: string[]): Promise<ErsChangesResult> {
      const { api, temporal } = ers();
      const result: ErsChangesResult = { checked: 0, cancelled: 0, moved: 0 };
      for (const referralId of referralIds) {
        const [held] = await queryRows<{ ubrn: string; workflow_id: string; clinic_id: string | null; ers_appointment_id: string | null; ers_appointment_start: string | null }>(db, sql`
          select r.ubrn, r.workflow_id, r.clinic_id, e.ers_appointment_id, e.ers_appointment_start
          from referrals r join ers_referrals e on e.referral_id = r.id where r.id = ${referralId}`);
        if (!held) continue;
        let now: ErsReferral;
        try { now = await api.getReferral(held.ubrn); } catch (err) { if (err instanceof ErsError && err.kind === 'final') continue; scrubbed(err); }
        result.checked += 1;
        const change = appointmentChange({ appointmentId: held.ers_appointment_id, start: held.ers_appointment_start ? new Date(held.ers_appointment_start).toISOString() : null }, now);
        if (change.kind !== 'none') {
          const [local] = await db.select({ id: appointments.id, start: appointments.start, clinicId: appointments.clinicId }).from(appointments)
            .where(and(eq(appointments.referralId, referralId), eq(appointments.state, 'booked'), sql`${appointments.start} > now()`));
          if (local) {
            let newSlotId: string | undefined;
            if (change.kind === 'moved') {
              const [slot] = await db.select({ id: slots.id }).from(slots)
                .where(and(eq(slots.clinicId, local.clinicId), eq(slots.start, new Date(change.start)), eq(slots.status, 'free')));
              newSlotId = slot?.id;
            }
            const words = change.kind === 'moved'
              ? `The patient rebooked in e-RS for ${new Date(change.start).toISOString().slice(0, 16).replace('T', ' ')} UTC${newSlotId ? '' : '; no free slot at that time here, so the booking is cancelled to rebook'}`
              : 'The patient cancelled the appointment in e-RS (Manage Your Referral or the NHS App)';
            // One note per e-RS version seen: a retried activity finds it rather than add another.
            const noteId = `note_ers_${referralId}_${now.version}`;
            await db.insert(notes).values({ id: noteId, referralId, body: words, authorId: null }).onConflictDoNothing();
            try {
              await temporal.client.workflow.getHandle(held.workflow_id).executeUpdate(cancelAppointmentUpdate, {
                args: [{ appointmentId: local.id, by: 'patient', actorId: null, reasonNoteId: noteId, ...(newSlotId ? { newSlotId } : {}) }],
              });
              if (newSlotId) result.moved += 1; else result.cancelled += 1;
            } catch (err) {
              // Refused (already cancelled locally, started): nothing to move here.
              const text = err instanceof Error ? `${err.name} ${err.message}` : '';
              if (!/APPOINTMENT_NOT|PATHWAY_ENDED|SLOT_/.test(text) && !(err as { name?: string }).name?.includes('WorkflowUpdateFailed')) throw err;
            }
          }
        }
        await db.update(ersReferrals).set({
          version: now.version, ersState: now.state, ersAppointmentId: now.appointment?.status === 'cancelled' ? null : now.appointment?.id ?? null,
          ersAppointmentStart: now.appointment && now.appointment.status !== 'cancelled' ? new Date(now.appointment.start) : null,
          ersAppointmentStatus: now.appointment?.status ?? null, seenAt: new Date(), updatedAt: new Date(),
        }).where(eq(ersReferrals.referralId, referralId));
        heartbeat(result);
      }
      return result;
    },

    /** The outcomes waiting to go back to e-RS: each held by one sender at a time, sent once, retried until acknowledged. */
    async sendErsOutcomes(): Promise<ErsSendResult> {
      const { api } = ers();
      const result: ErsSendResult = { sent: 0, retrying: 0, failed: 0 };
      // Rows this run has already tried wait for the next poll, even with a Retry-After of 0.
      const runStartedMs = Date.now();
      for (;;) {
        const claimed = await queryRows<{ id: string }>(db, sql`
          update ers_outcomes set claimed_until = now() + interval '5 minutes', updated_at = now()
          where id in (select id from ers_outcomes where status = 'pending' and next_attempt_at <= now()
            and (claimed_until is null or claimed_until < now()) and updated_at < to_timestamp(${runStartedMs}::double precision / 1000)
            order by created_at limit 20 for update skip locked)
          returning id`);
        if (!claimed.length) return result;
        const rows = await db.select().from(ersOutcomes).where(inArray(ersOutcomes.id, claimed.map((c) => c.id)));
        for (const row of rows) {
          try {
            result[await sendOne(api, row)] += 1;
          } catch (err) {
            await db.update(ersOutcomes).set({ claimedUntil: null }).where(eq(ersOutcomes.id, row.id));
            scrubbed(err);
          }
          heartbeat(result);
        }
      }
    },
  };
};

