// Names, not ids: who booked an appointment, the audit in people's words, and the patient page's record.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { AccessDeskClient } from '../../bin/lib/api-client';
import { startTestStack, type TestStack } from '../support/stack';
import { freeSlot, referralAwaitingBooking } from '../support/fixtures';

let stack: TestStack;
let officer: AccessDeskClient;
let clinician: AccessDeskClient;
let leader: AccessDeskClient;

beforeAll(async () => {
  stack = await startTestStack({ database: (process.env.PEOPLE_DB as 'pglite') ?? 'postgres', temporal: 'dev' });
  [officer, clinician, leader] = await Promise.all(['officer', 'clinician', 'leader'].map((who) => stack.signIn(`${who}@demo.nhs.uk`)));
});
afterAll(async () => { await stack?.stop(); });

describe('the referral page', () => {
  it('names the officer who booked an appointment, as the timeline does', async () => {
    const { referral, booking } = await referralAwaitingBooking(officer, clinician);
    const slot = await freeSlot(officer, 'clin_2', 'new');
    await officer.post(`/api/tasks/${booking.id}/complete`, { slotId: slot.id });
    const shown = await officer.get(`/api/referrals/${referral.id}`);
    const me = await officer.get('/api/auth/me');
    expect(shown.events.find((e: any) => e.kind === 'appointment_booked')?.actorName).toBe(me.name);
    expect(shown.appointments).toHaveLength(1);
    expect(shown.appointments[0].bookedByName).toBe(me.name);
  });
});
