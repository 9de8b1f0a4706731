// An officer's day in the console (issue 11): My work lists what they may finish, in the order claim next
// hands it out; work their role cannot finish shows read-only, saying who can; on leave the console says so;
// a snoozed item waits on the Snoozed tab.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, Page } from 'playwright-core';
import { newId } from '../../db/ids';
import { absences, queueMembers, queues, tasks } from '../../db/schema';
import { clinicalRank, taskTitles, type ReferralPriority, type TaskType } from '../../domain';
import { startTestStack, demoPassword, type TestStack } from '../support/stack';
import { assertConsoleBuilt, inspectScreen, launchChromium, signInToConsole, timeScreen, uiDist } from '../support/browser';

let stack: TestStack;
let browser: Browser;

beforeAll(async () => {
  assertConsoleBuilt();
  stack = await startTestStack({ database: 'postgres', temporal: 'dev', uiDist });
  browser = await launchChromium();
});
afterAll(async () => {
  await browser?.close();
  await stack?.stop();
});

const signInAs = (email: string): Promise<Page> => signInToConsole(browser, stack.url, email, demoPassword);
const row = (page: Page, id: string) => page.locator(`[data-testid="work-item-row"][data-id="${id}"]`);
const rowIds = (page: Page) => page.locator('[data-testid="work-item-row"]').evaluateAll((rows) => rows.map((r) => r.getAttribute('data-id')));

type Item = { type: TaskType; priority: ReferralPriority; breachDate: string; dueInDays?: number };

/** A queue of its own (validation kind, under a specialty), worked by `members`, holding these items unassigned. */
async function queueWithItems(name: string, specialtyCode: string, members: string[], items: Item[]): Promise<string[]> {
  const queueId = `queue_${name}`;
  await stack.db.db.insert(queues).values({ id: queueId, name: `Test queue ${name}`, kind: 'validation', specialtyCode });
  await stack.db.db.insert(queueMembers).values(members.map((staffId) => ({ queueId, staffId })));
  const ids = items.map(() => newId('task'));
  await stack.db.db.insert(tasks).values(items.map((item, i) => ({
    id: ids[i], taskKey: `${name}:${i}`, type: item.type, title: taskTitles[item.type], priority: item.priority,
    priorityRank: clinicalRank(item.priority), dueAt: new Date(Date.now() + (item.dueInDays ?? 1) * 86_400_000), queueId,
    workflowId: `test-${name}`, breachDate: item.breachDate, createdAt: new Date(Date.now() - (items.length - i) * 1000),
  })));
  return ids;
}

