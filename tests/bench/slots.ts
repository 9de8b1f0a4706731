#!/usr/bin/env -S npx tsx
// The slot generation benchmark: 200 clinics with four sessions a week like the demo ones, 26 weeks of slots
// made by the reconciliation the slot-horizon Schedule runs (db/slots.ts reconcileClinics), then a second run
// (idempotent: nothing new) and one clinic's template change, beside the ceiling a bare
// `insert … select … generate_series` of as many rows reaches on the same database in the same run.
// It only measures and prints, and appends what it printed to docs/benchmarks.md.
import os from 'node:os';
import { randomBytes } from 'node:crypto';
import { appendFileSync } from 'node:fs';
import { execSync } from 'node:child_process';
import { parseArgs } from 'node:util';
import postgres from 'postgres';
import { sql } from 'drizzle-orm';
import { connectPostgres, queryRows } from '../../db/client';
import { demoClinics, demoSpecialties } from '../../db/reference-data';
import { clinics, clinicTemplates, clinicTemplateVersions, specialties } from '../../db/schema';
import { horizonEnd, reconcileClinic, reconcileClinics } from '../../db/slots';
import { addDays, defaultAccessPolicy, londonDate } from '../../domain';
import { loopbackPostgresUrl } from './support';

const help = `Usage: npm run bench:slots -- [--clinics N] [--rounds N] [--no-record]

Creates a database on the local Postgres (TEST_POSTGRES_URL, default postgres://postgres@127.0.0.1:5432/postgres;
loopback only) with N clinics (default 200), each with the demo clinics' weekly template (four sessions, 24 slots),
then, in the same run:
  first     reconcile every clinic from today to the horizon (${defaultAccessPolicy.slots.horizonDays} days): every slot is new
  second    the same again: nothing to add (the nightly Schedule's usual night)
  template  one clinic's new version from day 60 (half-hour new-patient slots): its free slots follow
  ceiling   one bare insert … select … generate_series of as many rows into a copy of the slots table
Rounds (default 3) repeat it all on emptied tables; medians are shown. The database is dropped at the end.

Options:
  --clinics N   clinics (default 200)
  --rounds N    rounds (default 3)
  --no-record   print only; do not append to docs/benchmarks.md
  -h, --help    this help`;

const { values: args } = parseArgs({
  options: {
    clinics: { type: 'string', default: '200' }, rounds: { type: 'string', default: '3' },
    'no-record': { type: 'boolean', default: false }, help: { type: 'boolean', short: 'h', default: false },
  },
});
if (args.help) { console.log(help); process.exit(0); }
const clinicCount = Math.min(2000, Math.max(1, Number(args.clinics)));
const rounds = Math.min(10, Math.max(1, Number(args.rounds)));

const serverUrl = loopbackPostgresUrl();

const ms = (x: number) => (x < 10 ? `${x.toFixed(2)} ms` : x < 1000 ? `${Math.round(x)} ms` : `${(x / 1000).toFixed(2)} s`);
const median = (xs: number[]) => { const s = [...xs].sort((a, b) => a - b); return s[Math.floor(s.length / 2)]; };
const time = async <T>(f: () => Promise<T>): Promise<[number, T]> => { const t = performance.now(); const r = await f(); return [performance.now() - t, r]; };
const n0 = (x: number) => Math.round(x).toLocaleString('en-GB');

const name = `access_desk_bench_slots_${randomBytes(4).toString('hex')}`;
const admin = postgres(serverUrl, { max: 1, onnotice: () => {} });
await admin.unsafe(`create database ${name}`);
const url = new URL(serverUrl);
url.pathname = `/${name}`;
const handle = connectPostgres(url.toString(), { max: 4 });
const db = handle.db;
const lines: string[] = [];
const out = (line = '') => { console.log(line); lines.push(line); };
const deadline = setTimeout(() => { console.error('slots bench: gave up after 20 minutes'); void cleanup().finally(() => process.exit(1)); }, 20 * 60_000);
let cleaned = false;
async function cleanup() {
  if (cleaned) return;
  cleaned = true;
  clearTimeout(deadline);
  await handle.close().catch(() => {});
  await admin.unsafe(`drop database if exists ${name} with (force)`).catch(() => {});
  await admin.end({ timeout: 5 }).catch(() => {});
}
process.once('SIGINT', () => { void cleanup().then(() => process.exit(130)); });

