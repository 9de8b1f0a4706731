#!/usr/bin/env -S npx tsx
// npm run bench:simulate: the simulation's rate (issue 17: a year of the trust, about 180,000 pathways, in under an
// hour), beside the ceiling of the same time-skipping server measured in the same run: bare Updates and bare workflows
// a second. A year needs at least (pathways × decisions each) Updates, so the ceiling says whether an hour is possible
// at all on this machine, whatever the simulation does. Appends to docs/benchmarks.md.
import { readdirSync, readFileSync } from 'node:fs';
import os from 'node:os';
import postgres from 'postgres';
import { parseArgs } from 'node:util';
import { DEFAULT_CONCURRENCY, runSimulation } from '../../bin/lib/simulation';
import globalSetup from '../support/global-setup';
import { loopbackPostgresUrl, recordBenchmark } from './support';
import { timeSkippingCeiling, type Ceiling } from './time-skipping-ceiling';

const help = `Usage: npm run bench:simulate -- [--weeks N] [--referrals-per-day N] [--concurrency N] [--no-record]

Simulates N weeks (default 2) at N referrals a working day (default 20) on the time-skipping Temporal server against
a fresh Postgres database (127.0.0.1:5432; TEST_POSTGRES_URL to change), without the forecast check, with N API
decisions in flight (default ${DEFAULT_CONCURRENCY}), and prints the rate: simulated weeks a minute and referrals a
minute (the days' work only, start-up apart). Then, on the same server, its ceiling: bare Updates a second (one at a
time, and N in flight on N workflows) and bare workflows a second (started and finished, N in flight), and from it the
least a year at 700 a day could take (pathways × the decisions each made in this run ÷ bare Updates a second; a
pathway makes more decisions over a year than in a short run, so this bound is low). Prints the load average and the
CPU used by this run's processes and by anything else beside the figures. --no-record prints without appending.`;

const YEAR_PATHWAYS = 700 * 5 * 52;

function options() {
  const { values } = parseArgs({
    options: {
      weeks: { type: 'string', default: '2' }, 'referrals-per-day': { type: 'string', default: '20' },
      concurrency: { type: 'string', default: String(DEFAULT_CONCURRENCY) }, 'no-record': { type: 'boolean', default: false },
      help: { type: 'boolean', short: 'h' },
    },
  });
  if (values.help) { console.log(help); process.exit(0); }
  const whole = (name: 'weeks' | 'referrals-per-day' | 'concurrency', max: number) => {
    const v = Number(values[name]);
    if (!Number.isInteger(v) || v < 1 || v > max) throw new Error(`--${name} must be a whole number from 1 to ${max}`);
    return v;
  };
  return { weeks: whole('weeks', 8), referralsPerDay: whole('referrals-per-day', 200), concurrency: whole('concurrency', 256), record: !values['no-record'] };
}

/** CPU seconds so far: the whole machine's busy time, and this process with its children (the test server). */
function cpuNow() {
  const tick = 100; // USER_HZ on Linux
  const [, ...f] = readFileSync('/proc/stat', 'utf8').split('\n')[0].trim().split(/\s+/).map(Number);
  const busy = (f[0] + f[1] + f[2] + f[5] + f[6] + f[7]) / tick; // user nice system irq softirq steal
  const stats = new Map<number, { ppid: number; cpu: number }>();
  for (const d of readdirSync('/proc')) {
    if (!/^\d+$/.test(d)) continue;
    try {
      const s = readFileSync(`/proc/${d}/stat`, 'utf8');
      const rest = s.slice(s.lastIndexOf(')') + 2).split(' ');
      stats.set(Number(d), { ppid: Number(rest[1]), cpu: (Number(rest[11]) + Number(rest[12])) / tick });
    } catch { /* gone */ }
  }
  const ours = new Set([process.pid]);
  let grew = true;
  while (grew) {
    grew = false;
    for (const [pid, s] of stats) if (!ours.has(pid) && ours.has(s.ppid)) { ours.add(pid); grew = true; }
  }
  return { busy, ours: [...ours].reduce((n, pid) => n + (stats.get(pid)?.cpu ?? 0), 0), at: performance.now() };
}
type Cpu = ReturnType<typeof cpuNow>;
const cpuBetween = (a: Cpu, b: Cpu) => {
  const s = (b.at - a.at) / 1000;
  const ours = (b.ours - a.ours) / s;
  const busy = (b.busy - a.busy) / s;
  return `CPU: this run's processes ${ours.toFixed(2)} cores, anything else ${Math.max(0, busy - ours).toFixed(2)} cores (Postgres included) of ${os.cpus().length}`;
};
const load = () => os.loadavg().map((x) => x.toFixed(1)).join(' / ');

