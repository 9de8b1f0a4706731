#!/usr/bin/env -S npx tsx
// npm run simulate: the access centre run forward on the time-skipping Temporal server (issue 17, docs/simulation.md).
import { writeFileSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { DEFAULT_CONCURRENCY, NATIONAL_RATES, runSimulation, WEEK_CSV_HEADER, weekCsvRow, type WeekFigures } from './lib/simulation';
import { simulationForecastProbe } from './lib/simulation-forecast';

const help = `Usage: npm run simulate -- --weeks N --referrals-per-day N [--seed N] [--out file.csv]

Runs the real referralPathway workflows and activities on Temporal's time-skipping test server, against a fresh
Postgres database (127.0.0.1:5432, or TEST_POSTGRES_URL) with the demo trust's specialties, clinics and templates,
and works it day by day through the API: referrals arrive on working days by specialty and priority, clinicians
triage, officers book the earliest free slot, patients cancel (${pct(NATIONAL_RATES.patientCancellation)}), the hospital
cancels (${pct(NATIONAL_RATES.hospitalCancellation)}) and patients miss appointments (${pct(NATIONAL_RATES.dna)}) at national rates.
Prints the figures week by week (progress goes to stderr) and writes them as CSV.

Options:
  --weeks N               weeks to simulate (default 4)
  --referrals-per-day N   referrals a working day (default 20; 700 is about 180,000 a year)
  --seed N                the seed: the same seed gives the same figures (default 1)
  --out FILE              the weekly figures as CSV (default simulation-<seed>.csv)
  --triage-per-day N      referrals clinicians triage a working day (default: arrivals + 10%)
  --bookings-per-day N    booking items officers work a working day (default: twice the arrivals)
  --capacity-scale X      every clinic template's slots times X (default 1: the demo trust as it is)
  --concurrency N         API decisions in flight at once (default ${DEFAULT_CONCURRENCY}; the figures do not depend on it)
  --no-forecast           skip the forecast check
  --keep-database         keep the simulation's database afterwards (its name is printed)
  -h, --help              this help`;

function pct(x: number) { return `${(x * 100).toFixed(1)}%`; }

class UsageError extends Error {}

function options() {
  let parsed;
  try {
    parsed = parseArgs({
      options: {
        weeks: { type: 'string', default: '4' }, 'referrals-per-day': { type: 'string', default: '20' }, seed: { type: 'string', default: '1' },
        out: { type: 'string' }, 'triage-per-day': { type: 'string' }, 'bookings-per-day': { type: 'string' }, 'capacity-scale': { type: 'string' }, concurrency: { type: 'string' },
        'no-forecast': { type: 'boolean' }, 'keep-database': { type: 'boolean' }, help: { type: 'boolean', short: 'h' },
      },
    });
  } catch (err) {
    throw new UsageError(`${(err as Error).message} (see --help)`);
  }
  const { values } = parsed;
  if (values.help) { console.log(help); process.exit(0); }
  const whole = (name: keyof typeof values, min: number, max: number) => {
    if (values[name] === undefined) return undefined;
    const v = Number(values[name]);
    if (!Number.isInteger(v) || v < min || v > max) throw new UsageError(`--${name} must be a whole number from ${min} to ${max}`);
    return v;
  };
  const scale = values['capacity-scale'] === undefined ? undefined : Number(values['capacity-scale']);
  if (scale !== undefined && !(scale > 0 && scale <= 100)) throw new UsageError('--capacity-scale must be a number above 0, at most 100');
  const seed = whole('seed', 0, 2 ** 31 - 1)!;
  return {
    weeks: whole('weeks', 1, 104)!, referralsPerDay: whole('referrals-per-day', 1, 5000)!, seed,
    out: values.out ?? `simulation-${seed}.csv`, triagePerDay: whole('triage-per-day', 0, 100_000), bookingsPerDay: whole('bookings-per-day', 0, 100_000),
    capacityScale: scale, concurrency: whole('concurrency', 1, 256), forecast: !values['no-forecast'], keepDatabase: !!values['keep-database'],
  };
}

const columns: Array<[string, (w: WeekFigures) => string]> = [
  ['Week', (w) => String(w.week)], ['ending', (w) => w.weekEnding], ['referrals', (w) => String(w.referrals)], ['booked', (w) => String(w.booked)],
  ['PTL', (w) => w.ptlSize.toLocaleString('en-GB')], ['≤18 wks', (w) => `${w.within18WeeksPct.toFixed(1)}%`],
  ['52+ wks', (w) => String(w.over52Weeks)], ['breaches', (w) => String(w.breaches)], ['escalations', (w) => String(w.escalations)],
  ['forecast', (w) => (w.predictedBreaches === null ? '' : String(w.predictedBreaches))],
];
const widths = [4, 10, 9, 7, 8, 8, 7, 8, 11, 8];
const line = (cells: string[]) => cells.map((c, i) => (i < 2 ? c.padEnd(widths[i]) : c.padStart(widths[i]))).join('  ');

async function main() {
  const opts = options();
  const probe = opts.forecast ? simulationForecastProbe : undefined;
  const say = (s: string) => process.stderr.write(`${s}\n`);
  if (opts.forecast && !probe) say('The forecast (domain/forecast.ts) is not in this build: the forecast check is skipped.');
  const csv = [WEEK_CSV_HEADER.join(',')];
  console.log(`Simulating ${opts.weeks} weeks at ${opts.referralsPerDay} referrals a working day, seed ${opts.seed}.`);
  console.log(line(columns.map(([h]) => h)));
  const result = await runSimulation({
    ...opts, forecast: probe, say,
    onWeek: (w) => {
      console.log(line(columns.map(([, f]) => f(w))));
      csv.push(weekCsvRow(w));
      writeFileSync(opts.out, `${csv.join('\n')}\n`);
    },
  });
  const minutes = result.elapsedMs / 60_000;
  console.log(`\n${result.pathways.toLocaleString('en-GB')} referrals over ${opts.weeks} weeks in ${minutes.toFixed(1)} min: `
    + `${(opts.weeks / minutes).toFixed(2)} simulated weeks a minute. Weekly figures in ${opts.out}.`);
  const refusals = Object.entries(result.refusals);
  if (refusals.length) console.log(`Refused along the way (counted, the work went on): ${refusals.map(([k, v]) => `${k} ${v}`).join(', ')}`);
  if (result.forecast) {
    const f = result.forecast;
    const share = (x: number | null) => (x === null ? 'n/a' : pct(x));
    console.log(`Forecast check over ${f.weeksChecked} weekly forecasts: ${share(f.precision)} of predicted breaches happened `
      + `(${f.predictedThatHappened} of ${f.predicted}); ${share(f.recall)} of breaches were predicted (${f.breachesPredicted} of ${f.breaches}); `
      + `${f.beyondEnd} predictions fall after the last simulated day and are not scored.`);
  }
  if (opts.keepDatabase) console.log(`The database is kept: ${result.database}`);
}

main().then(() => process.exit(0), (err) => {
  if (err instanceof UsageError) { console.error(err.message); process.exit(2); }
  console.error(err);
  process.exit(1);
});
