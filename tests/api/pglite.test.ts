// The embedded default: the same API and pathway on PGlite, as `npm start` runs without DATABASE_URL.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ApiError, type AccessDeskClient } from '../../bin/lib/api-client';
import { startTestStack, type TestStack } from '../support/stack';
import { freeSlot, referralAwaitingBooking, referralBody } from '../support/fixtures';

let stack: TestStack;
let officer: AccessDeskClient;
let officer2: AccessDeskClient;
let clinician: AccessDeskClient;

beforeAll(async () => {
  stack = await startTestStack({ database: 'pglite', temporal: 'dev' });
  [officer, officer2, clinician] = await Promise.all(['officer', 'officer2', 'clinician'].map((w) => stack.signIn(`${w}@demo.nhs.uk`)));
});
afterAll(async () => { await stack?.stop(); });

describe('on PGlite', () => {
  it('registers, triages and books a referral, and lists it with Content-Range', async () => {
    const { referral, booking } = await referralAwaitingBooking(officer, clinician);
    await officer.post(`/api/tasks/${booking.id}/complete`, { slotId: (await freeSlot(officer, 'clin_2', 'new')).id });
    const shown = await officer.get(`/api/referrals/${referral.id}`);
    expect(shown.state).toBe('booked');
    expect(shown.appointments).toHaveLength(1);
    const res = await officer.request('GET', `/api/referrals?range=${encodeURIComponent('[0,9]')}`);
    expect(res.headers.get('content-range')).toMatch(/^referrals 0-0\/1$/);
  });

  it('names the field of bad input', async () => {
    const err = await officer.post('/api/referrals', referralBody({ patient: { ...referralBody().patient, nhsNumber: '123' } })).catch((e) => e);
    expect(err).toBeInstanceOf(ApiError);
    expect(err.status).toBe(400);
    expect(err.body.errors).toHaveProperty(['patient.nhsNumber']);
  });

  it('gives a slot to only one of two officers booking it at once', async () => {
    const a = await referralAwaitingBooking(officer, clinician, {}, 'clin_11');
    const b = await referralAwaitingBooking(officer, clinician, {}, 'clin_11');
    const slot = await freeSlot(officer, 'clin_11', 'new');
    const results = await Promise.allSettled([
      officer.post(`/api/tasks/${a.booking.id}/complete`, { slotId: slot.id }),
      officer2.post(`/api/tasks/${b.booking.id}/complete`, { slotId: slot.id }),
    ]);
    expect(results.map((r) => r.status).sort()).toEqual(['fulfilled', 'rejected']);
    const refused = results.find((r): r is PromiseRejectedResult => r.status === 'rejected')!;
    expect(refused.reason.status).toBe(409);
  });
});
