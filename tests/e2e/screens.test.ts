// Every screen of the console, as each role sees it: every menu entry, a show page of each resource and
// the dialogs, checked with axe-core (WCAG 2.2 AA: no serious or critical violations) and photographed to
// tests/.tmp/screens; each list page timed to 25 rows (tests/.tmp/screen-timings.jsonl). Then the keyboard:
// Tab through My work and a dialog with the focus visible at every stop, reaching the primary action.
import { appendFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, Locator, Page } from 'playwright-core';
import type { AccessDeskClient } from '../../bin/lib/api-client';
import { loadDemoData } from '../../bin/lib/demo';
import { addDays } from '../../domain';
import { startTestStack, demoPassword, type TestStack } from '../support/stack';
import { assertConsoleBuilt, inspectScreen, launchChromium, signInToConsole, timeScreen, uiDist } from '../support/browser';

let stack: TestStack;
let browser: Browser;
let leader: AccessDeskClient;
let admin: AccessDeskClient;

// Enough for every big list to fill a page of 25, and small enough to load in a minute or two. The walks through the API
// cost most (the rest come over by the import, a tenth of a walk each): the default seed's first 56 plans hold every
// stage, the three changes to a booking and the three answers to an offer, as its first 80 do.
const demoReferrals = 160;
const demoWalked = 56;

beforeAll(async () => {
  assertConsoleBuilt();
  stack = await startTestStack({ database: 'postgres', temporal: 'dev', uiDist });
  browser = await launchChromium();
  await loadDemoData({ baseUrl: stack.url, password: demoPassword, today: stack.today(), db: stack.db.db, count: demoReferrals, walked: demoWalked, concurrency: 8 });
  leader = await stack.signIn('leader@demo.nhs.uk');
  admin = await stack.signIn('admin@demo.nhs.uk');
  // Leave to show on Leave and cover, and its own page: Omar Officer away next week, his work back to the queues.
  const from = addDays(stack.today(), 7);
  await leader.post('/api/absences', { staffId: 'staff_officer2', from, to: addDays(from, 4), reason: 'Annual leave' });
}, 600_000);
afterAll(async () => {
  await browser?.close();
  await stack?.stop();
});

// Next week's calendar: it has the templates' sessions whatever today is (on a Sunday this week's are past, and only
// the demo's "today's clinic" slots, at whichever clinics its walks chose, are in it).
const nextWeek = () => addDays(stack.today(), 7);
const signInAs = (email: string): Promise<Page> => signInToConsole(browser, stack.url, email, demoPassword);
const at = (path: string) => `${stack.url}/#${path}`;

/** A list opened from the menu: no page load, so no first paint; beside timeScreen's lines. */
function recordTiming(screen: string, readyMs: number, requests: string[]) {
  appendFileSync(path.resolve('tests/.tmp/screen-timings.jsonl'), `${JSON.stringify({ screen, firstPaintMs: null, readyMs, requests, at: new Date().toISOString() })}\n`);
  console.log(`screen timing: ${screen}: ready ${readyMs} ms (${requests.join('; ')})`);
}

/** Collects every screen's violations, so one run lists all of them rather than the first. */
class Walk {
  readonly problems: string[] = [];
  constructor(readonly page: Page, readonly role: string) {}

  async check(screen: string, ready: Locator) {
    try {
      await inspectScreen(this.page, `${this.role}-${screen}`, { ready });
    } catch (err) {
      this.problems.push(err instanceof Error ? err.message : String(err));
    }
  }

  /**
   * Opens a page and checks it: afresh (a bookmark, a new tab) in the full walk; in the short form by the console's
   * own router, as a link would (reloading the console for each of some ninety screens was most of the walk's time).
   */
  async visit(screen: string, path: string, ready: string) {
    if (!fullWalk && this.page.url().startsWith(stack.url)) {
      // What shows now is marked, so the check waits for the new page's own (two lists share `main tbody tr`).
      const moved = await this.page.evaluate(({ hash, selector }) => {
        if (window.location.hash === `#${hash}`) return false;
        document.querySelectorAll(selector).forEach((e) => e.setAttribute('data-walk-seen', ''));
        window.location.hash = hash;
        return true;
      }, { hash: path, selector: ready });
      const fresh = moved ? this.page.locator(ready.split(',').map((s) => `${s.trim()}:not([data-walk-seen])`).join(', ')) : this.page.locator(ready);
      // Should the router keep an element across the move, the page is opened afresh instead.
      if (await fresh.first().waitFor({ timeout: 10_000 }).then(() => true, () => false)) return this.check(screen, fresh);
    }
    await this.page.goto('about:blank');
    await this.page.goto(at(path));
    await this.check(screen, this.page.locator(ready));
  }

