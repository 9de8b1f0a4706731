// Rebooking the patients of a cancelled clinic session: who goes first and which slot each is offered
// [rules §4.4, §7; issue 10].
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import {
  addDays, compareForRebooking, defaultAccessPolicy, earliestRebookingDate, londonDate, londonInstant, mergeAccessPolicy, planRebooking,
  referralPriorities, sessionWindow, slotSuits, slotTypes, type AffectedPatient, type FreeSlot,
} from '../../domain';

const today = '2026-11-27'; // a Friday
const at = (date: string, time = '09:00') => new Date(londonInstant(date, time)).toISOString();
const slot = (id: string, date: string, type: FreeSlot['type'] = 'new', time = '09:00', clinicId = 'clin_x'): FreeSlot =>
  ({ id, start: at(date, time), clinicId, type });
const patient = (id: string, priority: AffectedPatient['priority'], breachDate: string, slotType: AffectedPatient['slotType'] = 'new'): AffectedPatient =>
  ({ appointmentId: `appt_${id}`, referralId: `ref_${id}`, priority, breachDate, slotType });

describe('who may be offered what', () => {
  it('gives routine patients three weeks notice and urgent and 2WW patients the next working day', () => {
    expect(earliestRebookingDate('routine', today)).toBe('2026-12-18');
    expect(earliestRebookingDate('urgent', today)).toBe('2026-11-30');
    expect(earliestRebookingDate('two_week_wait', today)).toBe('2026-11-30');
    // Christmas: the next working day after Christmas Eve is the 29th.
    expect(earliestRebookingDate('urgent', '2026-12-24')).toBe('2026-12-29');
    const twoWeeks = mergeAccessPolicy({ offers: { reasonableNoticeDays: 14 } });
    expect(earliestRebookingDate('routine', today, twoWeeks)).toBe('2026-12-11');
  });

  it('needs the same slot type, a date from the earliest one, and no later than the breach date', () => {
    const routine = patient('r', 'routine', '2027-01-15');
    expect(slotSuits(routine, slot('a', '2026-12-18'), today)).toBe(true);
    expect(slotSuits(routine, slot('b', '2026-12-17'), today)).toBe(false);
    expect(slotSuits(routine, slot('c', '2027-01-15', 'new', '16:00'), today)).toBe(true);
    expect(slotSuits(routine, slot('d', '2027-01-16'), today)).toBe(false);
    expect(slotSuits(routine, slot('e', '2026-12-20', 'follow_up'), today)).toBe(false);
    const urgent = patient('u', 'urgent', '2027-01-15', 'urgent');
    expect(slotSuits(urgent, slot('f', '2026-11-30', 'urgent'), today)).toBe(true);
    expect(slotSuits(urgent, slot('g', '2026-11-27', 'urgent', '16:00'), today)).toBe(false);
  });
});

