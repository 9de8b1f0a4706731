// The built console in headless Chromium against the real stack (issue 11): a team leader reads the audit
// after a leave move in people's words, and an officer opens a patient from a work item.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, Page } from 'playwright-core';
import { addDays } from '../../domain';
import type { AccessDeskClient } from '../../bin/lib/api-client';
import { londonToday } from '../../bin/lib/system';
import { formatDate } from '../../admin-ui/src/components/dates';
import { displayNhsNumber } from '../../admin-ui/src/components/nhs-number';
import { startTestStack, demoPassword, type TestStack } from '../support/stack';
import { freeSlot, referralAwaitingBooking } from '../support/fixtures';
import { assertConsoleBuilt, inspectScreen, launchChromium, signInToConsole, timeScreen, uiDist } from '../support/browser';

let stack: TestStack;
let browser: Browser;
let officer: AccessDeskClient;
let officer2: AccessDeskClient;
let clinician: AccessDeskClient;
let admin: AccessDeskClient;

beforeAll(async () => {
  assertConsoleBuilt();
  stack = await startTestStack({ database: 'postgres', temporal: 'dev', uiDist });
  browser = await launchChromium();
  [officer2, clinician, admin] = await Promise.all(['officer2', 'clinician', 'admin'].map((who) => stack.signIn(`${who}@demo.nhs.uk`)));
});
afterAll(async () => {
  await browser?.close();
  await stack?.stop();
});

const signInAs = (email: string): Promise<Page> => signInToConsole(browser, stack.url, email, demoPassword);