  /**
   * A list page, timed to `rows` rows twice: opened afresh (a bookmark: the console loads, then the list)
   * and from the menu once the console is open (the list's own fetch and render). Then checked.
   */
  async list(screen: string, path: string, rows = 25, rowSelector = 'main tbody tr') {
    // The short form opens each list once; the timings (afresh and from the menu) are the full walk's.
    if (!fullWalk) return this.visit(screen, path, `${rowSelector}:nth-child(${rows})`);
    await this.page.goto('about:blank');
    const ready = this.page.locator(`${rowSelector}:nth-child(${rows})`);
    try {
      await timeScreen(this.page, `${this.role}-${screen}`, at(path), ready);
      await this.page.goto(at('/'));
      await this.page.locator('[data-testid="my-work"]').waitFor({ timeout: 15_000 });
      await this.page.evaluate(() => performance.clearResourceTimings());
      const started = Date.now();
      await this.page.click(`[data-testid="menu-${screen}"]`);
      await ready.first().waitFor({ timeout: 15_000 });
      const readyMs = Date.now() - started;
      // Which API calls the list made, when each started and how long it took: a waterfall or one slow call.
      const requests = await this.page.evaluate(() => performance.getEntriesByType('resource')
        .filter((e) => e.name.includes('/api/'))
        .map((e) => `${new URL(e.name).pathname} +${Math.round(e.startTime - performance.getEntriesByType('resource')[0].startTime)}ms ${Math.round(e.duration)}ms`));
      recordTiming(`${this.role}-${screen}-from-menu`, readyMs, requests);
    } catch (err) {
      this.problems.push(`${this.role}-${screen}: ${rows} rows did not show: ${err instanceof Error ? err.message.split('\n')[0] : err}`);
    }
    await this.check(screen, ready);
  }

  /** Opens a dialog with `opener`, checks it, and closes it with Escape. */
  async dialog(screen: string, opener: Locator) {
    try {
      await opener.first().click({ timeout: 15_000 });
    } catch (err) {
      this.problems.push(`${this.role}-${screen}: could not open: ${err instanceof Error ? err.message.split('\n')[0] : err}`);
      return;
    }
    await this.check(screen, this.page.locator('[role="dialog"]'));
    await this.page.keyboard.press('Escape');
    await this.page.locator('[role="dialog"]').waitFor({ state: 'detached', timeout: 10_000 }).catch(() => undefined);
  }

