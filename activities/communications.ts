// The outbox sender (issue 12): delivers the communications rows a change wrote, through GOV.UK Notify, and reads
// back what became of them. A row is claimed (`sending`, attempts + 1) and committed before Notify is called, and
// Notify's `reference` is the row's id: a row found `sending` without a Notify id (a crash between send and record)
// is first looked up by reference, and sent only if Notify has nothing. So a retry never sends twice.
import { Context } from '@temporalio/activity';
import { and, asc, eq, gt, inArray, isNotNull, isNull, lte, or, sql } from 'drizzle-orm';
import type { Database, Tx } from '../db/client';
import { newId } from '../db/ids';
import { appointments, communications, pathways, patients, referrals, tasks, type Referrer } from '../db/schema';
import { addWorkingDays, endOfWorkingDay, londonDate, notifyTemplateId, queueFor as routeFor, taskTitles, type CommChannel } from '../domain';
import { maxSendAttempts, notifyFailureWords, outcomeOfNotifyStatus, sendBackoffMs, ukMobile } from '../domain/outbox-plan';
import { writeAudit } from './audit';
import { letterPdf } from './letters';
import { letterInputFor } from './communication-letter';
import { NotifyError, type NotifyGateway, type NotifySend } from './notify-gateway';
import { priorityRank, queueFor } from './pathway';

export type NotifyDeps = { gateway: NotifyGateway; templates: Record<string, string> };
type Row = typeof communications.$inferSelect;
type Patient = typeof patients.$inferSelect;

export type DeliverRound = {
  /** The round's time: the workflow's, so a test server that skips time ahead makes reminders due. */
  asOf: string;
  limit?: number;
  /** A row `sending` without a Notify id for this long was claimed by an attempt that died; it is taken again. */
  staleAfterMs?: number;
};
export type DeliverSummary = { claimed: number; sent: number; alreadySent: number; cancelled: number; retrying: number; failed: number; stopped: 'auth' | null };
export type PollSummary = { checked: number; delivered: number; failed: number; retrying: number; stopped: 'auth' | null };

/** Test hooks: a fault between Notify accepting a message and the row recording it (a crash, as far as the row knows). */
export type SenderHooks = { afterSend?: (communicationId: string) => void | Promise<void> };

const laterOf = (asOf: string, now = new Date()) => (Date.parse(asOf) > now.getTime() ? new Date(asOf) : now);
const heartbeat = () => { try { Context.current().heartbeat(); } catch { /* called outside an activity (tests, bench) */ } };
type Log = { error(message: string, attrs: Record<string, unknown>): void };
/** The activity's logger (the worker's, with the activity's ids); outside an activity, stderr. */
const logger = (): Log => { try { return Context.current().log; } catch { return { error: (message, attrs) => console.error(message, attrs) }; } };

const channelNoun: Record<CommChannel, string> = { sms: 'text', email: 'email', letter: 'letter' };
/** Templates about a booked appointment: never sent once it is no longer booked or has started. */
const aboutBooking = new Set<Row['template']>(['appointment_confirmation', 'appointment_changed', 'appointment_reminder']);

/** Claims due rows (and rows an attempt died holding) and commits the claim before anything is sent. */
async function claimDue(db: Database, { asOf, limit = 50, staleAfterMs = 120_000 }: DeliverRound): Promise<Row[]> {
  return db.transaction(async (tx) => {
    const due = await tx.select({ id: communications.id }).from(communications).where(or(
      and(eq(communications.status, 'queued'), lte(communications.sendAfter, new Date(asOf))),
      and(eq(communications.status, 'sending'), isNull(communications.notifyId),
        sql`${communications.updatedAt} <= now() - ${staleAfterMs}::int * interval '1 millisecond'`),
    )).orderBy(asc(communications.sendAfter), asc(communications.id)).limit(limit).for('update', { skipLocked: true });
    if (!due.length) return [];
    return tx.update(communications).set({ status: 'sending', attempts: sql`${communications.attempts} + 1`, updatedAt: new Date() })
      .where(inArray(communications.id, due.map((d) => d.id))).returning();
  });
}

class NoContact extends Error {}

