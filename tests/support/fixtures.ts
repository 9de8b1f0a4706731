// Realistic referral bodies for tests: synthetic NHS numbers (999 range) and unique UBRNs.
import { addDays } from '../../domain';
import { seededRandom, syntheticNhsNumber } from '../../bin/lib/demo';
import { londonToday } from '../../bin/lib/system';
import type { AccessDeskClient } from '../../bin/lib/api-client';
import type { Database } from '../../db/client';
import { newId } from '../../db/ids';
import { slots } from '../../db/schema';
import type { SlotType } from '../../domain';

const rand = seededRandom(Number(process.env.VITEST_POOL_ID ?? 1) * 7919 + Date.now() % 100000);
let ubrnCounter = Math.floor(rand() * 1e9);

export const nextUbrn = () => String(100000000000 + (ubrnCounter++ % 899999999999)).slice(0, 12);

export function referralBody(overrides: Record<string, unknown> = {}) {
  return {
    patient: {
      nhsNumber: syntheticNhsNumber(rand), givenName: 'Ada', familyName: 'Lovelace', dateOfBirth: '1962-12-10',
      postcode: 'L39 2AZ', phone: '07700 900123',
    },
    source: 'ers', ubrn: nextUbrn(), receivedAt: addDays(londonToday(), -3), specialty: '101', priority: 'routine',
    reason: 'Raised PSA on two readings',
    ...overrides,
  };
}

/** Registers a referral and takes it to the point where a new appointment is to be booked. */
export async function referralAwaitingBooking(officer: AccessDeskClient, clinician: AccessDeskClient, overrides: Record<string, unknown> = {}, clinicId = 'clin_2') {
  const referral = await officer.post('/api/referrals', referralBody(overrides));
  const triage = await officer.waitForOpenTask(referral.id, 'triage_referral');
  const priority = (overrides.priority as string) ?? 'routine';
  await clinician.post(`/api/tasks/${triage.id}/complete`, { decision: 'accept', clinicId, clinicalPriority: priority });
  const booking = await officer.waitForOpenTask(referral.id, 'book_new_appointment');
  return { referral, booking };
}

/** The first free slot of a type in a clinic, after `after` (an ISO instant; the server's now on the time-skipping server). */
export async function freeSlot(client: AccessDeskClient, clinicId: string, type: string, after = new Date().toISOString()) {
  const [slot] = await client.list('slots', { filter: { clinicId, status: 'free', type, start_gte: after }, sort: ['start', 'ASC'], range: [0, 0] });
  return slot;
}

/**
 * A free slot that starts in a moment, written straight into the table, for dev-server tests that record attendance:
 * that is allowed only once an appointment has started (issue 10), and the dev server's time cannot be moved on.
 */
export async function slotStartingSoon(db: Database, clinicId: string, type: SlotType, leadMs = 4000) {
  const start = new Date(Date.now() + leadMs);
  const id = newId('slot');
  await db.insert(slots).values({ id, clinicId, start, end: new Date(start.getTime() + 15 * 60_000), type });
  return { id, start: start.toISOString() };
}

/** Waits (in real time) until an appointment's start has passed (the demo loader's wait too). */
export { untilStarted } from '../../bin/lib/todays-clinic';
