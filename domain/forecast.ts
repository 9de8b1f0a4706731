// The breach forecast (issue 17): every open pathway run forward against the free capacity it can use, in the work
// order, week by week. Pure: the loader (activities/forecast.ts), the what-if route and the simulation all call
// `forecast` with plain data, so a what-if is the same function on a changed input and changes nothing stored.
import { addDays, daysBetween } from './dates';
import { clinicalRank } from './priority';
import { compareWorkOrder, type WorkOrderKey } from './work-order';
import { rttBreachDate } from './rtt';
import { uscFirstSeenTargetDate } from './cancer';
import { surgicalPriorityRank } from './admitted';
import type { ReferralPriority, SlotType, SurgicalPriority } from './model';

/** What a pathway waits for next: a first appointment (triage included), a follow-up, or admission (a TCI). */
export const forecastStages = Object.freeze(['first_appointment', 'follow_up', 'admission'] as const);
export type ForecastStage = (typeof forecastStages)[number];

/** Clinic slots by type, counted in slots; theatre in free minutes. */
export const capacityTypes = Object.freeze(['new', 'follow_up', 'urgent', 'two_week_wait', 'theatre'] as const);
export type CapacityType = SlotType | 'theatre';

/** Which target a pathway breaches first. */
export type ForecastTarget = 'rtt' | 'cancer' | 'surgical';

export type ForecastPathway = {
  referralId: string;
  specialtyCode: string;
  /** Clinical priority (the clinician's, else the referral's). */
  priority: ReferralPriority;
  stage: ForecastStage;
  clockStart: string;
  /** RTT breach date: the first day over 18 weeks (clock start + 127). */
  breachDate: string;
  /** Cancer: the last day the next event meets its target (USC first seen for a first appointment, 62-day for admission). */
  cancerTargetDate?: string | null;
  /** Admission: the surgical-priority target date (the last day within it) and the category. */
  surgicalTargetDate?: string | null;
  surgicalPriority?: SurgicalPriority | null;
  /** The next event is already booked on this date: it uses no free capacity. */
  bookedDate?: string | null;
  /** Not to be booked before this date (a follow-up's due date, a deferral). */
  earliestDate?: string | null;
  /** Theatre minutes an admission takes (60 when unknown). */
  minutes?: number | null;
};

/** Free capacity on a date (a slot's date, or a week's first day): slots, or theatre minutes. */
export type ForecastCapacity = { specialtyCode: string; type: CapacityType; date: string; count: number };

/** New clock starts over the last 12 weeks, by specialty and priority: a twelfth of them are expected each week. */
export type ForecastArrivals = { specialtyCode: string; priority: ReferralPriority; count: number };

export type ForecastInput = {
  pathways: readonly ForecastPathway[];
  capacity: readonly ForecastCapacity[];
  arrivals: readonly ForecastArrivals[];
};

export type ForecastOptions = { today: string; weeks: number };

/** The cheapest change that would stop a predicted breach: one more unit of `type` between the two weeks. */
export type WouldSave = { type: CapacityType; fromWeek: string; byWeek: string };

export type PathwayForecast = {
  referralId: string;
  specialtyCode: string;
  priority: ReferralPriority;
  stage: ForecastStage;
  /** The capacity its next event used (null: booked already, or nothing free within the horizon). */
  capacityType: CapacityType | null;
  /** Predicted date of the next event; null when nothing free before the horizon's end. */
  predictedDate: string | null;
  /** First day over the target that binds first. */
  breachDate: string;
  target: ForecastTarget;
  breach: boolean;
  /** Days from the last compliant day to the predicted date (to the horizon's end when none); 0 when no breach. */
  daysShort: number;
  wouldSave: WouldSave | null;
};

export type ForecastWeek = {
  specialtyCode: string;
  weekStart: string;
  /** Expected new clock starts. */
  demand: number;
  /** Free capacity by type starting that week (slots; theatre in minutes). */
  capacity: Record<CapacityType, number>;
  /** Next events predicted in the week, existing pathways and expected arrivals. */
  bookings: number;
  /** Existing pathways predicted to breach, counted in the week of their breach date (week 0 when already past). */
  breaches: number;
};

