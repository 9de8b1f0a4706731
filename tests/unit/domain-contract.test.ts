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

  it('keeps the shapes the workflows and API code against', () => {
    expectTypeOf<RttClock['status']>().toEqualTypeOf<'running' | 'stopped' | 'nullified'>();
    expectTypeOf<RttClock['clockStart']>().toEqualTypeOf<string>();
    expectTypeOf<RttClock['clockStop']>().toEqualTypeOf<string | null>();
    expectTypeOf<RttClock['lastCode']>().toEqualTypeOf<RttStatusCode>();
    expectTypeOf<ReferralPriority>().toEqualTypeOf<'two_week_wait' | 'urgent' | 'routine'>();
    expectTypeOf<EscalationRung>().toEqualTypeOf<{ level: number; date: string; afterDays: number; target: 'team_leader' | 'ops' }>();
    expectTypeOf(domain.bookingTargetDate).toEqualTypeOf<(receivedDate: string, priority: ReferralPriority, policy?: AccessPolicy) => string>();
    expectTypeOf(domain.partialBookingDates).returns.toEqualTypeOf<{ inviteOn: string; respondBy: string; earliest: string; latest: string }>();
    expectTypeOf(domain.validationDates).toEqualTypeOf<(clockStart: string, asOf: string, policy?: AccessPolicy) => string[]>();
    expectTypeOf(domain.longWaitBand).returns.toEqualTypeOf<52 | 65 | 78 | 104 | null>();
    expectTypeOf(domain.dnaOutcome).returns.toEqualTypeOf<{
      rttCode: 33 | null;
      clock: 'nullified' | 'continues';
      clinicianReview: true;
      autoDischarge: false;
    }>();
  });
});

// domain/ runs inside Temporal's deterministic workflow sandbox and in the browser console.
describe('the domain stays pure', () => {
  it.each(sources)('$name imports only other domain files (or zod)', ({ text }) => {
    const imports = [...text.matchAll(/(?:from|import)\s*\(?\s*['"]([^'"]+)['"]/g)].map((m) => m[1]);
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
