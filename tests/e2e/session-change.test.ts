// The built console in headless Chromium against the real stack: a team leader opens a clinic's week,
// cancels a morning session with three patients booked into it, reads the preview (the patients in
// rebooking order, each with the slot they would be offered), confirms inside the notice period, and
// reads the change's summary once every patient is moved or queued. The API agrees with the screen.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, Page } from 'playwright-core';
import type { AccessDeskClient } from '../../bin/lib/api-client';
import { addDays } from '../../domain';
import { weekStartOf } from '../../admin-ui/src/clinics/calendar-weeks';
import { startTestStack, demoPassword, type TestStack } from '../support/stack';
import { referralAwaitingBooking } from '../support/fixtures';
import { assertConsoleBuilt, launchChromium, uiDist, signInToConsole, typeDate } from '../support/browser';

let stack: TestStack;
let browser: Browser;
let officer: AccessDeskClient;
let clinician: AccessDeskClient;
// Reads while the leader is signed in in the browser: one session per person, so not as the leader.
let admin: AccessDeskClient;

beforeAll(async () => {
  assertConsoleBuilt();
  stack = await startTestStack({ database: 'postgres', temporal: 'dev', uiDist });
  browser = await launchChromium();
  officer = await stack.signIn('officer@demo.nhs.uk');
  clinician = await stack.signIn('clinician@demo.nhs.uk');
  admin = await stack.signIn('admin@demo.nhs.uk');
});
afterAll(async () => {
  await browser?.close();
  await stack?.stop();
});

const signInAs = (email: string): Promise<Page> => signInToConsole(browser, stack.url, email, demoPassword);

const londonDay = (instant: string) => new Intl.DateTimeFormat('en-CA', { timeZone: 'Europe/London' }).format(new Date(instant));

/** Three routine Urology patients booked into consecutive new-patient slots of one clinic morning, two weeks ahead. */
async function bookedMorning(clinicId: string) {
  const after = new Date(Date.now() + 14 * 86_400_000).toISOString();
  const slots = await officer.list('slots', { filter: { clinicId, status: 'free', type: 'new', start_gte: after }, sort: ['start', 'ASC'], range: [0, 2] });
  expect(slots).toHaveLength(3);
  const date = londonDay(slots[0].start);
  expect(slots.map((s: any) => londonDay(s.start))).toEqual([date, date, date]);
  const appointments: { referralId: string; appointmentId: string }[] = [];
  for (const slot of slots) {
    const { referral, booking } = await referralAwaitingBooking(officer, clinician, { specialty: '101', priority: 'routine' }, clinicId);
    await officer.post(`/api/tasks/${booking.id}/complete`, { slotId: slot.id });
    const [appointment] = await admin.list('appointments', { filter: { referralId: referral.id, state: 'booked' } });
    expect(appointment.slotId).toBe(slot.id);
    appointments.push({ referralId: referral.id, appointmentId: appointment.id });
  }
  return { date, session: new Date(slots[0].start).getUTCHours() < 12 ? 'am' : 'pm', appointments };
}