export type Forecast = {
  today: string;
  weeks: number;
  /** Mondays, week 0 being the week of `today`. */
  weekStarts: string[];
  /** The last day forecast. */
  horizonEnd: string;
  byWeek: ForecastWeek[];
  /** Existing pathways only, in the work order. */
  pathways: PathwayForecast[];
};

/** The Monday of a date's ISO week. */
export function weekStartOf(date: string): string {
  const dow = new Date(`${date}T00:00:00Z`).getUTCDay(); // 0 Sunday
  return addDays(date, -((dow + 6) % 7));
}

/** The capacity types a stage can use, in the order it uses them: its own kind of slot first. */
export function capacityTypesFor(stage: ForecastStage, priority: ReferralPriority): CapacityType[] {
  if (stage === 'follow_up') return ['follow_up'];
  if (stage === 'admission') return ['theatre'];
  return priority === 'routine' ? ['new'] : [priority, 'new'];
}

/** The target that binds first, as its first day over: RTT, or the cancer or surgical-priority date the day after. */
export function bindingTarget(p: ForecastPathway): { breachDate: string; target: ForecastTarget } {
  let best = { breachDate: p.breachDate, target: 'rtt' as ForecastTarget };
  if (p.cancerTargetDate) {
    const d = addDays(p.cancerTargetDate, 1);
    if (d < best.breachDate) best = { breachDate: d, target: 'cancer' };
  }
  if (p.stage === 'admission' && p.surgicalTargetDate) {
    const d = addDays(p.surgicalTargetDate, 1);
    if (d < best.breachDate) best = { breachDate: d, target: 'surgical' };
  }
  return best;
}

const workOrderKey = (p: ForecastPathway): WorkOrderKey =>
  ({ priorityRank: clinicalRank(p.priority), breachDate: bindingTarget(p).breachDate, createdAt: p.clockStart, id: p.referralId });

/** The work order (domain/work-order.ts): clinical priority, then the breach date that binds first, then the oldest clock. */
export function compareForecastOrder(a: ForecastPathway, b: ForecastPathway): number {
  return compareWorkOrder(workOrderKey(a), workOrderKey(b));
}

/** The admitted list's order (as its PTL): surgical priority first, then the work order. Only admissions share theatre. */
export function compareAdmissionOrder(a: ForecastPathway, b: ForecastPathway): number {
  const ra = a.surgicalPriority ? surgicalPriorityRank(a.surgicalPriority) : 5;
  const rb = b.surgicalPriority ? surgicalPriorityRank(b.surgicalPriority) : 5;
  return ra - rb || compareForecastOrder(a, b);
}

// A pool of one specialty's capacity of one type: remaining units by day index from week 0's Monday.
type Pool = { remaining: Float64Array; first: number };

const ARRIVAL_PREFIX = 'arrival:';

