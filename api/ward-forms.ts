// Ward forms (issue 16) [rules §8]: a ward's request at discharge for an outpatient follow-up within N weeks. It is
// a follow-up pathway of its own (a referral with source `ward`, its RTT clock not running: treatment came before),
// started where it stands as the go-live import starts one: awaiting the follow-up, its booking item in the Ward forms
// queue, due within 48 hours of receipt on working days. When no follow-up slot of the clinician (or, if they hold no
// clinic, the specialty) is free within the interval, the first item is the clinician's review instead: never a
// silently later date. The pathway's own ladders escalate an item left undone.
import { WorkflowExecutionAlreadyStartedError, type Client } from '@temporalio/client';
import { and, eq, inArray, sql } from 'drizzle-orm';
import {
  addDays, dateOfBirthProblem, daysBetween, londonInstant, queueFor, rttBreachDate, taskTitles, wardFormBookBy, wardFormDueAt,
  type TaskType,
} from '../domain';
import { queryRows, type Database, type Queryable } from '../db/client';
import { newId } from '../db/ids';
import { auditLog, notes, pathwayEvents, pathways, patients, queues, referrals, specialties, staff, tasks, wardForms } from '../db/schema';
import { priorityRank } from '../activities/pathway';
import { referralPathway } from '../workflows';
import type { ImportedPathway, PathwayInput } from '../workflows/types';
import { AppError, invalid } from './errors';
import { noteRecordMade, recordMadeUnder, type IdempotencyClaim } from './idempotency';
import { describeError, type Logger } from './log';
import { savePatient } from './referral-intake';
import type { WardFormRequest } from './schemas';

type Temporal = { client: Client; taskQueue: string };
const START_DEADLINE_MS = 5_000;

/** Free follow-up slots within the interval: the clinician's own clinics in the specialty, or the specialty's if they hold none. */
export async function followUpSlotWithin(db: Queryable, p: { specialtyCode: string; clinicianName: string; fromMs: number; bookBy: string }): Promise<boolean> {
  const until = new Date(londonInstant(addDays(p.bookBy, 1), '00:00')).toISOString();
  const from = new Date(p.fromMs).toISOString();
  const [row] = await queryRows<{ holds: boolean; theirs: boolean; any: boolean }>(db, sql`
    with c as (select id, clinician_name = ${p.clinicianName} as theirs from clinics where specialty_code = ${p.specialtyCode} and active),
    free as (select c.theirs from slots s join c on c.id = s.clinic_id
      where s.status = 'free' and s.type = 'follow_up' and s.start > ${from}::timestamptz and s.start < ${until}::timestamptz)
    select exists (select 1 from c where theirs) as holds, exists (select 1 from free where theirs) as theirs, exists (select 1 from free) as any`);
  return row.holds ? row.theirs : row.any;
}

export type ReceivedWardForm = { created: boolean; wardFormId: string; referralId: string; pathwayStarted: boolean };

