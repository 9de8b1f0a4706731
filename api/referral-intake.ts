// Registering a referral: the patient and referral rows and the pathway's first change in one transaction, then its
// pathway workflow.
// The same UBRN twice gives back the first referral and never a second pathway.
import { WorkflowExecutionAlreadyStartedError } from '@temporalio/client';
import { and, eq, lt, sql } from 'drizzle-orm';
import type { Client } from '@temporalio/client';
import { dateOfBirthProblem, daysBetween, endOfWorkingDay, referralReceivedProblem } from '../domain';
import type { Database, Tx } from '../db/client';
import { newId } from '../db/ids';
import { patients, referrals, specialties } from '../db/schema';
import { demographicsChanged, queueHl7PatientUpdate } from '../activities/hl7-outbox';
import { writeAudit } from '../activities/audit';
import { createPathwayActivities } from '../activities/pathway';
import { referralPathway } from '../workflows';
import type { ImportedPathway, PathwayInput } from '../workflows/types';
import { firstChange } from '../workflows/pathway/intake-and-triage';
import { invalid } from './errors';
import type { RegisterReferral } from './schemas';
import { noteRecordMade, recordMadeUnder, type IdempotencyClaim } from './idempotency';
import { describeError, type Logger } from './log';
import { startImportedPathways } from './import-pathways';
import { startWardFormPathways, wardFormReferralIds } from './ward-forms';

export type ReferralRow = typeof referrals.$inferSelect;
export type Temporal = { client: Client; taskQueue: string };
const START_DEADLINE_MS = 5_000;

export async function registerReferral(
  deps: { db: Database; temporal: Temporal; today: () => string; logger?: Logger },
  body: RegisterReferral,
  actorId: string | null,
  claim?: IdempotencyClaim,
): Promise<{ created: boolean; referral: ReferralRow; pathwayStarted: boolean }> {
  const receivedProblem = referralReceivedProblem(body.receivedAt, deps.today());
  if (receivedProblem) throw invalid('receivedAt', receivedProblem);
  const birthProblem = dateOfBirthProblem(body.patient.dateOfBirth, deps.today());
  if (birthProblem) throw invalid('patient.dateOfBirth', birthProblem);
  if (daysBetween(body.patient.dateOfBirth, body.receivedAt) < 0) throw invalid('receivedAt', 'is before the patient was born');
  const [specialty] = await deps.db.select().from(specialties).where(eq(specialties.code, body.specialty));
  if (!specialty) throw invalid('specialty', `${body.specialty} is not a specialty of this trust`);

  const outcome = await deps.db.transaction(async (tx) => {
    // A retry of a request whose answer was lost gets the referral it made (GP letters have no UBRN).
    const madeBefore = await recordMadeUnder(tx, claim);
    if (madeBefore) {
      const [existing] = await tx.select().from(referrals).where(eq(referrals.id, madeBefore));
      if (existing) return { created: false, referral: existing };
    }
    if (body.ubrn) {
      const [existing] = await tx.select().from(referrals).where(eq(referrals.ubrn, body.ubrn));
      if (existing) return { created: false, referral: existing };
    }
    const patient = await savePatient(tx, body.patient);
    const id = newId('ref');
    const inserted = await tx.insert(referrals).values({
      id, patientId: patient.id, source: body.source, ubrn: body.ubrn ?? null, receivedAt: body.receivedAt,
      specialtyCode: body.specialty, priority: body.priority, reason: body.reason, workflowId: `referral-${id}`,
      referrer: body.referrer ? {
        name: body.referrer.name, organisation: body.referrer.organisation ?? null, odsCode: body.referrer.odsCode ?? null,
        email: body.referrer.email ?? null, addressLines: body.referrer.addressLines ?? [], postcode: body.referrer.postcode?.toUpperCase() ?? null,
      } : null, createdBy: actorId,
    }).onConflictDoNothing({ target: referrals.ubrn }).returning();
    if (inserted.length === 0) {
      const [existing] = await tx.select().from(referrals).where(eq(referrals.ubrn, body.ubrn!));
      return { created: false, referral: existing };
    }
    await writeAudit(tx, { actorId, action: 'referral.registered', entityType: 'referral', entityId: id,
      after: { source: body.source, ubrn: body.ubrn, receivedAt: body.receivedAt, specialty: body.specialty, priority: body.priority } });
    await noteRecordMade(tx, claim, id);
    // The first change with the referral: a referral is never saved without its clock and triage item.
    return { created: true, referral: inserted[0], input: await applyFirstChange(tx, inserted[0]) };
  });

  const registered = { created: outcome.created, referral: outcome.referral };
  const input = 'input' in outcome ? outcome.input : undefined;
  if (registered.referral.pathwayStarted) return { ...registered, pathwayStarted: true };
  try {
    // A referral made before (a retry, a known UBRN) whose pathway has not started gets its first change here if need be.
    if (input) await startWorkflow(deps, registered.referral, input);
    else await startPathway(deps, registered.referral);
    return { ...registered, pathwayStarted: true };
  } catch (err) {
    // The referral is saved; startPendingPathways starts its pathway once Temporal answers again.
    deps.logger?.warn('referral saved, pathway not started yet', { referralId: registered.referral.id, error: describeError(err) });
    return { ...registered, pathwayStarted: false };
  }
}

