// The breach forecast (issue 17) on a small specialty worked by hand: who gets which free slot in the work order,
// the predicted date of each next event, and who breaches.
import { describe, expect, it } from 'vitest';
import {
  applyWhatIf, bindingTarget, capacityTypesFor, diffForecasts, forecast, weekStartOf,
  type ForecastCapacity, type ForecastInput, type ForecastPathway,
} from '../../domain';

const today = '2026-11-30'; // a Monday
const spec = '130';
const cap = (type: ForecastCapacity['type'], date: string, count = 1): ForecastCapacity => ({ specialtyCode: spec, type, date, count });
const p = (referralId: string, fields: Partial<ForecastPathway> & Pick<ForecastPathway, 'priority' | 'stage' | 'clockStart' | 'breachDate'>): ForecastPathway =>
  ({ referralId, specialtyCode: spec, ...fields });

// Capacity: new slots on Tuesdays 1, 8 and 15 December, one urgent slot on the 2nd, one follow-up on the 3rd,
// and a theatre list with 120 free minutes on the 10th.
const capacity = [cap('new', '2026-12-01'), cap('new', '2026-12-08'), cap('new', '2026-12-15'), cap('urgent', '2026-12-02'),
  cap('follow_up', '2026-12-03'), cap('theatre', '2026-12-10', 120)];
const pathways: ForecastPathway[] = [
  p('ref_a', { priority: 'routine', stage: 'first_appointment', clockStart: '2026-08-01', breachDate: '2026-12-06' }),
  p('ref_b', { priority: 'routine', stage: 'first_appointment', clockStart: '2026-07-20', breachDate: '2026-11-24' }), // already over
  p('ref_c', { priority: 'urgent', stage: 'first_appointment', clockStart: '2026-11-20', breachDate: '2027-03-27' }),
  p('ref_d', { priority: 'routine', stage: 'first_appointment', clockStart: '2026-09-01', breachDate: '2027-01-06' }),
  p('ref_e', { priority: 'two_week_wait', stage: 'first_appointment', clockStart: '2026-11-25', breachDate: '2027-04-01', cancerTargetDate: '2026-12-09' }),
  p('ref_f', { priority: 'routine', stage: 'follow_up', clockStart: '2026-08-05', breachDate: '2026-12-10' }),
  p('ref_g', { priority: 'routine', stage: 'follow_up', clockStart: '2026-08-04', breachDate: '2026-12-09' }),
  p('ref_h', { priority: 'routine', stage: 'admission', clockStart: '2026-09-01', breachDate: '2027-01-06', surgicalPriority: 'P2', surgicalTargetDate: '2026-12-05', minutes: 90 }),
  p('ref_i', { priority: 'routine', stage: 'admission', clockStart: '2026-09-10', breachDate: '2027-01-15', surgicalPriority: 'P4', surgicalTargetDate: '2027-01-15', minutes: 60 }),
  p('ref_j', { priority: 'routine', stage: 'follow_up', clockStart: '2026-09-01', breachDate: '2027-01-06', bookedDate: '2027-01-20' }),
];
const input: ForecastInput = { pathways, capacity, arrivals: [] };
const byId = (f: ReturnType<typeof forecast>) => new Map(f.pathways.map((x) => [x.referralId, x]));

