// Issue 16's console gaps: on the referral page an officer records an attendance outside clinic (by phone, follow-up in
// 12 weeks; the RTT status offered is only the code the outcome records), which puts the follow-up on the partial
// booking list; there, by keyboard, they book it into a follow-up slot within two weeks of its due date (slots outside
// the window are not offered), and the pathway books it. Real stack: the attendance and the booking are the pathway's.
import { describe, expect, it } from 'vitest';
import { sql } from 'drizzle-orm';
import { queryRows } from '../../db/client';
import { newId } from '../../db/ids';
import { slots } from '../../db/schema';
import { addDays } from '../../domain';
import type { AccessDeskClient } from '../../bin/lib/api-client';
import { inspectScreen } from '../support/browser';
import { withConsoleStack } from '../support/console-stack';
import { referralAwaitingBooking, referralBody } from '../support/fixtures';

const running = withConsoleStack();

const rows = <T = any>(query: ReturnType<typeof sql>) => queryRows<T>(running.stack.db.db, query);

async function until<T>(read: () => Promise<T>, ok: (v: T) => boolean, timeoutMs = 20_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await read();
    if (ok(value) || Date.now() > deadline) return value;
    await new Promise((r) => setTimeout(r, 200));
  }
}

/** A free slot in the clinic on a day, at an odd time no clinic template uses (slots are unique by clinic and start). */
async function slotOn(clinicId: string, day: string, type: 'follow_up' | 'new' = 'follow_up', time = '06:41') {
  const id = newId('slot');
  const start = new Date(`${day}T${time}:00.000Z`);
  await running.stack.db.db.insert(slots).values({ id, clinicId, start, end: new Date(start.getTime() + 15 * 60_000), type });
  return id;
}