export async function receiveWardForm(
  deps: { db: Database; temporal: Temporal; today: () => string; now: () => number; logger?: Logger },
  body: WardFormRequest, actorId: string, claim?: IdempotencyClaim,
): Promise<ReceivedWardForm> {
  const today = deps.today();
  const nowMs = deps.now();
  if (body.dischargedOn > today) throw invalid('dischargedOn', `must not be in the future (today is ${today})`);
  if (daysBetween(body.dischargedOn, today) > 365) throw invalid('dischargedOn', 'is more than a year ago: send a referral instead');
  if (typeof body.patient !== 'string') {
    const birthProblem = dateOfBirthProblem(body.patient.dateOfBirth, today);
    if (birthProblem) throw invalid('patient.dateOfBirth', birthProblem);
    if (daysBetween(body.patient.dateOfBirth, body.dischargedOn) < 0) throw invalid('dischargedOn', 'is before the patient was born');
  }
  const [specialty] = await deps.db.select().from(specialties).where(eq(specialties.code, body.specialty));
  if (!specialty) throw invalid('specialty', `${body.specialty} is not a specialty of this trust`);
  const [clinician] = await deps.db.select({ id: staff.id, name: staff.name, role: staff.role, active: staff.active }).from(staff).where(eq(staff.id, body.clinicianId));
  if (!clinician || !clinician.active || clinician.role !== 'clinician') throw invalid('clinicianId', 'is not a clinician of this trust');
  const bookBy = wardFormBookBy(body.dischargedOn, body.followUpWithinWeeks);
  if (bookBy < today) throw invalid('followUpWithinWeeks', `ends on ${bookBy}, already past: ask the clinician for a new interval`);
  const intervalMet = await followUpSlotWithin(deps.db, { specialtyCode: body.specialty, clinicianName: clinician.name, fromMs: nowMs, bookBy });
  const type: TaskType = intervalMet ? 'book_follow_up' : 'clinical_review';
  const dueAt = wardFormDueAt(nowMs);
  const [wardQueue] = await deps.db.select({ id: queues.id }).from(queues).where(eq(queues.kind, 'ward_forms'));
  const route = queueFor(type, 'routine', body.specialty);
  const [specialtyQueue] = await deps.db.select({ id: queues.id }).from(queues)
    .where(and(eq(queues.kind, 'specialty'), eq(queues.specialtyCode, body.specialty)));
  const queueId = intervalMet ? wardQueue?.id : route.kind === 'specialty' ? specialtyQueue?.id : undefined;
  if (!queueId) throw new AppError('RULE_REFUSED', `No ${intervalMet ? 'Ward forms' : `specialty ${body.specialty}`} queue: create it before taking ward forms`);

  const outcome = await deps.db.transaction(async (tx) => {
    const madeBefore = await recordMadeUnder(tx, claim);
    if (madeBefore) {
      const [existing] = await tx.select({ id: wardForms.id, referralId: wardForms.referralId, started: referrals.pathwayStarted }).from(wardForms)
        .innerJoin(referrals, eq(referrals.id, wardForms.referralId)).where(eq(wardForms.id, madeBefore));
      if (existing) return { created: false, wardFormId: existing.id, referralId: existing.referralId, started: existing.started };
    }
    let patientId: string;
    if (typeof body.patient === 'string') {
      const [known] = await tx.select({ id: patients.id }).from(patients).where(eq(patients.id, body.patient));
      if (!known) throw invalid('patient', `no patient with id ${body.patient}`);
      patientId = known.id;
    } else {
      patientId = (await savePatient(tx, body.patient)).id;
    }
    const wardFormId = newId('wf');
    const referralId = newId('ref');
    const workflowId = `referral-${referralId}`;
    const stage = intervalMet ? 'awaiting_follow_up' as const : 'awaiting_clinical_review' as const;
    await tx.insert(referrals).values({
      id: referralId, patientId, source: 'ward', receivedAt: today, specialtyCode: body.specialty, priority: 'routine', clinicalPriority: 'routine',
      reason: `Follow-up within ${body.followUpWithinWeeks} weeks of discharge from ${body.ward}`, state: stage, workflowId, createdBy: actorId,
    });
    // Treatment came before: the clock is not running (90) and the pathway is on no RTT list.
    await tx.insert(pathways).values({
      referralId, rttStatus: 'stopped', clockStart: body.dischargedOn, clockStop: body.dischargedOn, lastRttCode: 90, breachDate: rttBreachDate(body.dischargedOn),
    });
    const noteId = newId('note');
    await tx.insert(notes).values({ id: noteId, referralId, authorId: actorId, body: body.note });
    const taskId = newId('task');
    const testsBefore = body.testsBefore ?? [];
    const payload: Record<string, unknown> = { specialtyCode: body.specialty, wardFormId, ward: body.ward, dischargedOn: body.dischargedOn,
      followUpWithinWeeks: body.followUpWithinWeeks, bookBy, testsBefore,
      ...(intervalMet ? { clinicId: null, slotType: 'follow_up' } : { reason: 'ward_form_interval', count: 0 }) };
    await tx.insert(tasks).values({
      id: taskId, taskKey: `${referralId}:1:${type}`, type, title: taskTitles[type], priority: 'routine', priorityRank: priorityRank.routine,
      dueAt: new Date(dueAt), queueId, breachDate: null, workflowId, referralId, patientId, payload,
    });
    await tx.insert(wardForms).values({
      id: wardFormId, referralId, patientId, ward: body.ward, dischargedOn: body.dischargedOn, specialtyCode: body.specialty, clinicianId: clinician.id,
      followUpWithinWeeks: body.followUpWithinWeeks, bookBy, testsBefore, noteId, intervalMet, taskId, receivedAt: new Date(nowMs), dueAt: new Date(dueAt),
      createdBy: actorId,
    });
    await tx.insert(pathwayEvents).values({
      referralId, kind: 'ward_form', rttCode: 90, eventDate: today,
      note: intervalMet
        ? `Ward form from ${body.ward}: follow-up by ${bookBy} (within ${body.followUpWithinWeeks} weeks of discharge on ${body.dischargedOn})`
        : `Ward form from ${body.ward}: no follow-up slot free by ${bookBy}, so the clinician decides (never a later date without them)`,
    });
    await tx.insert(auditLog).values([
      { actorId, action: 'referral.registered', entityType: 'referral', entityId: referralId,
        after: { source: 'ward', wardFormId, receivedAt: today, specialty: body.specialty, priority: 'routine', stage } },
      { actorId, action: 'pathway.started', entityType: 'referral', entityId: referralId, after: { rttStatus: 'stopped', lastRttCode: 90, wardForm: true } },
      { actorId, action: 'task.opened', entityType: 'task', entityId: taskId, after: { type, priority: 'routine', dueAt, queueId } },
      { actorId, action: 'ward_form.received', entityType: 'ward_form', entityId: wardFormId,
        after: { referralId, ward: body.ward, dischargedOn: body.dischargedOn, followUpWithinWeeks: body.followUpWithinWeeks, bookBy, intervalMet } },
    ]);
    await noteRecordMade(tx, claim, wardFormId);
    return { created: true, wardFormId, referralId, started: false };
  });

  if (outcome.started) return { created: outcome.created, wardFormId: outcome.wardFormId, referralId: outcome.referralId, pathwayStarted: true };
  try {
    await startWardFormPathways(deps.db, deps.temporal, [outcome.referralId]);
    return { created: outcome.created, wardFormId: outcome.wardFormId, referralId: outcome.referralId, pathwayStarted: true };
  } catch (err) {
    // The form and its item are saved; the worker's startPendingPathways starts the pathway once Temporal answers.
    deps.logger?.warn('ward form saved, pathway not started yet', { referralId: outcome.referralId, error: describeError(err) });
    return { created: outcome.created, wardFormId: outcome.wardFormId, referralId: outcome.referralId, pathwayStarted: false };
  }
}