  /** Every menu entry this role has, by the menu's own links. */
  async menuPaths(): Promise<Array<{ id: string; path: string }>> {
    await this.page.goto(at('/'));
    await this.page.locator('[data-testid="menu-my-work"]').waitFor({ timeout: 15_000 });
    return this.page.locator('[data-testid^="menu-"]').evaluateAll((links) =>
      links.map((a) => ({ id: a.getAttribute('data-testid')!.slice('menu-'.length), path: (a.getAttribute('href') ?? '#/').replace(/^#/, '') || '/' })));
  }

  done() {
    expect(this.problems, this.problems.join('\n\n')).toEqual([]);
  }
}

// What each menu entry shows when it is ready, and whether it is a list of 25 to time.
const menuScreens: Record<string, { ready: string; rows?: number; rowSelector?: string }> = {
  'my-work': { ready: '[data-testid="work-item-row"]', rows: 25, rowSelector: '[data-testid="work-item-row"]' },
  enquiry: { ready: '[data-testid="enquiry-q"]' },
  escalations: { ready: '[data-testid="escalations-table"], [data-testid="escalations-empty"]' },
  team: { ready: '[data-testid="team-officer-row"]' },
  tasks: { ready: '[data-testid="work-item-row"]', rows: 25, rowSelector: '[data-testid="work-item-row"]' },
  ptl: { ready: '[data-testid="ptl-row"]', rows: 25, rowSelector: '[data-testid="ptl-row"]' },
  'cancer-ptl': { ready: 'main tbody tr', rows: 1 },
  returns: { ready: '[data-testid="returns-page"]' },
  referrals: { ready: 'main tbody tr', rows: 25 },
  clinics: { ready: 'main tbody tr', rows: 1 },
  'session-changes': { ready: '[data-testid="session-change-list"], .RaEmpty-message' },
  appointments: { ready: 'main tbody tr', rows: 25 },
  patients: { ready: 'main tbody tr', rows: 25 },
  outbox: { ready: 'main tbody tr', rows: 25 },
  absences: { ready: 'main tbody tr', rows: 1 },
  queues: { ready: 'main tbody tr', rows: 1 },
  audit: { ready: 'main tbody tr', rows: 25 },
  imports: { ready: '[data-testid="import-start"]' },
  // Issue 14's back office: ops and admins, and admins.
  'pas-messages': { ready: '[data-testid="pas-message-list"]' },
  'system-clients': { ready: '[data-testid="system-client-new"]' },
  // Issue 15: the admitted pathway's lists (empty in the demo trust unless a test adds rows).
  admissions: { ready: '[data-testid="admissions-table"]' },
  'theatre-sessions': { ready: '[data-testid="theatre-sessions-table"]' },
  'stand-by': { ready: '[data-testid="stand-by-table"]' },
  'cancelled-operations': { ready: '[data-testid="cancelled-summary"]' },
  // Issue 16: follow-ups.
  'partial-booking': { ready: '[data-testid="partial-booking-views"]' },
  'follow-up-backlog': { ready: '[data-testid="follow-up-backlog-views"]' },
  'cash-up': { ready: '[data-testid="cash-up-table"], .RaEmpty-message, .RaList-noResults' },
  'ward-forms': { ready: '[data-testid="ward-form-table"], [data-testid="ward-form-new"], .RaEmpty-message' },
  // Issue 17: the breach forecast (team leaders, operations, admins).
  outlook: { ready: '[data-testid="outlook-what-if"]' },
};

async function walkMenu(walk: Walk) {
  for (const { id, path } of await walk.menuPaths()) {
    const screen = menuScreens[id];
    if (!screen) {
      walk.problems.push(`${walk.role}: the menu has "${id}", which this walk does not know`);
      continue;
    }
    if (screen.rows) await walk.list(id, path, screen.rows, screen.rowSelector);
    else await walk.visit(id, path, screen.ready);
  }
}

const firstId = async (resource: string, filter: Record<string, unknown> = {}, sort: [string, string] = ['id', 'ASC']) => {
  const [record] = await admin.list(resource, { filter, sort, range: [0, 0] });
  return record?.id as string | undefined;
};

// The short form (CI) walks the officer's and the admin's menus, which hold every screen the others' do, and the
// team leader's own pages; `npm run test:screens` (SCREENS_SCALE=full) walks all five roles' menus, each screen
// opened afresh and photographed.
const fullWalk = process.env.SCREENS_SCALE === 'full';

describe('every screen of the console, for every role', () => {
  it('an officer: every menu entry, a referral, a clinic, a work item and its dialogs, registering a referral', async () => {
    const page = await signInAs('officer@demo.nhs.uk');
    const walk = new Walk(page, 'officer');
    await walkMenu(walk);
    await walk.visit('my-work-snoozed', '/', '[data-testid="my-work"]');
    await page.click('[data-testid="my-work-tab-snoozed"]');
    await walk.check('my-work-snoozed', page.locator('[data-testid="snoozed-table"], [data-testid="snoozed-empty"]'));
    await page.click('[data-testid="my-work-tab-done"]');
    await walk.check('my-work-done', page.locator('[data-testid="recently-done-table"], [data-testid="recently-done-empty"]'));
    await page.click('[data-testid="my-work-tab-mine"]');

    const referralId = await firstId('referrals');
    await walk.visit('referral-show', `/referrals/${referralId}/show`, '[data-testid="clock-timeline"]');
    await walk.visit('referral-create', '/referrals/create', '[data-testid="register-referral"]');
    await walk.visit('clinic-show', '/clinics/clin_2/show', '[data-testid="clinic-template"]');
    await walk.visit('clinic-calendar', `/clinics/clin_2/calendar?week=${nextWeek()}`, '[data-testid="calendar-session"]');

    // A booking item in a queue of hers: its page, the completion form, snooze.
    const booking = await firstId('tasks', { type: 'book_new_appointment', status: 'open' });
    await walk.visit('task-show-booking', `/tasks/${booking}/show`, '[data-testid="complete-task-form"]');
    await walk.dialog('snooze-dialog', page.locator('[data-testid="snooze-task"]'));
    const attendance = await firstId('tasks', { type: 'record_attendance', status: 'open' });
    if (attendance) await walk.visit('task-show-attendance', `/tasks/${attendance}/show`, '[data-testid="complete-task-form"]');

    // The Outbox's message page (a letter, with its PDF link), and the patient's page with its Communications panel.
    const letter = await firstId('communications', { channel: 'letter' }, ['createdAt', 'DESC']);
    expect(letter).toBeTruthy();
    await walk.visit('communication-show', `/communications/${letter}/show`, '[data-testid="letter-pdf-link"]');
    const { patientId } = await admin.get(`/api/communications/${letter}`);
    await walk.visit('patient-show', `/patients/${patientId}/show`, '[data-testid="communication-row"]');
    await walk.dialog('communication-needs-dialog', page.locator('[data-testid="communication-needs-edit"]'));
    // Issue 12: a patient found on the Enquiry screen, Log a call, the patient page's Contacts card, the bell's menu.
    const [patient] = await admin.list('patients', { sort: ['id', 'ASC'], range: [0, 0] });
    await walk.visit('enquiry-search', '/enquiry', '[data-testid="enquiry-q"]');
    await page.fill('[data-testid="enquiry-q"]', patient.nhsNumber);
    await page.keyboard.press('Enter');
    await walk.check('enquiry-found', page.locator('[data-testid="enquiry-patient"]'));
    await walk.dialog('log-contact-dialog', page.locator('[data-testid="log-contact-open"]'));
    await walk.visit('patient-contacts', `/patients/${patient.id}/show`, '[data-testid="patient-contact-log"]');
    await page.click('[data-testid="bell"]');
    await walk.check('bell-menu', page.locator('#notification-menu [role="menu"]'));
    await page.keyboard.press('Escape');

    const appointment = await firstId('appointments', { state: 'booked' });
    await walk.visit('appointment-list-filtered', `/appointments?filter=${encodeURIComponent(JSON.stringify({ state: 'booked' }))}`, 'main tbody tr');
    expect(appointment).toBeTruthy();
    walk.done();
    await page.close();
  }, 300_000);

  it.runIf(fullWalk)('a clinician: every menu entry and a triage item with its completion form', async () => {
    const page = await signInAs('clinician@demo.nhs.uk');
    const walk = new Walk(page, 'clinician');
    await walkMenu(walk);
    const triage = await firstId('tasks', { type: 'triage_referral', status: 'open' });
    await walk.visit('task-show-triage', `/tasks/${triage}/show`, '[data-testid="complete-task-form"]');
    walk.done();
    await page.close();
  }, 300_000);

  it('a team leader: the team dashboard and its dialogs, leave, queues, session changes, assign (every menu entry in the full walk)', async () => {
    const page = await signInAs('leader@demo.nhs.uk');
    const walk = new Walk(page, 'team_leader');
    // The admin's menu holds every entry of the leader's, on the same screens: the short form walks it once.
    if (fullWalk) await walkMenu(walk);

    await walk.visit('team', '/team', '[data-testid="team-officer-row"]');
    // Move work is a panel beside the table, filled from a row's move button (not a dialog).
    await page.locator('[data-testid="move-work-from"]:not([disabled])').first().click();
    await walk.check('move-work-panel', page.locator('[data-testid="bulk-count"][data-count]'));

    const task = await firstId('tasks', { type: 'book_new_appointment', status: 'open' });
    await walk.visit('task-show', `/tasks/${task}/show`, '[data-testid="assign-task"]');
    await walk.dialog('assign-dialog', page.locator('[data-testid="assign-task"]'));

    await walk.visit('record-leave', '/absences/create', '[data-testid="absence-preview-button"]');
    const absence = await firstId('absences');
    if (absence) await walk.visit('absence-show', `/absences/${absence}/show`, 'main h5, main h6, main h1, main h2');
    else walk.problems.push('team_leader: no leave recorded to show');

    await walk.visit('queue-show', '/queues/queue_2ww/show', '[data-testid="queue-member-row"]');

    await walk.visit('clinic-calendar', `/clinics/clin_2/calendar?week=${nextWeek()}`, '[data-testid="calendar-session"]');
    await walk.dialog('session-change-dialog', page.locator('[data-testid="calendar-cancel-session"]'));
    const change = await firstId('clinic-sessions/changes');
    if (change) await walk.visit('session-change-show', `/session-changes/${change}/show`, '[data-testid="session-change-summary"]');

    await walk.visit('returns', '/returns', '[data-testid="rtt-return"]');
    await page.click('[data-testid="returns-tab-wlmds"]');
    await walk.check('returns-wlmds', page.locator('[data-testid="wlmds-summary"]'));
    walk.done();
    await page.close();
  }, 300_000);

  it.runIf(fullWalk)('ops: every menu entry', async () => {
    const page = await signInAs('ops@demo.nhs.uk');
    const walk = new Walk(page, 'ops');
    await walkMenu(walk);
    walk.done();
    await page.close();
  }, 300_000);

  it('an admin: every menu entry, a clinic, its template editor and the new clinic form', async () => {
    const page = await signInAs('admin@demo.nhs.uk');
    const walk = new Walk(page, 'admin');
    await walkMenu(walk);
    await walk.visit('clinic-show', '/clinics/clin_2/show', '[data-testid="clinic-template"]');
    await walk.visit('clinic-edit', '/clinics/clin_2', 'main form');
    await walk.visit('clinic-create', '/clinics/create', '[data-testid="clinic-save"]');
    await walk.visit('template-editor', '/clinics/clin_2/templates', '[data-testid="template-editor"]');
    walk.done();
    await page.close();
  }, 300_000);
});
