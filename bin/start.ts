#!/usr/bin/env -S npx tsx
// npm start: everything in one process tree with embedded defaults — a Temporal dev server, PGlite
// (unless DATABASE_URL is set), migrations, the worker, the API and the console, with demo data.
// The worker and the API run in a child process that this one restarts if it dies; the Temporal dev
// server stays here, so pathways and timers carry on across a restart.
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { sql } from 'drizzle-orm';
import { connectPglite, connectPostgres, queryRows } from '../db/client';
import { hl7FeedConfig, loadConfig } from './lib/config';
import { createLogger } from '../api/log';
import { installTemporalRuntime } from './lib/temporal-log';
import { DEMO_WALKED, loadDemoData, progressBar } from './lib/demo';
import { demoStaff } from '../db/reference-data';
import { ersFromConfig, loadDemoTrust, londonToday, prepareDatabase, startSystem } from './lib/system';
import { workerTuning } from './lib/worker';
import { startTemporalDevServer, type RunningTemporal } from './lib/temporal-server';
import { supervise } from './lib/supervise';
import { assertTemporalSettings, temporalConnectionOptions } from './lib/temporal-connection';
import { startLocalNotify, type LocalNotify } from './lib/local-notify';
import { startLocalErs, type LocalErs } from './lib/local-ers';
import { startLocalPas, type LocalPas } from './lib/local-pas';
import type { Config } from './lib/config';

const help = `Usage: npm start [-- --no-seed] [-- --demo-count N]

Starts Access Desk with embedded defaults: a Temporal dev server (SQLite under DATA_DIR, Web UI on
TEMPORAL_UI_PORT), PGlite under DATA_DIR unless DATABASE_URL is set, the worker, the API and the
console on http://localhost:PORT. On an empty database it loads demo data first.

Options:
  --no-seed         do not load demo referrals (the demo trust: clinics, queues and sign-ins, always loads)
  --demo-count N    how many demo referrals to load (default 2000)
  -h, --help        this help

Environment: HOST (127.0.0.1), PORT (3000), DATA_DIR (data), DATABASE_URL, TEMPORAL_ADDRESS (use an existing server),
TEMPORAL_PORT (7233), TEMPORAL_UI_PORT (8233), TEMPORAL_CLI_PATH, DEMO_PASSWORD (access-desk-demo), LOG_LEVEL,
NOTIFY_BASE_URL and NOTIFY_API_KEY (a GOV.UK Notify account; unset, a local Notify service is started), NOTIFY_TEMPLATES,
ERS_BASE_URL, ERS_ACCESS_TOKEN, ERS_ODS_CODE, ERS_BUSINESS_FUNCTION, ERS_ON_BEHALF_OF_USER_ID, ERS_SERVICE_IDS (an e-RS environment;
unset, a local e-RS service is started that releases a few demo referrals every minute: docs/ers.md).
HL7_HOST and HL7_PORT (the PAS's MLLP listener; unset, a local PAS is started), TRUST_ODS_CODE, HL7_FEED=off to send nothing
(docs/hl7.md).`;

/** What the local e-RS holds at start and how fast more arrive. */
const localErsDemo = { visible: 12, held: 180, releaseEveryMs: 60_000, releaseBatch: 3 };

async function main() {
  const args = process.argv.slice(2);
  if (args.includes('-h') || args.includes('--help')) { console.log(help); return; }
  const countArg = args.indexOf('--demo-count');
  const demoCount = countArg >= 0 ? Number(args[countArg + 1]) : 2000;
  if (!Number.isInteger(demoCount) || demoCount < 0) throw new Error('--demo-count must be a whole number');
  let config: Config;
  try {
    config = loadConfig();
    assertTemporalSettings(config.temporal);
  } catch (err) {
    console.error((err as Error).message);
    process.exit(2);
  }
  if (process.env.ACCESS_DESK_SUPERVISED === '1') return runSystem(args, config, demoCount);
  return superviseSystem(args, config);
}