/** Which of these referrals are ward forms' pathways (started here, never from triage). */
export async function wardFormReferralIds(db: Queryable, referralIds: string[]): Promise<Set<string>> {
  if (!referralIds.length) return new Set();
  const rows = await queryRows<{ referral_id: string }>(db, sql`select referral_id from ward_forms where referral_id in (${sql.join(referralIds.map((id) => sql`${id}`), sql`, `)})`);
  return new Set(rows.map((r) => r.referral_id));
}

type StartRow = {
  id: string; patient_id: string; received_at: string; specialty_code: string; state: ImportedPathway['stage']; workflow_id: string;
  discharged_on: string; book_by: string; task_id: string | null; task_type: TaskType | null; due_ms: number | null;
};

/** Starts ward forms' pathways where their rows stand (awaiting the follow-up, or the clinician's review), and marks them started. */
export async function startWardFormPathways(db: Database, temporal: Temporal, referralIds: string[]): Promise<number> {
  if (!referralIds.length) return 0;
  const rows = await queryRows<StartRow>(db, sql`
    select r.id, r.patient_id, r.received_at::text, r.specialty_code, r.state, r.workflow_id, w.discharged_on::text, w.book_by::text,
      t.id as task_id, t.type as task_type, (extract(epoch from t.due_at) * 1000)::float8 as due_ms
    from referrals r join ward_forms w on w.referral_id = r.id left join tasks t on t.id = w.task_id
    where r.id in (${sql.join(referralIds.map((id) => sql`${id}`), sql`, `)}) and not r.pathway_started`);
  for (const r of rows) {
    const imported: ImportedPathway = {
      stage: r.state,
      clock: { status: 'stopped', clockStart: r.discharged_on, clockStop: r.discharged_on, lastCode: 90, eventsSinceStart: 0 },
      firstBooked: true, clinicId: null,
      openTaskId: r.task_id, openTaskType: r.task_type, openTaskDueAt: r.due_ms === null ? null : new Date(Number(r.due_ms)).toISOString(),
      // A start delayed past the due time still escalates: nothing is counted as already passed.
      openTaskLevel: 0, escalationLevel: 0,
      appointmentId: null, appointmentKind: 'follow_up', appointmentStart: null, bookBy: r.book_by, validatedThrough: null,
    };
    const input: PathwayInput = {
      referralId: r.id, patientId: r.patient_id, receivedAt: r.received_at, priority: 'routine', specialtyCode: r.specialty_code, imported,
    };
    try {
      await temporal.client.connection.withDeadline(Date.now() + START_DEADLINE_MS, () => temporal.client.workflow.start(referralPathway, {
        workflowId: r.workflow_id, taskQueue: temporal.taskQueue, args: [input],
        workflowIdConflictPolicy: 'USE_EXISTING', workflowIdReusePolicy: 'REJECT_DUPLICATE',
      }));
    } catch (err) {
      if (!(err instanceof WorkflowExecutionAlreadyStartedError)) throw err;
    }
  }
  const marked = await db.update(referrals).set({ pathwayStarted: true })
    .where(and(inArray(referrals.id, rows.map((r) => r.id)), eq(referrals.pathwayStarted, false))).returning({ id: referrals.id });
  return marked.length;
}