describe('follow-ups in the console', () => {
  it('an officer records an attendance outside clinic, then books the follow-up from the partial booking list by keyboard', async () => {
    const { stack } = running;
    const [officer, clinician]: AccessDeskClient[] = await Promise.all([stack.signIn('officer@demo.nhs.uk'), stack.signIn('clinician@demo.nhs.uk')]);
    const base = referralBody();
    const { referral } = await referralAwaitingBooking(officer, clinician, { patient: { ...base.patient, familyName: 'Seenbyphone' } }, 'clin_2');
    const today = stack.today();
    const due = addDays(today, 84);

    const page = await running.signInAs('officer@demo.nhs.uk');
    await page.goto(`${stack.url}/#/referrals/${referral.id}/show`);
    await page.locator('[data-testid="attendance-outside-open"]').waitFor({ timeout: 20_000 });
    await page.locator('body').focus();
    await page.keyboard.press('a');
    const dialog = page.locator('[data-testid="attendance-outside"]');
    await dialog.waitFor({ timeout: 10_000 });
    // Sending it empty names what is missing, in words, and sends nothing.
    await page.keyboard.press('Control+Enter');
    await dialog.getByText('Choose the clinician who saw the patient').waitFor({ timeout: 5_000 });
    await page.locator('[data-testid="attendance-outside-clinician"] option[value="staff_clinician"]').waitFor({ state: 'attached', timeout: 10_000 });
    await page.selectOption('[data-testid="attendance-outside-clinician"]', 'staff_clinician');
    await page.selectOption('[data-testid="attendance-outside-setting"]', 'phone');
    await page.selectOption('[data-testid="attendance-outside-outcome"]', 'follow_up');
    // A first follow-up on a running clock records 10 and nothing else: it is offered alone and chosen.
    const codes = page.locator('[data-testid="attendance-outside-rtt-code"] option');
    expect(await codes.evaluateAll((els) => els.map((el) => (el as HTMLOptionElement).value))).toEqual(['', '10']);
    expect(await page.locator('[data-testid="attendance-outside-rtt-code"]').inputValue()).toBe('10');
    await page.locator('[data-testid="attendance-outside-follow-up-weeks"]').fill('12');
    await inspectScreen(page, 'attendance-outside-clinic', { ready: dialog });
    await page.keyboard.press('Control+Enter');
    await dialog.waitFor({ state: 'detached', timeout: 20_000 });
    await page.getByText(/Attendance outside clinic recorded for/).waitFor({ timeout: 10_000 });

    const [attendance] = await rows(sql`select setting, outcome, follow_up_weeks, rtt_code, attended_on::text as "attendedOn" from attendances where referral_id = ${referral.id}`);
    expect(attendance).toEqual({ setting: 'phone', outcome: 'follow_up', follow_up_weeks: 12, rtt_code: 10, attendedOn: today });
    // Due beyond six weeks: it waits on the partial booking list.
    const entries = await until(
      () => rows<{ id: string; dueDate: string; status: string }>(sql`select id, due_date::text as "dueDate", status from partial_booking_entries where referral_id = ${referral.id}`),
      (found) => found.length === 1,
    );
    expect(entries).toEqual([{ id: expect.any(String), dueDate: due, status: 'waiting' }]);
    const entryId = entries[0].id;

    // Follow-up slots: one on the due date, one three weeks after (outside ±2 weeks: not offered); and a new-patient one that day.
    const inWindow = await slotOn('clin_2', due);
    const outside = await slotOn('clin_2', addDays(due, 21));
    const newPatient = await slotOn('clin_2', due, 'new', '06:53');

    // g f: the partial booking list; j to the entry, b to book it.
    await page.keyboard.press('g');
    await page.keyboard.press('f');
    const table = page.locator('[data-testid="partial-booking-table"]');
    await table.waitFor({ timeout: 15_000 });
    const rowsOnPage = page.locator('[data-testid="partial-booking-row"]');
    await page.locator(`[data-testid="partial-booking-row"][data-id="${entryId}"]`).waitFor({ timeout: 15_000 });
    const ids = await rowsOnPage.evaluateAll((els) => els.map((el) => el.getAttribute('data-id')));
    await page.locator('body').focus();
    for (let i = 0; i < ids.indexOf(entryId); i++) await page.keyboard.press('j');
    await page.locator(`[data-testid="partial-booking-row"][data-id="${entryId}"][aria-selected="true"]`).waitFor({ timeout: 5_000 });
    await page.keyboard.press('b');
    const book = page.locator('[data-testid="partial-booking-book"]');
    await book.waitFor({ timeout: 10_000 });
    const slotSelect = page.locator('[data-testid="partial-booking-book-slot"]');
    await page.locator(`[data-testid="partial-booking-book-slot"] option[value="${inWindow}"]`).waitFor({ state: 'attached', timeout: 15_000 });
    const offered = await slotSelect.locator('option').evaluateAll((els) => els.map((el) => (el as HTMLOptionElement).value));
    expect(offered).toContain(inWindow);
    expect(offered).not.toContain(outside);
    expect(offered).not.toContain(newPatient);
    await inspectScreen(page, 'partial-booking-book', { ready: book });
    // Every slot offered is a free follow-up slot of the clinic within two weeks of the due date.
    const choices = offered.filter(Boolean);
    const placed = await rows<{ day: string; type: string; clinicId: string }>(sql`select (start at time zone 'Europe/London')::date::text as day, type,
      clinic_id as "clinicId" from slots where id in ${choices}`);
    expect(placed).toHaveLength(choices.length);
    for (const slot of placed) {
      expect(slot).toMatchObject({ type: 'follow_up', clinicId: 'clin_2' });
      expect(slot.day >= addDays(due, -14) && slot.day <= addDays(due, 14)).toBe(true);
    }
    // The slot list has focus: the arrow key chooses the soonest slot, Ctrl+Enter books it.
    await expect.poll(() => slotSelect.evaluate((el) => el === document.activeElement)).toBe(true);
    await page.keyboard.press('ArrowDown');
    const chosen = await slotSelect.inputValue();
    expect(choices).toContain(chosen);
    await page.keyboard.press('Control+Enter');
    await book.waitFor({ state: 'detached', timeout: 20_000 });
    await page.getByText(/Follow-up booked for/).waitFor({ timeout: 10_000 });

    const [entry] = await rows<{ status: string; slotId: string | null }>(sql`select e.status, a.slot_id as "slotId" from partial_booking_entries e
      left join appointments a on a.id = e.appointment_id where e.id = ${entryId}`);
    expect(entry).toEqual({ status: 'booked', slotId: chosen });
    // Booked: it leaves the "Still to book" view.
    await page.locator(`[data-testid="partial-booking-row"][data-id="${entryId}"]`).waitFor({ state: 'detached', timeout: 15_000 });
    await page.close();
  }, 120_000); // a referral taken through triage first, on a shared 2-core machine

  it('a refusal shows in words; an officer escalates a follow-up to the clinician (l) and asks for a patient on PIFU (p)', async () => {
    const { stack } = running;
    // A team leader acts through the API once the officer is signed in in the browser (one session per person).
    const [officer, clinician, leader]: AccessDeskClient[] = await Promise.all(
      ['officer@demo.nhs.uk', 'clinician@demo.nhs.uk', 'leader@demo.nhs.uk'].map((email) => stack.signIn(email)),
    );
    const today = stack.today();
    const seen = (familyName: string, outcome: Record<string, unknown>) => (async () => {
      const base = referralBody();
      const { referral } = await referralAwaitingBooking(officer, clinician, { patient: { ...base.patient, familyName } }, 'clin_2');
      await officer.post('/api/attendances', { referralId: referral.id, attendedOn: today, clinicianId: 'staff_clinician', setting: 'ward', ...outcome });
      return referral.id as string;
    })();
    const [raced, escalated, onPifu] = await Promise.all([
      seen('Racedaway', { outcome: 'follow_up', followUpWeeks: 10, rttCode: 10 }),
      seen('Noslotsoon', { outcome: 'follow_up', followUpWeeks: 11, rttCode: 10 }),
      seen('Onpifu', { outcome: 'moved_to_pifu', expiryWeeks: 26, atExpiry: 'discharge', rttCode: 32 }),
    ]);
    const entryOf = async (referralId: string) => (await until(
      () => rows<{ id: string; status: string }>(sql`select id, status from partial_booking_entries where referral_id = ${referralId}`),
      (found) => found.length === 1,
    ))[0];
    const [racedEntry, escalatedEntry] = await Promise.all([entryOf(raced), entryOf(escalated)]);
    await slotOn('clin_2', addDays(today, 70));

    const page = await running.signInAs('officer@demo.nhs.uk');
    await page.keyboard.press('g');
    await page.keyboard.press('f');
    const highlight = async (entryId: string) => {
      await page.locator(`[data-testid="partial-booking-row"][data-id="${entryId}"]`).waitFor({ timeout: 15_000 });
      await page.locator('body').focus();
      for (let i = 0; i < 60; i++) {
        const selected = await page.locator('[data-testid="partial-booking-row"][aria-selected="true"]').getAttribute('data-id');
        if (selected === entryId) return;
        const ids = await page.locator('[data-testid="partial-booking-row"]').evaluateAll((els) => els.map((el) => el.getAttribute('data-id')));
        await page.keyboard.press(ids.indexOf(entryId) > ids.indexOf(selected) ? 'j' : 'k');
      }
      throw new Error(`could not highlight ${entryId}`);
    };

    // The follow-up goes to the clinician while the officer has the booking open: the pathway refuses, in words.
    await highlight(racedEntry.id);
    await page.keyboard.press('b');
    const book = page.locator('[data-testid="partial-booking-book"]');
    await book.waitFor({ timeout: 10_000 });
    const slotSelect = page.locator('[data-testid="partial-booking-book-slot"]');
    await slotSelect.locator('option:nth-child(2)').waitFor({ state: 'attached', timeout: 15_000 });
    await leader.post(`/api/partial-booking/${racedEntry.id}/escalate`, {});
    await expect.poll(() => slotSelect.evaluate((el) => el === document.activeElement)).toBe(true);
    await page.keyboard.press('ArrowDown');
    expect(await slotSelect.inputValue()).not.toBe('');
    await page.keyboard.press('Control+Enter');
    const refusal = page.locator('[data-testid="partial-booking-book-refusal"]');
    await refusal.waitFor({ timeout: 20_000 }).catch(async (err) => {
      throw new Error(`${err}\n${await book.innerText().catch(() => '(the dialog is gone)')}`);
    });
    expect(await refusal.innerText()).toContain('no longer waiting to be booked');
    await page.keyboard.press('Escape');
    await book.waitFor({ state: 'detached', timeout: 10_000 });
    expect((await rows(sql`select status from partial_booking_entries where id = ${racedEntry.id}`))[0].status).toBe('in_review');

    // l: no slot by the LCAD, so to the clinician.
    await highlight(escalatedEntry.id);
    await page.keyboard.press('l');
    const escalate = page.locator('[data-testid="partial-booking-escalate"]');
    await escalate.waitFor({ timeout: 10_000 });
    await page.keyboard.press('Control+Enter');
    await escalate.waitFor({ state: 'detached', timeout: 20_000 });
    await page.getByText(/follow-up is with the clinician/).waitFor({ timeout: 10_000 });
    expect((await rows(sql`select status from partial_booking_entries where id = ${escalatedEntry.id}`))[0].status).toBe('in_review');
    await leader.waitForOpenTask(escalated, 'partial_booking_review');

    // p on the referral page of a pathway on PIFU: the patient asks to be seen.
    await page.goto(`${stack.url}/#/referrals/${onPifu}/show`);
    await page.locator('[data-testid="pifu-trigger-open"]').waitFor({ timeout: 20_000 });
    await page.locator('body').focus();
    await page.keyboard.press('p');
    const pifu = page.locator('[data-testid="pifu-trigger"]');
    await pifu.waitFor({ timeout: 10_000 });
    await page.keyboard.type('Rang: the pain is back');
    await inspectScreen(page, 'pifu-trigger', { ready: pifu });
    await page.keyboard.press('Control+Enter');
    await pifu.waitFor({ state: 'detached', timeout: 20_000 });
    const item = await leader.waitForOpenTask(onPifu, 'book_follow_up');
    expect(item.payload.bookBy).toBe(addDays(today, 42));
    const [note] = await rows(sql`select body from notes where referral_id = ${onPifu}`);
    expect(note.body).toBe('Rang: the pain is back');
    // Off PIFU now: the action is gone with the state.
    await page.locator('[data-testid="pifu-trigger-open"]').waitFor({ state: 'detached', timeout: 15_000 });
    await page.close();
  }, 150_000); // three referrals taken through triage first
});