/** What Notify is asked to send: the row's words to the contact the patient has now (details may have changed since it was written). */
async function notifyMessage(p: Patient, notify: NotifyDeps, row: Row, asOf: Date, referrer: Referrer | null): Promise<NotifySend> {
  const contact: { phone?: string | null; email: string | null } | null = row.recipient === 'carer' ? p.carer : row.recipient === 'referrer' ? referrer : p;
  const reference = row.id;
  if (row.channel === 'sms') {
    const phoneNumber = ukMobile(contact?.phone);
    if (!phoneNumber) throw new NoContact(`No mobile number is held for the ${row.recipient}`);
    return { channel: 'sms', templateId: notifyTemplateId(row.template, 'sms', row.format, notify.templates), phoneNumber, personalisation: row.personalisation, reference };
  }
  if (row.channel === 'email') {
    if (!contact?.email) throw new NoContact(`No email address is held for the ${row.recipient}`);
    return { channel: 'email', templateId: notifyTemplateId(row.template, 'email', row.format, notify.templates), emailAddress: contact.email, personalisation: row.personalisation, reference };
  }
  if (row.recipient === 'referrer') {
    // The referrer's address travels in the row's address lines (the practice's, not the patient's).
    if (!row.personalisation.address_line_1) throw new NoContact('No postal address is held for the referrer');
    return { channel: 'letter', pdf: await letterPdf(letterInputFor({ ...row, sentAt: asOf, patient: { name: '', addressLines: [], postcode: null } })), reference };
  }
  if (!p.addressLines.length || !p.postcode) throw new NoContact('No postal address is held for the patient');
  // The viewer's definition (activities/communication-letter.ts), dated as sent: the PDF staff open is the one posted.
  const pdf = await letterPdf(letterInputFor({ ...row, sentAt: asOf, patient: { name: `${p.givenName} ${p.familyName}`, addressLines: p.addressLines, postcode: p.postcode } }));
  return { channel: 'letter', pdf, reference };
}

/** The contact_patient item in the referral's queue: a message did not reach them, so someone calls. */
async function raiseContactPatient(tx: Tx, row: Row, reason: string, now: Date) {
  if (!row.referralId) return;
  const [r] = await tx.select({ workflowId: referrals.workflowId, priority: referrals.priority, clinicalPriority: referrals.clinicalPriority,
    specialtyCode: referrals.specialtyCode, breachDate: pathways.breachDate })
    .from(referrals).leftJoin(pathways, eq(pathways.referralId, referrals.id)).where(eq(referrals.id, row.referralId));
  const priority = r.clinicalPriority ?? r.priority;
  const id = newId('task');
  const inserted = await tx.insert(tasks).values({
    id, taskKey: `contact_patient:${row.id}`, type: 'contact_patient', title: taskTitles.contact_patient, priority, priorityRank: priorityRank[priority],
    dueAt: new Date(endOfWorkingDay(addWorkingDays(londonDate(now.getTime()), 1))), queueId: await queueFor(tx, routeFor('contact_patient', priority, r.specialtyCode)),
    breachDate: r.breachDate ?? null, workflowId: r.workflowId, referralId: row.referralId, patientId: row.patientId,
    payload: { communicationId: row.id, appointmentId: row.appointmentId, channel: row.channel, template: row.template, reason },
  }).onConflictDoNothing({ target: tasks.taskKey }).returning({ id: tasks.id });
  if (inserted.length) {
    await writeAudit(tx, { actorId: null, action: 'task.opened', entityType: 'task', entityId: id, after: { type: 'contact_patient', priority, communicationId: row.id } });
  }
}

/** A message that cannot arrive: recorded with why, audited, and a person asked to reach the patient another way. */
async function recordPermanentFailure(db: Database, row: Row, failureReason: string, words: string, now: Date) {
  await db.transaction(async (tx) => {
    const done = await tx.update(communications).set({ status: 'permanent_failure', failureReason, updatedAt: now })
      .where(and(eq(communications.id, row.id), eq(communications.status, 'sending'))).returning({ id: communications.id });
    if (!done.length) return;
    await writeAudit(tx, { actorId: null, action: 'communication.failed', entityType: 'communication', entityId: row.id,
      before: { status: 'sending' }, after: { status: 'permanent_failure', failureReason, channel: row.channel, template: row.template } });
    const date = row.personalisation.appointment_date;
    const about = date ? `about the appointment on ${date}` : `(${row.template.replace(/_/g, ' ')})`;
    // A referrer not reached is the Outbox's to show; a patient not reached is a call to make.
    if (row.recipient !== 'referrer') await raiseContactPatient(tx, row, `The ${channelNoun[row.channel]} ${about} could not be delivered: ${words}`, now);
  });
}

const setRow = (db: Database, row: Row, values: Partial<Row>) => db.update(communications).set({ ...values, updatedAt: new Date() })
  .where(and(eq(communications.id, row.id), eq(communications.status, 'sending')));