/**
 * The patient as a referral (or a ward form) gives them, saved by NHS number: contact details move on, the identity on
 * file is kept (a different date of birth is refused, naming `field`); a change to a known patient's details goes to the PAS.
 */
export async function savePatient(tx: Tx, p: RegisterReferral['patient'], field = 'patient.dateOfBirth') {
  // A patient we know whose contact details the referral changes: the PAS is told (ADT^A08, issue 14).
  const [known] = await tx.select({ addressLines: patients.addressLines, postcode: patients.postcode, phone: patients.phone, email: patients.email })
    .from(patients).where(eq(patients.nhsNumber, p.nhsNumber)).for('no key update');
  const [patient] = await tx.insert(patients).values({
    id: newId('pat'), nhsNumber: p.nhsNumber, givenName: p.givenName, familyName: p.familyName, dateOfBirth: p.dateOfBirth,
    postcode: p.postcode?.toUpperCase() ?? null, phone: p.phone ?? null, email: p.email ?? null, addressLines: p.addressLines ?? [],
  }).onConflictDoUpdate({
    target: patients.nhsNumber,
    // Contact details move on; the identity on file is kept.
    set: { postcode: sql`coalesce(excluded.postcode, ${patients.postcode})`, phone: sql`coalesce(excluded.phone, ${patients.phone})`,
      email: sql`coalesce(excluded.email, ${patients.email})`,
      addressLines: sql`case when cardinality(excluded.address_lines) > 0 then excluded.address_lines else ${patients.addressLines} end`,
      updatedAt: new Date() },
  }).returning();
  if (patient.dateOfBirth !== p.dateOfBirth) {
    throw invalid(field, `does not match the date of birth on file for NHS number ${p.nhsNumber}`);
  }
  if (known && demographicsChanged(known, patient)) {
    await queueHl7PatientUpdate(tx, `intake:${patient.id}:${patient.updatedAt.getTime()}`, { patientId: patient.id, at: patient.updatedAt });
  }
  return patient;
}

/**
 * The pathway's first change (clock, timeline, triage item) is applied here, then the workflow starts where those rows
 * stand: so the triage item is on the work list when the officer's answer comes back, and the pathway's first task
 * runs no activity (issue 13: intake costs Temporal one workflow task, not two and an activity). Both steps are
 * idempotent: the change by its key `<referralId>:1`, the start by its workflow id. An already running pathway is
 * reused, a finished one is never started again.
 */
export async function startPathway(deps: { db: Database; temporal: Temporal }, referral: ReferralRow): Promise<void> {
  await startWorkflow(deps, referral, await applyFirstChange(deps.db, referral));
}

