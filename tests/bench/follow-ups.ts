#!/usr/bin/env -S npx tsx
// The follow-up backlog benchmark (issue 16): N partial-booking entries (default 50,000) loaded by SQL into a database
// of its own on the loopback Postgres, then the follow-up backlog as the console asks for it (GET /api/follow-up-backlog,
// the API's order) and a filtered view, and the partial booking list's first page, each beside the same rows as bare SQL
// on the same database in the same run. Prints a table and appends a dated section to docs/benchmarks.md.
import os from 'node:os';
import { randomBytes } from 'node:crypto';
import { parseArgs } from 'node:util';
import type { AddressInfo } from 'node:net';
import { serve } from '@hono/node-server';
import postgres from 'postgres';
import { sql, type SQL } from 'drizzle-orm';
import { createApp } from '../../api/app';
import { silentLogger } from '../../api/log';
import { AccessDeskClient } from '../../bin/lib/api-client';
import { loadDemoTrust, prepareDatabase } from '../../bin/lib/system';
import { connectPostgres, queryRows, type Database } from '../../db/client';
import { londonDate } from '../../domain';
import { loopbackPostgresUrl, recordBenchmark } from './support';

const help = `Usage: npm run bench:follow-ups -- [--entries N] [--requests N] [--no-record]

Creates a database of its own on the loopback Postgres (TEST_POSTGRES_URL; any other host is refused), loads N
partial-booking entries by SQL (default 50000, at most 500000: patient, referral and entry each; due dates from 300 days
ago to 120 days ahead, LCAD 14 days after; 85% still open across waiting, invited, chased and with the clinician, the rest
booked or discharged; each booked one has its next follow-up as an open booking item due 30 days after), starts the API in this process on 127.0.0.1 and measures --requests times (default 200), in turn:
  backlog      GET /api/follow-up-backlog?range=[0,49] (open entries and booking items past due, by specialty, clinician and LCAD band)
  backlog 4-12 the same filtered to 4–12 weeks past the LCAD
  list page    GET /api/partial-booking?range=[0,49]&filter={"open":true} (soonest due first)
each beside the same rows and count as bare SQL (checked to be the same rows first). --no-record prints without appending
to docs/benchmarks.md.`;

const { values: args } = parseArgs({
  options: {
    entries: { type: 'string', default: '50000' }, requests: { type: 'string', default: '200' },
    'no-record': { type: 'boolean', default: false }, help: { type: 'boolean', short: 'h', default: false },
  },
});
if (args.help) { console.log(help); process.exit(0); }
const entryCount = Math.min(500_000, Math.max(1000, Number(args.entries) || 50_000));
const requestCount = Math.min(2000, Math.max(10, Number(args.requests) || 200));

const serverUrl = loopbackPostgresUrl();
const quantile = (sorted: number[], q: number) => sorted[Math.min(sorted.length - 1, Math.ceil(q * sorted.length) - 1)];
const ms = (n: number) => `${n.toFixed(1)} ms`;
const progress = (line: string) => console.log(`… ${line}`);