async function main() {
  const opts = options();
  const postgresUrl = loopbackPostgresUrl();
  const lines: string[] = [];
  const log = (line: string) => { console.log(line); lines.push(line); };
  console.log(`Simulation: ${opts.weeks} weeks at ${opts.referralsPerDay} referrals a working day, ${opts.concurrency} decisions in flight …`);
  await globalSetup();
  let ceiling: Ceiling | undefined;
  let ceilingCpu = '';
  let ceilingLoad = '';
  let daysCpu = '';
  let before: Cpu | undefined;
  const loadAtStart = load();
  const result = await runSimulation({
    weeks: opts.weeks, referralsPerDay: opts.referralsPerDay, concurrency: opts.concurrency, seed: 1, postgresUrl,
    workflowBundlePath: process.env.ACCESS_DESK_WORKFLOW_BUNDLE,
    say: (line) => {
      // CPU is counted from the first simulated day's end (start-up is over by then).
      if (/^ {2}\d{4}-/.test(line)) before ??= cpuNow();
      process.stderr.write(`${line}\n`);
    },
    afterDays: async (env) => {
      if (before) daysCpu = cpuBetween(before, cpuNow());
      process.stderr.write('Measuring the same server\'s ceiling (bare Updates, bare workflows) …\n');
      const c0 = cpuNow();
      ceiling = await timeSkippingCeiling(env, { updates: 600, workflows: 300, concurrency: opts.concurrency });
      ceilingCpu = cpuBetween(c0, cpuNow());
      ceilingLoad = load();
    },
  });
  const minutes = result.simulatedMs / 60_000;
  const perMinute = result.pathways / minutes;
  const perPathway = result.decisions / result.pathways;
  const decisionsPerSecond = result.decisions / (result.simulatedMs / 1000);
  log(`simulation: ${result.pathways} referrals over ${opts.weeks} weeks in ${minutes.toFixed(1)} min of work (${(result.elapsedMs / 60_000).toFixed(1)} min with start-up), ${opts.concurrency} decisions in flight`);
  log(`  ${(opts.weeks / minutes).toFixed(2)} simulated weeks a minute; ${perMinute.toFixed(0)} referrals a minute; ${result.decisions} API decisions (${perPathway.toFixed(2)} a referral), ${decisionsPerSecond.toFixed(1)} a second`);
  log(`  a year at 700 a working day (${YEAR_PATHWAYS.toLocaleString('en-GB')} referrals) at this referral rate: about ${(YEAR_PATHWAYS / perMinute / 60).toFixed(1)} hours (target: under 1)`);
  log(`  load average (1/5/15 min) at the start ${loadAtStart}; ${daysCpu || 'CPU not measured'}`);
  if (ceiling) {
    const c = ceiling;
    // Every referral starts a workflow (its registration) and every other decision is an Update: at the bare rates,
    // with the server doing nothing else, that is the least the year could take.
    const updatesHours = (YEAR_PATHWAYS * (perPathway - 1)) / c.concurrentUpdatesPerSecond / 3600;
    const workflowsHours = YEAR_PATHWAYS / c.workflowsPerSecond / 3600;
    const least = updatesHours + workflowsHours;
    log(`same server's ceiling: bare Update ${c.sequentialUpdatesPerSecond.toFixed(0)}/s one at a time, ${c.concurrentUpdatesPerSecond.toFixed(0)}/s with ${c.concurrency} in flight; bare workflow ${c.workflowsPerSecond.toFixed(0)}/s with ${c.concurrency} in flight`);
    log(`  simulated decisions a second / bare Updates a second: ${(decisionsPerSecond / c.concurrentUpdatesPerSecond).toFixed(3)}`);
    log(`  least a year could take: ${YEAR_PATHWAYS.toLocaleString('en-GB')} workflows ÷ ${c.workflowsPerSecond.toFixed(0)}/s + ${YEAR_PATHWAYS.toLocaleString('en-GB')} × ${(perPathway - 1).toFixed(2)} Updates ÷ ${c.concurrentUpdatesPerSecond.toFixed(0)}/s`
      + ` = ${workflowsHours.toFixed(2)} + ${updatesHours.toFixed(2)} = ${least.toFixed(2)} hours (decisions a referral as in this run; a year's pathways make more);`
      + ` under an hour ${least < 1 ? 'not ruled out by this bound' : 'NOT possible on this server and machine'}`);
    log(`  load average at the end ${ceilingLoad}; ${ceilingCpu}`);
  }
  if (opts.record) {
    const pg = postgres(postgresUrl, { max: 1, onnotice: () => {} });
    const [{ v }] = await pg`select current_setting('server_version') as v`;
    await pg.end();
    recordBenchmark(`Simulation rate (npm run bench:simulate), ${new Date().toISOString().slice(0, 16).replace('T', ' ')} UTC`, v, '', lines);
  }
}

main().then(() => process.exit(0), (err) => { console.error(err); process.exit(1); });
