// Fixtures for stand-by and on-the-day cancellations (issue 15): referrals registered through the API, their admitted
// waiting-list rows, theatre sessions and accepted TCIs written straight to Postgres in the shapes the admitted pathway
// writes them, so these tests need only the rows a cancellation acts on.
import { sql } from 'drizzle-orm';
import { queryRows } from '../../db/client';
import { newId } from '../../db/ids';
import { addDays } from '../../domain';
import type { AccessDeskClient } from '../../bin/lib/api-client';
import type { TestStack } from './stack';
import { referralAwaitingBooking, referralBody } from './fixtures';

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

/**
 * An admission with a TCI accepted into a theatre session on `tciDate`, holding its minutes there: through the API and the
 * referral's pathway (decision to admit without pre-op, the offer, its acceptance), so the pathway holds the booking a
 * cancellation acts on.
 */
export async function bookedOperation(stack: TestStack, officer: AccessDeskClient, o: AdmissionFixture & { tciDate: string; sessionId: string; ward?: string }) {
  const clinician = await stack.signIn('clinician@demo.nhs.uk');
  const { referral } = await referralAwaitingBooking(officer, clinician, o.specialtyCode ? { specialty: o.specialtyCode } : {});
  const admission = await clinician.post(`/api/referrals/${referral.id}/decision-to-admit`, {
    procedure: o.procedure ?? 'Cystoscopy', intendedManagement: 'day_case', surgicalPriority: o.surgicalPriority ?? 'P3',
    consultantId: await surgeonId(stack), preOpRequired: false, estimatedMinutes: o.estimatedMinutes ?? 60,
  });
  const offer = await officer.post(`/api/referrals/${referral.id}/tci-offers`, {
    admissionDate: o.tciDate, theatreSessionId: o.sessionId, ward: o.ward ?? 'W1', offeredOn: stack.today(), channel: 'phone',
  });
  await officer.post(`/api/tci-offers/${offer.id}/accept`, {});
  return { referralId: referral.id as string, admissionId: admission.id as string, tciOfferId: offer.id as string };
}

export const minutesBooked = async (stack: TestStack, sessionId: string) =>
  (await queryRows<{ m: number }>(stack.db.db, sql`select minutes_booked as m from theatre_sessions where id = ${sessionId}`))[0]!.m;
