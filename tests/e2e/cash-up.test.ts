// Cash-up in the console (issue 16): an officer opens the Cash-up list, finds a clinic whose appointments still have no
// outcome 48 hours on, and outcomes the whole clinic in one pass by keyboard alone: j/k to move, a/d/h/f/x to pick
// (follow-up takes its weeks as digits), s to record them all. Each outcome goes through its pathway. On the
// time-skipping server, so the 48 hours pass at once.
import { readFile } from 'node:fs/promises';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sql } from 'drizzle-orm';
import type { Browser } from 'playwright-core';
import type { AccessDeskClient } from '../../bin/lib/api-client';
import { queryRows } from '../../db/client';
import { addDays } from '../../domain';
import { bookedClinicSession } from '../support/cash-up';
import { startTestStack, demoPassword, type TestStack } from '../support/stack';
import { assertConsoleBuilt, inspectScreen, launchChromium, signInToConsole, typeDate, uiDist } from '../support/browser';

let stack: TestStack;
let browser: Browser;
// The appointments are booked through the API by a team leader (the officer is signed in in the browser).
let leader: AccessDeskClient;
let clinician: AccessDeskClient;
const HOUR = 3_600_000;

beforeAll(async () => {
  assertConsoleBuilt();
  stack = await startTestStack({ database: 'postgres', temporal: 'time-skipping', uiDist });
  browser = await launchChromium();
  leader = await stack.signIn('leader@demo.nhs.uk');
  clinician = await stack.signIn('clinician@demo.nhs.uk');
});
afterAll(async () => {
  await browser?.close();
  await stack?.stop();
});

