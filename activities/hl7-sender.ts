// The PAS feed's sender (issue 14): sends the hl7_messages rows over MLLP and records each ACK. Per patient strictly in
// order: only a patient's oldest unacknowledged message is ever claimed, so their next one waits for this one's AA.
// Patients are sent side by side, so one patient's failures hold up nobody else.
// AA: acknowledged, never sent again. AE or no ACK: sent again after a back-off, with the same MSH-10 (a PAS that got it
// but whose ACK was lost drops the repeat). AR: the message is stopped, ops are told, and the patient's later messages
// wait. A row left `sending` by a worker that died is claimed again once its ACK could no longer come.
import { Context } from '@temporalio/activity';
import { and, eq, inArray, sql } from 'drizzle-orm';
import { connect } from 'node:net';
import { queryRows, type Database } from '../db/client';
import { hl7Messages, staff } from '../db/schema';
import { ackOutcome, hl7BackoffMs, hl7ControlId } from '../domain/hl7';
import { buildHl7Message, readAck, type Hl7Identity } from './hl7-message';
import { hl7Library } from './hl7-library';
import { notifyStaff } from './staff-notifications';

export type Hl7FeedConfig = {
  host: string; port: number; identity: Hl7Identity;
  /** How long to wait for an ACK before counting the attempt as failed. */
  ackTimeoutMs: number;
  retryBaseMs: number; retryMaxMs: number;
};

export type Hl7Round = { asOf: string; limit?: number };
export type Hl7RoundSummary = { claimed: number; acknowledged: number; retrying: number; rejected: number };
type Row = typeof hl7Messages.$inferSelect;

const heartbeat = () => { try { Context.current().heartbeat(); } catch { /* outside an activity */ } };
type Log = { warn(message: string, attrs: Record<string, unknown>): void };
const logger = (): Log => { try { return Context.current().log; } catch { return { warn: (message, attrs) => console.warn(message, attrs) }; } };

/** Words for each event, as the inbox and the docs say them. */
export const hl7EventWords = { S12: 'new booking (SIU^S12)', S14: 'moved appointment (SIU^S14)', S15: 'cancellation (SIU^S15)', A08: 'patient details update (ADT^A08)' } as const;

/** One message over MLLP on its own connection: resolves with the ACK's text, rejects on no connection or no ACK in time. */
export function sendOverMllp(host: string, port: number, text: string, timeoutMs: number): Promise<string> {
  return new Promise((resolve, reject) => {
    const codec = new (hl7Library().MLLPCodec)('utf-8');
    const socket = connect({ host, port });
    const fail = (why: string) => { socket.destroy(); reject(new Error(why)); };
    const timer = setTimeout(() => fail(`no ACK from the PAS within ${timeoutMs} ms`), timeoutMs);
    socket.on('connect', () => codec.sendMessage(socket, text, 'utf-8'));
    socket.on('data', (chunk) => {
      if (!codec.receiveData(chunk)) return;
      clearTimeout(timer);
      socket.end();
      resolve(codec.getLastMessage() ?? '');
    });
    socket.on('error', (err) => { clearTimeout(timer); fail(`cannot reach the PAS at ${host}:${port} (${(err as NodeJS.ErrnoException).code ?? err.message})`); });
    socket.on('close', () => { clearTimeout(timer); reject(new Error('the PAS closed the connection without an ACK')); });
  });
}

/**
 * Claims each patient's oldest unacknowledged message, when it is due (or its sender died holding it), and commits the
 * claim before anything is sent. A patient whose oldest is rejected is held: nothing of theirs is claimed.
 */
async function claimHeads(db: Database, asOf: Date, limit: number, staleAfterMs: number): Promise<Row[]> {
  const rows = await queryRows<{ id: string }>(db, sql`
    with heads as (
      select distinct on (patient_id) id, status, send_after, updated_at from hl7_messages
      where status not in ('acknowledged', 'set_aside') order by patient_id, patient_seq
    ), due as (
      select id from heads
      where (status = 'queued' and send_after <= ${asOf.toISOString()}::timestamptz)
         or (status = 'sending' and updated_at <= now() - ${staleAfterMs}::int * interval '1 millisecond')
      order by send_after, id limit ${limit}
    )
    update hl7_messages m set status = 'sending', attempts = m.attempts + 1, updated_at = now()
    from due where m.id = due.id and (
      (m.status = 'queued' and m.send_after <= ${asOf.toISOString()}::timestamptz)
      or (m.status = 'sending' and m.updated_at <= now() - ${staleAfterMs}::int * interval '1 millisecond'))
    returning m.id`);
  const ids = rows.map((r) => r.id);
  return ids.length ? db.select().from(hl7Messages).where(inArray(hl7Messages.id, ids)) : [];
}

const stillSending = (row: Row) => and(eq(hl7Messages.id, row.id), eq(hl7Messages.status, 'sending'), eq(hl7Messages.attempts, row.attempts));

