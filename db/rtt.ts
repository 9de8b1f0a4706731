// The RTT periods of a referral, kept from its dated RTT events in the transaction that records them. The PTL
// lists running periods; the returns count starts, stops and what was open on a census date from these rows.
import { desc, eq } from 'drizzle-orm';
import { rttPolicyVersion, rttRuleFor, type RttClock, type RttStatusCode } from '../domain';
import type { RttEventRecord } from '../workflows/types';
import type { Queryable } from './client';
import { rttEvents, rttPeriods } from './schema';

type Period = typeof rttPeriods.$inferSelect;
export type RttRecordContext = { referralId: string; actorId: string | null; changeKey?: string | null };

const stopCodes = new Set<number>([30, 31, 32, 34, 35, 36]);

async function currentPeriod(tx: Queryable, referralId: string): Promise<Period | undefined> {
  const [period] = await tx.select().from(rttPeriods).where(eq(rttPeriods.referralId, referralId))
    .orderBy(desc(rttPeriods.periodNo)).limit(1).for('update');
  return period;
}

/** Records the events in order and moves the referral's periods with them. */
export async function recordRttEvents(tx: Queryable, ctx: RttRecordContext, events: readonly RttEventRecord[]): Promise<void> {
  for (const event of events) {
    let period = await currentPeriod(tx, ctx.referralId);
    const opens = !period || event.newPeriod === true || event.code === 11 || event.code === 12;
    if (opens) {
      const periodNo = (period?.periodNo ?? 0) + 1;
      // After active monitoring the new period keeps the PTL place of the clock it came from (rule 3d).
      const ptlOrderStart = event.code === 11 && period ? period.ptlOrderStart : event.date;
      [period] = await tx.insert(rttPeriods).values({
        referralId: ctx.referralId, periodNo, status: 'running', clockStart: event.date,
        startCode: event.code === 11 || event.code === 12 ? event.code : 10,
        ptlOrderStart, lastCode: event.code, lastEventOn: event.date,
      }).returning();
    } else if (event.code < 90) {
      const p = period!;
      const change: Partial<Period> = { lastCode: event.code, lastEventOn: event.date };
      if (event.code === 20 && event.decisionToAdmit) change.decisionToAdmitOn = event.date;
      if (event.code === 21) Object.assign(change, { status: 'transferred', clockStop: event.date, stopCode: 21 });
      if (event.code === 33) Object.assign(change, { status: 'nullified', clockStop: event.date, stopCode: 33 });
      if (stopCodes.has(event.code)) {
        Object.assign(change, {
          status: 'stopped', clockStop: event.date, stopCode: event.code,
          stopAdmitted: event.code === 30 && (event.admitted ?? p.decisionToAdmitOn !== null),
        });
      }
      await tx.update(rttPeriods).set(change).where(eq(rttPeriods.id, p.id));
    }
    await tx.insert(rttEvents).values({
      referralId: ctx.referralId, periodNo: period!.periodNo, code: event.code, eventDate: event.date, cause: event.cause,
      appointmentId: event.appointmentId ?? null, taskId: event.taskId ?? null, outcome: event.outcome ?? null,
      actorId: ctx.actorId, rule: event.rule, policyVersion: event.policyVersion, noteId: event.noteId ?? null,
      changeKey: ctx.changeKey ?? null,
    });
  }
}

/**
 * The events behind a clock's move, for a change that did not name them (pathways that started before
 * issue 9): a new clock start is a new period, any other new code is an event on the date it was applied.
 */
export function rttEventsFromClockMove(before: Pick<RttClock, 'clockStart' | 'lastCode' | 'status'> | null, after: RttClock, date: string): RttEventRecord[] {
  const record = (code: RttStatusCode, on: string, newPeriod = false): RttEventRecord => ({
    code, date: on, cause: newPeriod && before ? 'dna_review' : before ? 'outcome' : 'referral',
    rule: rttRuleFor(code, newPeriod && before ? 'dna_review' : 'outcome'), policyVersion: rttPolicyVersion, newPeriod,
  });
  if (!before || before.clockStart !== after.clockStart || (before.status !== 'running' && after.status === 'running')) {
    return [record(after.lastCode, after.clockStart, true)];
  }
  if (before.lastCode === after.lastCode && before.status === after.status) return [];
  return [record(after.lastCode, after.clockStop ?? date)];
}

/** The referral's periods, oldest first, with their events: what GET /api/referrals/:id/clock explains. */
export async function rttPeriodsOf(tx: Queryable, referralId: string) {
  const periods = await tx.select().from(rttPeriods).where(eq(rttPeriods.referralId, referralId)).orderBy(rttPeriods.periodNo);
  const events = await tx.select().from(rttEvents).where(eq(rttEvents.referralId, referralId)).orderBy(rttEvents.id);
  return periods.map((p) => ({ ...p, events: events.filter((e) => e.periodNo === p.periodNo) }));
}
