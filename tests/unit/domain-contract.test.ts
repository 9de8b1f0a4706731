import { describe, expect, expectTypeOf, it } from 'vitest';
import { readdirSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import * as domain from '../../domain';
import type {
  AccessPolicy,
  EscalationRung,
  ReferralPriority,
  RttClock,
  RttStatusCode,
} from '../../domain';

const domainDir = fileURLToPath(new URL('../../domain/', import.meta.url));
const sources = readdirSync(domainDir)
  .filter((name) => name.endsWith('.ts'))
  .map((name) => ({ name, text: readFileSync(domainDir + name, 'utf8') }));

describe('the domain package other code builds on', () => {
  it.each([
    'isValidNhsNumber', 'rttDaysWaited', 'rttLastCompliantDate', 'isWithin18Weeks', 'rttWeekBand', 'longWaitBand',
    'uscFirstSeenTargetDate', 'fdsTargetDate', 'cancer62TargetDate', 'cancer31TargetDate',
    'startRttClock', 'applyRttEvent', 'RttRuleError', 'rttSummary', 'dnaOutcome', 'isReasonableOffer',
    'compareForRebooking', 'referralPriorities', 'defaultAccessPolicy', 'mergeAccessPolicy',
    'addDays', 'daysBetween', 'isIsoDate', 'bookingTargetDate', 'bookingEscalations', 'partialBookingDates',
    'validationDates', 'roles', 'taskTypes', 'taskStatuses', 'queueKinds', 'accessModelEnums', 'taskTypeLabels', 'taskTitles',
    'clinicalRank', 'compareWorkOrder', 'workOrder', 'isOnLeave',
  ])('exports %s from domain/index', (name) => {
    expect(domain).toHaveProperty(name);
  });

  // The types are checked by tsc (.ci/run); each is paired with what the function returns at run time,
  // so a change in behaviour fails here even where the declared type still fits.
  const isoDate = /^\d{4}-\d{2}-\d{2}$/;

  it('starts an RTT clock running on the received date with code 10', () => {
    expectTypeOf<RttClock['status']>().toEqualTypeOf<'running' | 'stopped' | 'nullified'>();
    expectTypeOf<RttClock['clockStop']>().toEqualTypeOf<string | null>();
    expectTypeOf<RttClock['lastCode']>().toEqualTypeOf<RttStatusCode>();
    expect(domain.startRttClock('2026-03-02')).toMatchObject({ status: 'running', clockStart: '2026-03-02', clockStop: null, lastCode: 10 });
    expect(() => domain.startRttClock('2026-02-30')).toThrow();
  });

  it('knows exactly three referral priorities, most urgent first', () => {
    expectTypeOf<ReferralPriority>().toEqualTypeOf<'two_week_wait' | 'urgent' | 'routine'>();
    expect([...domain.referralPriorities]).toEqual(['two_week_wait', 'urgent', 'routine']);
  });

  it('dates the booking target and the escalation ladder from the received date, later for less urgent referrals', () => {
    expectTypeOf(domain.bookingTargetDate).toEqualTypeOf<(receivedDate: string, priority: ReferralPriority, policy?: AccessPolicy) => string>();
    expectTypeOf<EscalationRung>().toEqualTypeOf<{ level: number; date: string; afterDays: number; target: 'team_leader' | 'ops' }>();
    const received = '2026-03-02';
    const targets = domain.referralPriorities.map((p) => domain.bookingTargetDate(received, p));
    for (const t of targets) { expect(t).toMatch(isoDate); expect(t > received).toBe(true); }
    expect([...targets].sort()).toEqual(targets); // 2WW before urgent before routine
    expect(() => domain.bookingTargetDate(received, 'soon' as ReferralPriority)).toThrow(RangeError);
    const ladder = domain.bookingEscalations(received, 'two_week_wait');
    expect(ladder.length).toBeGreaterThan(0);
    ladder.forEach((rung, i) => {
      expect(rung).toEqual({ level: i + 1, date: expect.stringMatching(isoDate), afterDays: expect.any(Number), target: expect.stringMatching(/^(team_leader|ops)$/) });
      expect(rung.date > received).toBe(true);
      if (i > 0) expect(rung.date >= ladder[i - 1].date).toBe(true);
    });
  });

  it('invites to a partial booking before the due date and books within a window around it', () => {
    expectTypeOf(domain.partialBookingDates).returns.toEqualTypeOf<{ inviteOn: string; respondBy: string; earliest: string; latest: string }>();
    const due = '2026-09-14';
    const d = domain.partialBookingDates(due);
    expect(Object.keys(d).sort()).toEqual(['earliest', 'inviteOn', 'latest', 'respondBy']);
    expect(d.inviteOn < d.respondBy && d.respondBy <= due).toBe(true);
    expect(d.earliest < due && due < d.latest).toBe(true);
  });

  it('lists validation points reached, none before twelve weeks', () => {
    expectTypeOf(domain.validationDates).toEqualTypeOf<(clockStart: string, asOf: string, policy?: AccessPolicy) => string[]>();
    expect(domain.validationDates('2026-01-05', '2026-02-01')).toEqual([]);
    const points = domain.validationDates('2024-01-01', '2026-01-01');
    expect(points.length).toBeGreaterThanOrEqual(3);
    for (const p of points) expect(typeof p).toBe('string');
  });

  it('bands long waits at 52, 65, 78 and 104 weeks, and none below', () => {
    expectTypeOf(domain.longWaitBand).returns.toEqualTypeOf<52 | 65 | 78 | 104 | null>();
    expect([0, 364, 365, 456, 547, 800].map((days) => domain.longWaitBand(days))).toEqual([null, null, 52, 65, 78, 104]);
  });

  it('has a clinician review every DNA and never discharges automatically', () => {
    expectTypeOf(domain.dnaOutcome).returns.toEqualTypeOf<{ rttCode: 33 | null; clock: 'nullified' | 'continues'; clinicianReview: true; autoDischarge: false }>();
    expect(domain.dnaOutcome({ appointment: 'first', priority: 'routine', clearlyCommunicated: true }))
      .toEqual({ rttCode: 33, clock: 'nullified', clinicianReview: true, autoDischarge: false });
    expect(domain.dnaOutcome({ appointment: 'first', priority: 'two_week_wait', clearlyCommunicated: true }))
      .toEqual({ rttCode: null, clock: 'continues', clinicianReview: true, autoDischarge: false });
  });
});

// domain/ runs inside Temporal's deterministic workflow sandbox and in the browser console.
describe('the domain stays pure', () => {
  it.each(sources)('$name imports only other domain files (or zod)', ({ text }) => {
    // Statements only (`from '…'` ending an import or export, a bare `import '…'`, `import('…')`), not the word in a string list.
    const imports = [...text.matchAll(/(?:^|;|\})\s*(?:import|export)\b[^;'"]*?\bfrom\s*['"]([^'"]+)['"]|^\s*import\s*['"]([^'"]+)['"]|\bimport\(\s*['"]([^'"]+)['"]/gm)]
      .map((m) => m[1] ?? m[2] ?? m[3]);
    for (const specifier of imports) expect(specifier).toMatch(/^(\.\/[a-z0-9-]+|zod)$/);
  });

  it.each(sources)('$name reads no clock, no randomness, no environment and does no I/O', ({ text }) => {
    const code = text.replace(/\/\/.*$/gm, '').replace(/\/\*[\s\S]*?\*\//g, '');
    expect(code).not.toMatch(/Date\.now|new Date\(\s*\)|Math\.random|crypto\.|process\.|require\(|setTimeout|setInterval|fetch\(|console\./);
    // Local-time readers would shift a date by the trust's UTC offset; only getUTC* is safe.
    expect(code).not.toMatch(/\.(getHours|getDate|getMonth|getFullYear|getDay|getTimezoneOffset|toLocale\w*)\(/);
  });

  it('covers every file in domain/', () => {
    expect(sources.map((s) => s.name)).toEqual(expect.arrayContaining(['index.ts', 'dates.ts', 'rtt.ts', 'rtt-clock.ts']));
  });
});
