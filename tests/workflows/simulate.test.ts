// Issue 17: the simulation (npm run simulate) runs the real pathways on the time-skipping server; with a fixed seed
// it gives the same figures twice. Kept small: 4 weeks at 6 referrals a working day, each run on its own server and database.
import { expect, it } from 'vitest';
import { runSimulation, type ForecastProbe, type SimulationResult } from '../../bin/lib/simulation';
import { forecastInputAt, simulationForecastProbe } from '../../bin/lib/simulation-forecast';

const sum = (r: SimulationResult, k: 'referrals' | 'triaged' | 'booked' | 'attended') => r.weeks.reduce((n, w) => n + w[k], 0);

/** A run, with the forecast check on; each week's forecast input is kept to compare with the week's PTL. */
async function simulate(concurrency?: number) {
  const forecastPathways: number[] = [];
  const forecast: ForecastProbe = async (db, asOf, weeks) => {
    forecastPathways.push((await forecastInputAt(db, asOf, weeks)).pathways.length);
    return simulationForecastProbe!(db, asOf, weeks);
  };
  const result = await runSimulation({ weeks: 4, referralsPerDay: 6, seed: 17, concurrency, forecast, workflowBundlePath: process.env.ACCESS_DESK_WORKFLOW_BUNDLE });
  return { result, forecastPathways };
}

it('a 4-week simulation with a fixed seed gives the same figures twice', async () => {
  const { result: first, forecastPathways } = await simulate();
  // The second with fewer decisions in flight: the figures must not depend on how the API calls interleave.
  const { result: second } = await simulate(3);

  expect(first.weeks.map((w) => w.week)).toEqual([1, 2, 3, 4]);
  // It did the work, so the comparison means something: referrals registered, triaged, booked and seen.
  expect(first.pathways).toBeGreaterThanOrEqual(6 * 15); // bank holidays aside, 5 working days a week
  expect(sum(first, 'referrals')).toBe(first.pathways);
  expect(sum(first, 'triaged')).toBeGreaterThan(0);
  expect(sum(first, 'booked')).toBeGreaterThan(0);
  expect(sum(first, 'attended')).toBeGreaterThan(0);
  expect(first.weeks.at(-1)!.ptlSize).toBeGreaterThan(0);
  // The forecast is made each week (after weeks 1–3) from every running clock on the PTL.
  expect(forecastPathways).toEqual(first.weeks.slice(0, 3).map((w) => w.ptlSize));
  expect(first.forecast?.weeksChecked).toBe(3);
  expect(first.weeks.slice(0, 3).map((w) => w.predictedBreaches)).not.toContain(null);

  expect(second.weeks).toEqual(first.weeks);
  expect(second.forecast).toEqual(first.forecast);
}, 900_000);
