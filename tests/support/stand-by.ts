// Fixtures for stand-by and on-the-day cancellations (issue 15): referrals registered through the API, their admitted
// waiting-list rows, theatre sessions and accepted TCIs written straight to Postgres in the shapes the admitted pathway
// writes them, so these tests need only the rows a cancellation acts on.
import { sql } from 'drizzle-orm';
import { queryRows } from '../../db/client';
import { newId } from '../../db/ids';
import { addDays } from '../../domain';
import type { AccessDeskClient } from '../../bin/lib/api-client';
import type { TestStack } from './stack';
import { referralBody } from './fixtures';

let seq = 0;
const id = (prefix: string) => `${prefix}_t${Date.now().toString(36)}${(seq++).toString(36)}`;

export async function surgeonId(stack: TestStack): Promise<string> {
  const [row] = await queryRows<{ id: string }>(stack.db.db, sql`select id from staff where role = 'clinician' order by id limit 1`);
  return row!.id;
}

export async function theatreSession(stack: TestStack, o: { date: string; minutesAvailable?: number; specialtyCode?: string }): Promise<string> {
  const sessionId = id('ths');
  await stack.db.db.execute(sql`insert into theatre_sessions (id, list_name, specialty_code, surgeon_id, date, session, minutes_available)
    values (${sessionId}, 'Urology list', ${o.specialtyCode ?? '101'}, ${await surgeonId(stack)}, ${o.date}::date, 'am', ${o.minutesAvailable ?? 240})`);
  return sessionId;
}

export type AdmissionFixture = {
  surgicalPriority?: 'P1a' | 'P1b' | 'P2' | 'P3' | 'P4'; targetDate?: string; decidedOn?: string; estimatedMinutes?: number; standBy?: boolean;
  preOpStatus?: string; preOpValidUntil?: string | null; status?: string; procedure?: string; specialtyCode?: string;
};

/** A referral (registered through the API) with an admitted waiting-list entry waiting for a date. */
export async function waitingAdmission(stack: TestStack, officer: AccessDeskClient, o: AdmissionFixture = {}) {
  const referral = await officer.post('/api/referrals', referralBody({ specialty: o.specialtyCode ?? '101' }));
  const admissionId = id('adm');
  const today = stack.today();
  await stack.db.db.execute(sql`insert into admissions (id, admission_key, referral_id, specialty_code, procedure, intended_management,
      surgical_priority, consultant_id, decided_on, target_date, status, pre_op_required, pre_op_status, pre_op_valid_until, estimated_minutes, stand_by)
    values (${admissionId}, ${`${admissionId}:key`}, ${referral.id}, ${o.specialtyCode ?? '101'}, ${o.procedure ?? 'Cystoscopy'}, 'day_case',
      ${o.surgicalPriority ?? 'P3'}, ${await surgeonId(stack)}, ${o.decidedOn ?? addDays(today, -30)}::date, ${o.targetDate ?? addDays(today, 60)}::date,
      ${o.status ?? 'waiting'}, true, ${o.preOpStatus ?? 'fit'}, ${o.preOpValidUntil === undefined ? addDays(today, 60) : o.preOpValidUntil}::date,
      ${o.estimatedMinutes ?? 60}, ${o.standBy ?? false})`);
  return { referralId: referral.id as string, admissionId };
}

/** An admission with a TCI accepted into a theatre session on `tciDate`, holding its minutes there. */
export async function bookedOperation(stack: TestStack, officer: AccessDeskClient, o: AdmissionFixture & { tciDate: string; sessionId: string; ward?: string }) {
  const { referralId, admissionId } = await waitingAdmission(stack, officer, o);
  const tciOfferId = id('tci');
  const minutes = o.estimatedMinutes ?? 60;
  await stack.db.db.transaction(async (tx) => {
    await tx.execute(sql`insert into tci_offers (id, admission_id, referral_id, admission_date, theatre_session_id, minutes_held, ward, offered_on,
        channel, notice_days, reasonable, status)
      values (${tciOfferId}, ${admissionId}, ${referralId}, ${o.tciDate}::date, ${o.sessionId}, ${minutes}, ${o.ward ?? 'W1'},
        ${addDays(o.tciDate, -28)}::date, 'phone', 28, true, 'accepted')`);
    await tx.execute(sql`update theatre_sessions set minutes_booked = minutes_booked + ${minutes} where id = ${o.sessionId}`);
    await tx.execute(sql`update admissions set status = 'tci_booked', tci_offer_id = ${tciOfferId}, tci_date = ${o.tciDate}::date,
      theatre_session_id = ${o.sessionId}, ward = ${o.ward ?? 'W1'} where id = ${admissionId}`);
  });
  return { referralId, admissionId, tciOfferId };
}

export const minutesBooked = async (stack: TestStack, sessionId: string) =>
  (await queryRows<{ m: number }>(stack.db.db, sql`select minutes_booked as m from theatre_sessions where id = ${sessionId}`))[0]!.m;