describe('the breach forecast of one specialty', () => {
  const f = forecast(input, { today, weeks: 4 });
  const r = byId(f);

  it('gives each pathway the earliest free capacity of its kind in the work order, with the hand-worked dates', () => {
    expect(f.weekStarts).toEqual(['2026-11-30', '2026-12-07', '2026-12-14', '2026-12-21']);
    expect(f.horizonEnd).toBe('2026-12-27');
    // 2WW first, then urgent (its own urgent slot), then routine by breach date: B, A, D.
    expect(r.get('ref_e')).toMatchObject({ predictedDate: '2026-12-01', capacityType: 'new', breach: false, target: 'cancer', breachDate: '2026-12-10' });
    expect(r.get('ref_c')).toMatchObject({ predictedDate: '2026-12-02', capacityType: 'urgent', breach: false });
    expect(r.get('ref_b')).toMatchObject({ predictedDate: '2026-12-08', breach: true, daysShort: 15, wouldSave: null });
    expect(r.get('ref_a')).toMatchObject({ predictedDate: '2026-12-15', breach: true, daysShort: 10,
      wouldSave: { type: 'new', fromWeek: '2026-11-30', byWeek: '2026-11-30' } });
    // Nothing left for D, but its breach date is after the horizon: not predicted to breach.
    expect(r.get('ref_d')).toMatchObject({ predictedDate: null, capacityType: null, breach: false, daysShort: 0 });
    expect(f.pathways.map((x) => x.referralId).slice(0, 5)).toEqual(['ref_e', 'ref_c', 'ref_b', 'ref_a', 'ref_h']);
  });

  it('books follow-ups into follow-up slots and admissions into theatre minutes against their surgical-priority date', () => {
    expect(r.get('ref_g')).toMatchObject({ predictedDate: '2026-12-03', capacityType: 'follow_up', breach: false });
    // No second follow-up slot: F cannot be seen before the horizon's end, after its breach date.
    expect(r.get('ref_f')).toMatchObject({ predictedDate: null, breach: true, daysShort: 18,
      wouldSave: { type: 'follow_up', fromWeek: '2026-11-30', byWeek: '2026-12-07' } });
    expect(r.get('ref_h')).toMatchObject({ predictedDate: '2026-12-10', capacityType: 'theatre', breach: true, target: 'surgical', breachDate: '2026-12-06', daysShort: 5 });
    // 30 minutes left after H's 90: not enough for I's hour.
    expect(r.get('ref_i')).toMatchObject({ predictedDate: null, breach: false });
    // A booked next event takes no free capacity and breaches when it is on or after the breach date.
    expect(r.get('ref_j')).toMatchObject({ predictedDate: '2027-01-20', capacityType: null, breach: true, daysShort: 15 });
  });

  it('sums each week: capacity by type, bookings, and breaches in the week of the breach date', () => {
    const weeks = f.byWeek.filter((w) => w.specialtyCode === spec);
    expect(weeks).toHaveLength(4);
    expect(weeks[0]).toMatchObject({ weekStart: '2026-11-30', demand: 0, bookings: 3, breaches: 3,
      capacity: { new: 1, urgent: 1, follow_up: 1, two_week_wait: 0, theatre: 0 } });
    expect(weeks[1]).toMatchObject({ bookings: 2, breaches: 1, capacity: { new: 1, theatre: 120 } });
    expect(weeks[2]).toMatchObject({ bookings: 1, breaches: 0, capacity: { new: 1 } });
    expect(weeks[3]).toMatchObject({ bookings: 0, breaches: 0 });
  });

  it('lets expected urgent arrivals take capacity ahead of routine patients, after the urgent ones already waiting', () => {
    const g = forecast({ ...input, arrivals: [{ specialtyCode: spec, priority: 'urgent', count: 12 }] }, { today, weeks: 4 });
    const q = byId(g);
    expect(q.get('ref_c')).toMatchObject({ predictedDate: '2026-12-02' });
    // This week's arrival takes the new slot of the 8th and next week's the 15th: nothing left for B or A.
    expect(q.get('ref_b')).toMatchObject({ predictedDate: null, breach: true, daysShort: 34 });
    expect(q.get('ref_a')).toMatchObject({ predictedDate: null, breach: true, daysShort: 22 });
    expect(g.pathways.some((x) => x.referralId.startsWith('arrival:'))).toBe(false);
    expect(g.byWeek.filter((w) => w.specialtyCode === spec).map((w) => w.demand)).toEqual([1, 1, 1, 1]);
  });

  it('chooses the target that binds first and the capacity a stage may use', () => {
    expect(bindingTarget(pathways[4])).toEqual({ breachDate: '2026-12-10', target: 'cancer' });
    expect(bindingTarget(pathways[0])).toEqual({ breachDate: '2026-12-06', target: 'rtt' });
    expect(capacityTypesFor('first_appointment', 'two_week_wait')).toEqual(['two_week_wait', 'new']);
    expect(capacityTypesFor('first_appointment', 'routine')).toEqual(['new']);
    expect(capacityTypesFor('follow_up', 'urgent')).toEqual(['follow_up']);
    expect(capacityTypesFor('admission', 'routine')).toEqual(['theatre']);
    expect(weekStartOf('2026-12-06')).toBe('2026-11-30');
    expect(weekStartOf('2026-11-30')).toBe('2026-11-30');
  });
});

describe('what if', () => {
  const before = forecast(input, { today, weeks: 4 });

  it('an added follow-up session takes F out of breach', () => {
    const after = forecast(applyWhatIf(input, { addSessions: [cap('follow_up', '2026-12-08')] }, today), { today, weeks: 4 });
    const d = diffForecasts(before, after);
    expect(d.outOfBreach.map((x) => x.referralId)).toEqual(['ref_f']);
    expect(d.intoBreach).toEqual([]);
  });

  it('a removed session moves the next patient in line into breach', () => {
    // Without the urgent slot C takes the new slot of the 8th; E keeps the 1st; B moves to the 15th, A has none.
    const after = forecast(applyWhatIf(input, { removeSessions: [cap('follow_up', '2026-12-03')] }, today), { today, weeks: 4 });
    expect(diffForecasts(before, after).intoBreach.map((x) => x.referralId)).toEqual(['ref_g']);
  });

  it('deferring the 2WW patient two weeks puts them past their cancer target and changes nothing in the input', () => {
    const copy = JSON.parse(JSON.stringify(input));
    const after = forecast(applyWhatIf(input, { defer: { referralId: 'ref_e', weeks: 2 } }, today), { today, weeks: 4 });
    const d = diffForecasts(before, after);
    expect(d.intoBreach.map((x) => x.referralId)).toEqual(['ref_e']);
    expect(d.intoBreach[0].after).toMatchObject({ predictedDate: '2026-12-15' });
    expect(input).toEqual(copy);
  });
});