describe('cancelling a clinic session from the console', () => {
  it('a team leader cancels a session with booked patients, reads the preview, confirms and sees the summary', async () => {
    const clinicId = 'clin_2';
    const { date, session, appointments } = await bookedMorning(clinicId);
    expect(session).toBe('am');

    const page = await signInAs('leader@demo.nhs.uk');
    await page.goto(`${stack.url}/#/clinics/${clinicId}/calendar?week=${date}`);
    const cell = page.locator(`[data-testid="calendar-session"][data-date="${date}"][data-session="am"]`);
    await cell.waitFor({ timeout: 15_000 });
    expect(Number(await cell.locator('[data-testid="calendar-session-counts"]').getAttribute('data-booked'))).toBe(3);

    // → and ← move a week and back, keeping the session in view.
    await page.evaluate(() => (document.activeElement as HTMLElement | null)?.blur());
    await page.keyboard.press('ArrowRight');
    await page.locator(`[data-testid="calendar-week-label"][data-week="${addDays(weekStartOf(date), 7)}"]`).waitFor({ timeout: 10_000 });
    await page.keyboard.press('ArrowLeft');
    await cell.waitFor({ timeout: 10_000 });

    await cell.locator('[data-testid="calendar-cancel-session"]').click();
    const dialog = page.locator('[data-testid="session-change"]');
    await dialog.locator('[data-testid="session-change-reason"]').fill('Consultant on sick leave');
    await dialog.locator('[data-testid="session-change-preview"]').click();

    // The preview lists the three patients in rebooking order, each with an offer or "no slot before breach".
    const rows = dialog.locator('[data-testid="session-change-affected-row"]');
    await rows.first().waitFor({ timeout: 15_000 });
    expect(await rows.count()).toBe(3);
    const listed = await rows.evaluateAll((els) => els.map((el) => el.getAttribute('data-appointment-id')));
    expect([...listed].sort()).toEqual(appointments.map((a) => a.appointmentId).sort());
    expect(await dialog.locator('[data-testid="session-change-preview-summary"]').innerText()).toContain('3 patients affected');
    for (const text of await rows.allInnerTexts()) expect(text).toMatch(/Ada Lovelace[\s\S]*(Mon|Tue|Wed|Thu|Fri|Sat|Sun) \d{1,2} [A-Z][a-z]{2} \d{4}|No slot before breach/);
    // Nothing has changed yet.
    for (const { appointmentId } of appointments) expect((await admin.get(`/api/appointments/${appointmentId}`)).state).toBe('booked');

    // Two weeks ahead is inside the notice period: confirming needs the box ticked.
    await dialog.locator('[data-testid="session-change-confirm"]').click();
    await dialog.getByText('Tick to confirm a change inside the notice period').waitFor({ timeout: 5_000 });
    await dialog.locator('[data-testid="session-change-confirm-notice"]').check();
    await dialog.locator('[data-testid="session-change-confirm"]').click();

    await page.waitForURL(/\/session-changes\/[^/]+\/show/, { timeout: 15_000 });
    const changeId = decodeURIComponent(page.url().match(/session-changes\/([^/]+)\/show/)![1]);
    // The summary reads itself again until the workflow has dealt with every patient.
    await page.locator('[data-testid="session-change-summary"][data-status="completed"]').waitFor({ timeout: 45_000 });
    const count = async (id: string) => Number(await page.locator(`[data-testid="${id}"]`).getAttribute('data-count'));
    expect(await count('count-cancelled')).toBe(3);
    expect((await count('count-moved')) + (await count('count-waiting'))).toBe(3);
    const outcomes = await page.locator('[data-testid="session-change-patient"]').evaluateAll((els) => els.map((el) => el.getAttribute('data-outcome')));
    expect(outcomes).toHaveLength(3);
    for (const outcome of outcomes) expect(['moved', 'waiting_for_slot']).toContain(outcome);

    // The API says the same, and the cancelled appointments are the hospital's.
    const change = await admin.get(`/api/clinic-sessions/changes/${changeId}`);
    expect(change).toMatchObject({ clinicId, sessionDate: date, session: 'am', kind: 'cancel', status: 'completed', withinNotice: true });
    expect(change.summary).toMatchObject({ cancelled: 3, moved: await count('count-moved'), waitingForSlot: await count('count-waiting') });
    for (const { appointmentId } of appointments) {
      expect((await admin.get(`/api/appointments/${appointmentId}`)).state).toBe('cancelled_by_hospital');
    }

    // Back on the calendar (read again, not the page's earlier copy), the session shows its change, every slot blocked.
    await page.goto(`${stack.url}/#/clinics/${clinicId}/calendar?week=${date}`);
    await cell.locator('[data-testid="calendar-session-change"]').filter({ hasText: 'Completed' }).waitFor({ timeout: 15_000 });
    await cell.locator('[data-testid="calendar-session-counts"][data-booked="0"][data-free="0"]').waitFor({ timeout: 15_000 });
    expect(await cell.locator('[data-testid="calendar-cancel-session"]').count()).toBe(0);
    await page.close();
  });

  it('an officer reschedules and cancels an appointment and records a declined offer from the referral page', async () => {
    const { referral, booking } = await referralAwaitingBooking(officer, clinician, { specialty: '101', priority: 'routine' }, 'clin_2');
    const after = new Date(Date.now() + 7 * 86_400_000).toISOString();
    const [slot] = await officer.list('slots', { filter: { clinicId: 'clin_2', status: 'free', type: 'new', start_gte: after }, sort: ['start', 'ASC'], range: [0, 0] });
    await officer.post(`/api/tasks/${booking.id}/complete`, { slotId: slot.id });
    const [first] = await admin.list('appointments', { filter: { referralId: referral.id, state: 'booked' } });

    const page = await signInAs('officer2@demo.nhs.uk');
    await page.goto(`${stack.url}/#/referrals/${referral.id}/show`);
    const appointmentsPanel = page.locator('[data-testid="referral-appointments"]');

    // Rescheduled at the patient's request: a slot of the same type in the specialty, chosen from the list.
    await appointmentsPanel.locator('[data-testid="appointment-reschedule-open"]').click();
    await page.check('[data-testid="appointment-reschedule-by-patient"]');
    await page.fill('[data-testid="appointment-reschedule-reason"]', 'Patient away that week');
    const slotList = page.locator('[data-testid="appointment-reschedule-slot"]');
    await slotList.locator('option:nth-child(2)').waitFor({ state: 'attached', timeout: 15_000 });
    const options = await slotList.locator('option').allInnerTexts();
    expect(options.slice(1).every((text) => text.includes('(New)'))).toBe(true);
    const newSlotId = await slotList.locator('option:nth-child(2)').getAttribute('value');
    await slotList.selectOption(newSlotId!);
    await page.click('[data-testid="appointment-reschedule-submit"]');
    await page.getByText(/^Appointment moved to .* \(counted as a patient cancellation\)/).waitFor({ timeout: 15_000 });
    expect(await admin.get(`/api/appointments/${first.id}`)).toMatchObject({ state: 'cancelled_by_patient', cancelledBy: 'patient' });
    const [moved] = await admin.list('appointments', { filter: { referralId: referral.id, state: 'booked' } });
    expect(moved.slotId).toBe(newSlotId);

    // Cancelled by the hospital: a rebook item goes on the Rebooking queue, and the notice says so.
    await appointmentsPanel.locator('[data-testid="appointment-cancel-open"]').waitFor({ timeout: 15_000 });
    expect(await appointmentsPanel.locator('[data-testid="appointment-cancel-open"]').count()).toBe(1);
    await appointmentsPanel.locator('[data-testid="appointment-cancel-open"]').click();
    await page.check('[data-testid="appointment-cancel-by-hospital"]');
    await page.fill('[data-testid="appointment-cancel-reason"]', 'Clinic room closed');
    await page.click('[data-testid="appointment-cancel-submit"]');
    await page.getByText('Appointment cancelled; a rebook item is on the Rebooking queue').waitFor({ timeout: 15_000 });
    expect((await admin.get(`/api/appointments/${moved.id}`)).state).toBe('cancelled_by_hospital');
    expect((await officer.waitForOpenTask(referral.id, 'rebook_appointment')).type).toBe('rebook_appointment');

    // An offer of a date a month ahead, by phone: reasonable; the patient declines it.
    const offers = page.locator('[data-testid="referral-offers"]');
    // o opens a new offer, as r and f open their dialogs on the referral page.
    await page.evaluate(() => (document.activeElement as HTMLElement | null)?.blur());
    await page.keyboard.press('o');
    await page.check('[data-testid="offer-mode-date"]');
    await typeDate(page.locator('[data-testid="offer-date"]'), addDays(londonDay(new Date().toISOString()), 30));
    await page.selectOption('[data-testid="offer-channel"]', 'phone');
    await page.click('[data-testid="offer-new-submit"]');
    await page.getByText(/^Offer recorded: reasonable \(30 days’ notice\)/).waitFor({ timeout: 15_000 });
    const row = offers.locator('[data-testid="offer-row"]');
    await row.locator('[data-reasonable="true"]').waitFor({ timeout: 15_000 });
    await row.locator('[data-testid="offer-decline-open"]').click();
    await page.fill('[data-testid="offer-decline-reason"]', 'Cannot get time off work');
    await page.click('[data-testid="offer-decline-submit"]');
    // The notice (the timeline says "Offer declined" too).
    await page.getByRole('alert').getByText('Offer declined', { exact: true }).waitFor({ timeout: 15_000 });
    await offers.locator('[data-testid="offer-row"][data-status="declined"]').waitFor({ timeout: 15_000 });
    const [offer] = await admin.list('offers', { filter: { referralId: referral.id } });
    expect(offer).toMatchObject({ status: 'declined', reasonable: true, channel: 'phone', declineReason: 'Cannot get time off work', decidedByName: 'Omar Officer' });
    await page.close();
  });
});