describe('the rebooking plan', () => {
  it('takes 2WW first, then urgent, then routine, nearest breach first within each', () => {
    const plan = planRebooking([
      patient('routine-late', 'routine', '2027-03-01'),
      patient('urgent', 'urgent', '2027-02-01'),
      patient('routine-soon', 'routine', '2027-01-20'),
      patient('2ww', 'two_week_wait', '2027-04-01'),
    ], [], today);
    expect(plan.map((p) => [p.position, p.referralId])).toEqual([
      [1, 'ref_2ww'], [2, 'ref_urgent'], [3, 'ref_routine-soon'], [4, 'ref_routine-late'],
    ]);
    expect(plan.every((p) => p.offeredSlot === null && p.wouldBreach)).toBe(true);
  });

  it('offers each slot once, the earliest suitable to the most pressing patient; nobody is offered a slot past their breach date', () => {
    const slots = [
      slot('jan-10', '2027-01-11'), slot('dec-01', '2026-12-01'), slot('dec-21', '2026-12-21'), slot('dec-22', '2026-12-22'),
      slot('fu', '2026-12-02', 'follow_up'),
    ];
    const plan = planRebooking([
      patient('routine-a', 'routine', '2027-01-05'),
      patient('routine-b', 'routine', '2027-01-04'),
      patient('urgent', 'urgent', '2027-02-01'),
      patient('routine-c', 'routine', '2027-01-06'),
      patient('fu', 'routine', '2026-12-10', 'follow_up'),
    ], slots, today);
    const offered = Object.fromEntries(plan.map((p) => [p.referralId, p.offeredSlot?.id ?? null]));
    expect(offered).toEqual({
      'ref_urgent': 'dec-01', // short notice is better for urgent patients than a later date
      'ref_routine-b': 'dec-21',
      'ref_routine-a': 'dec-22',
      'ref_routine-c': null, // 11 January is after the 6 January breach
      'ref_fu': null, // 2 December is inside the three weeks' notice and nothing else is before 10 December
    });
    expect(plan.filter((p) => p.wouldBreach).map((p) => p.referralId)).toEqual(['ref_fu', 'ref_routine-c']);
  });

  it('never gives a slot twice, only suitable ones, and a more pressing patient never a later slot of a type than a less pressing one', () => {
    const types = fc.constantFrom(...slotTypes);
    const arbPatient = fc.record({
      priority: fc.constantFrom(...referralPriorities), breachIn: fc.integer({ min: 0, max: 120 }), slotType: types,
    });
    const arbSlot = fc.record({ inDays: fc.integer({ min: 0, max: 100 }), hour: fc.integer({ min: 8, max: 17 }), type: types });
    fc.assert(fc.property(fc.array(arbPatient, { maxLength: 40 }), fc.array(arbSlot, { maxLength: 60 }), (ps, ss) => {
      const patients = ps.map((p, i) => patient(String(i).padStart(3, '0'), p.priority, addDays(today, p.breachIn), p.slotType));
      const slots = ss.map((s, i) => slot(`s${i}`, addDays(today, s.inDays), s.type, `${String(s.hour).padStart(2, '0')}:00`));
      const plan = planRebooking(patients, slots, today);
      const given = plan.flatMap((p) => (p.offeredSlot ? [p.offeredSlot.id] : []));
      expect(new Set(given).size).toBe(given.length);
      for (const p of plan) {
        if (p.offeredSlot) expect(slotSuits(p, p.offeredSlot, today)).toBe(true);
        // Nothing left over that would have suited someone told they would breach.
        else expect(slots.some((s) => !given.includes(s.id) && slotSuits(p, s, today))).toBe(false);
      }
      for (const [i, a] of plan.entries()) {
        expect(a.position).toBe(i + 1);
        for (const b of plan.slice(i + 1)) {
          expect(compareForRebooking(a, b)).toBeLessThanOrEqual(0);
          // Same type and both could take b's slot: the earlier patient did not get a later one.
          if (a.offeredSlot && b.offeredSlot && a.slotType === b.slotType && slotSuits(a, b.offeredSlot, today)) {
            expect(Date.parse(a.offeredSlot.start)).toBeLessThanOrEqual(Date.parse(b.offeredSlot.start));
          }
        }
      }
    }), { numRuns: 200 });
  });
});

describe('a session', () => {
  it('is the morning before 13:00 London time, the afternoon from then, or the whole day, in GMT and BST', () => {
    const winter = sessionWindow('2026-12-01', 'am');
    expect([new Date(winter.from).toISOString(), new Date(winter.to).toISOString()]).toEqual(['2026-12-01T00:00:00.000Z', '2026-12-01T13:00:00.000Z']);
    const summer = sessionWindow('2027-06-01', 'pm');
    expect([new Date(summer.from).toISOString(), new Date(summer.to).toISOString()]).toEqual(['2027-06-01T12:00:00.000Z', '2027-06-01T23:00:00.000Z']);
    const day = sessionWindow('2027-03-28', null); // the clocks go forward: a 23-hour day
    expect((day.to - day.from) / 3_600_000).toBe(23);
    expect(londonDate(day.to - 1)).toBe('2027-03-28');
    expect(defaultAccessPolicy.clinicChanges.cancellationNoticeDays).toBe(42);
  });
});
