#!/usr/bin/env -S npx tsx
// npm run bench:simulate: the simulation's rate (issue 17: a year of the trust, about 180,000 pathways, in under an
// hour). Runs a small simulation (npm run simulate's code) and prints simulated weeks and referrals a minute. Sized
// for a shared 2-core machine; a year at 700 a day is `npm run simulate -- --weeks 52 --referrals-per-day 700`.
import { parseArgs } from 'node:util';
import { runSimulation } from '../../bin/lib/simulation';
import globalSetup from '../support/global-setup';
import { loopbackPostgresUrl } from './support';

const help = `Usage: npm run bench:simulate -- [--weeks N] [--referrals-per-day N]

Simulates N weeks (default 2) at N referrals a working day (default 20) on the time-skipping Temporal server against
a fresh Postgres database (127.0.0.1:5432; TEST_POSTGRES_URL to change), without the forecast check, and prints the
rate: simulated weeks a minute and referrals a minute (the days' work only, start-up apart), and what a year at 700 a
day would take at that referral rate (an extrapolation: the rate falls as the open list grows).`;

function options() {
  const { values } = parseArgs({ options: { weeks: { type: 'string', default: '2' }, 'referrals-per-day': { type: 'string', default: '20' }, help: { type: 'boolean', short: 'h' } } });
  if (values.help) { console.log(help); process.exit(0); }
  const whole = (name: 'weeks' | 'referrals-per-day', max: number) => {
    const v = Number(values[name]);
    if (!Number.isInteger(v) || v < 1 || v > max) throw new Error(`--${name} must be a whole number from 1 to ${max}`);
    return v;
  };
  return { weeks: whole('weeks', 8), referralsPerDay: whole('referrals-per-day', 200) };
}

async function main() {
  const opts = options();
  const postgresUrl = loopbackPostgresUrl();
  console.log(`Simulation: ${opts.weeks} weeks at ${opts.referralsPerDay} referrals a working day …`);
  await globalSetup();
  const result = await runSimulation({
    ...opts, seed: 1, postgresUrl, workflowBundlePath: process.env.ACCESS_DESK_WORKFLOW_BUNDLE,
    say: (line) => process.stderr.write(`${line}\n`),
  });
  const minutes = result.simulatedMs / 60_000;
  const perMinute = result.pathways / minutes;
  const yearMinutes = (700 * 5 * 52) / perMinute;
  console.log(`  ${result.pathways} referrals over ${opts.weeks} weeks in ${minutes.toFixed(1)} min of work (${(result.elapsedMs / 60_000).toFixed(1)} min with start-up)`);
  console.log(`  ${(opts.weeks / minutes).toFixed(2)} simulated weeks a minute; ${perMinute.toFixed(0)} referrals a minute`);
  console.log(`  a year at 700 a working day (182,000 referrals) at this rate: about ${(yearMinutes / 60).toFixed(1)} hours (target: under 1)`);
}

main().then(() => process.exit(0), (err) => { console.error(err); process.exit(1); });