/** The forecast: each pathway's predicted next event and whether it breaches, and the weekly figures per specialty. */
export function forecast(input: ForecastInput, opts: ForecastOptions): Forecast {
  const { today } = opts;
  const weeks = Math.max(1, Math.floor(opts.weeks));
  const start = weekStartOf(today);
  const days = weeks * 7;
  const horizonEnd = addDays(start, days - 1);
  const weekStarts = Array.from({ length: weeks }, (_, i) => addDays(start, i * 7));
  const dayOf = (date: string) => daysBetween(start, date);
  const todayIndex = dayOf(today);

  const specialties = new Set<string>();
  const pools = new Map<string, Pool>();
  const pool = (specialty: string, type: CapacityType): Pool => {
    const k = `${specialty}\u0000${type}`;
    let p = pools.get(k);
    if (!p) pools.set(k, (p = { remaining: new Float64Array(days), first: todayIndex }));
    return p;
  };
  const weekly = new Map<string, ForecastWeek>();
  const weekRow = (specialty: string, w: number): ForecastWeek => {
    const k = `${specialty}\u0000${w}`;
    let row = weekly.get(k);
    if (!row) {
      weekly.set(k, row = {
        specialtyCode: specialty, weekStart: weekStarts[w], demand: 0, bookings: 0, breaches: 0,
        capacity: { new: 0, follow_up: 0, urgent: 0, two_week_wait: 0, theatre: 0 },
      });
    }
    return row;
  };

  for (const c of input.capacity) {
    const d = dayOf(c.date);
    if (d < todayIndex || d >= days || !(c.count > 0)) continue;
    specialties.add(c.specialtyCode);
    pool(c.specialtyCode, c.type).remaining[d] += c.count;
    weekRow(c.specialtyCode, Math.floor(d / 7)).capacity[c.type] += c.count;
  }

  // Expected new clock starts: a twelfth of the last 12 weeks' arrivals each week, spread by a running total so
  // fractions add up (3 a quarter: one in each of weeks 4, 8, 12). They arrive on the week's first day (today in week 0).
  const expected: ForecastPathway[] = [];
  for (const a of input.arrivals) {
    if (!(a.count > 0)) continue;
    specialties.add(a.specialtyCode);
    const rate = a.count / 12;
    for (let w = 0; w < weeks; w++) {
      const n = Math.floor(rate * (w + 1) + 1e-9) - Math.floor(rate * w + 1e-9);
      weekRow(a.specialtyCode, w).demand += rate;
      const arrives = w === 0 ? today : weekStarts[w];
      for (let i = 0; i < n; i++) {
        expected.push({
          referralId: `${ARRIVAL_PREFIX}${a.specialtyCode}:${a.priority}:${w}:${i}`, specialtyCode: a.specialtyCode, priority: a.priority,
          stage: 'first_appointment', clockStart: arrives, breachDate: rttBreachDate(arrives),
          cancerTargetDate: a.priority === 'two_week_wait' ? uscFirstSeenTargetDate(arrives) : null, earliestDate: arrives,
        });
      }
    }
  }

  // Clinic pools and theatre are disjoint, so the two lists are filled each in its own order.
  const clinic = [...input.pathways, ...expected].filter((p) => p.stage !== 'admission').sort(compareForecastOrder);
  const admitted = input.pathways.filter((p) => p.stage === 'admission').sort(compareAdmissionOrder);
  const all = [...clinic, ...admitted];
  const results: Array<PathwayForecast & { key: WorkOrderKey }> = [];
  for (const p of all) {
    specialties.add(p.specialtyCode);
    const { breachDate, target } = bindingTarget(p);
    const types = capacityTypesFor(p.stage, p.priority);
    const need = p.stage === 'admission' ? Math.max(1, p.minutes ?? 60) : 1;
    const from = Math.max(todayIndex, p.earliestDate ? dayOf(p.earliestDate) : todayIndex);
    let predictedDate: string | null = null;
    let capacityType: CapacityType | null = null;
    if (p.bookedDate) {
      predictedDate = p.bookedDate;
    } else {
      // The earliest day with room in any of its types; its own type wins a tie.
      let bestDay = Infinity;
      let bestPool: Pool | null = null;
      for (const type of types) {
        const pl = pools.get(`${p.specialtyCode}\u0000${type}`);
        if (!pl) continue;
        while (pl.first < days && pl.remaining[pl.first] <= 0) pl.first++;
        for (let d = Math.max(from, pl.first); d < days && d < bestDay; d++) {
          if (pl.remaining[d] >= need) { bestDay = d; bestPool = pl; capacityType = type; break; }
        }
      }
      if (bestPool) {
        bestPool.remaining[bestDay] -= need;
        predictedDate = addDays(start, bestDay);
      } else {
        capacityType = null;
      }
    }
    if (predictedDate) {
      const d = dayOf(predictedDate);
      if (d >= 0 && d < days) weekRow(p.specialtyCode, Math.floor(d / 7)).bookings += 1;
    }
    if (p.referralId.startsWith(ARRIVAL_PREFIX)) continue;

    const lastCompliant = addDays(breachDate, -1);
    const breach = predictedDate === null ? breachDate <= horizonEnd : predictedDate >= breachDate;
    const daysShort = !breach ? 0 : daysBetween(lastCompliant, predictedDate ?? horizonEnd);
    // One more unit of its own type, anywhere from its first bookable day to its last compliant one, would take it.
    const firstDay = addDays(start, from);
    const wouldSave: WouldSave | null = breach && firstDay <= lastCompliant
      ? { type: types[0], fromWeek: weekStartOf(firstDay), byWeek: weekStartOf(lastCompliant) } : null;
    if (breach) {
      const w = Math.max(0, Math.floor(dayOf(breachDate) / 7));
      if (w < weeks) weekRow(p.specialtyCode, w).breaches += 1;
    }
    results.push({
      key: workOrderKey(p), referralId: p.referralId, specialtyCode: p.specialtyCode, priority: p.priority, stage: p.stage, capacityType,
      predictedDate, breachDate, target, breach, daysShort, wouldSave,
    });
  }

  for (const s of specialties) for (let w = 0; w < weeks; w++) weekRow(s, w);
  const byWeek = [...weekly.values()].sort((a, b) => (a.specialtyCode < b.specialtyCode ? -1 : a.specialtyCode > b.specialtyCode ? 1 : a.weekStart < b.weekStart ? -1 : a.weekStart > b.weekStart ? 1 : 0));
  for (const row of byWeek) row.demand = Math.round(row.demand * 10) / 10;
  results.sort((a, b) => compareWorkOrder(a.key, b.key));
  return { today, weeks, weekStarts, horizonEnd, byWeek, pathways: results.map(({ key: _key, ...r }) => r) };
}

