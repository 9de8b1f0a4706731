// Issue 17: the simulation (npm run simulate) runs the real pathways on the time-skipping server; with a fixed seed
// it gives the same figures twice. Kept small: 2 weeks at 6 referrals a working day (enough for referrals to be triaged,
// booked and seen, and for a forecast to be made and scored), each run on its own server and database.
import { expect, it } from 'vitest';
import { runSimulation, type ForecastProbe, type SimulationResult } from '../../bin/lib/simulation';
import { forecastInputAt, simulationForecastProbe } from '../../bin/lib/simulation-forecast';

const weeks = 2;
const sum = (r: SimulationResult, k: 'referrals' | 'triaged' | 'booked' | 'attended') => r.weeks.reduce((n, w) => n + w[k], 0);

/** A run, with the forecast check on; each week's forecast input is kept to compare with the week's PTL. */
async function simulate(concurrency?: number) {
  const forecastPathways: number[] = [];
  const forecast: ForecastProbe = async (db, asOf, weeks) => {
    forecastPathways.push((await forecastInputAt(db, asOf, weeks)).pathways.length);
    return simulationForecastProbe!(db, asOf, weeks);
  };
  const result = await runSimulation({ weeks, referralsPerDay: 6, seed: 17, concurrency, forecast, workflowBundlePath: process.env.ACCESS_DESK_WORKFLOW_BUNDLE });
  return { result, forecastPathways };
}

it(`a ${weeks}-week simulation with a fixed seed gives the same figures twice`, async () => {
  const { result: first, forecastPathways } = await simulate();
  // The second with fewer decisions in flight: the figures must not depend on how the API calls interleave.
  const { result: second } = await simulate(3);

  expect(first.weeks.map((w) => w.week)).toEqual(Array.from({ length: weeks }, (_, i) => i + 1));
  // It did the work, so the comparison means something: referrals registered, triaged, booked and seen.
  expect(first.pathways).toBeGreaterThanOrEqual(6 * (5 * weeks - 3)); // 5 working days a week, less up to three bank holidays (Christmas)
  expect(sum(first, 'referrals')).toBe(first.pathways);
  expect(sum(first, 'triaged')).toBeGreaterThan(0);
  expect(sum(first, 'booked')).toBeGreaterThan(0);
  expect(sum(first, 'attended')).toBeGreaterThan(0);
  expect(first.weeks.at(-1)!.ptlSize).toBeGreaterThan(0);
  // The forecast is made each week but the last from every running clock on the PTL, and scored.
  expect(forecastPathways).toEqual(first.weeks.slice(0, -1).map((w) => w.ptlSize));
  expect(first.forecast?.weeksChecked).toBe(weeks - 1);
  expect(first.weeks.slice(0, -1).map((w) => w.predictedBreaches)).not.toContain(null);

  expect(second.weeks).toEqual(first.weeks);
  expect(second.forecast).toEqual(first.forecast);
}, 900_000);
