// Admitted care's rules (issue 15), table-driven: surgical-priority target dates [rules §4.5], reasonable TCI offers and
// the two-declined-offers rule [rules §1.4, §6], pre-op validity, the ladder by category, what stops the clock [rules §1.3].
import { describe, expect, it } from 'vitest';
import {
  addMonths, admissionAtRisk, admissionStopsClock, assessTciOffer, needsTciClinicalReview, preOpClears, preOpStatusOn, preOpValidUntil,
  surgicalPriorityEscalations, surgicalPriorityTargetDate, PRE_OP_VALID_DAYS,
} from '../../domain';

describe('surgical-priority target dates', () => {
  it.each([
    ['P1a', '2026-03-10', '2026-03-11'], // within 24 hours
    ['P1b', '2026-03-10', '2026-03-13'], // within 72 hours
    ['P2', '2026-01-31', '2026-02-28'], // within 1 month (the month's last day)
    ['P3', '2026-03-10', '2026-06-10'], // within 3 months
    ['P4', '2026-03-10', '2026-07-01'], // beyond: the RTT breach date when later than 3 months
    ['P4', '2026-06-20', '2026-09-20'], // and never earlier than 3 months
  ] as const)('%s decided on %s: %s', (priority, decidedOn, target) => {
    expect(surgicalPriorityTargetDate(decidedOn, priority, '2026-07-01')).toBe(target);
  });
  it('adds months across years and to short months', () => {
    expect(addMonths('2026-11-30', 3)).toBe('2027-02-28');
    expect(addMonths('2027-12-31', 2)).toBe('2028-02-29');
  });
});

describe('a reasonable TCI offer', () => {
  it.each([
    [{ offeredOn: '2026-03-01', admissionDate: '2026-03-22' }, null, true, 21],
    [{ offeredOn: '2026-03-01', admissionDate: '2026-03-21' }, null, false, 20], // short notice: may be declined without effect
    [{ offeredOn: '2026-04-01', admissionDate: '2026-05-12' }, '2026-03-31', true, 41], // second within 6 weeks of the first declined date
    [{ offeredOn: '2026-04-01', admissionDate: '2026-05-13' }, '2026-03-31', false, 42], // later than 6 weeks: the hospital's delay
  ] as const)('%o after a declined %s: reasonable %s', (offer, firstDeclined, reasonable, noticeDays) => {
    const got = assessTciOffer(offer, firstDeclined);
    expect([got.reasonable, got.noticeDays]).toEqual([reasonable, noticeDays]);
    expect(got.why === null).toBe(reasonable);
  });
  it('needs a clinical review at two declined reasonable offers', () => {
    expect([0, 1, 2, 3].map((n) => needsTciClinicalReview(n))).toEqual([false, false, true, true]);
  });
});

describe('pre-operative assessment', () => {
  it(`is valid for ${PRE_OP_VALID_DAYS} days, then expires`, () => {
    expect(preOpValidUntil('2026-01-01')).toBe('2026-04-01');
    expect(preOpClears('fit', '2026-04-01', '2026-04-01')).toBe(true);
    expect(preOpClears('fit_with_conditions', '2026-04-01', '2026-04-02')).toBe(false);
    expect(preOpClears('unfit', null, '2026-01-02')).toBe(false);
    expect(preOpClears('needed', null, '2026-01-02')).toBe(false);
    expect(preOpClears('not_required', null, '2026-01-02')).toBe(true);
    expect(preOpStatusOn('fit', '2026-04-01', '2026-04-02')).toBe('expired');
    expect(preOpStatusOn('fit', '2026-04-01', '2026-04-01')).toBe('fit');
  });
});

describe('the surgical-priority ladder', () => {
  it.each([
    ['P1a', '2026-03-10', '2026-03-11', [['2026-03-10', 'team_leader'], ['2026-03-11', 'ops']]],
    ['P1b', '2026-03-10', '2026-03-13', [['2026-03-11', 'team_leader'], ['2026-03-13', 'ops']]],
    ['P2', '2026-03-10', '2026-04-10', [['2026-04-03', 'team_leader'], ['2026-04-10', 'ops']]],
    ['P3', '2026-03-10', '2026-06-10', [['2026-05-27', 'team_leader'], ['2026-06-10', 'ops']]],
    ['P4', '2026-03-10', '2026-07-01', [['2026-06-03', 'team_leader'], ['2026-06-24', 'ops']]],
  ] as const)('%s: leader then operations before the target', (priority, decidedOn, target, rungs) => {
    const got = surgicalPriorityEscalations(decidedOn, priority, target);
    expect(got.map((r) => [r.date, r.target])).toEqual(rungs);
    expect(got.map((r) => r.level)).toEqual([1, 2]);
  });
  it('runs while the patient is waiting or booked after the target', () => {
    expect(admissionAtRisk({ status: 'waiting', tciDate: null }, '2026-04-01')).toBe(true);
    expect(admissionAtRisk({ status: 'tci_booked', tciDate: '2026-04-02' }, '2026-04-01')).toBe(true);
    expect(admissionAtRisk({ status: 'tci_booked', tciDate: '2026-04-01' }, '2026-04-01')).toBe(false);
    expect(admissionAtRisk({ status: 'admitted', tciDate: null }, '2026-04-01')).toBe(false);
  });
});

describe('what an admission does to the clock', () => {
  it('stops it only for the treatment itself', () => {
    expect(admissionStopsClock({ procedureDone: true, diagnosticOnly: false })).toBe(true);
    expect(admissionStopsClock({ procedureDone: false, diagnosticOnly: false })).toBe(false);
    expect(admissionStopsClock({ procedureDone: true, diagnosticOnly: true })).toBe(false);
  });
});