async function loadEntries(db: Database, n: number, today: string) {
  // Clinics in id order; entry i is seen in clinic i mod count (its specialty), due 300 days ago to 120 ahead.
  await db.execute(sql`create temporary table if not exists bench_clinic as
    select id, specialty_code, (row_number() over (order by id) - 1)::int as k from clinics`);
  const gen = sql`(select i, c.id as clinic, c.specialty_code as code, (${today}::date - 300 + (i * 7919) % 420) as due,
      case when i % 20 < 6 then 'waiting' when i % 20 < 11 then 'invited' when i % 20 < 14 then 'chased' when i % 20 < 17 then 'in_review'
        when i % 20 < 19 then 'booked' else 'discharged' end as status
    from generate_series(1, ${n}) i join bench_clinic c on c.k = i % (select count(*) from bench_clinic))`;
  progress(`loading ${n} patients and referrals`);
  await db.execute(sql`insert into patients (id, nhs_number, given_name, family_name, date_of_birth)
    select 'bpat_' || g.i, '8' || lpad(g.i::text, 9, '0'), 'Bench', 'Patient' || g.i, '1960-01-01' from ${gen} g`);
  await db.execute(sql`insert into referrals (id, patient_id, source, received_at, specialty_code, priority, clinical_priority, reason, state, workflow_id, pathway_started, clinic_id)
    select 'bref_' || g.i, 'bpat_' || g.i, 'gp_letter', g.due - 200, g.code, 'routine', 'routine', 'Benchmark pathway', 'awaiting_follow_up', 'bench', true, g.clinic
    from ${gen} g`);
  progress('loading the partial booking list');
  await db.execute(sql`insert into partial_booking_entries (id, entry_key, referral_id, patient_id, specialty_code, clinic_id, listed_on, due_date, lcad,
      status, invited_on, chased_on)
    select 'bpbe_' || g.i, 'bench:' || g.i, 'bref_' || g.i, 'bpat_' || g.i, g.code, g.clinic, g.due - 84, g.due, g.due + 14, g.status::partial_booking_status,
      case when g.status <> 'waiting' then g.due - 42 end, case when g.status in ('chased', 'in_review') then g.due - 28 end
    from ${gen} g`);
  // A booked tenth of the list has its next follow-up as a booking item (short, so not listed), due 30 days after.
  progress('loading follow-up booking items');
  await db.execute(sql`insert into tasks (id, task_key, type, title, status, priority, priority_rank, due_at, queue_id, workflow_id, referral_id, patient_id, payload)
    select 'btask_' || g.i, 'bref_' || g.i || ':9:book_follow_up', 'book_follow_up', 'Book follow-up', case when g.i % 3 = 0 then 'claimed' else 'open' end::task_status,
      'routine', 2, (g.due + 30)::timestamptz, (select id from queues order by id limit 1), 'bench', 'bref_' || g.i, 'bpat_' || g.i,
      jsonb_build_object('specialtyCode', g.code, 'clinicId', g.clinic, 'slotType', 'follow_up', 'bookBy', (g.due + 30)::text)
    from ${gen} g where g.status = 'booked'`);
  await db.execute(sql`analyze`);
}

type Kind = 'backlog' | 'backlog 4-12' | 'list page';

/** The same rows by hand: the backlog's groups (furthest past LCAD first) or the list's first page, and the count. */
function bareSql(kind: Kind, today: string): { rows: SQL; count: SQL } {
  if (kind === 'list page') {
    const from = sql`from partial_booking_entries e join patients p on p.id = e.patient_id left join clinics cl on cl.id = e.clinic_id
      where e.status in ('waiting', 'invited', 'chased', 'in_review')`;
    return {
      rows: sql`select e.id, e.referral_id, p.given_name || ' ' || p.family_name, e.specialty_code, cl.clinician_name, e.due_date, e.lcad, e.status, e.invited_on
        ${from} order by e.due_date, e.lcad, e.id limit 50`,
      count: sql`select count(*)::int as n ${from}`,
    };
  }
  // Written out by hand (not the API's fragments): each overdue follow-up once with its days past the LCAD, then the band.
  // On the list: the entry's LCAD. A booking item (none for a referral still on the list): LCAD 14 days after its book-by
  // date; a ward form's (its item or the clinician's review, before any attendance): the ward's date is due and LCAD.
  const rowsPast = sql`select e.specialty_code, cl.clinician_name, e.due_date, ${today}::date - e.lcad as past, 'partial_booking' as source
    from partial_booking_entries e join specialties s on s.code = e.specialty_code left join clinics cl on cl.id = e.clinic_id
    where e.status in ('waiting', 'invited', 'chased', 'in_review') and e.due_date < ${today}::date
    union all
    select i.specialty_code, coalesce(cl.clinician_name, i.ward_clinician), i.due,
      ${today}::date - case when i.ward_limit then i.due else i.due + 14 end, case when i.ward then 'ward_form' else 'booking_item' end
    from (select r.specialty_code, ws.name as ward_clinician, w.id is not null as ward,
        case when t.type = 'clinical_review' then w.book_by else (t.payload->>'bookBy')::date end as due,
        t.type = 'clinical_review' or t.payload ? 'wardFormId' as ward_limit,
        coalesce(t.payload->>'clinicId', case when w.id is null then r.clinic_id end) as clinic_id
      from tasks t join referrals r on r.id = t.referral_id join specialties s on s.code = r.specialty_code
        left join ward_forms w on w.referral_id = r.id and not exists (select 1 from appointments a where a.referral_id = r.id and a.state = 'attended')
        left join staff ws on ws.id = w.clinician_id
      where t.status in ('open', 'claimed')
        and (t.type = 'book_follow_up' or (t.type = 'clinical_review' and t.payload->>'reason' = 'ward_form_interval' and w.id is not null))
        and not exists (select 1 from partial_booking_entries o where o.referral_id = r.id and o.status in ('waiting', 'invited', 'chased', 'in_review'))) i
      left join clinics cl on cl.id = i.clinic_id
    where i.due < ${today}::date`;
  const banded = sql`select r.*, case when r.past <= 0 then 'not_past_lcad' when r.past <= 28 then 'up_to_4_weeks'
    when r.past <= 84 then '4_to_12_weeks' else 'over_12_weeks' end as band from (${rowsPast}) r`;
  const groups = sql`select b.specialty_code || '|' || coalesce(b.clinician_name, '') || '|' || b.band as id, count(*) as n, min(b.due_date),
      greatest(max(b.past), 0) as most, count(*) filter (where b.source = 'partial_booking') as listed,
      count(*) filter (where b.source = 'booking_item') as items, count(*) filter (where b.source = 'ward_form') as ward
    from (${banded}) b ${kind === 'backlog 4-12' ? sql`where b.band = '4_to_12_weeks'` : sql``}
    group by b.specialty_code, b.clinician_name, b.band`;
  return {
    rows: sql`select g.id, g.n, g.most, g.listed, g.items, g.ward from (${groups}) g order by g.most desc, g.n desc, g.id asc limit 50`,
    count: sql`select count(*)::int as n from (${groups}) g`,
  };
}

