// The communicationsOutbox loop (issue 12) on the time-skipping server, sending to the local Notify service: reminders
// fall due at 7 and 2 days before the appointment as server time moves, and a first-appointment DNA nullifies the
// clock only when the confirmation letter was delivered (the evidence access-rules §4.2 asks for), end to end through
// the pathway. The loop polls every 6 hours of server time here, so skipped days cost a few rounds each, and
// continues as new every few rounds: the tests keep no workflow cache, so every task replays the loop's history.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sql } from 'drizzle-orm';
import { addDays } from '../../domain';
import type { AccessDeskClient } from '../../bin/lib/api-client';
import { queryRows } from '../../db/client';
import { startTestStack, type TestStack } from '../support/stack';
import { freeSlot, referralAwaitingBooking } from '../support/fixtures';

const HOUR = 3_600_000;
const DAY = 24 * HOUR;
const POLL = 6 * HOUR;

let stack: TestStack;
let officer: AccessDeskClient;
let clinician: AccessDeskClient;

beforeAll(async () => {
  stack = await startTestStack({ database: 'postgres', temporal: 'time-skipping', outbox: { pollIntervalMs: POLL, roundsPerRun: 8 } });
  [officer, clinician] = await Promise.all(['officer', 'clinician'].map((who) => stack.signIn(`${who}@demo.nhs.uk`)));
});
afterAll(async () => { await stack?.stop(); });

const rows = <T = any>(query: ReturnType<typeof sql>) => queryRows<T>(stack.db.db, query);
const at = (ms: number) => new Date(ms).toISOString();

async function waitFor<T>(read: () => Promise<T>, ok: (v: T) => boolean, timeoutMs = 15_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await read();
    if (ok(value) || Date.now() > deadline) return value;
    await new Promise((r) => setTimeout(r, 100));
  }
}

/** A referral booked into the first free new slot after `afterMs` (server time), for a patient with these needs. */
async function booked(needs: { channels: string[]; address: boolean }, afterMs: number) {
  const slot = await freeSlot(officer, 'clin_2', 'new', at(afterMs));
  const receivedAt = addDays(stack.today(), -3);
  const { referral, booking } = await referralAwaitingBooking(officer, clinician, { receivedAt });
  await stack.db.db.execute(sql`update patients set channels = ${`{${needs.channels.join(',')}}`}::comm_channel[],
    address_lines = ${needs.address ? '{"1 Dock Road","Liverpool"}' : '{}'}::text[] where id = ${referral.patientId}`);
  await officer.post(`/api/tasks/${booking.id}/complete`, { slotId: slot.id });
  const attendance = await officer.waitForOpenTask(referral.id, 'record_attendance');
  return { referral, slot, start: Date.parse(slot.start), attendance, appointmentId: attendance.payload.appointmentId as string };
}

const messages = (referralId: string) => rows<{ id: string; template: string; channel: string; status: string; notify_id: string | null; send_after: string }>(sql`
  select id, template, channel, status, notify_id, send_after::text from communications where referral_id = ${referralId} order by send_after, template`);
const sentIds = async () => new Set((await stack.notify.control.received()).map((n) => n.reference));

describe('reminders', () => {
  it('fall due 7 and 2 days before the appointment as server time moves, each sent once', async () => {
    const { referral, start } = await booked({ channels: ['sms'], address: true }, Date.parse(stack.now()) + 10 * DAY);
    const written = await messages(referral.id);
    expect(written.map((m) => [m.template, m.channel])).toEqual([
      ['appointment_confirmation', 'sms'], ['appointment_reminder', 'sms'], ['appointment_reminder', 'sms'],
    ]);
    const [confirmation, weekBefore, twoDaysBefore] = written;
    expect(Date.parse(weekBefore.send_after)).toBe(start - 7 * DAY);
    expect(Date.parse(twoDaysBefore.send_after)).toBe(start - 2 * DAY);

    await stack.sleepUntil(at(Date.parse(stack.now()) + POLL + 60_000));
    expect(await waitFor(sentIds, (s) => s.has(confirmation.id))).toContain(confirmation.id);

    await stack.sleepUntil(at(start - 7 * DAY - 60_000));
    expect(await sentIds()).not.toContain(weekBefore.id);
    await stack.sleepUntil(at(start - 7 * DAY + POLL + 60_000));
    expect(await waitFor(sentIds, (s) => s.has(weekBefore.id))).toContain(weekBefore.id);
    expect(await sentIds()).not.toContain(twoDaysBefore.id);

    await stack.sleepUntil(at(start - 2 * DAY + POLL + 60_000));
    expect(await waitFor(sentIds, (s) => s.has(twoDaysBefore.id))).toContain(twoDaysBefore.id);
    const received = (await stack.notify.control.received()).filter((n) => written.some((m) => m.id === n.reference));
    expect(received.map((n) => n.type)).toEqual(['sms', 'sms', 'sms']);
  }, 180_000);
});

describe('a first-appointment DNA', () => {
  const periodOf = async (referralId: string) => (await rows(sql`select status, stop_code from rtt_periods where referral_id = ${referralId} order by period_no`))[0];

  it('nullifies the clock when the confirmation letter was delivered', async () => {
    const { referral, start, attendance, appointmentId } = await booked({ channels: ['letter'], address: true }, Date.parse(stack.now()) + 3 * DAY);
    // Sent in the next round, read back as posted in a round or two after.
    await stack.sleepUntil(at(Date.parse(stack.now()) + 3 * POLL + 60_000));
    const [told] = await waitFor(() => rows(sql`select communicated_by, communicated_at from appointments where id = ${appointmentId}`), ([a]) => a.communicated_at !== null);
    expect(told.communicated_by).toBe('letter');
    expect(Date.parse(told.communicated_at)).toBeLessThan(start);

    await stack.sleepUntil(at(start + 60_000));
    await officer.post(`/api/tasks/${attendance.id}/complete`, { outcome: 'did_not_attend' });
    await officer.waitForOpenTask(referral.id, 'dna_review');
    expect(await periodOf(referral.id)).toEqual({ status: 'nullified', stop_code: 33 });
  });

  it('keeps the clock running when the letter could not be sent (no address), and someone is asked to reach the patient', async () => {
    const { referral, start, attendance, appointmentId } = await booked({ channels: ['letter'], address: false }, Date.parse(stack.now()) + 3 * DAY);
    await stack.sleepUntil(at(Date.parse(stack.now()) + 3 * POLL + 60_000));
    const [confirmation] = await waitFor(() => messages(referral.id), ([m]) => m.status !== 'queued' && m.status !== 'sending');
    expect(confirmation).toMatchObject({ template: 'appointment_confirmation', status: 'permanent_failure' });
    const item = await officer.waitForOpenTask(referral.id, 'contact_patient');
    expect(item.payload.reason).toMatch(/^The letter about the appointment on .+ could not be delivered: no postal address is held for the patient$/);
    expect((await rows(sql`select communicated_at from appointments where id = ${appointmentId}`))[0].communicated_at).toBeNull();

    await stack.sleepUntil(at(start + 60_000));
    await officer.post(`/api/tasks/${attendance.id}/complete`, { outcome: 'did_not_attend' });
    await officer.waitForOpenTask(referral.id, 'book_new_appointment');
    expect(await periodOf(referral.id)).toEqual({ status: 'running', stop_code: null });
  });
});
