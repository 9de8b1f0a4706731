// Messages in the access centre's words and dates the British way, walked in the built console on an
// en-US browser (the headless default): a wrong date of birth is refused under its field, a date typed
// 04/12/1980 means 4 December, recording leave says what happened, and a move refused because the person
// does not work the items' queues names them and offers to add them and move.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sql } from 'drizzle-orm';
import type { Browser, Locator, Page } from 'playwright-core';
import type { AccessDeskClient } from '../../bin/lib/api-client';
import { londonToday } from '../../bin/lib/system';
import { syntheticNhsNumber, seededRandom } from '../../bin/lib/demo';
import { queryRows } from '../../db/client';
import { newId } from '../../db/ids';
import { tasks } from '../../db/schema';
import { addDays, whoCompletes } from '../../domain';
import { startTestStack, demoPassword, type TestStack } from '../support/stack';
import { refusal } from '../support/api';
import { assertConsoleBuilt, inspectScreen, launchChromium, signInToConsole, typeDate, uiDist } from '../support/browser';

let stack: TestStack;
let browser: Browser;
let leader: AccessDeskClient;
let admin: AccessDeskClient;

beforeAll(async () => {
  assertConsoleBuilt();
  stack = await startTestStack({ database: 'postgres', temporal: 'dev', uiDist });
  browser = await launchChromium();
  leader = await stack.signIn('leader@demo.nhs.uk');
  admin = await stack.signIn('admin@demo.nhs.uk');
});
afterAll(async () => {
  await browser?.close();
  await stack?.stop();
});

const rows = <T = any>(query: ReturnType<typeof sql>) => queryRows<T>(stack.db.db, query);
const rand = seededRandom(Date.now() % 100000);
// The headless browser's locale is en-US: say so, so the dd/mm/yyyy checks mean something.
const signInAs = (email: string): Promise<Page> => signInToConsole(browser, stack.url, email, demoPassword, { locale: 'en-US' });

/** Types dd/mm/yyyy into a date picker, digit by digit, as a person would. */
async function typeDdMmYyyy(field: Locator, ddmmyyyy: string) {
  await typeDate(field, ddmmyyyy.split('/').reverse().join('-'));
}


/** Picks an option of a react-admin select by its label, as the keyboard and mouse both can. */
async function choose(page: Page, label: RegExp, option: string) {
  await page.getByRole('combobox', { name: label }).click();
  await page.getByRole('option', { name: option, exact: true }).click();
}

/** A work item held by `assigneeId` in `queueId`, as a pathway would have raised it. */
async function heldItem(queueId: string, assigneeId: string) {
  const id = newId('task');
  await stack.db.db.insert(tasks).values({
    id, taskKey: `messages:${id}`, type: 'book_new_appointment', title: 'Book new appointment', priority: 'routine', priorityRank: 3,
    dueAt: new Date(Date.now() + 86_400_000), queueId, workflowId: `test-messages-${id}`, breachDate: addDays(londonToday(), 90),
    assigneeId, status: 'claimed',
  });
  return id;
}