/** A change to try before making it. */
export type WhatIf =
  | { addSessions: ForecastCapacity[] }
  | { removeSessions: ForecastCapacity[] }
  | { leave: ForecastCapacity[] }
  | { defer: { referralId: string; weeks: number } };

/**
 * The input with the change made: sessions added or removed (leave is the capacity of the clinics the absent clinician
 * runs, removed), or one pathway's next event put back `weeks` from when it would have been booked (its booked date, its
 * earliest date, or today). A deferred booking's slot is not given back: the caller may add it with addSessions.
 */
export function applyWhatIf(input: ForecastInput, change: WhatIf, today: string): ForecastInput {
  if ('addSessions' in change) return { ...input, capacity: [...input.capacity, ...change.addSessions] };
  if ('removeSessions' in change) return { ...input, capacity: subtractCapacity(input.capacity, change.removeSessions) };
  if ('leave' in change) return { ...input, capacity: subtractCapacity(input.capacity, change.leave) };
  const { referralId, weeks } = change.defer;
  return {
    ...input,
    pathways: input.pathways.map((p) => {
      if (p.referralId !== referralId) return p;
      const base = [p.bookedDate, p.earliestDate, today].filter((d): d is string => !!d).sort().pop() as string;
      return { ...p, bookedDate: null, earliestDate: addDays(base, Math.round(weeks * 7)) };
    }),
  };
}

function subtractCapacity(capacity: readonly ForecastCapacity[], removals: readonly ForecastCapacity[]): ForecastCapacity[] {
  const take = new Map<string, number>();
  for (const r of removals) {
    const k = `${r.specialtyCode}\u0000${r.type}\u0000${r.date}`;
    take.set(k, (take.get(k) ?? 0) + r.count);
  }
  return capacity.map((c) => {
    const k = `${c.specialtyCode}\u0000${c.type}\u0000${c.date}`;
    const t = take.get(k);
    if (!t) return c;
    const used = Math.min(t, c.count);
    take.set(k, t - used);
    return { ...c, count: c.count - used };
  });
}

export type ForecastChange = { referralId: string; before: PathwayForecast; after: PathwayForecast };

/** Who moves into breach and who out of it between two forecasts of the same pathways. */
export function diffForecasts(before: Forecast, after: Forecast): { intoBreach: ForecastChange[]; outOfBreach: ForecastChange[] } {
  const was = new Map(before.pathways.map((p) => [p.referralId, p]));
  const intoBreach: ForecastChange[] = [];
  const outOfBreach: ForecastChange[] = [];
  for (const a of after.pathways) {
    const b = was.get(a.referralId);
    if (!b) continue;
    if (a.breach && !b.breach) intoBreach.push({ referralId: a.referralId, before: b, after: a });
    if (!a.breach && b.breach) outOfBreach.push({ referralId: a.referralId, before: b, after: a });
  }
  return { intoBreach, outOfBreach };
}