/** Puts claimed rows back as they were: the round stopped before trying them (Notify refused our key). */
const release = (db: Database, rows: Row[]) => (rows.length
  ? db.update(communications).set({ status: 'queued', attempts: sql`greatest(${communications.attempts} - 1, 0)`, updatedAt: new Date() })
    .where(and(inArray(communications.id, rows.map((r) => r.id)), eq(communications.status, 'sending'), isNull(communications.notifyId)))
  : Promise.resolve());

async function stillBooked(db: Database, row: Row, at: Date) {
  if (!row.appointmentId || !aboutBooking.has(row.template)) return true;
  const [a] = await db.select({ state: appointments.state, start: appointments.start }).from(appointments).where(eq(appointments.id, row.appointmentId));
  return !!a && a.state === 'booked' && a.start > at;
}

/** One round of sending: every due row (up to `limit`) sent once, or backed off, or failed with its reason. */
export async function deliverDueCommunications(db: Database, notify: NotifyDeps, round: DeliverRound, hooks: SenderHooks = {}): Promise<DeliverSummary> {
  const summary: DeliverSummary = { claimed: 0, sent: 0, alreadySent: 0, cancelled: 0, retrying: 0, failed: 0, stopped: null };
  const claimed = await claimDue(db, round);
  summary.claimed = claimed.length;
  const now = laterOf(round.asOf);
  // The round's patients in one read: their contact details as held now, not as they were when the row was written.
  const people = new Map(claimed.length
    ? (await db.select().from(patients).where(inArray(patients.id, [...new Set(claimed.map((r) => r.patientId))]))).map((p) => [p.id, p])
    : []);
  const referralIds = [...new Set(claimed.filter((r) => r.recipient === 'referrer' && r.referralId).map((r) => r.referralId!))];
  const referrers = new Map(referralIds.length
    ? (await db.select({ id: referrals.id, referrer: referrals.referrer }).from(referrals).where(inArray(referrals.id, referralIds))).map((r) => [r.id, r.referrer])
    : []);
  for (const [i, row] of claimed.entries()) {
    heartbeat();
    if (row.attempts > maxSendAttempts) {
      await setRow(db, row, { status: 'technical_failure', failureReason: `Not sent after ${maxSendAttempts} attempts` });
      summary.failed += 1;
      continue;
    }
    let notifyId: string;
    try {
      // An earlier attempt may have sent it and died before recording: Notify knows by the reference.
      if (row.attempts > 1) {
        const found = await notify.gateway.findByReference(row.id);
        const earlier = found && outcomeOfNotifyStatus(found.status);
        if (found && (earlier === null || earlier === 'delivered')) {
          await setRow(db, row, { notifyId: found.notifyId, sentAt: now });
          summary.alreadySent += 1;
          continue;
        }
      }
      if (!(await stillBooked(db, row, now))) {
        await setRow(db, row, { status: 'cancelled' });
        summary.cancelled += 1;
        continue;
      }
      notifyId = (await notify.gateway.send(await notifyMessage(people.get(row.patientId)!, notify, row, now, referrers.get(row.referralId ?? '') ?? null))).notifyId;
    } catch (err) {
      if (err instanceof NoContact) {
        await recordPermanentFailure(db, row, err.message, `${err.message[0].toLowerCase()}${err.message.slice(1)}`, now);
        summary.failed += 1;
        continue;
      }
      if (!(err instanceof NotifyError)) throw err;
      if (err.kind === 'auth') {
        // Nothing will send until the key is mended: stop, put the round back, and say so (no patient data).
        logger().error('GOV.UK Notify refused the API key: nothing will be sent until NOTIFY_API_KEY is corrected', { statusCode: err.statusCode, errorType: err.errorType });
        await release(db, claimed.slice(i));
        summary.stopped = 'auth';
        break;
      }
      if (err.kind === 'permanent') {
        await recordPermanentFailure(db, row, err.message, 'Notify refused it (the details held for them are not valid)', now);
        summary.failed += 1;
        continue;
      }
      if (row.attempts >= maxSendAttempts) {
        await setRow(db, row, { status: 'technical_failure', failureReason: err.message });
        summary.failed += 1;
      } else {
        await setRow(db, row, { status: 'queued', failureReason: err.message, sendAfter: new Date(now.getTime() + sendBackoffMs(row.attempts, err.retryAfterMs)) });
        summary.retrying += 1;
      }
      continue;
    }
    // Outside the catch: a crash here leaves the row `sending` without a Notify id, for the next attempt to look up.
    await hooks.afterSend?.(row.id);
    await setRow(db, row, { notifyId, sentAt: now, failureReason: null });
    summary.sent += 1;
  }
  return summary;
}