/** The PAS refused it (AR): the message stops, and every active ops manager is told in their inbox (no patient details). */
async function recordRejection(db: Database, row: Row, words: string | null, now: Date) {
  await db.transaction(async (tx) => {
    const done = await tx.update(hl7Messages).set({ status: 'rejected', lastAck: 'AR', lastError: words ?? 'rejected by the PAS', sentAt: now, updatedAt: now })
      .where(stillSending(row)).returning({ id: hl7Messages.id });
    if (!done.length) return;
    const ops = await tx.select({ id: staff.id }).from(staff).where(and(eq(staff.role, 'ops'), eq(staff.active, true)));
    const what = hl7EventWords[row.event];
    await notifyStaff(tx, ops.map((s) => ({
      key: `hl7-rejected:${row.id}:${s.id}`, staffId: s.id, kind: 'pas_feed' as const,
      title: `The PAS rejected a ${what.replace(/ \(.*\)$/, '')} message`,
      body: `Message ${hl7ControlId(row.controlNumber)} (${what}) was rejected by the PAS${words ? `: "${words}"` : ''}. This patient's later PAS messages wait until it is resent or set aside (docs/hl7.md).`,
      referralId: row.content.appointment?.referralId ?? null,
    })));
  });
}

/** One round: each claimed message sent once, its ACK recorded. */
export async function deliverHl7Messages(db: Database, cfg: Hl7FeedConfig, round: Hl7Round): Promise<Hl7RoundSummary> {
  const summary: Hl7RoundSummary = { claimed: 0, acknowledged: 0, retrying: 0, rejected: 0 };
  const asOf = new Date(Math.max(Date.parse(round.asOf), Date.now()));
  // The library loads (seconds on a busy machine) before any row is claimed, not inside a claim's time.
  hl7Library();
  // An attempt's ACK cannot come after its timeout; twice that, and the worker holding it has died.
  const claimed = await claimHeads(db, asOf, round.limit ?? 50, cfg.ackTimeoutMs * 2 + 1000);
  summary.claimed = claimed.length;
  // Alive while waiting on ACKs: a worker that dies mid-round is noticed within the heartbeat timeout.
  const beat = setInterval(heartbeat, 1000);
  try {
    await Promise.all(claimed.map((row) => sendOne(db, cfg, row, summary)));
  } finally {
    clearInterval(beat);
  }
  return summary;
}

async function sendOne(db: Database, cfg: Hl7FeedConfig, row: Row, summary: Hl7RoundSummary) {
  const controlId = hl7ControlId(row.controlNumber);
  let code: string | null = null;
  let words: string | null = null;
  try {
    const ack = readAck(await sendOverMllp(cfg.host, cfg.port, buildHl7Message(row.content, row.controlNumber, cfg.identity), cfg.ackTimeoutMs));
    if (ack.controlId !== controlId) words = `the ACK named message ${ack.controlId ?? '(none)'}, not ${controlId}`;
    else { code = ack.code; words = ack.text; }
  } catch (err) {
    words = err instanceof Error ? err.message : String(err);
  }
  heartbeat();
  const now = new Date();
  const outcome = ackOutcome(code);
  if (outcome === 'accepted') {
    await db.update(hl7Messages).set({ status: 'acknowledged', lastAck: code, lastError: null, sentAt: now, acknowledgedAt: now, updatedAt: now }).where(stillSending(row));
    summary.acknowledged += 1;
  } else if (outcome === 'rejected') {
    logger().warn('the PAS rejected an HL7 message; the patient\'s later messages wait', { hl7MessageId: row.id, controlId, event: row.event });
    await recordRejection(db, row, words, now);
    summary.rejected += 1;
  } else {
    const sendAfter = new Date(now.getTime() + hl7BackoffMs(row.attempts, cfg.retryBaseMs, cfg.retryMaxMs));
    logger().warn('HL7 message not acknowledged; sending again later', { hl7MessageId: row.id, controlId, event: row.event, ack: code, attempts: row.attempts, retryAt: sendAfter.toISOString() });
    await db.update(hl7Messages).set({ status: 'queued', lastAck: code, lastError: words ?? `ACK ${code}`, sentAt: now, sendAfter, updatedAt: now }).where(stillSending(row));
    summary.retrying += 1;
  }
}

const idle: Hl7RoundSummary = { claimed: 0, acknowledged: 0, retrying: 0, rejected: 0 };

/** The round as an activity; with the feed off (no PAS configured) nothing is claimed and the rows wait. */
export const createHl7Activities = ({ db, hl7 }: { db: Database; hl7?: Hl7FeedConfig }) => ({
  async deliverHl7Messages(round: Hl7Round): Promise<Hl7RoundSummary> {
    return hl7 ? deliverHl7Messages(db, hl7, round) : idle;
  },
});
