// Offers of dates to patients (issue 10) on the real stack: each records whether it was reasonable (three weeks'
// notice by the access policy); accepting a slot books it through the pathway's booking item; two declined
// reasonable offers put the pathway to a clinician's review, whose outcome may be active monitoring (32); declining
// a short-notice offer has no consequence; a decline is counted once however often it is sent.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sql } from 'drizzle-orm';
import { addDays } from '../../domain';
import type { AccessDeskClient } from '../../bin/lib/api-client';
import { queryRows } from '../../db/client';
import { newId } from '../../db/ids';
import { slots } from '../../db/schema';
import { startTestStack, type TestStack } from '../support/stack';
import { freeSlot, referralAwaitingBooking } from '../support/fixtures';
import { refusal } from '../support/api';
import { londonToday } from '../../bin/lib/system';

let stack: TestStack;
let officer: AccessDeskClient;
let officer2: AccessDeskClient;
let clinician: AccessDeskClient;

beforeAll(async () => {
  stack = await startTestStack({ database: 'postgres', temporal: 'dev' });
  [officer, officer2, clinician] = await Promise.all(['officer', 'officer2', 'clinician'].map((who) => stack.signIn(`${who}@demo.nhs.uk`)));
});
afterAll(async () => { await stack?.stop(); });

const rows = <T = any>(query: ReturnType<typeof sql>) => queryRows<T>(stack.db.db, query);
const today = () => londonToday();
const openItems = (referralId: string) => rows<{ id: string; type: string; payload: any }>(sql`
  select id, type, payload from tasks where referral_id = ${referralId} and status in ('open', 'claimed') order by created_at`);
const stateOf = async (referralId: string) => (await rows<{ state: string }>(sql`select state from referrals where id = ${referralId}`))[0].state;
const offerEvents = (referralId: string) => rows(sql`select note from pathway_events where referral_id = ${referralId} and kind = 'offer_declined' order by id`);

/** A slot of clinic 2 at least `days` days ahead. */
const slotIn = (days: number, type = 'new') => freeSlot(officer, 'clin_2', type, new Date(Date.now() + days * 86_400_000).toISOString());
const offerDate = (referralId: string, days: number) => officer.post(`/api/referrals/${referralId}/offers`, { date: addDays(today(), days), offeredOn: today(), channel: 'phone' });
const decline = (who: AccessDeskClient, id: string) => who.post(`/api/offers/${id}/decline`, { reason: 'Caring for a relative that week' });

