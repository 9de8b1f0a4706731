// The built console in headless Chromium against the real stack (Postgres, the Temporal dev server, the worker):
// an officer offers a TCI date into a theatre session from an admission's page (the session's free minutes go
// down once the patient accepts), then records a hospital cancellation on the day: a rebook item appears, and the
// cancelled-operations report counts it and exports it. The referral is taken to a decision to admit through the API.
import { readFile } from 'node:fs/promises';
import { beforeAll, describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import { sql } from 'drizzle-orm';
import type { AccessDeskClient } from '../../bin/lib/api-client';
import { addDays } from '../../domain';
import { referralAwaitingBooking } from '../support/fixtures';
import { parseCsv } from '../support/csv';
import { inspectScreen } from '../support/browser';
import { withConsoleStack } from '../support/console-stack';

const consoleStack = withConsoleStack();
let officer: AccessDeskClient;
let clinician: AccessDeskClient;
let leader: AccessDeskClient;
// Reads while the officer is signed in in the browser: one session per person.
let admin: AccessDeskClient;

beforeAll(async () => {
  [officer, clinician, leader, admin] = await Promise.all(['officer', 'clinician', 'leader', 'admin'].map((who) => consoleStack.stack.signIn(`${who}@demo.nhs.uk`)));
});

const signInAs = (email: string): Promise<Page> => consoleStack.signInAs(email, { acceptDownloads: true });

/** A Urology referral triaged and decided for admission (day case, P3, 90 minutes), without pre-op. */
async function decidedToAdmit() {
  const { referral } = await referralAwaitingBooking(officer, clinician, { specialty: '101', priority: 'routine' });
  const [surgeon] = await admin.list('staff', { filter: { role: 'clinician' }, sort: ['name', 'ASC'], range: [0, 0] });
  const admission = await clinician.post(`/api/referrals/${referral.id}/decision-to-admit`, {
    procedure: 'Cystoscopy and biopsy', intendedManagement: 'day_case', surgicalPriority: 'P3', consultantId: surgeon.id,
    preOpRequired: false, note: 'Listed at clinic', estimatedMinutes: 90,
  });
  return { referral, admission, surgeonId: surgeon.id as string };
}

describe('the admitted pathway in the console', () => {
  it('an officer books a TCI into a theatre session and records an on-the-day cancellation, which the report counts', async () => {
    const { stack } = consoleStack;
    const today = stack.today();
    const { referral, admission, surgeonId } = await decidedToAdmit();
    expect(admission).toMatchObject({ referralId: referral.id, status: 'waiting', surgicalPriority: 'P3', estimatedMinutes: 90 });
    // Today's list: an on-the-day cancellation can only be recorded on the day (the dev server's clock cannot move), so
    // this TCI is offered at short notice, as a stand-by date often is.
    const sessionDate = today;
    const session = await leader.post('/api/theatre-sessions', {
      listName: 'Urology day surgery', specialtyCode: '101', surgeonId, date: sessionDate, session: 'am', minutesAvailable: 240,
    });
    expect(session).toMatchObject({ minutesBooked: 0, minutesFree: 240 });
    // A session with too little room is shown but cannot be chosen.
    const tight = await leader.post('/api/theatre-sessions', {
      listName: 'Urology short list', specialtyCode: '101', surgeonId, date: addDays(today, 29), session: 'pm', minutesAvailable: 60,
    });
    // Room when the officer opens the booking screen, full by the time they send (filled below).
    const taken = await leader.post('/api/theatre-sessions', {
      listName: 'Urology extra list', specialtyCode: '101', surgeonId, date: addDays(today, 30), session: 'am', minutesAvailable: 120,
    });

    const page = await signInAs('officer@demo.nhs.uk');
    // g then d: the admitted waiting list, by keyboard; the patient's row opens their admission.
    await page.evaluate(() => (document.activeElement as HTMLElement | null)?.blur());
    await page.keyboard.press('g');
    await page.keyboard.press('d');
    const row = page.locator(`[data-testid="admission-row"][data-id="${admission.id}"]`);
    await row.waitFor({ timeout: 15_000 });
    await inspectScreen(page, 'officer-admitted-waiting-list');
    // Export downloads the list as shown (those still on the list): this patient's row with the procedure.
    const [listCsv] = await Promise.all([page.waitForEvent('download', { timeout: 15_000 }), page.locator('[data-testid="admissions-export"]').click()]);
    const [listHeader, ...listRows] = parseCsv(await readFile((await listCsv.path())!, 'utf8'));
    expect(listHeader).toContain('Procedure');
    expect(listRows.filter((r) => r.includes(admission.id))).toHaveLength(1);
    expect(listRows.find((r) => r.includes(admission.id))).toContain('Cystoscopy and biopsy');
    await row.click();
    await page.locator('[data-testid="admission-page"]').waitFor({ timeout: 15_000 });

    // o: offer a TCI date. The sessions show their capacity; the short one says why it cannot be chosen.
    await page.evaluate(() => (document.activeElement as HTMLElement | null)?.blur());
    await page.keyboard.press('o');
    const sessionRow = page.locator(`[data-testid="tci-session-row"][data-id="${session.id}"]`);
    await sessionRow.waitFor({ timeout: 15_000 });
    expect(await sessionRow.locator('[data-testid="theatre-capacity"]').getAttribute('data-minutes-free')).toBe('240');
    const tightRow = page.locator(`[data-testid="tci-session-row"][data-id="${tight.id}"]`);
    expect(await tightRow.getAttribute('data-fits')).toBe('false');
    expect(await tightRow.locator('[data-testid="tci-session-choose"]').isDisabled()).toBe(true);
    await inspectScreen(page, 'officer-tci-booking');

    // A session filled by someone else while the officer chose it: the API's refusal shows against the session table.
    const takenRow = page.locator(`[data-testid="tci-session-row"][data-id="${taken.id}"]`);
    await takenRow.locator('[data-testid="tci-session-choose"]').check();
    await stack.db.db.execute(sql`update theatre_sessions set minutes_booked = minutes_available where id = ${taken.id}`);
    await page.fill('[data-testid="tci-ward"]', 'Day Surgery Unit');
    await page.selectOption('[data-testid="tci-channel"]', 'phone');
    await page.click('[data-testid="tci-booking-submit"]');
    await page.locator('[data-testid="tci-session-error"]').waitFor({ timeout: 15_000 });
    expect(await page.locator('[data-testid="tci-session-error"]').innerText()).toBe('Urology extra list (' + addDays(today, 30) + ') is full');
    expect(await page.locator('[data-testid="tci-booking-refusal"]').innerText()).toContain('Urology extra list');
    expect(await admin.list('tci-offers', { filter: { admissionId: admission.id } })).toEqual([]);

    await sessionRow.locator('[data-testid="tci-session-choose"]').check();
    expect(await page.locator('[data-testid="tci-admission-date"]').getAttribute('data-value')).toBe(sessionDate);
    await page.fill('[data-testid="tci-ward"]', 'Day Surgery Unit');
    await page.selectOption('[data-testid="tci-channel"]', 'phone');
    await page.locator('[data-testid="tci-notice"][data-reasonable="false"]').waitFor({ timeout: 5_000 });
    expect(await page.locator('[data-testid="tci-notice"]').innerText()).toContain('0 days’ notice (under 3 weeks), so the patient may decline it without effect');
    await page.click('[data-testid="tci-booking-submit"]');
    await page.getByText('TCI offered for').waitFor({ timeout: 15_000 });

    // Back on the admission: the offer, at short notice, waiting for the patient; they accept.
    const offerRow = page.locator('[data-testid="tci-offer-row"][data-status="offered"]');
    await offerRow.waitFor({ timeout: 15_000 });
    expect(await offerRow.locator('[data-reasonable="false"]').count()).toBe(1);
    await offerRow.locator('[data-testid="tci-accept-open"]').click();
    await page.click('[data-testid="tci-accept-submit"]');
    await page.locator('[data-testid="tci-offer-row"][data-status="accepted"]').waitFor({ timeout: 15_000 });
    await page.locator('[data-testid="admission-page"][data-status="tci_booked"]').waitFor({ timeout: 15_000 });

    // The session's free minutes went down by the operation's 90, on the API and on the Theatre sessions screen.
    expect(await admin.get(`/api/theatre-sessions/${session.id}`)).toMatchObject({ minutesBooked: 90, minutesFree: 150 });
    const [offer] = await admin.list('tci-offers', { filter: { admissionId: admission.id } });
    expect(offer).toMatchObject({ theatreSessionId: session.id, admissionDate: sessionDate, ward: 'Day Surgery Unit', channel: 'phone', reasonable: false, noticeDays: 0, status: 'accepted' });
    await page.keyboard.press('g');
    await page.keyboard.press('h');
    const listed = page.locator(`[data-testid="theatre-session-row"][data-id="${session.id}"] [data-testid="theatre-capacity"]`);
    await listed.waitFor({ timeout: 15_000 });
    expect(await listed.getAttribute('data-minutes-free')).toBe('150');
    expect(await listed.innerText()).toBe('1 h 30 min booked of 4 h, 2 h 30 min free');
    await inspectScreen(page, 'officer-theatre-sessions');

    // On the day the hospital cancels for a non-clinical reason.
    await page.goto(`${stack.url}/#/admissions/${encodeURIComponent(admission.id)}/show`);
    await page.locator('[data-testid="cancel-operation-open"]').click();
    const dialog = page.locator('[data-testid="cancel-operation"]');
    expect(await dialog.locator('[data-testid="cancel-operation-on-the-day"]').isChecked()).toBe(true);
    expect(await dialog.locator('[data-testid="cancel-operation-clinical"]').isChecked()).toBe(false);
    await dialog.locator('[data-testid="cancel-operation-reason"]').fill('No bed: the ward was full');
    await inspectScreen(page, 'officer-cancel-operation', { ready: dialog });
    await page.keyboard.press('Control+Enter');
    await page.getByText(/^Operation cancelled on the day: the patient must be rebooked within 28 days/).waitFor({ timeout: 15_000 });
    await page.locator('[data-testid="admission-page"][data-status="cancelled"]').waitFor({ timeout: 15_000 });

    // A rebook item, due within 28 days (read as the admin: the officer's one session is the browser's).
    const rebook = await admin.waitForOpenTask(referral.id, 'rebook_cancelled_operation');
    expect(Date.parse(rebook.dueAt)).toBeLessThanOrEqual(Date.parse(`${addDays(today, 29)}T00:00:00Z`));
    // The freed 90 minutes went back to the session.
    expect(await admin.get(`/api/theatre-sessions/${session.id}`)).toMatchObject({ minutesBooked: 0, minutesFree: 240 });

    // The report counts it (this database has no other) and lists it; Export downloads it.
    await page.keyboard.press('g');
    await page.keyboard.press('x');
    const summary = page.locator('[data-testid="cancelled-summary"]');
    await summary.locator('[data-testid="count-cancelled-operations"][data-count="1"]').waitFor({ timeout: 15_000 });
    expect(await summary.locator('[data-testid="count-not-rebooked-within-28"]').getAttribute('data-count')).toBe('0');
    const opRow = page.locator('[data-testid="cancelled-operation-row"]');
    await opRow.first().waitFor({ timeout: 15_000 });
    expect(await opRow.count()).toBe(1);
    expect(await opRow.first().innerText()).toContain('No bed: the ward was full');
    await inspectScreen(page, 'officer-cancelled-operations');
    const [download] = await Promise.all([page.waitForEvent('download', { timeout: 15_000 }), page.locator('[data-testid="cancelled-operations-export"]').click()]);
    const [header, ...rows] = parseCsv(await readFile((await download.path())!, 'utf8'));
    expect(header.length).toBeGreaterThan(3);
    expect(rows).toHaveLength(1);
    expect(rows[0].join(',')).toContain('No bed: the ward was full');
    expect(await admin.get(`/api/cancelled-operations/summary?from=${addDays(today, -1)}&to=${addDays(today, 1)}`))
      .toMatchObject({ cancelled: 1, rebookedWithin28Days: 0, notRebookedWithin28Days: 0 });
    await page.close();
  });
});
