// The pure half of slot generation (db/slots.ts): which template version is in force on a date, until when,
// and which slots it wants, in London wall-clock time across the clock changes.
import { describe, expect, it } from 'vitest';
import { clinicSessionOf, desiredSlots, effectiveTo, versionInForce, type TemplateVersionPlan } from '../../db/slots';

const session = (weekday: number, startTime: string, slotCount = 2, slotMinutes = 30) => ({ weekday, startTime, slotMinutes, slotType: 'new' as const, slotCount });
const v = (version: number, effectiveFrom: string, sessions = [session(1, '09:00')]): TemplateVersionPlan => ({ id: `v${version}`, version, effectiveFrom, sessions });
const iso = (ms: number) => new Date(ms).toISOString();

describe('the template version in force', () => {
  const versions = [v(1, '2026-01-05'), v(2, '2027-01-04'), v(3, '2026-06-01'), v(4, '2027-01-04')];
  it.each([
    ['2026-01-04', undefined], ['2026-01-05', 1], ['2026-05-31', 1], ['2026-06-01', 3], ['2027-01-03', 3],
    // Two versions from the same date: the later one.
    ['2027-01-04', 4], ['2030-01-01', 4],
  ])('on %s is version %s', (date, version) => {
    expect(versionInForce(versions, date)?.version).toBe(version);
  });
  it.each([[1, '2026-05-31'], [3, '2027-01-03'], [2, '2027-01-03'], [4, null]])('version %s is in force until %s', (version, to) => {
    expect(effectiveTo(versions, versions.find((x) => x.version === version)!)).toBe(to);
  });
});

describe('the slots a template wants', () => {
  it('are London wall-clock times: 09:00 is 09:00Z in winter and 08:00Z in summer', () => {
    // British Summer Time starts on Sunday 28 March 2027 and ends on Sunday 25 October 2026.
    const slots = desiredSlots([v(1, '2026-01-05')], '2027-03-22', '2027-03-30');
    expect(slots.map((s) => [iso(s.start), iso(s.end)])).toEqual([
      ['2027-03-22T09:00:00.000Z', '2027-03-22T09:30:00.000Z'], ['2027-03-22T09:30:00.000Z', '2027-03-22T10:00:00.000Z'],
      ['2027-03-29T08:00:00.000Z', '2027-03-29T08:30:00.000Z'], ['2027-03-29T08:30:00.000Z', '2027-03-29T09:00:00.000Z'],
    ]);
    expect(desiredSlots([v(1, '2026-01-05')], '2026-10-19', '2026-10-27').map((s) => iso(s.start)))
      .toEqual(['2026-10-19T08:00:00.000Z', '2026-10-19T08:30:00.000Z', '2026-10-26T09:00:00.000Z', '2026-10-26T09:30:00.000Z']);
  });

  it('follow the version in force on each date, on its weekdays, for dates [from, to) and after notBefore', () => {
    const versions = [v(1, '2026-01-05'), v(2, '2026-12-08', [session(2, '14:00', 3, 15), session(4, '10:00', 1, 20)])];
    const slots = desiredSlots(versions, '2026-11-30', '2026-12-18');
    expect(slots.map((s) => `${s.date} ${s.version.version} ${iso(s.start).slice(11, 16)}-${iso(s.end).slice(11, 16)}`)).toEqual([
      '2026-11-30 1 09:00-09:30', '2026-11-30 1 09:30-10:00', '2026-12-07 1 09:00-09:30', '2026-12-07 1 09:30-10:00',
      '2026-12-08 2 14:00-14:15', '2026-12-08 2 14:15-14:30', '2026-12-08 2 14:30-14:45', '2026-12-10 2 10:00-10:20',
      '2026-12-15 2 14:00-14:15', '2026-12-15 2 14:15-14:30', '2026-12-15 2 14:30-14:45', '2026-12-17 2 10:00-10:20',
    ]);
    expect(desiredSlots(versions, '2026-11-30', '2026-12-01', Date.parse('2026-11-30T09:00:00Z')).map((s) => iso(s.start))).toEqual(['2026-11-30T09:30:00.000Z']);
    expect(desiredSlots(versions, '2026-12-18', '2026-12-18')).toEqual([]);
    expect(desiredSlots([v(1, '2027-01-01')], '2026-11-30', '2026-12-31')).toEqual([]);
  });
});

describe('the session of a slot', () => {
  it.each([
    ['2026-12-07T12:59:00Z', 'am'], ['2026-12-07T13:00:00Z', 'pm'], // GMT
    ['2027-06-07T11:59:00Z', 'am'], ['2027-06-07T12:00:00Z', 'pm'], // BST: 13:00 London is 12:00Z
  ])('%s is %s', (at, expected) => {
    expect(clinicSessionOf(Date.parse(at))).toBe(expected);
  });
});