describe('recording an offer', () => {
  it('says whether it was reasonable: three weeks notice or more', async () => {
    const { referral } = await referralAwaitingBooking(officer, clinician);
    const slot = await slotIn(22);
    const bySlot = await officer.post(`/api/referrals/${referral.id}/offers`, { slotId: slot.id, offeredOn: today(), channel: 'letter' });
    const offeredDate = new Date(slot.start).toLocaleDateString('en-CA', { timeZone: 'Europe/London' });
    expect(bySlot).toMatchObject({
      referralId: referral.id, slotId: slot.id, slotStart: slot.start, clinicName: slot.clinicName, offeredDate, offeredOn: today(), channel: 'letter',
      reasonable: true, noticeDays: expect.any(Number), status: 'offered', declineReason: null, decidedAt: null, appointmentId: null, createdByName: expect.any(String),
    });
    expect(bySlot.noticeDays).toBeGreaterThanOrEqual(21);
    const short = await offerDate(referral.id, 10);
    expect(short).toMatchObject({ slotId: null, offeredDate: addDays(today(), 10), reasonable: false, noticeDays: 10 });
    expect((await offerDate(referral.id, 21)).reasonable).toBe(true);
  });

  it('needs exactly one of a slot or a date, and refuses a slot that has started', async () => {
    const { referral } = await referralAwaitingBooking(officer, clinician);
    for (const body of [{ offeredOn: today(), channel: 'phone' }, { slotId: (await slotIn(22)).id, date: addDays(today(), 30), offeredOn: today(), channel: 'phone' }]) {
      const bad = await refusal(officer.post(`/api/referrals/${referral.id}/offers`, body));
      expect([bad.status, Object.keys(bad.body.errors)]).toEqual([400, ['slotId']]);
    }
    const past = newId('slot');
    await stack.db.db.insert(slots).values({ id: past, clinicId: 'clin_2', start: new Date(Date.now() - 3600_000), end: new Date(Date.now() - 2400_000), type: 'new' });
    const refused = await refusal(officer.post(`/api/referrals/${referral.id}/offers`, { slotId: past, offeredOn: today(), channel: 'phone' }));
    expect([refused.status, refused.body.code, Object.keys(refused.body.errors)]).toEqual([422, 'SLOT_IN_PAST', ['slotId']]);
    expect((await refusal(officer.post('/api/referrals/ref_none/offers', { date: addDays(today(), 30), offeredOn: today(), channel: 'phone' }))).status).toBe(404);
  });

  it('is listed for the referral, and shown by id', async () => {
    const { referral } = await referralAwaitingBooking(officer, clinician);
    const a = await offerDate(referral.id, 25);
    const b = await offerDate(referral.id, 30);
    const { status, body, headers } = await officer.request('GET', `/api/offers?filter=${encodeURIComponent(JSON.stringify({ referralId: referral.id }))}`);
    expect(status).toBe(200);
    expect(body.map((o: any) => o.id).sort()).toEqual([a.id, b.id].sort());
    expect(headers.get('content-range')).toBe('offers 0-1/2');
    expect(await officer.get(`/api/offers/${a.id}`)).toEqual(a);
    expect((await refusal(officer.get('/api/offers/offer_none'))).status).toBe(404);
  });
});

describe('accepting an offer', () => {
  it("books the offered slot through the pathway's booking item", async () => {
    const { referral } = await referralAwaitingBooking(officer, clinician);
    const slot = await slotIn(22);
    const offer = await officer.post(`/api/referrals/${referral.id}/offers`, { slotId: slot.id, offeredOn: today(), channel: 'phone' });
    const accepted = await officer.post(`/api/offers/${offer.id}/accept`, { communicatedBy: 'phone' });
    expect(accepted).toMatchObject({ status: 'accepted', appointmentId: expect.any(String), decidedAt: expect.any(String), decidedByName: expect.any(String) });
    const [appt] = await rows(sql`select slot_id, state, communicated_by from appointments where id = ${accepted.appointmentId}`);
    expect(appt).toEqual({ slot_id: slot.id, state: 'booked', communicated_by: 'phone' });
    expect(await stateOf(referral.id)).toBe('booked');
    const again = await refusal(officer.post(`/api/offers/${offer.id}/accept`, {}));
    expect([again.status, again.body.code]).toEqual([409, 'OFFER_DECIDED']);
  });

  it("needs a team leader's confirmation to book a slot after the patient's breach date", async () => {
    const leader = await stack.signIn('leader@demo.nhs.uk');
    const { referral } = await referralAwaitingBooking(officer, clinician, { receivedAt: addDays(today(), -130) });
    const slot = await slotIn(22);
    const offer = await officer.post(`/api/referrals/${referral.id}/offers`, { slotId: slot.id, offeredOn: today(), channel: 'phone' });
    const byOfficer = await refusal(officer.post(`/api/offers/${offer.id}/accept`, { confirmPastBreach: true }));
    expect([byOfficer.status, byOfficer.body.code, Object.keys(byOfficer.body.errors)]).toEqual([422, 'PAST_BREACH_NEEDS_LEADER', ['slotId']]);
    expect((await refusal(leader.post(`/api/offers/${offer.id}/accept`, {}))).body.code).toBe('PAST_BREACH_NEEDS_LEADER');
    expect((await officer.get(`/api/offers/${offer.id}`)).status).toBe('offered');
    expect(await stateOf(referral.id)).toBe('awaiting_booking');
    expect(await leader.post(`/api/offers/${offer.id}/accept`, { confirmPastBreach: true })).toMatchObject({ status: 'accepted', appointmentId: expect.any(String) });
  });

  it('is refused when the pathway has nothing to book', async () => {
    const { referral } = await referralAwaitingBooking(officer, clinician);
    await officer.post(`/api/tasks/${(await openItems(referral.id))[0].id}/complete`, { slotId: (await slotIn(1)).id });
    const offer = await officer.post(`/api/referrals/${referral.id}/offers`, { slotId: (await slotIn(30)).id, offeredOn: today(), channel: 'phone' });
    const refused = await refusal(officer.post(`/api/offers/${offer.id}/accept`, {}));
    expect([refused.status, refused.body.code]).toEqual([422, 'RULE_REFUSED']);
    expect((await officer.get(`/api/offers/${offer.id}`)).status).toBe('offered');
  });
});