async function until<T>(what: string, read: () => Promise<T | undefined>, timeoutMs = 20_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const found = await read();
    if (found !== undefined) return found;
    if (Date.now() > deadline) throw new Error(`${what}: not seen in ${timeoutMs} ms`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

describe('people, not ids', () => {
  it('a team leader reads the audit after a leave move: sentences with names and links, the raw entry one key away', async () => {
    // Omar Officer has a booking item claimed when his leave starts today, with Olivia Officer covering.
    const { referral, booking } = await referralAwaitingBooking(officer2, clinician, { specialty: '101' });
    await officer2.post(`/api/tasks/${booking.id}/claim`);
    const today = londonToday();
    const absence = await admin.post('/api/absences', {
      staffId: 'staff_officer2', from: today, to: addDays(today, 1), coverStaffId: 'staff_officer', reason: 'Annual leave',
    });
    await until('the leave move', async () => (await admin.list('audit', { filter: { action: 'task.absence_moved', entityId: booking.id } }))[0]);

    const page = await signInAs('leader@demo.nhs.uk');
    const sentences = page.locator('[data-testid="audit-sentence"]');
    await timeScreen(page, 'leader-audit', `${stack.url}/#/audit`, sentences);
    await inspectScreen(page, 'leader-audit', { ready: sentences });
    const move = page.locator('tr', { has: page.locator('[data-testid="audit-sentence"]', { hasText: 'Omar Officer’s leave' }) })
      .filter({ hasText: booking.title }).first();
    await move.waitFor({ timeout: 15_000 });
    expect(await move.locator('[data-testid="audit-sentence"]').innerText())
      .toBe(`System moved ‘${booking.title}’ for ${referral.patientName} from Omar Officer to Olivia Officer for Omar Officer’s leave (annual leave)`);
    const started = sentences.filter({ hasText: 'leave began' }).first();
    expect(await started.innerText()).toBe('Omar Officer’s leave began (annual leave): 1 work item moved to Olivia Officer');
    // No codes, ids or JSON in what people read.
    const table = await page.locator('.RaList-main').innerText();
    expect(table).not.toMatch(/task\.absence_moved|\{"|staff_officer|task_[0-9a-z]/);

    // The raw entry, from the keyboard.
    const toggle = move.locator('[data-testid="audit-details-toggle"]');
    await toggle.focus();
    await page.keyboard.press('Enter');
    expect(await toggle.getAttribute('aria-expanded')).toBe('true');
    const details = move.locator('[data-testid="audit-details"]');
    expect(await details.innerText()).toContain('task.absence_moved');
    expect(await details.innerText()).toContain('"assigneeId": "staff_officer"');
    await inspectScreen(page, 'leader-audit-details', { ready: details });

    // Filtered to the patient, through the Patient filter's URL; then the patient's name opens their page.
    await page.goto(`${stack.url}/#/audit?filter=${encodeURIComponent(JSON.stringify({ patientId: referral.patientId }))}`);
    await sentences.first().waitFor({ timeout: 15_000 });
    await until('only this patient', async () => {
      const texts = await sentences.allInnerTexts();
      return texts.length > 0 && texts.every((t) => t.includes(referral.patientName)) ? texts : undefined;
    });
    await inspectScreen(page, 'leader-audit-patient', { ready: sentences });
    await sentences.locator('a', { hasText: referral.patientName }).first().click();
    const history = page.locator('[data-testid="patient-history"] [data-testid="audit-sentence"]');
    await history.first().waitFor({ timeout: 15_000 });
    expect(page.url()).toContain(`/patients/${referral.patientId}/show`);
    expect((await history.allInnerTexts()).join("\n")).toContain(`Dr Carl Clinician completed ‘Triage referral’ for ${referral.patientName}`);
    await inspectScreen(page, 'leader-patient', { ready: history });

    // The leave's own history says the same in words.
    await page.goto(`${stack.url}/#/absences/${absence.id}/show`);
    const leaveHistory = page.locator('[data-testid="absence-history"] [data-testid="audit-sentence"]');
    await leaveHistory.filter({ hasText: 'leave began' }).first().waitFor({ timeout: 15_000 });
    expect(await page.locator('[data-testid="absence-history"]').innerText()).not.toMatch(/\{"|absence\.started/);
    await inspectScreen(page, 'leader-absence', { ready: leaveHistory });
    await page.close();
    await admin.post(`/api/absences/${absence.id}/cancel`);
  });

  it('an officer opens a patient from a work item: demographics, pathways, appointments, letters; the referral names who booked', async () => {
    officer = await stack.signIn('officer@demo.nhs.uk');
    const { referral, booking } = await referralAwaitingBooking(officer, clinician, { specialty: '101' });
    const slot = await freeSlot(officer, 'clin_2', 'new');
    await officer.post(`/api/tasks/${booking.id}/complete`, { slotId: slot.id });
    const attendance = await officer.waitForOpenTask(referral.id, 'record_attendance');
    const patient = await admin.get(`/api/patients/${referral.patientId}`);

    const page = await signInAs('officer@demo.nhs.uk');
    await page.goto(`${stack.url}/#/tasks/${attendance.id}/show`);
    const patientLink = page.locator('[data-testid="patient-link"]');
    await inspectScreen(page, 'officer-task', { ready: patientLink });
    await patientLink.first().focus();
    await page.keyboard.press('Enter');

    const demographics = page.locator('[data-testid="patient-demographics"]');
    await demographics.waitFor({ timeout: 15_000 });
    const shown = await demographics.innerText();
    expect(shown).toContain(patient.name);
    expect(shown).toContain(displayNhsNumber(patient.nhsNumber));
    expect(await page.locator('[data-testid="patient-dob"]').innerText()).toBe(formatDate(patient.dateOfBirth));
    expect(shown).toContain(patient.postcode);
    expect(await page.locator('[data-testid="patient-referrals"]').innerText()).toMatch(/Urology[\s\S]*Booked/);
    const appointments = await page.locator('[data-testid="patient-appointments"]').innerText();
    expect(appointments).toContain('Olivia Officer');
    expect(appointments).toContain('to come');
    expect(await page.locator('[data-testid="patient-communications"]').innerText()).toContain('Appointment confirmation');
    expect(await page.locator('[data-testid="patient-open-work"]').innerText()).toContain('Record attendance');
    expect(await page.locator('[data-testid="patient-communication-needs"]').count()).toBe(1);
    // The audit is the team leader's to read.
    expect(await page.locator('[data-testid="patient-history"]').count()).toBe(0);
    await inspectScreen(page, 'officer-patient', { ready: demographics });

    // Its referral names the officer who booked, as its timeline does (blank before the fix).
    await page.locator('[data-testid="patient-referrals"] a').first().click();
    const bookedBy = page.locator('[data-testid="referral-appointments"] tbody tr').first();
    await bookedBy.waitFor({ timeout: 15_000 });
    expect(await bookedBy.innerText()).toContain('Olivia Officer');
    await inspectScreen(page, 'officer-referral', { ready: bookedBy });

    // The Patients list: a row opens the patient.
    const rows = page.locator('.RaList-main tbody tr');
    await timeScreen(page, 'officer-patients', `${stack.url}/#/patients?filter=${encodeURIComponent(JSON.stringify({ q: patient.nhsNumber }))}`, rows);
    await inspectScreen(page, 'officer-patients', { ready: rows });
    await rows.first().click();
    await demographics.waitFor({ timeout: 15_000 });
    expect(page.url()).toContain(`/patients/${referral.patientId}/show`);
    await page.close();
  });
});