/** The parent: the Temporal dev server, and the worker and API as a child that is kept running. */
async function superviseSystem(args: string[], config: Config) {
  const say = (m: string) => console.log(m);
  // The SDK's own chatter (worker state changes) is for operators who ask for it.
  installTemporalRuntime(createLogger('access-desk', config.logLevel), config.logLevel === 'debug' ? 'DEBUG' : 'WARN');
  let temporal: RunningTemporal | undefined;
  let notify: LocalNotify | undefined;
  let ers: LocalErs | undefined;
  let pas: LocalPas | undefined;
  let stopping = false;
  let child: ReturnType<typeof supervise> | undefined;
  const stopAll = async (code = 0) => {
    if (stopping) return;
    stopping = true;
    await child?.stop().catch((err) => console.error(String(err)));
    console.log('Stopping the Temporal dev server …');
    await temporal?.stop().catch((err) => console.error(String(err)));
    await notify?.stop().catch((err) => console.error(String(err)));
    await ers?.stop().catch((err) => console.error(String(err)));
    await pas?.stop().catch((err) => console.error(String(err)));
    process.exit(code);
  };
  process.on('SIGINT', () => void stopAll());
  process.on('SIGTERM', () => void stopAll());
  try {
    let address = config.temporal.address;
    if (!address) {
      say(`Starting the Temporal dev server (data in ${path.relative(process.cwd(), config.dataDir) || '.'}/temporal.db) …`);
      temporal = await startTemporalDevServer({ dataDir: config.dataDir, port: config.temporal.port, uiPort: config.temporal.uiPort,
        cliPath: config.temporal.cliPath, namespace: config.temporal.namespace, say });
      address = temporal.address;
    }
    // No Notify account configured: a local GOV.UK Notify here, which (like Temporal) outlives a restarted child.
    const localServicesEnv: Record<string, string> = {};
    if (!config.notify.baseUrl) {
      notify = await startLocalNotify();
      say(`Started the local GOV.UK Notify service at ${notify.baseUrl} (nothing is really sent).`);
      Object.assign(localServicesEnv, { NOTIFY_BASE_URL: notify.baseUrl, NOTIFY_API_KEY: notify.apiKey });
    }
    // No e-RS environment configured: a local e-RS whose worklists fill up over time, so referrals are seen arriving.
    if (!config.ers.baseUrl) {
      ers = await startLocalErs({ seed: { visible: localErsDemo.visible, held: localErsDemo.held }, releaseEveryMs: localErsDemo.releaseEveryMs, releaseBatch: localErsDemo.releaseBatch });
      say(`Started the local e-Referral Service at ${ers.baseUrl} (${localErsDemo.visible} demo referrals waiting, ${localErsDemo.releaseBatch} more every minute).`);
      Object.assign(localServicesEnv, { ERS_BASE_URL: ers.baseUrl, ERS_ACCESS_TOKEN: ers.userToken, ERS_ODS_CODE: ers.odsCode, ERS_BUSINESS_FUNCTION: 'SERVICE_PROVIDER_CLINICIAN' });
    }
    // No PAS configured and the feed not switched off: a local PAS that ACKs the HL7 feed (docs/hl7.md).
    if (config.hl7.enabled && !config.hl7.host) {
      pas = await startLocalPas();
      say(`Started the local PAS (HL7 v2 over MLLP) at ${pas.host}:${pas.port}; what it received: ${pas.controlUrl}/__control/messages.`);
      Object.assign(localServicesEnv, { HL7_HOST: pas.host, HL7_PORT: String(pas.port) });
    }
    child = supervise({
      name: 'Access Desk (worker and API)',
      command: process.execPath,
      args: [...process.execArgv, fileURLToPath(import.meta.url), ...args],
      env: { ...process.env, ...localServicesEnv, TEMPORAL_ADDRESS: address, ACCESS_DESK_SUPERVISED: '1', ACCESS_DESK_TEMPORAL_UI: temporal?.uiUrl ?? '' },
      giveUpOn: [2],
      onGiveUp: () => void stopAll(1),
    });
  } catch (err) {
    console.error(`\nAccess Desk could not start: ${(err as Error).message}`);
    await stopAll(1);
  }
}

