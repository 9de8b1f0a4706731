// The built console in headless Chromium against the real stack: a team leader opens the Team
// dashboard and moves one officer's work to another, and the API and the audit log agree.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, Page } from 'playwright-core';
import type { AccessDeskClient } from '../../bin/lib/api-client';
import { startTestStack, demoPassword, type TestStack } from '../support/stack';
import { referralBody } from '../support/fixtures';
import { assertConsoleBuilt, launchChromium, uiDist, signInToConsole } from '../support/browser';

let stack: TestStack;
let browser: Browser;
let officer: AccessDeskClient;
let leader: AccessDeskClient;
// Reads while the leader is signed in in the browser: one session per person, so not as the leader.
let admin: AccessDeskClient;

beforeAll(async () => {
  assertConsoleBuilt();
  stack = await startTestStack({ database: 'postgres', temporal: 'dev', uiDist });
  browser = await launchChromium();
  officer = await stack.signIn('officer@demo.nhs.uk');
  leader = await stack.signIn('leader@demo.nhs.uk');
  admin = await stack.signIn('admin@demo.nhs.uk');
});
afterAll(async () => {
  await browser?.close();
  await stack?.stop();
});

const signInAs = (email: string): Promise<Page> => signInToConsole(browser, stack.url, email, demoPassword);

/** Three referrals whose triage items the leader has given to Olivia Officer. */
async function oliviasTriageItems(): Promise<string[]> {
  const ids: string[] = [];
  for (let i = 0; i < 3; i++) {
    const referral = await officer.post('/api/referrals', referralBody({ specialty: '101' }));
    const triage = await officer.waitForOpenTask(referral.id, 'triage_referral');
    const assigned = await leader.post(`/api/tasks/${triage.id}/assign`, { assigneeId: 'staff_officer' });
    expect(assigned.assigneeId).toBe('staff_officer');
    ids.push(triage.id);
  }
  return ids;
}

const auditOf = (entityId: string) =>
  admin.get<any[]>(`/api/audit?${new URLSearchParams({ filter: JSON.stringify({ entityId }), sort: JSON.stringify(['id', 'DESC']) })}`);

describe('the team leader console', () => {
  it('a team leader moves all of Olivia Officer’s work to Omar Officer from the Team dashboard', async () => {
    const ids = await oliviasTriageItems();
    const hers = await leader.list('tasks', { filter: { assigneeId: 'staff_officer', status: ['open', 'claimed'] }, range: [0, 99] });
    expect(hers.map((t: any) => t.id)).toEqual(expect.arrayContaining(ids));

    const page = await signInAs('leader@demo.nhs.uk');
    await page.click('[data-testid="menu-team"]');
    await page.locator('[data-testid="team-dashboard"]').waitFor({ timeout: 15_000 });
    const olivia = page.locator('[data-testid="team-officer-row"][data-id="staff_officer"]');
    await olivia.waitFor({ timeout: 15_000 });
    expect(await olivia.innerText()).toContain('Olivia Officer');

    const panel = page.locator('[data-testid="bulk-move"]');
    await panel.locator('[data-testid="bulk-from"]').selectOption('staff_officer');
    await panel.locator('[data-testid="bulk-to"]').selectOption('person:staff_officer2');
    // The panel says how much will move before anything does.
    await panel.locator(`[data-testid="bulk-count"][data-count="${hers.length}"]`).waitFor({ timeout: 10_000 });
    await panel.locator('[data-testid="bulk-move-submit"]').click();
    await page.getByText(`Moved ${hers.length} work items`).waitFor({ timeout: 15_000 });

    for (const id of ids) {
      const task = await admin.get(`/api/tasks/${id}`);
      expect(task.assigneeId).toBe('staff_officer2');
      const entries = await auditOf(id);
      const move = entries.find((e) => e.action === 'task.assigned' && e.after?.assigneeId === 'staff_officer2');
      expect(move, `audit entry for the move of ${id}`).toBeDefined();
      expect(move.actorId).toBe('staff_leader');
      expect(move.before).toMatchObject({ assigneeId: 'staff_officer' });
    }
    const left = await admin.list('tasks', { filter: { assigneeId: 'staff_officer', status: ['open', 'claimed'] } });
    expect(left).toHaveLength(0);

    // The dashboard catches up, and Omar's row opens the work item list filtered to him.
    const omar = page.locator('[data-testid="team-officer-row"][data-id="staff_officer2"]');
    await omar.click();
    await page.waitForURL(/\/tasks\?/);
    for (const id of ids) {
      await page.locator(`[data-testid="work-item-row"][data-id="${id}"]`).waitFor({ timeout: 15_000 });
    }
    await page.close();
  });

  it('a team leader ticks an item on the work item list and moves it back to its queue', async () => {
    const referral = await officer.post('/api/referrals', referralBody({ specialty: '101' }));
    const triage = await officer.waitForOpenTask(referral.id, 'triage_referral');
    await leader.post(`/api/tasks/${triage.id}/assign`, { assigneeId: 'staff_officer2' });

    const page = await signInAs('leader@demo.nhs.uk');
    await page.click('[data-testid="menu-tasks"]');
    const row = page.locator(`[data-testid="work-item-row"][data-id="${triage.id}"]`);
    await row.waitFor({ timeout: 15_000 });
    await row.locator('input[type="checkbox"]').check();
    await page.click('[data-testid="bulk-assign"]');
    await page.locator('[data-testid="bulk-assign-to"]').selectOption(`queue:${triage.queueId}`);
    await page.click('[data-testid="bulk-assign-submit"]');
    await page.getByText('Moved 1 work item').waitFor({ timeout: 15_000 });

    const moved = await admin.get(`/api/tasks/${triage.id}`);
    expect(moved).toMatchObject({ assigneeId: null, status: 'open', queueId: triage.queueId });
    await page.close();
  });
});
