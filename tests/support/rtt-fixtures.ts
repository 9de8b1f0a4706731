// Pathways with known RTT periods, written straight to the tables the PTL and the returns read (patients,
// referrals, pathways, rtt_periods, rtt_events, a next appointment), for hand-worked expectations: the
// pathway workflow writes the same rows one event at a time; these tests are about reading them.
import { sql } from 'drizzle-orm';
import {
  rttBreachDate, rttPolicyVersion, rttRuleFor, type AppointmentKind, type ReferralPriority, type ReferralState, type RttPeriodStatus,
  type RttStatusCode,
} from '../../domain';
import type { Database } from '../../db/client';
import { newId } from '../../db/ids';
import { appointments, patients, pathways, referrals, rttEvents, rttPeriods, slots } from '../../db/schema';
import { isValidNhsNumber } from '../../domain';

export type PeriodFixture = {
  clockStart: string;
  status?: RttPeriodStatus; // running unless a stop is given
  clockStop?: string | null;
  stopCode?: number | null; // 30–36, 33 nullifies, 21 transfers
  startCode?: 10 | 11 | 12;
  ptlOrderStart?: string;
  stopAdmitted?: boolean;
  decisionToAdmitOn?: string | null;
  startKnown?: boolean;
};

export type PathwayFixture = {
  referralId?: string;
  specialtyCode?: string;
  priority?: ReferralPriority;
  clinicalPriority?: ReferralPriority | null;
  state?: ReferralState;
  receivedAt?: string;
  givenName?: string;
  familyName?: string;
  /** Oldest first; the last is the referral's current period. */
  periods: PeriodFixture[];
  /** A booked appointment ahead (the PTL's next event), in a clinic of the referral's specialty. */
  nextAppointment?: { start: string; kind: AppointmentKind; clinicId: string };
  cancer?: { fdsTarget: string; cancer62Target: string; uscFirstSeenTarget: string; cancerClockStart?: string };
};

// Test-range NHS numbers (999…) in sequence, so 180,000 fixtures never collide; each file starts at its own place.
let nhsCounter = Math.floor(Math.random() * 3_000_000);
function nextNhsNumber(): string {
  for (;;) {
    const candidate = `999${String(nhsCounter++ % 10_000_000).padStart(7, '0')}`;
    if (isValidNhsNumber(candidate)) return candidate;
  }
}

function statusOf(p: PeriodFixture): RttPeriodStatus {
  if (p.status) return p.status;
  if (p.stopCode === 33) return 'nullified';
  if (p.stopCode === 21) return 'transferred';
  return p.stopCode ? 'stopped' : 'running';
}

/** Writes the pathways; answers their referral ids in order. Batches of 1,000 rows per insert. */
export async function insertRttPathways(db: Database, fixtures: PathwayFixture[], actorId: string | null = null): Promise<string[]> {
  const ids: string[] = [];
  for (let at = 0; at < fixtures.length; at += 1000) {
    const batch = fixtures.slice(at, at + 1000);
    const patientRows = batch.map((f) => ({
      id: newId('pat'), nhsNumber: nextNhsNumber(), givenName: f.givenName ?? 'Test', familyName: f.familyName ?? 'Patient',
      dateOfBirth: '1960-01-01',
    }));
    const referralRows = batch.map((f, i) => {
      const first = f.periods[0];
      return {
        id: f.referralId ?? newId('ref'), patientId: patientRows[i].id, source: 'gp_letter' as const,
        receivedAt: f.receivedAt ?? first.clockStart, specialtyCode: f.specialtyCode ?? '101', priority: f.priority ?? 'routine',
        clinicalPriority: f.clinicalPriority === undefined ? f.priority ?? 'routine' : f.clinicalPriority,
        reason: 'Fixture pathway', state: f.state ?? 'awaiting_booking', workflowId: 'fixture', pathwayStarted: true,
      };
    });
    await db.insert(patients).values(patientRows);
    await db.insert(referrals).values(referralRows);
    await db.insert(pathways).values(batch.map((f, i) => {
      const last = f.periods[f.periods.length - 1];
      const status = statusOf(last);
      return {
        referralId: referralRows[i].id,
        rttStatus: status === 'transferred' ? 'running' as const : status,
        clockStart: last.clockStart, clockStop: last.clockStop ?? null, lastRttCode: last.stopCode ?? last.startCode ?? 10,
        breachDate: rttBreachDate(last.clockStart),
        uscFirstSeenTarget: f.cancer?.uscFirstSeenTarget ?? null, fdsTarget: f.cancer?.fdsTarget ?? null,
        cancer62Target: f.cancer?.cancer62Target ?? null, cancerClockStart: f.cancer ? f.cancer.cancerClockStart ?? referralRows[i].receivedAt : null,
      };
    }));
    const periodRows = batch.flatMap((f, i) => f.periods.map((p, n) => ({
      referralId: referralRows[i].id, periodNo: n + 1, status: statusOf(p), clockStart: p.clockStart, startCode: p.startCode ?? 10,
      startKnown: p.startKnown ?? true, ptlOrderStart: p.ptlOrderStart ?? p.clockStart, clockStop: p.clockStop ?? null,
      stopCode: p.stopCode ?? null, stopAdmitted: p.stopAdmitted ?? false, decisionToAdmitOn: p.decisionToAdmitOn ?? null,
      lastCode: p.stopCode ?? p.startCode ?? 10, lastEventOn: p.clockStop ?? p.clockStart,
    })));
    await db.insert(rttPeriods).values(periodRows);
    const event = (referralId: string, periodNo: number, code: RttStatusCode, date: string, admitted = false) => ({
      referralId, periodNo, code, eventDate: date, cause: admitted ? 'admission' as const : periodNo === 1 && (code === 10) ? 'referral' as const : 'outcome' as const,
      actorId, rule: rttRuleFor(code, admitted ? 'admission' : 'outcome'), policyVersion: rttPolicyVersion,
    });
    await db.insert(rttEvents).values(periodRows.flatMap((p) => [
      event(p.referralId, p.periodNo, p.startCode as RttStatusCode, p.clockStart),
      ...(p.decisionToAdmitOn ? [{ ...event(p.referralId, p.periodNo, 20, p.decisionToAdmitOn), outcome: 'added_to_waiting_list' }] : []),
      ...(p.stopCode ? [event(p.referralId, p.periodNo, p.stopCode as RttStatusCode, p.clockStop!, p.stopAdmitted)] : []),
    ]));
    for (const [i, f] of batch.entries()) {
      if (!f.nextAppointment) continue;
      const { start, kind, clinicId } = f.nextAppointment;
      const slotId = newId('slot');
      await db.insert(slots).values({ id: slotId, clinicId, start: new Date(start), end: new Date(Date.parse(start) + 20 * 60_000), type: kind === 'new' ? 'new' : 'follow_up', status: 'booked' });
      await db.insert(appointments).values({
        id: newId('appt'), referralId: referralRows[i].id, patientId: patientRows[i].id, slotId, clinicId, start: new Date(start), kind,
      });
    }
    ids.push(...referralRows.map((r) => r.id));
  }
  return ids;
}

/** Empties what the fixtures write, so a test file can start again from nothing on its database. */
export async function clearRttPathways(db: Database): Promise<void> {
  await db.execute(sql`truncate rtt_events, rtt_periods, appointments, tasks, pathway_events, notes, communications, pathways, referrals, patients cascade`);
  await db.execute(sql`update slots set status = 'free' where status = 'booked'`);
}