describe('declining offers', () => {
  it('two declined reasonable offers replace the booking item with a clinical review; its outcome may be active monitoring (32)', async () => {
    const { referral, booking } = await referralAwaitingBooking(officer, clinician);
    const first = await decline(officer, (await offerDate(referral.id, 25)).id);
    expect(first).toMatchObject({ status: 'declined', declineReason: 'Caring for a relative that week', reviewRaised: false });
    expect((await openItems(referral.id)).map((t) => t.id)).toEqual([booking.id]);
    const second = await decline(officer, (await offerDate(referral.id, 28)).id);
    expect(second.reviewRaised).toBe(true);
    expect(await stateOf(referral.id)).toBe('awaiting_clinical_review');
    const open = await openItems(referral.id);
    expect(open.map((t) => t.type)).toEqual(['clinical_review']);
    expect(open[0].payload).toMatchObject({ reason: 'declined_offers', count: 2 });
    const [{ status }] = await rows(sql`select status from tasks where id = ${booking.id}`);
    expect(status).toBe('cancelled');

    await clinician.post(`/api/tasks/${open[0].id}/complete`, { decision: 'active_monitoring' });
    expect(await stateOf(referral.id)).toBe('active_monitoring');
    const [clock] = await rows(sql`select rtt_status, last_rtt_code from pathways where referral_id = ${referral.id}`);
    expect(clock).toEqual({ rtt_status: 'stopped', last_rtt_code: 32 });
    const [event] = await rows(sql`select code, cause from rtt_events where referral_id = ${referral.id} order by id desc limit 1`);
    expect(event).toEqual({ code: 32, cause: 'clinical_review' });
  });

  it('a declined short-notice offer has no consequence', async () => {
    const { referral, booking } = await referralAwaitingBooking(officer, clinician);
    for (const days of [5, 10, 12]) expect((await decline(officer, (await offerDate(referral.id, days)).id)).reviewRaised).toBe(false);
    expect(await offerEvents(referral.id)).toEqual([]);
    expect((await openItems(referral.id)).map((t) => t.id)).toEqual([booking.id]);
    expect(await stateOf(referral.id)).toBe('awaiting_booking');
  });

  it('declining the same offer twice, even at once, is answered 409 and counted once', async () => {
    const { referral, booking } = await referralAwaitingBooking(officer, clinician);
    const offer = await offerDate(referral.id, 25);
    const answers = await Promise.all([officer, officer2].map((who) => who.request('POST', `/api/offers/${offer.id}/decline`, { reason: 'Away that week' })
      .then((r) => r.status, (err) => err.status as number)));
    expect(answers.sort()).toEqual([200, 409]);
    const again = await refusal(decline(officer, offer.id));
    expect([again.status, again.body.code]).toEqual([409, 'OFFER_DECIDED']);
    expect(await offerEvents(referral.id)).toHaveLength(1);
    expect((await openItems(referral.id)).map((t) => t.id)).toEqual([booking.id]);
    // The next reasonable decline is the second, not the third.
    expect((await decline(officer, (await offerDate(referral.id, 30)).id)).reviewRaised).toBe(true);
  });
});