describe('messages and dates', () => {
  it('a wrong date of birth on Register referral shows under the field, and 04/12/1980 means 4 December', async () => {
    const page = await signInAs('officer@demo.nhs.uk');
    await page.goto(`${stack.url}/#/referrals/create`);
    const form = page.locator('form');
    await form.locator('input[name="patient.nhsNumber"]').waitFor({ timeout: 15_000 });
    await inspectScreen(page, 'officer-register-referral', { ready: page.locator('[data-testid="date-patient.dateOfBirth"]') });

    await form.locator('input[name="patient.nhsNumber"]').fill(syntheticNhsNumber(rand));
    const dob = page.locator('[data-testid="date-patient.dateOfBirth"]');
    await typeDdMmYyyy(dob, '01/01/1850');
    expect(await dob.getAttribute('data-value')).toBe('1850-01-01');
    await form.locator('input[name="patient.givenName"]').fill('Ann');
    await form.locator('input[name="patient.familyName"]').fill('Patient');
    await choose(page, /^Source/, 'GP letter');
    await choose(page, /^Specialty/, 'Dermatology');
    await choose(page, /^Priority/, 'Two-week wait (suspected cancer)');
    await form.locator('textarea[name="reason"]').fill('Changing pigmented lesion on the back');
    await page.locator('[data-testid="register-referral"]').click();

    // The API refuses the year; the words sit under the field, the notice points at it.
    await dob.getByText('must be in 1900 or later').waitFor({ timeout: 15_000 });
    await page.getByText('Check the highlighted fields').waitFor({ timeout: 5_000 });
    expect(await page.getByText('patient.dateOfBirth').count()).toBe(0);
    await inspectScreen(page, 'officer-register-referral-refused');

    // Typed the British way on an en-US browser: 04/12/1980 is 4 December.
    await typeDdMmYyyy(dob, '04/12/1980');
    expect(await dob.getAttribute('data-value')).toBe('1980-12-04');
    await page.locator('[data-testid="register-referral"]').click();
    await page.getByText('Referral registered for Ann Patient, 2WW dermatology').waitFor({ timeout: 15_000 });
    await page.waitForURL(/#\/referrals\/ref_[^/]+\/show/);
    const [saved] = await rows(sql`select p.date_of_birth::text as dob from referrals r join patients p on p.id = r.patient_id
      where r.id = ${page.url().match(/referrals\/([^/]+)\/show/)![1]}`);
    expect(saved.dob).toBe('1980-12-04');
    const patientPanel = page.locator('[data-testid="patient-panel"]');
    await patientPanel.waitFor({ timeout: 15_000 });
    expect(await patientPanel.innerText()).toContain('4 Dec 1980');
    await inspectScreen(page, 'officer-referral-registered');
    await page.close();
  });

  it('recording leave says whose, when, and where their work goes', async () => {
    await Promise.all([heldItem('queue_101', 'staff_officer'), heldItem('queue_101', 'staff_officer')]);
    const held = await admin.list('tasks', { filter: { assigneeId: 'staff_officer', status: ['open', 'claimed'] }, range: [0, 499] });
    const from = addDays(londonToday(), 5);
    const to = addDays(londonToday(), 8);

    const page = await signInAs('leader@demo.nhs.uk');
    await page.goto(`${stack.url}/#/absences/create`);
    await inspectScreen(page, 'leader-record-leave', { ready: page.locator('[data-testid="date-from"]') });
    await choose(page, /^Who is away/, 'Olivia Officer');
    await typeDate(page.locator('[data-testid="date-from"]'), from);
    await typeDate(page.locator('[data-testid="date-to"]'), to);
    expect(await page.locator('[data-testid="date-from"]').getAttribute('data-value')).toBe(from);
    await choose(page, /^Covered by/, 'Omar Officer');
    await page.locator('input[name="reason"]').fill('Annual leave');
    await page.locator('[data-testid="absence-preview-button"]').click();
    await page.locator(`[data-testid="absence-preview"][data-count="${held.length}"]`).waitFor({ timeout: 15_000 });
    await page.locator('[data-testid="absence-confirm"]').click();

    const range = (() => {
      const f = new Date(`${from}T12:00:00Z`);
      const t = new Date(`${to}T12:00:00Z`);
      const month = (d: Date) => d.toLocaleString('en-GB', { month: 'short', timeZone: 'UTC' });
      if (f.getUTCFullYear() !== t.getUTCFullYear()) return `${f.getUTCDate()} ${month(f)} ${f.getUTCFullYear()} to ${t.getUTCDate()} ${month(t)} ${t.getUTCFullYear()}`;
      return f.getUTCMonth() === t.getUTCMonth() ? `${f.getUTCDate()} to ${t.getUTCDate()} ${month(t)}` : `${f.getUTCDate()} ${month(f)} to ${t.getUTCDate()} ${month(t)}`;
    })();
    const sentence = `Leave recorded for Olivia Officer, ${range}; ${held.length} work items will move to Omar Officer on`;
    await page.getByText(sentence).waitFor({ timeout: 15_000 });
    expect(await page.getByText('Element created').count()).toBe(0);
    await inspectScreen(page, 'leader-leave-recorded');
    await page.close();
  });

  it('the API names the queues a person does not work, and their ids for a way forward', async () => {
    const ids = await Promise.all(['queue_ers_asi', 'queue_rebooking', 'queue_validation'].map((q) => heldItem(q, 'staff_officer')));
    const move = await refusal(leader.post('/api/tasks/bulk-assign', { ids, assigneeId: 'staff_officer2' }));
    expect([move.status, move.body.code]).toEqual([422, 'ASSIGNEE_NOT_IN_QUEUE']);
    expect(move.body.message).toBe('Omar Officer does not work Cancellations and rebooking, e-RS appointment slot issues or Waiting-list validation');
    expect(move.body.errors.assigneeId).toBe('does not work Cancellations and rebooking, e-RS appointment slot issues or Waiting-list validation');
    expect((move.body as any).queues.map((q: any) => q.id)).toEqual(['queue_rebooking', 'queue_ers_asi', 'queue_validation']);
    await rows(sql`update tasks set status = 'cancelled' where id in (${sql.join(ids.map((id) => sql`${id}`), sql`, `)})`);
  });

  it('an officer is told in words which roles may complete a DNA review', async () => {
    const officer = await stack.signIn('officer@demo.nhs.uk');
    const id = newId('task');
    await stack.db.db.insert(tasks).values({
      id, taskKey: `messages:${id}`, type: 'dna_review', title: 'DNA review', priority: 'routine', priorityRank: 3,
      dueAt: new Date(Date.now() + 86_400_000), queueId: 'queue_101', workflowId: `test-messages-${id}`, breachDate: addDays(londonToday(), 90),
      assigneeId: 'staff_officer', status: 'claimed',
    });
    const err = await refusal(officer.post(`/api/tasks/${id}/complete`, { decision: 'discharge' }));
    expect([err.status, err.body.code, err.body.message]).toEqual([403, 'FORBIDDEN', whoCompletes('dna_review')]);
    await rows(sql`update tasks set status = 'cancelled' where id = ${id}`);
  });

  it('a move refused because Omar Officer does not work three queues offers to add him to them, and then moves', async () => {
    const ids = await Promise.all(['queue_ers_asi', 'queue_rebooking', 'queue_validation'].map((q) => heldItem(q, 'staff_officer')));
    const page = await signInAs('leader@demo.nhs.uk');
    await page.click('[data-testid="menu-team"]');
    const panel = page.locator('[data-testid="bulk-move"]');
    await panel.waitFor({ timeout: 15_000 });
    // Straight after the click the leader's home (its own team dashboard and move panel) can still be on screen while the
    // Team page renders: whichever panel is chosen in, the choices and the refusal stay (team/move-choices.ts).
    const refused = panel.locator('[data-testid="bulk-refusal"]');
    await panel.locator('[data-testid="bulk-from"]').selectOption('staff_officer');
    await panel.locator('[data-testid="bulk-to"]').selectOption('person:staff_officer2');
    await panel.locator('[data-testid="bulk-count"][data-count]').waitFor({ timeout: 10_000 });
    const count = Number(await panel.locator('[data-testid="bulk-count"]').getAttribute('data-count'));
    // From the keyboard: the locator's own press finds the button at the moment of the key (the live count re-renders it).
    await panel.locator('[data-testid="bulk-move-submit"]:not([disabled])').press('Enter', { timeout: 10_000 });
    await refused.waitFor({ timeout: 15_000 });
    expect(await refused.innerText()).toContain('Omar Officer does not work Cancellations and rebooking, e-RS appointment slot issues or Waiting-list validation');
    const wayForward = refused.locator('[data-testid="add-to-queues-and-move"]');
    expect(await wayForward.innerText()).toMatch(/Add Omar Officer to these queues and move/i);
    await inspectScreen(page, 'leader-move-refused-not-in-queue', { ready: wayForward });

    // From the keyboard, as a leader in a hurry would.
    await wayForward.focus();
    await page.keyboard.press('Enter');
    await page.getByText(`Moved ${count} work items to Omar Officer`).waitFor({ timeout: 15_000 });
    for (const id of ids) expect((await admin.get(`/api/tasks/${id}`)).assigneeId).toBe('staff_officer2');
    const member = await rows<{ queue_id: string }>(sql`select queue_id from queue_members where staff_id = 'staff_officer2'
      and queue_id in ('queue_ers_asi', 'queue_rebooking', 'queue_validation') order by queue_id`);
    expect(member.map((m) => m.queue_id)).toEqual(['queue_ers_asi', 'queue_rebooking', 'queue_validation']);
    await inspectScreen(page, 'leader-moved-after-adding-to-queues');
    await page.close();
  });
});