describe('cash-up in the console', () => {
  it('an officer cashes up a whole clinic by keyboard only', async () => {
    const session = await bookedClinicSession(stack, leader, clinician, 4);
    await stack.sleepUntil(new Date(Date.parse(session.lastStart) + 48 * HOUR + 10 * 60_000).toISOString());

    const page = await signInToConsole(browser, stack.url, 'officer@demo.nhs.uk', demoPassword);
    await page.goto(`${stack.url}/#/cash-up`);
    const rows = page.locator('[data-testid="cash-up-row"]');
    await rows.first().waitFor({ timeout: 20_000 });
    await inspectScreen(page, 'cash-up-list', { ready: rows });
    // e exports the list as it shows (every row, the list's order).
    await page.locator('body').focus();
    const [download] = await Promise.all([page.waitForEvent('download', { timeout: 15_000 }), page.keyboard.press('e')]);
    const csv = (await readFile((await download.path())!, 'utf8')).trim().split(/\r?\n/);
    expect(csv[0]).toContain('Clinic session id');
    expect(csv.slice(1).map((line) => line.split(',').pop())).toEqual(await rows.evaluateAll((els) => els.map((el) => el.getAttribute('data-id'))));
    // Move the highlight to this clinic's row with j, then open it with Enter.
    const ids = await rows.evaluateAll((els) => els.map((el) => el.getAttribute('data-id')));
    const index = ids.indexOf(session.sessionId);
    expect(index).toBeGreaterThanOrEqual(0);
    await page.locator('body').focus();
    for (let i = 0; i < index; i++) await page.keyboard.press('j');
    await page.keyboard.press('Enter');

    const appointments = page.locator('[data-testid="cash-up-appointment"]');
    await appointments.first().waitFor({ timeout: 15_000 });
    expect(await appointments.count()).toBe(4);
    await inspectScreen(page, 'cash-up-clinic', { ready: appointments });
    // Attended, did not attend, follow-up in 12 weeks (then on to the next), cancelled by the hospital; then record.
    for (const key of ['a', 'd', 'f', '1', '2', 'j', 'h']) await page.keyboard.press(key);
    await expect.poll(() => appointments.nth(2).locator('[data-testid="cash-up-outcome"]').textContent()).toContain('Follow-up in 12 weeks');
    await page.keyboard.press('s');
    await page.getByText(/Clinic cashed up: 4 outcome/).waitFor({ timeout: 30_000 });
    await expect.poll(async () => (await appointments.allTextContents()).filter((t) => t.includes('Recorded')).length).toBe(4);

    const states = await queryRows<{ id: string; state: string; outcome: string | null }>(stack.db.db, sql`
      select id, state, outcome from appointments where id in (${sql.join(session.appointments.map((a) => sql`${a.id}`), sql`, `)})`);
    const of = (i: number) => states.find((s) => s.id === session.appointments[i].id);
    expect(of(0)).toMatchObject({ state: 'attended', outcome: 'treated' });
    expect(of(1)).toMatchObject({ state: 'did_not_attend' });
    expect(of(2)).toMatchObject({ state: 'attended', outcome: 'follow_up' });
    expect(of(3)).toMatchObject({ state: 'cancelled_by_hospital' });
    // Due beyond the 6-week horizon, the follow-up waits on the partial booking list (issue 16), not as a booking item.
    const [followUp] = await queryRows<{ due_date: string; status: string }>(stack.db.db, sql`
      select due_date::text, status::text from partial_booking_entries where referral_id = ${session.appointments[2].referralId}`);
    expect(followUp).toEqual({ due_date: addDays(stack.today(), 84), status: 'waiting' });
    // The clinic has left the cash-up list.
    // Read afresh (a list shows what it held before while it reads again), once its table is there.
    await page.goto(`${stack.url}/#/cash-up`);
    await page.reload();
    await page.locator('[data-testid="cash-up-table"]').waitFor({ timeout: 15_000 });
    await expect.poll(() => page.locator(`[data-testid="cash-up-row"][data-id="${session.sessionId}"]`).count(), { timeout: 15_000 }).toBe(0);
  }, 240_000); // four referrals taken through triage and booking first, on a shared 2-core machine

  it('a ward clerk takes a ward form in the console: listed to book, its item in the Ward forms queue', async () => {
    const [patient] = await queryRows<{ id: string; nhs_number: string }>(stack.db.db, sql`select id, nhs_number from patients order by created_at limit 1`);
    const page = await signInToConsole(browser, stack.url, 'officer2@demo.nhs.uk', demoPassword);
    page.setDefaultTimeout(20_000); // a step that cannot happen fails with its name, not the test's timeout
    await page.goto(`${stack.url}/#/ward-forms/create`);
    const patientBox = page.getByRole('combobox', { name: /Patient/ });
    await patientBox.waitFor({ timeout: 15_000 });
    await patientBox.fill(patient.nhs_number);
    // The choices narrow to the one patient with that NHS number once the search has answered.
    await expect.poll(() => page.getByRole('option').count(), { timeout: 15_000 }).toBe(1);
    await page.getByRole('option').click();
    await page.getByRole('textbox', { name: /^Ward/ }).fill('Ward 4B');
    await typeDate(page.locator('[data-testid="date-dischargedOn"]'), addDays(stack.today(), -5));
    await page.getByRole('combobox', { name: /Specialty/ }).click();
    await page.getByRole('option', { name: 'Urology' }).click();
    await page.getByRole('combobox', { name: /Clinician/ }).click();
    await page.getByRole('option', { name: 'Dr Carl Clinician' }).click();
    await page.getByRole('spinbutton', { name: /Follow-up within/ }).fill('6');
    await page.getByRole('textbox', { name: /Note from the ward/ }).fill('Review the wound and the PSA');
    await inspectScreen(page, 'ward-form-create');
    await page.getByTestId('ward-form-save').click();
    const rows = page.locator('[data-testid="ward-form-row"]');
    await rows.first().waitFor({ timeout: 20_000 });
    await expect.poll(() => rows.first().textContent()).toContain('To book');
    await inspectScreen(page, 'ward-form-list', { ready: rows });
    await page.locator('body').focus();
    const [download] = await Promise.all([page.waitForEvent('download', { timeout: 15_000 }), page.keyboard.press('e')]);
    const csv = await readFile((await download.path())!, 'utf8');
    expect(csv).toContain('Ward 4B');
    expect(csv.split(/\r?\n/)[0]).toContain('Where it stands');
    const [form] = await queryRows(stack.db.db, sql`select w.patient_id, w.ward, w.follow_up_within_weeks, t.queue_id, t.type
      from ward_forms w join tasks t on t.id = w.task_id`);
    expect(form).toMatchObject({ patient_id: patient.id, ward: 'Ward 4B', follow_up_within_weeks: 6, queue_id: 'queue_ward_forms', type: 'book_follow_up' });
  }, 120_000);
});