describe('an officer works their queues', () => {
  it('My work lists only what the officer may finish, and c opens the top unassigned row; the rest is read-only', async () => {
    // Each item the officer may not finish is ahead of the booking in the work order, so letting one through shows.
    const [booking, dna, attendance, capacity] = await queueWithItems('mywork', '100', ['staff_officer'], [
      { type: 'book_new_appointment', priority: 'two_week_wait', breachDate: '2026-12-20', dueInDays: -1 },
      { type: 'dna_review', priority: 'two_week_wait', breachDate: '2026-12-01' },
      { type: 'record_attendance', priority: 'two_week_wait', breachDate: '2026-12-02', dueInDays: 3 },
      { type: 'capacity_escalation', priority: 'two_week_wait', breachDate: '2026-12-03' },
    ]);
    const page = await signInAs('officer@demo.nhs.uk');
    await timeScreen(page, 'officer-my-work', stack.url, row(page, booking));
    await inspectScreen(page, 'officer-my-work', { ready: row(page, booking) });
    const listed = await rowIds(page);
    expect(listed[0]).toBe(booking);
    for (const id of [dna, attendance, capacity]) expect(listed).not.toContain(id);

    await page.keyboard.press('c');
    await page.waitForURL(new RegExp(`/tasks/${booking}/show`));
    await inspectScreen(page, 'officer-task-claimed', { ready: page.locator('[data-testid="task-action"]') });
    await expect.poll(async () => (await stack.db.db.select().from(tasks)).find((t) => t.id === booking)?.assigneeId).toBe('staff_officer');

    // Opened by its address (a link, a colleague's message): no form, and who can finish it.
    await page.goto(`${stack.url}/#/tasks/${capacity}/show`);
    const who = page.locator('[data-testid="who-completes"]');
    await inspectScreen(page, 'officer-task-capacity-read-only', { ready: who });
    expect(await who.innerText()).toBe('Only operations managers can complete a capacity escalation.');
    expect(await page.locator('[data-testid="complete-task"]').count()).toBe(0);
    expect(await page.locator('[data-testid="claim-task"]').count()).toBe(0);
    expect(await page.locator('[data-testid="snooze-task"]').count()).toBe(0);
    await page.goto(`${stack.url}/#/tasks/${dna}/show`);
    await inspectScreen(page, 'officer-task-dna-read-only', { ready: who });
    expect(await who.innerText()).toBe('Only clinicians and team leaders can complete a DNA review.');
    await page.close();
  });

  it('a snoozed unclaimed item leaves My items for the Snoozed tab', async () => {
    const [first, second] = await queueWithItems('snoozing', '110', ['staff_officer'], [
      { type: 'book_new_appointment', priority: 'two_week_wait', breachDate: '2026-12-05' },
      { type: 'book_new_appointment', priority: 'two_week_wait', breachDate: '2026-12-06' },
    ]);
    const page = await signInAs('officer@demo.nhs.uk');
    await row(page, first).click();
    await page.waitForURL(new RegExp(`/tasks/${first}/show`));
    await page.locator('[data-testid="snooze-task"]').click();
    await page.locator('[data-testid="snooze-reason"]').fill('Waiting for the GP to confirm the address');
    await inspectScreen(page, 'officer-snooze-dialog', { ready: page.locator('[data-testid="snooze-submit"]') });
    await page.locator('[data-testid="snooze-submit"]').click();
    await page.locator('[data-testid="snoozed-until"]').waitFor();
    await page.getByRole('dialog').waitFor({ state: 'detached' });

    await page.locator('[data-testid="back-to-my-work"]').click();
    await row(page, second).waitFor();
    await inspectScreen(page, 'officer-my-items-after-snooze', { ready: row(page, second) });
    expect(await row(page, first).count()).toBe(0);
    await page.locator('[data-testid="my-work-tab-snoozed"]').click();
    await inspectScreen(page, 'officer-snoozed-tab', { ready: row(page, first) });
    expect(await rowIds(page)).toContain(first);
    await page.close();
  });
});

describe('nothing waiting', () => {
  it('c names the queues claim next looked in', async () => {
    // The clinician works the nine specialty queues, none holding anything for them.
    const page = await signInAs('clinician@demo.nhs.uk');
    await page.keyboard.press('c');
    const notice = page.getByRole('alert').filter({ hasText: 'Nothing waiting' });
    // Read before the check: the notice hides itself after a few seconds.
    expect(await notice.innerText()).toBe('Nothing waiting that you can complete in Cardiology (320), Dermatology (330), ENT (120) and 6 more queues');
    await inspectScreen(page, 'clinician-claim-next-nothing-waiting');
    await page.close();
  });
});

describe('an officer on leave', () => {
  it('sees a banner saying so and where their items went, and c says the same, not "Nothing waiting"', async () => {
    await queueWithItems('away', '120', ['staff_officer2'], [{ type: 'book_new_appointment', priority: 'urgent', breachDate: '2027-01-10' }]);
    await stack.db.db.insert(absences).values({
      id: 'abs_e2e_leave', staffId: 'staff_officer2', from: '2026-11-20', to: '2026-12-04', handover: 'cover', coverStaffId: 'staff_officer',
      reason: 'Annual leave', status: 'active', workflowId: 'absence-abs_e2e_leave',
    });
    const said = 'You are on annual leave until Fri 4 Dec 2026; your items are with Olivia Officer.';
    const page = await signInAs('officer2@demo.nhs.uk');
    const banner = page.locator('[data-testid="leave-banner"]');
    await inspectScreen(page, 'officer-on-leave-my-work', { ready: banner });
    expect(await banner.innerText()).toContain(said);

    await page.keyboard.press('c');
    const notice = page.getByRole('alert').filter({ hasText: 'Claim next hands out no work while you are away' });
    expect(await notice.innerText()).toContain(said);
    await inspectScreen(page, 'officer-on-leave-claim-next');
    expect(await page.getByText('Nothing waiting in your queues').count()).toBe(0);
    expect(page.url()).not.toContain('/tasks/');
    await page.close();
  });
});