/** The first change applied (once: by its key), in the caller's transaction if given; the workflow input that starts where it stands. */
async function applyFirstChange(db: Database | Tx, referral: ReferralRow): Promise<PathwayInput> {
  const change = firstChange({ ...referral, referralId: referral.id }, endOfWorkingDay);
  const applied = await createPathwayActivities({ db }).startPathway({
    ...change, changeKey: `${referral.id}:1`, referralId: referral.id, patientId: referral.patientId, beforeWorkflow: true,
  });
  const triage = change.openTasks[0];
  const begun: ImportedPathway = {
    stage: 'awaiting_triage', clock: change.clock, firstBooked: false, clinicId: null,
    openTaskId: applied.openedTaskIds[0] ?? null, openTaskType: 'triage_referral', openTaskDueAt: triage.dueAt === 'appointment_start' ? null : triage.dueAt,
    // Nothing counted as passed: a referral registered late escalates at once for what is already overdue.
    openTaskLevel: 0, escalationLevel: 0,
    appointmentId: null, appointmentKind: null, appointmentStart: null, bookBy: null, validatedThrough: null,
  };
  return {
    referralId: referral.id, patientId: referral.patientId, receivedAt: referral.receivedAt,
    priority: referral.priority, specialtyCode: referral.specialtyCode, imported: begun,
  };
}

/** Starts the pathway workflow (an already running one is reused, a finished one never started again) and marks it started. */
async function startWorkflow(deps: { db: Database; temporal: Temporal }, referral: ReferralRow, input: PathwayInput): Promise<void> {
  try {
    // Bounded, so a Temporal outage gives a prompt answer rather than the SDK's long retry.
    await deps.temporal.client.connection.withDeadline(Date.now() + START_DEADLINE_MS, () => deps.temporal.client.workflow.start(referralPathway, {
      workflowId: referral.workflowId, taskQueue: deps.temporal.taskQueue, args: [input],
      workflowIdConflictPolicy: 'USE_EXISTING', workflowIdReusePolicy: 'REJECT_DUPLICATE',
    }));
  } catch (err) {
    if (!(err instanceof WorkflowExecutionAlreadyStartedError)) throw err;
  }
  await deps.db.update(referrals).set({ pathwayStarted: true }).where(eq(referrals.id, referral.id));
}

/** Starts the referral's pathway if it is saved but not yet started; true if it was. */
export async function startPathwayIfPending(deps: { db: Database; temporal: Temporal }, referralId: string): Promise<boolean> {
  const [referral] = await deps.db.select().from(referrals).where(eq(referrals.id, referralId));
  if (!referral || referral.pathwayStarted || referral.source === 'pas_import') return false;
  // A ward form's pathway starts where its rows stand, never from triage (issue 16).
  if ((await wardFormReferralIds(deps.db, [referral.id])).size) return (await startWardFormPathways(deps.db, deps.temporal, [referral.id])) > 0;
  await startPathway(deps, referral);
  return true;
}

/**
 * Referrals recorded while Temporal was unreachable get their pathway here (run by the worker). An imported one
 * (issue 13) starts where its rows say it stands, never from triage: its rows are already written.
 */
export async function startPendingPathways(db: Database, temporal: Temporal, olderThanSeconds = 30): Promise<number> {
  const pending = await db.select().from(referrals)
    .where(and(eq(referrals.pathwayStarted, false), lt(referrals.createdAt, new Date(Date.now() - olderThanSeconds * 1000))))
    .limit(500);
  const imported = pending.filter((r) => r.source === 'pas_import').map((r) => r.id);
  // Ward forms' pathways (issue 16) start where their rows stand, as imported ones do.
  const wardForms = await wardFormReferralIds(db, pending.filter((r) => r.source === 'ward').map((r) => r.id));
  for (const referral of pending) if (referral.source !== 'pas_import' && !wardForms.has(referral.id)) await startPathway({ db, temporal }, referral);
  await startWardFormPathways(db, temporal, [...wardForms]);
  await startImportedPathways(db, temporal, imported, new Date());
  return pending.length;
}