async function main() {
  const name = `access_desk_bench_follow_ups_${randomBytes(4).toString('hex')}`;
  const admin = postgres(serverUrl, { max: 1, onnotice: () => {} });
  await admin.unsafe(`create database ${name}`);
  const url = new URL(serverUrl);
  url.pathname = `/${name}`;
  const handle = connectPostgres(url.toString(), { max: 10 });
  let server: ReturnType<typeof serve> | undefined;
  const lines: string[] = [];
  const log = (line: string) => { console.log(line); lines.push(line); };
  try {
    const today = londonDate(Date.now());
    progress(`database ${name}: migrations and the demo trust`);
    await prepareDatabase(handle);
    await loadDemoTrust(handle, 'access-desk-bench');
    const loadStarted = performance.now();
    await loadEntries(handle.db, entryCount, today);
    const loadSeconds = (performance.now() - loadStarted) / 1000;
    const pgVersion = (await queryRows<{ v: string }>(handle.db, sql`select current_setting('server_version') as v`))[0].v;
    const [{ overdue }] = await queryRows<{ overdue: number }>(handle.db, sql`select count(*)::int as overdue from partial_booking_entries
      where status in ('waiting', 'invited', 'chased', 'in_review') and due_date < ${today}::date`);
    const [{ items }] = await queryRows<{ items: number }>(handle.db, sql`select count(*)::int as items from tasks
      where type = 'book_follow_up' and status in ('open', 'claimed') and (payload->>'bookBy')::date < ${today}::date`);

    progress('starting the API on 127.0.0.1');
    const app = createApp({ db: handle.db, temporal: {} as never, logger: silentLogger });
    server = serve({ fetch: app.fetch, port: 0, hostname: '127.0.0.1' });
    await new Promise((r) => server!.once('listening', r));
    const base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    const client = new AccessDeskClient(base);
    await client.signIn('officer@demo.nhs.uk', 'access-desk-bench');
    const cookie = (client as unknown as { cookie: string }).cookie;

    const apiUrl = (kind: Kind) => kind === 'list page'
      ? `${base}/api/partial-booking?${new URLSearchParams({ range: '[0,49]', filter: '{"open":true}' })}`
      : `${base}/api/follow-up-backlog?${new URLSearchParams({ range: '[0,49]', filter: kind === 'backlog' ? '{}' : '{"band":"4_to_12_weeks"}' })}`;
    const kinds: Kind[] = ['backlog', 'backlog 4-12', 'list page'];
    for (const kind of kinds) {
      const res = await fetch(apiUrl(kind), { headers: { cookie } });
      const body = await res.json() as Array<{ id: string }>;
      if (res.status !== 200) throw new Error(`${kind} answered ${res.status}: ${JSON.stringify(body)}`);
      const q = bareSql(kind, today);
      const bare = await queryRows<{ id: string }>(handle.db, q.rows);
      const [{ n }] = await queryRows<{ n: number }>(handle.db, q.count);
      const total = Number(res.headers.get('content-range')?.split('/').pop());
      if (body.map((x) => x.id).join(',') !== bare.map((x) => x.id).join(',') || total !== n) {
        throw new Error(`The API's ${kind} differs from the bare SQL's: ${total} against ${n} rows`);
      }
    }
    const byKind = new Map<Kind, { api: number[]; sql: number[] }>(kinds.map((k) => [k, { api: [], sql: [] }]));
    for (const kind of kinds) await (await fetch(apiUrl(kind), { headers: { cookie } })).text();
    for (let i = 0; i < requestCount; i++) {
      const kind = kinds[i % kinds.length];
      const timeApi = async () => {
        const t = performance.now();
        const res = await fetch(apiUrl(kind), { headers: { cookie } });
        await res.json();
        if (res.status !== 200) throw new Error(`${kind} answered ${res.status}`);
        return performance.now() - t;
      };
      const timeSql = async () => {
        const t = performance.now();
        const q = bareSql(kind, today);
        await Promise.all([queryRows(handle.db, q.rows), queryRows(handle.db, q.count)]);
        return performance.now() - t;
      };
      const [a, s] = i % 2 ? [await timeApi(), await timeSql()] : await timeSql().then(async (s1) => [await timeApi(), s1]);
      byKind.get(kind)!.api.push(a);
      byKind.get(kind)!.sql.push(s);
      if ((i + 1) % 50 === 0) progress(`${i + 1} of ${requestCount} requests`);
    }

    const cpu = os.cpus();
    log(`Access Desk follow-up backlog benchmark — ${entryCount} partial-booking entries (${overdue} open and past due, and ${items} booking items past their date), ${requestCount} requests, `
      + `${cpu[0]?.model.trim() ?? 'CPU'} ×${cpu.length}, Node ${process.version}, Postgres ${pgVersion}`);
    log(`load by SQL: ${loadSeconds.toFixed(1)} s; load average (1/5/15 min) at the end: ${os.loadavg().map((x) => x.toFixed(1)).join(' / ')} on ${cpu.length} CPUs`);
    log('');
    log('Request (50 rows + count)                   p50         p95         max       | bare SQL p50   p95         | p95 API/SQL');
    for (const [kind, k] of byKind) {
      const sa = [...k.api].sort((x, y) => x - y);
      const ss = [...k.sql].sort((x, y) => x - y);
      log(`  ${`${kind} (${k.api.length})`.padEnd(41)} ${ms(quantile(sa, 0.5)).padEnd(11)} ${ms(quantile(sa, 0.95)).padEnd(11)} ${ms(sa.at(-1)!).padEnd(9)} | `
        + `${ms(quantile(ss, 0.5)).padEnd(14)} ${ms(quantile(ss, 0.95)).padEnd(11)} | ${(quantile(sa, 0.95) / quantile(ss, 0.95)).toFixed(2)}`);
    }

    if (!args['no-record']) {
      recordBenchmark(`Follow-up backlog benchmark (npm run bench:follow-ups), ${today}`, pgVersion,
        'The API runs in the benchmark\'s process and is called over HTTP on 127.0.0.1; the bare SQL is the same rows (checked first) and '
        + 'count, written by hand, on the same pool, alternating which goes first.', lines);
    }
  } finally {
    server?.close();
    await handle.close();
    await admin.unsafe(`drop database if exists ${name} with (force)`);
    await admin.end();
  }
}

main().catch((err) => { console.error(err); process.exit(1); });