try {
  await handle.migrate();
  const today = londonDate(Date.now());
  const to = horizonEnd(today);
  // N clinics, each with a demo clinic's template (cycling through the 20), version 1 from a year ago.
  const patterns = demoClinics();
  await db.insert(specialties).values([...demoSpecialties]);
  const clinicRows = Array.from({ length: clinicCount }, (_, i) => ({ ...patterns[i % patterns.length], id: `clin_b${String(i).padStart(4, '0')}` }));
  await db.insert(clinics).values(clinicRows.map((c) => ({ id: c.id, name: `${c.name} ${c.id}`, specialtyCode: c.specialtyCode, clinicianName: c.clinicianName, site: c.site })));
  await db.insert(clinicTemplateVersions).values(clinicRows.map((c) => ({ id: `tmplv_${c.id}`, clinicId: c.id, version: 1, effectiveFrom: addDays(today, -365) })));
  await db.insert(clinicTemplates).values(clinicRows.flatMap((c) => c.template.map((t, k) => ({
    id: `tmpl_${c.id}_${k}`, clinicId: c.id, ...t, effectiveFrom: addDays(today, -365), versionId: `tmplv_${c.id}`,
  }))));
  await queryRows(db, sql`create table slots_ceiling (like slots including all)`);

  // The changed clinic: its new-patient session in half-hour slots from day 60 (the others as they were).
  const changed = clinicRows[0];
  const v2 = changed.template.map((t) => (t.slotType === 'new' ? { ...t, slotMinutes: 30, slotCount: 4 } : t));

  const loadAtStart = os.loadavg()[0];
  const firstMs: number[] = []; const secondMs: number[] = []; const changeMs: number[] = []; const ceilingMs: number[] = [];
  let made = 0; let again = -1; let change = { slotsAdded: 0, slotsUpdated: 0, slotsRemoved: 0 };
  for (let round = 0; round < rounds; round++) {
    await queryRows(db, sql`truncate slots, slots_ceiling cascade`); // cascade: the (empty) appointments and offers name slots
    await queryRows(db, sql`delete from clinic_templates where version_id = ${`tmplv_${changed.id}_2`}`);
    await queryRows(db, sql`delete from clinic_template_versions where id = ${`tmplv_${changed.id}_2`}`);

    const [first, r1] = await time(() => reconcileClinics(db, { from: today, to, actorId: null }));
    firstMs.push(first); made = r1.slotsAdded;
    const [second, r2] = await time(() => reconcileClinics(db, { from: today, to, actorId: null }));
    secondMs.push(second); again = r2.slotsAdded + r2.slotsUpdated + r2.slotsRemoved;
    if (again !== 0) throw new Error(`the second run changed ${again} slots`);

    const from = addDays(today, 60);
    await db.insert(clinicTemplateVersions).values({ id: `tmplv_${changed.id}_2`, clinicId: changed.id, version: 2, effectiveFrom: from });
    await db.insert(clinicTemplates).values(v2.map((t, k) => ({ id: `tmpl_${changed.id}_2_${k}`, clinicId: changed.id, ...t, effectiveFrom: from, versionId: `tmplv_${changed.id}_2` })));
    const [c, r3] = await time(() => reconcileClinic(db, { clinicId: changed.id, from, to, actorId: null }));
    changeMs.push(c); change = r3;

    // The ceiling: as many rows in one statement, into a table with the same indexes.
    const [ceiling] = await time(() => queryRows(db, sql`
      insert into slots_ceiling (id, clinic_id, start, "end", type)
      select 'slot_c' || g, 'clin_b0000', timestamptz '2030-01-01' + g * interval '20 minutes', timestamptz '2030-01-01' + (g + 1) * interval '20 minutes', 'new'
      from generate_series(1, ${made}) g`));
    ceilingMs.push(ceiling);
  }
  const [{ version }] = await queryRows<{ version: string }>(db, sql`select current_setting('server_version') as version`);
  const [{ n: stored }] = await queryRows<{ n: number }>(db, sql`select count(*)::int as n from slots`);

  const f = median(firstMs); const s = median(secondMs); const ce = median(ceilingMs);
  out(`Access Desk slots benchmark — ${n0(clinicCount)} clinics × 4 sessions a week (24 slots), ${defaultAccessPolicy.slots.horizonDays} days from ${today}, `
    + `${os.cpus()[0]?.model.trim() ?? 'cpu'} ×${os.cpus().length}, Node ${process.version}, Postgres ${version}`);
  out(`load average (1 min) at the start ${loadAtStart.toFixed(2)}, at the end ${os.loadavg()[0].toFixed(2)}; ${rounds} rounds, medians`);
  out('');
  out(`first run    ${n0(made)} slots made in ${ms(f)}: ${n0(made / (f / 1000))} slots/s (${ms(f / clinicCount)} a clinic)`);
  out(`ceiling      the same ${n0(made)} rows by one insert … select generate_series: ${ms(ce)}, ${n0(made / (ce / 1000))} rows/s; first run / ceiling ${(f / ce).toFixed(1)}×`);
  out(`second run   0 slots made, changed or removed in ${ms(s)} (${ms(s / clinicCount)} a clinic); second / first ${(s / f).toFixed(2)}`);
  out(`template     one clinic's new version from day 60: ${change.slotsAdded} added, ${change.slotsUpdated} changed in place, ${change.slotsRemoved} removed in ${ms(median(changeMs))}`);
  out(`slots stored at the end: ${n0(stored)}`);

  if (!args['no-record']) {
    const commit = execSync('git rev-parse --short HEAD', { encoding: 'utf8' }).trim();
    appendFileSync(new URL('../../docs/benchmarks.md', import.meta.url), `\n## Slots benchmark, ${today} (\`npm run bench:slots\`, commit \`${commit}\`)\n\n`
      + `\`\`\`\n${lines.join('\n')}\n\`\`\`\n`);
  }
} finally {
  await cleanup();
}