/** One round of reading back: messages sent and not yet settled, oldest checked first. */
export async function pollDeliveryStatus(db: Database, notify: NotifyDeps, { asOf, limit = 100 }: { asOf: string; limit?: number }): Promise<PollSummary> {
  const summary: PollSummary = { checked: 0, delivered: 0, failed: 0, retrying: 0, stopped: null };
  const now = laterOf(asOf);
  const rows = await db.select().from(communications)
    .where(and(eq(communications.status, 'sending'), isNotNull(communications.notifyId)))
    .orderBy(asc(communications.updatedAt), asc(communications.id)).limit(limit);
  for (const row of rows) {
    heartbeat();
    let status: Awaited<ReturnType<NotifyGateway['status']>>;
    try {
      status = await notify.gateway.status(row.notifyId!);
    } catch (err) {
      if (err instanceof NotifyError && err.kind === 'auth') {
        logger().error('GOV.UK Notify refused the API key: delivery statuses cannot be read until NOTIFY_API_KEY is corrected', { statusCode: err.statusCode });
        summary.stopped = 'auth';
        break;
      }
      if (err instanceof NotifyError && err.kind === 'permanent') {
        // Notify no longer holds it (past its retention) or never did: nothing more will be learnt.
        await setRow(db, row, { status: 'technical_failure', failureReason: err.message });
        summary.failed += 1;
        continue;
      }
      if (err instanceof NotifyError) continue; // read again next round
      throw err;
    }
    summary.checked += 1;
    const outcome = outcomeOfNotifyStatus(status.status);
    if (outcome === null) {
      await setRow(db, row, {}); // to the back of the line
      continue;
    }
    if (outcome === 'delivered') {
      const completed = status.completedAt ? new Date(status.completedAt) : now;
      const deliveredAt = row.sentAt && completed < row.sentAt ? row.sentAt : completed;
      await db.transaction(async (tx) => {
        const done = await tx.update(communications).set({ status: 'delivered', deliveredAt, updatedAt: new Date() })
          .where(and(eq(communications.id, row.id), eq(communications.status, 'sending'))).returning({ id: communications.id });
        if (!done.length || !row.appointmentId || (row.template !== 'appointment_confirmation' && row.template !== 'appointment_changed')) return;
        // The evidence a first DNA needs [access-rules §4.2]: the first delivery wins, and only before the appointment.
        const told = await tx.update(appointments).set({ communicatedAt: deliveredAt, communicatedBy: row.channel })
          .where(and(eq(appointments.id, row.appointmentId), isNull(appointments.communicatedAt), eq(appointments.state, 'booked'),
            gt(appointments.start, deliveredAt))).returning({ id: appointments.id });
        if (told.length) {
          await writeAudit(tx, { actorId: null, action: 'appointment.communicated', entityType: 'appointment', entityId: row.appointmentId,
            before: { communicatedAt: null }, after: { communicatedAt: deliveredAt, communicatedBy: row.channel, communicationId: row.id } });
        }
      });
      summary.delivered += 1;
      continue;
    }
    const words = notifyFailureWords(status.status, row.channel);
    if (outcome === 'permanent_failure') {
      await recordPermanentFailure(db, row, `Notify: ${status.status}`, words, now);
      summary.failed += 1;
    } else if (status.status === 'technical-failure' && row.attempts < 2) {
      // Notify's own fault, not the patient's details: one more attempt, as a new message under the same reference.
      await setRow(db, row, { status: 'queued', notifyId: null, sentAt: null, failureReason: `Notify: ${status.status}`, sendAfter: new Date(now.getTime() + sendBackoffMs(1)) });
      summary.retrying += 1;
    } else {
      await setRow(db, row, { status: 'technical_failure', failureReason: `Notify: ${status.status} (${words})` });
      summary.failed += 1;
    }
  }
  return summary;
}

const idle = { claimed: 0, sent: 0, alreadySent: 0, cancelled: 0, retrying: 0, failed: 0, stopped: null } satisfies DeliverSummary;

/** The two rounds as activities; with no Notify configured there is nothing to send through, and nothing is claimed. */
export const createCommunicationActivities = ({ db, notify }: { db: Database; notify?: NotifyDeps }) => ({
  async deliverDueCommunications(round: DeliverRound): Promise<DeliverSummary> {
    return notify ? deliverDueCommunications(db, notify, round) : idle;
  },
  async pollDeliveryStatus(round: { asOf: string; limit?: number }): Promise<PollSummary> {
    return notify ? pollDeliveryStatus(db, notify, round) : { checked: 0, delivered: 0, failed: 0, retrying: 0, stopped: null };
  },
});