/** The child: database, migrations, worker, API and (on an empty database) the demo data. */
async function runSystem(args: string[], config: Config, demoCount: number) {
  const say = (m: string) => console.log(m);
  const logger = createLogger('access-desk', config.logLevel === 'info' ? 'warn' : config.logLevel);
  // Shutdown is ours: Ctrl-C stops the worker, the API, the database and the Temporal server in turn.
  installTemporalRuntime(logger, config.logLevel === 'debug' ? 'DEBUG' : 'WARN');

  const stops: Array<() => Promise<void>> = [];
  let stopping = false;
  const stopAll = async (code = 0) => {
    if (stopping) return;
    stopping = true;
    console.log('\nStopping Access Desk …');
    for (const stop of stops.reverse()) await stop().catch((err) => console.error(String(err)));
    process.exit(code);
  };
  process.on('SIGINT', () => void stopAll());
  process.on('SIGTERM', () => void stopAll());

  try {
    const address = config.temporal.address!;
    const db = config.databaseUrl ? connectPostgres(config.databaseUrl) : connectPglite(path.join(config.dataDir, 'pglite'));
    stops.push(() => db.close());
    say(config.databaseUrl ? 'Using the Postgres database at DATABASE_URL.' : `Using the embedded database in ${path.relative(process.cwd(), config.dataDir) || '.'}/pglite.`);
    say('Applying migrations and loading the demo trust (clinics, queues, staff) …');
    await prepareDatabase(db);
    await loadDemoTrust(db, config.demoPassword);
    // Empty before anything starts: once the e-RS poll runs, referrals it brings in must not be taken for demo data.
    const [{ n }] = await queryRows<{ n: number }>(db.db, sql`select count(*)::int as n from referrals`);
    const loadDemo = n === 0 && !args.includes('--no-seed') && demoCount > 0;
    say('Starting the worker and the API (the first start bundles the workflows) …');
    const system = await startSystem({
      db, temporalAddress: address, namespace: config.temporal.namespace,
      // A configured cluster's TLS or API key; the dev server started here takes neither.
      temporalSecurity: config.temporal.address ? temporalConnectionOptions(config.temporal) : undefined, taskQueue: config.temporal.taskQueue, port: config.port, host: config.host,
      uiDist: config.uiDist, logger, quietBundler: true, slotHorizonSchedule: true, workerTuning: workerTuning(config.worker),
      notify: config.notify.baseUrl && config.notify.apiKey ? { baseUrl: config.notify.baseUrl, apiKey: config.notify.apiKey, templates: config.notify.templates } : undefined,
      web: { sessionHours: config.sessionHours, cookieSecure: config.cookieSecure, corsOrigins: config.corsOrigins, metricsToken: process.env.METRICS_TOKEN || undefined },
      hl7: config.hl7.enabled && config.hl7.host ? hl7FeedConfig(config.hl7, { host: config.hl7.host, port: config.hl7.port }) : undefined,
      // Issue 14: the e-RS poll (its Schedule and the worker's e-RS activities).
      ers: ersFromConfig(config.ers),
    });
    stops.push(() => system.stop());

    console.log(`
Access Desk is running.
  Console:          ${system.url}
  Temporal Web UI:  ${process.env.ACCESS_DESK_TEMPORAL_UI || `(your Temporal server at ${address})`}
  Sign in as (password: ${config.demoPassword === 'access-desk-demo' ? 'access-desk-demo' : 'DEMO_PASSWORD'}):
${demoStaff.map((s) => `    ${s.email.padEnd(24)} ${s.role.replace('_', ' ')}`).join('\n')}
Press Ctrl-C to stop.`);
    if (loadDemo) {
      // The console is open meanwhile: the load runs beside it over a bounded number of lanes, and steps round
      // whatever a person gets to first. Demo data is a convenience: whatever stops it part way, Access Desk keeps running.
      const walked = Math.min(demoCount, DEMO_WALKED);
      say(`\nLoading ${demoCount} demo referrals: ${walked} walked through the API and their pathways, `
        + `${demoCount - walked > 0 ? `the other ${demoCount - walked} imported as the go-live waiting list` : 'none imported'} (the console is usable meanwhile) …`);
      const started = Date.now();
      loadDemoData({ baseUrl: system.url, password: config.demoPassword, today: londonToday(), db: db.db, count: demoCount, onProgress: progressBar('Demo referrals') })
        .then((loaded) => {
          say(`Demo data loaded in ${Math.round((Date.now() - started) / 1000)} s.`);
          if (loaded.skipped > 0) say(`Loaded ${loaded.referrals} demo referrals in full (${loaded.imported} imported); ${loaded.skipped} stopped part way because someone was already working on them.`);
        })
        .catch((err: unknown) => {
          if (!stopping) console.error(`Demo data stopped part way (${(err as Error).message}); Access Desk is running with what was loaded.`);
        });
    }
  } catch (err) {
    console.error(`\nAccess Desk could not start: ${(err as Error).message}`);
    await stopAll(1);
  }
}

void main();
