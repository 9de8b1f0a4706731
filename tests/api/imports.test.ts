// Go-live imports (issue 13) on the real stack: the API takes the PAS extract as text/csv, answers 202 and an id, and
// the job runs in the background. A dry run reports every bad row with its line and field and changes nothing; the
// job records progress chunk by chunk, stops after a chunk and resumes from its next line, and two runners of one
// import never both count a chunk. The real-run suite at the end checks the pathways the file makes (H2's
// importPathways); it runs once that is merged in place of this branch's placeholder.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sql } from 'drizzle-orm';
import type { AccessDeskClient } from '../../bin/lib/api-client';
import { queryRows } from '../../db/client';
import { addDays, rttBreachDate } from '../../domain';
import type { ImportRow } from '../../domain/import';
import { importPathways } from '../../api/import-pathways';
import { createImport, readImport, runImport, type ImportJobDeps } from '../../api/imports';
import { silentLogger } from '../../api/log';
import { startTestStack, type TestStack } from '../support/stack';
import { importFile, nhsNumberFor, type ImportCells } from '../support/import-file';

let stack: TestStack;
let leader: AccessDeskClient;
let admin: AccessDeskClient;
let today: string;
const rows = <T = any>(query: ReturnType<typeof sql>) => queryRows<T>(stack.db.db, query);

beforeAll(async () => {
  stack = await startTestStack({ database: 'postgres', temporal: 'dev', workflowCache: false });
  leader = await stack.signIn('leader@demo.nhs.uk');
  admin = await stack.signIn('admin@demo.nhs.uk');
  today = stack.today();
});
afterAll(async () => { await stack?.stop(); });

let serial = 0;
/** A good row: a new patient and pathway each time unless told otherwise. */
function goodRow(over: ImportCells = {}): ImportCells {
  const n = ++serial;
  return {
    nhs_number: nhsNumberFor(n), given_name: 'Ann', family_name: `Imported${n}`, date_of_birth: '1958-06-14', postcode: 'L39 2AZ',
    pathway_id: `PPID-T${n}-${Date.now().toString(36)}`, treatment_function_code: '100', priority: 'routine', clock_start: addDays(today, -40),
    stage: 'awaiting_first_appointment', ...over,
  };
}

/** POST /api/imports with a raw body, as a browser or curl sends a file. */
async function postFile(client: AccessDeskClient | null, body: string, opts: { query?: string; type?: string } = {}) {
  const res = await fetch(`${stack.url}/api/imports${opts.query ?? ''}`, {
    method: 'POST', body, headers: { 'content-type': opts.type ?? 'text/csv', ...(client ? { cookie: client.sessionCookie } : {}) },
  });
  const text = await res.text();
  return { status: res.status, body: text ? JSON.parse(text) : null, headers: res.headers };
}

/** The import once its run has ended (done or failed), read through the API. */
async function finished(id: string) {
  await stack.system.imports.running(id);
  for (let i = 0; i < 200; i++) {
    const found = await leader.get(`/api/imports/${id}`);
    if (found.status !== 'running') return found;
    await new Promise((r) => setTimeout(r, 50));
  }
  throw new Error(`import ${id} still running`);
}

const counts = () => rows<Record<string, number>>(sql`select
  (select count(*)::int from patients) as patients, (select count(*)::int from referrals) as referrals,
  (select count(*)::int from pathways) as pathways, (select count(*)::int from tasks) as tasks,
  (select count(*)::int from appointments) as appointments, (select count(*)::int from slots where status = 'booked') as "bookedSlots"`).then((r) => r[0]);

describe('a dry run', () => {
  it('reports every bad row with its line and field and imports nothing', async () => {
    const before = await counts();
    const file = importFile([
      goodRow(),
      goodRow({ nhs_number: '9434765918' }), // line 3: Modulus 11
      goodRow({ date_of_birth: '1960-02-30', treatment_function_code: '999' }), // line 4: two bad cells
      goodRow({ clock_start: addDays(today, 1) }), // line 5: clock start after today
      goodRow({ priority: 'soon', stage: 'waiting' }), // line 6
      goodRow({ last_rtt_code: '30', last_rtt_date: addDays(today, -3) }), // line 7: a stopped clock
      goodRow({ clinic_id: 'clin_2', appointment_start: `${addDays(today, 9)}T09:00:00Z` }), // line 8: clin_2 is Urology, the row General Surgery
      goodRow({ clinic_id: 'clin_1' }), // line 9: booked without a start
      goodRow({ pathway_id: '', ubrn: '' }), // line 10: neither PPID nor UBRN
      goodRow({ ubrn: '12345' }), // line 11
      'only,three,cells', // line 12
      goodRow({ stage: 'awaiting_triage' }),
    ]);
    const posted = await postFile(leader, file, { query: '?dryRun=true&fileName=extract.csv' });
    expect(posted.status).toBe(202);
    expect(posted.body).toEqual({ id: expect.stringMatching(/^imp_/) });
    expect(posted.headers.get('location')).toBe(`/api/imports/${posted.body.id}`);
    const done = await finished(posted.body.id);
    expect(done).toMatchObject({ id: posted.body.id, status: 'done', dryRun: true, fileName: 'extract.csv', total: 12, imported: 0, unchanged: 0, rejected: 10 });
    expect(done.errors.map((e: any) => [e.line, e.field])).toEqual([
      [3, 'nhs_number'], [4, 'date_of_birth'], [4, 'treatment_function_code'], [5, 'clock_start'], [6, 'priority'], [6, 'stage'],
      [7, 'last_rtt_code'], [8, 'clinic_id'], [9, 'appointment_start'], [10, 'pathway_id'], [11, 'ubrn'], [12, 'row'],
    ]);
    for (const e of done.errors) expect(e.message.length).toBeGreaterThan(10);
    expect(await counts()).toEqual(before);
  });

  it('of a clean file rejects nothing and still imports nothing', async () => {
    const before = await counts();
    const posted = await postFile(admin, importFile([goodRow(), goodRow({ stage: 'awaiting_follow_up', priority: 'urgent' })]), { query: '?dryRun=true' });
    const done = await finished(posted.body.id);
    expect(done).toMatchObject({ status: 'done', total: 2, rejected: 0, imported: 0, errors: [] });
    expect(await counts()).toEqual(before);
  });

  it('is audited with counts and never the file', async () => {
    const posted = await postFile(leader, importFile([goodRow()]), { query: '?dryRun=true' });
    await finished(posted.body.id);
    const audit = await rows<{ action: string; actorId: string; after: any }>(sql`select action, actor_id as "actorId", after from audit_log
      where entity_type = 'import' and entity_id = ${posted.body.id} order by id`);
    expect(audit.map((a) => a.action)).toEqual(['import.started', 'import.finished']);
    expect(audit[0].actorId).toBe('staff_leader');
    expect(JSON.stringify(audit)).not.toMatch(/Imported|1958-06-14|L39/);
  });
});

describe('what the API refuses', () => {
  it('another content type: 415, after the role check', async () => {
    const file = importFile([goodRow()]);
    for (const type of ['application/json', 'text/plain', 'multipart/form-data; boundary=x']) {
      const res = await postFile(leader, file, { type });
      expect(res.status, type).toBe(415);
      expect(res.body).toMatchObject({ code: 'UNSUPPORTED_MEDIA_TYPE', errors: { '(body)': 'must be text/csv' } });
    }
    expect((await postFile(await stack.signIn('officer@demo.nhs.uk'), file, { type: 'application/json' })).status).toBe(403);
  });

  it('a wrong header: 400 naming the header, and no import is made', async () => {
    const [{ n: before }] = await rows<{ n: number }>(sql`select count(*)::int as n from imports`);
    const wrong = importFile([goodRow()]).replace('family_name', 'surname');
    const res = await postFile(leader, wrong);
    expect(res.status).toBe(400);
    expect(res.body.code).toBe('VALIDATION_FAILED');
    expect(res.body.errors.header).toMatch(/Column 3 .*"surname".*family_name/);
    expect((await postFile(leader, '')).body.errors.header).toMatch(/empty/);
    const [{ n: after }] = await rows<{ n: number }>(sql`select count(*)::int as n from imports`);
    expect(after).toBe(before);
  });

  it('a file over 50 MB: 413', async () => {
    const big = importFile([goodRow()]) + 'x'.repeat(50 * 1024 * 1024);
    // In process: a server refusing a body mid-upload may reset the socket before the client reads the answer.
    const res = await stack.system.app.request('/api/imports', { method: 'POST', body: big, headers: { 'content-type': 'text/csv', cookie: leader.sessionCookie } });
    expect(res.status).toBe(413);
    expect(await res.json()).toMatchObject({ code: 'PAYLOAD_TOO_LARGE', errors: { '(body)': 'must be at most 50 MB' } });
  });

  it('a bad dryRun: 400 naming it', async () => {
    const res = await postFile(leader, importFile([goodRow()]), { query: '?dryRun=yes' });
    expect(res.status).toBe(400);
    expect(res.body.errors).toEqual({ dryRun: 'must be true or false' });
  });

  it('officers, clinicians and ops: 403 for every import route; signed out: 401', async () => {
    const [{ id }] = await rows<{ id: string }>(sql`select id from imports limit 1`);
    for (const email of ['officer@demo.nhs.uk', 'clinician@demo.nhs.uk', 'ops@demo.nhs.uk']) {
      const client = await stack.signIn(email);
      expect((await postFile(client, importFile([goodRow()]), { query: '?dryRun=true' })).status, email).toBe(403);
      await expect(client.get('/api/imports'), email).rejects.toMatchObject({ status: 403 });
      await expect(client.get(`/api/imports/${id}`), email).rejects.toMatchObject({ status: 403 });
    }
    expect((await postFile(null, importFile([goodRow()]))).status).toBe(401);
  });

  it('an unknown import: 404', async () => {
    await expect(leader.get('/api/imports/imp_nothing')).rejects.toMatchObject({ status: 404 });
  });
});

describe('progress', () => {
  it('GET /api/imports/{id} has the contract\'s shape; the list follows the react-admin contract without the errors', async () => {
    const posted = await postFile(leader, importFile([goodRow(), goodRow({ nhs_number: '1' })]), { query: '?dryRun=true' });
    const one = await finished(posted.body.id);
    expect(one).toEqual({
      id: posted.body.id, status: 'done', dryRun: true, fileName: null, total: 2, imported: 0, unchanged: 0, rejected: 1, nextLine: 2,
      failure: null, createdBy: 'staff_leader', createdByName: 'Leah Leader', createdAt: expect.any(String), finishedAt: expect.any(String),
      errors: [{ line: 3, field: 'nhs_number', message: expect.any(String) }],
    });
    const res = await leader.request('GET', `/api/imports?sort=${encodeURIComponent('["createdAt","DESC"]')}&range=[0,1]&filter=${encodeURIComponent('{"dryRun":true}')}`);
    expect(res.headers.get('content-range')).toMatch(/^imports 0-1\/\d+$/);
    expect(res.body[0]).toMatchObject({ id: posted.body.id, status: 'done', rejected: 1 });
    expect(res.body[0]).not.toHaveProperty('errors');
    expect(res.body[0]).not.toHaveProperty('source');
    await expect(leader.get('/api/imports?filter={"status":"stopped"}')).rejects.toMatchObject({ status: 400 });
  });
});

describe('the job: chunks, stop and resume (its own importPathways, on Postgres)', () => {
  /** Writes nothing; notes each row it is given, and which rows a runner was given, in order. */
  function recorder(opts: { delayMs?: number; failAt?: number } = {}) {
    const seen: number[] = [];
    const fake: typeof importPathways = async (_ctx, _id, chunk: ImportRow[]) => {
      if (opts.delayMs) await new Promise((r) => setTimeout(r, opts.delayMs));
      if (opts.failAt !== undefined && chunk.some((r) => r.line === opts.failAt)) throw new Error('Temporal is not answering');
      seen.push(...chunk.map((r) => r.line));
      return { imported: chunk.length, unchanged: 0 };
    };
    return { seen, fake };
  }
  const depsWith = (fake: typeof importPathways): ImportJobDeps => ({
    db: stack.db.db, temporal: { client: stack.env.client, taskQueue: stack.taskQueue }, logger: silentLogger, today: () => today, importPathways: fake,
  });
  // Ten good rows with two bad ones among them: lines 2–13, bad on 4 and 9.
  const file = () => importFile(Array.from({ length: 12 }, (_, k) => (k === 2 || k === 7 ? goodRow({ nhs_number: '123' }) : goodRow())));

  it('records progress after each chunk, stops after the chunk in hand, and resumes at nextLine with each row once', async () => {
    const id = await createImport(stack.db.db, { source: file(), dryRun: false });
    const { seen, fake } = recorder();
    const stop = new AbortController();
    const progress: number[] = [];
    const first = await runImport(depsWith(fake), id, {
      chunkRows: 3, signal: stop.signal, onProgress: (p) => { progress.push(p.done); if (p.done >= 3) stop.abort(); },
    });
    expect(first).toMatchObject({ stopped: true, status: 'running', total: 12, rejected: 2, imported: 3, nextLine: 6 });
    expect(seen).toEqual([2, 3, 5]);
    expect((await readImport(stack.db.db, id))).toMatchObject({ status: 'running', imported: 3, nextLine: 6 });

    const second = await runImport(depsWith(fake), id, { chunkRows: 3, onProgress: (p) => progress.push(p.done) });
    expect(second).toMatchObject({ stopped: false, status: 'done', total: 12, rejected: 2, imported: 10, unchanged: 0, nextLine: 14 });
    expect(seen).toEqual([2, 3, 5, 6, 7, 8, 10, 11, 12, 13]);
    expect(progress).toEqual([0, 3, 3, 6, 9, 10]);
    expect(second.finishedAt).not.toBeNull();
  });

  it('the API\'s start-up resumes an import left running', async () => {
    const id = await createImport(stack.db.db, { source: importFile([goodRow({ nhs_number: '1' })]), dryRun: true });
    expect((await readImport(stack.db.db, id))!.status).toBe('running'); // as a crash would leave it
    await stack.restartWorker(); // the system stops and starts again, as after a crash
    leader = await stack.signIn('leader@demo.nhs.uk'); // the restarted API listens on another port
    admin = await stack.signIn('admin@demo.nhs.uk');
    const done = await finished(id);
    expect(done).toMatchObject({ status: 'done', total: 1, rejected: 1 });
  });

  it('a chunk that keeps failing fails the import with the reason, keeping the progress made', async () => {
    const id = await createImport(stack.db.db, { source: file(), dryRun: false });
    const { seen, fake } = recorder({ failAt: 7 });
    const result = await runImport(depsWith(fake), id, { chunkRows: 3, retryDelayMs: 1 });
    expect(result).toMatchObject({ status: 'failed', imported: 3, nextLine: 6, failure: expect.stringMatching(/Temporal is not answering.*run the file again/) });
    expect(seen).toEqual([2, 3, 5]);
    const audit = await rows<{ action: string }>(sql`select action from audit_log where entity_id = ${id} order by id`);
    expect(audit.map((a) => a.action)).toEqual(['import.started', 'import.failed']);
  });

  it('two runners of one import (two API processes resuming it) count each chunk once', async () => {
    const id = await createImport(stack.db.db, { source: file(), dryRun: false });
    const a = recorder({ delayMs: 30 });
    const b = recorder({ delayMs: 30 });
    const results = await Promise.all([runImport(depsWith(a.fake), id, { chunkRows: 3 }), runImport(depsWith(b.fake), id, { chunkRows: 3 })]);
    const final = (await readImport(stack.db.db, id))!;
    expect(final).toMatchObject({ status: 'done', imported: 10, nextLine: 14 });
    expect(results.filter((r) => r.stopped).length).toBe(1); // the other stood down at its first chunk
  });
});

// H2's importPathways (merged by the lead) makes the pathways; on this branch the placeholder throws, so this waits.
const pathwaysWritten = !importPathways.toString().includes('see H2');
describe.skipIf(!pathwaysWritten)('a real import (with H2\'s importPathways)', () => {
  /** Retries an expectation while the pathways' first activities (work items, bookings) land. */
  async function eventually<T>(check: () => Promise<T>, ms = 30_000): Promise<T> {
    const deadline = Date.now() + ms;
    for (;;) {
      try { return await check(); } catch (err) { if (Date.now() > deadline) throw err; }
      await new Promise((r) => setTimeout(r, 250));
    }
  }
  /** The counts once nothing has moved for a second: the pathways have done what they do at start. */
  async function settledCounts() {
    let last = JSON.stringify(await counts());
    for (let i = 0; i < 60; i++) {
      await new Promise((r) => setTimeout(r, 1000));
      const now = JSON.stringify(await counts());
      if (now === last) return JSON.parse(now) as Awaited<ReturnType<typeof counts>>;
      last = now;
    }
    throw new Error('the counts never settled');
  }

  async function freeSlot(clinicId: string, type: string) {
    const [slot] = await rows<{ start: string }>(sql`select to_char(start at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS"Z"') as start from slots
      where clinic_id = ${clinicId} and status = 'free' and type = ${type} and start > now() + interval '3 days' order by start limit 1`);
    return slot.start;
  }

  it('imports pathways whose clocks, stages, work items and appointments match the file; a second import changes nothing', async () => {
    const booked = await freeSlot('clin_1', 'new');
    const followUp = await freeSlot('clin_1', 'follow_up');
    const file = importFile([
      goodRow({ stage: 'awaiting_triage', clock_start: addDays(today, -10) }),
      goodRow({ stage: 'awaiting_first_appointment', clock_start: addDays(today, -60), last_rtt_code: '20', last_rtt_date: addDays(today, -30) }),
      goodRow({ stage: 'awaiting_first_appointment', clinic_id: 'clin_1', appointment_start: booked }),
      goodRow({ stage: 'awaiting_follow_up', priority: 'urgent' }),
      goodRow({ stage: 'awaiting_follow_up', clinic_id: 'clin_1', appointment_start: followUp }),
      goodRow({ stage: 'awaiting_admission', clock_start: addDays(today, -100), ubrn: '000000990001' }),
      goodRow({ nhs_number: '1' }), // rejected
    ]);
    const first = await finished((await postFile(leader, file, { query: '?fileName=go-live.csv' })).body.id);
    expect(first).toMatchObject({ status: 'done', total: 7, imported: 6, unchanged: 0, rejected: 1 });

    const made = await eventually(async () => {
      const found = await rows<any>(sql`select r.pathway_id as "ppid", r.ubrn, r.source, r.state, r.priority, r.import_id as "importId",
        pw.clock_start::text as "clockStart", pw.breach_date::text as "breachDate", pw.rtt_status as "rttStatus", pw.last_rtt_code as "lastRttCode",
        (select array_agg(t.type order by t.type) from tasks t where t.referral_id = r.id and t.status in ('open', 'claimed')) as "openTasks",
        (select json_agg(json_build_object('clinicId', a.clinic_id, 'start', to_char(a.start at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS"Z"'), 'slotStatus', s.status))
          from appointments a join slots s on s.id = a.slot_id where a.referral_id = r.id and a.state = 'booked') as appointments
      from referrals r join pathways pw on pw.referral_id = r.id where r.import_id = ${first.id} order by r.created_at`);
      expect(found).toHaveLength(6);
      expect(found[0].openTasks).toContain('triage_referral');
      expect(found[1].openTasks).toContain('book_new_appointment');
      return found;
    });
    for (const r of made) {
      expect(r).toMatchObject({ source: 'pas_import', importId: first.id, rttStatus: 'running' });
      expect(r.breachDate).toBe(rttBreachDate(r.clockStart));
    }
    const [triage, waiting, bookedNew, followUpWaiting, followUpBooked, admission] = made;
    expect(triage.clockStart).toBe(addDays(today, -10));
    expect(triage.openTasks).toContain('triage_referral');
    expect(waiting.clockStart).toBe(addDays(today, -60));
    expect(waiting.lastRttCode).toBe(20);
    expect(waiting.openTasks).toContain('book_new_appointment');
    expect(bookedNew.appointments).toEqual([{ clinicId: 'clin_1', start: booked, slotStatus: 'booked' }]);
    expect(followUpWaiting.state).toBe('awaiting_follow_up');
    expect(followUpWaiting.priority).toBe('urgent');
    expect(followUpBooked.appointments).toEqual([{ clinicId: 'clin_1', start: followUp, slotStatus: 'booked' }]);
    expect(admission).toMatchObject({ state: 'awaiting_admission', ubrn: '000000990001', clockStart: addDays(today, -100) });

    const before = await settledCounts();
    const second = await finished((await postFile(leader, file)).body.id);
    expect(second).toMatchObject({ status: 'done', total: 7, imported: 0, unchanged: 6, rejected: 1 });
    expect(await settledCounts()).toEqual(before);
  });

  it('an import stopped halfway and resumed finishes with each pathway once', async () => {
    const good = Array.from({ length: 8 }, () => goodRow());
    const source = importFile(good);
    const id = await createImport(stack.db.db, { source, dryRun: false, createdBy: 'staff_leader' });
    const deps: ImportJobDeps = { db: stack.db.db, temporal: { client: stack.env.client, taskQueue: stack.taskQueue }, logger: silentLogger, today: () => today };
    const stop = new AbortController();
    const halfway = await runImport(deps, id, { chunkRows: 3, signal: stop.signal, onProgress: (p) => { if (p.done >= 3) stop.abort(); } });
    expect(halfway).toMatchObject({ stopped: true, status: 'running', imported: 3 });
    const done = await runImport(deps, id, { chunkRows: 3 });
    expect(done).toMatchObject({ status: 'done', imported: 8, unchanged: 0 });
    const ppids = good.map((g) => g.pathway_id!);
    const found = await rows<{ ppid: string; n: number; workflows: number }>(sql`select r.pathway_id as ppid, count(*)::int as n,
        count(distinct r.workflow_id)::int as workflows from referrals r join pathways pw on pw.referral_id = r.id
      where r.pathway_id in (${sql.join(ppids.map((p) => sql`${p}`), sql`, `)}) group by r.pathway_id`);
    expect(found).toHaveLength(8);
    for (const f of found) expect(f).toMatchObject({ n: 1, workflows: 1 });
  });
});

describe('on the embedded database (PGlite)', () => {
  it('a dry run through the app records the same line-and-field errors and changes nothing', async () => {
    const { createTestDatabase } = await import('../support/database');
    const { createApp } = await import('../../api/app');
    const { createImportJobs } = await import('../../api/imports');
    const { loadDemoTrust, prepareDatabase } = await import('../../bin/lib/system');
    const { demoPassword } = await import('../support/stack');
    const pglite = await createTestDatabase('pglite');
    try {
      await prepareDatabase(pglite);
      await loadDemoTrust(pglite, demoPassword);
      // A dry run never reaches Temporal.
      const deps = { db: pglite.db, temporal: { client: {} as never, taskQueue: 'unused' }, logger: silentLogger, today: () => today };
      const jobs = createImportJobs(deps);
      const app = createApp({ ...deps, imports: jobs });
      const login = await app.request('/api/auth/login', {
        method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ email: 'leader@demo.nhs.uk', password: demoPassword }),
      });
      const cookie = (login.headers.get('set-cookie') ?? '').split(';')[0];
      const posted = await app.request('/api/imports?dryRun=true', {
        method: 'POST', headers: { 'content-type': 'text/csv', cookie }, body: importFile([goodRow(), goodRow({ priority: 'soon' }), goodRow({ clinic_id: 'clin_1' })]),
      });
      expect(posted.status).toBe(202);
      const { id } = await posted.json();
      await jobs.running(id);
      const shown = await (await app.request(`/api/imports/${id}`, { headers: { cookie } })).json();
      expect(shown).toMatchObject({ status: 'done', total: 3, rejected: 2, imported: 0 });
      expect(shown.errors.map((e: any) => [e.line, e.field])).toEqual([[3, 'priority'], [4, 'appointment_start']]);
      const [{ n }] = await queryRows<{ n: number }>(pglite.db, sql`select count(*)::int as n from referrals`);
      expect(n).toBe(0);
    } finally {
      await pglite.drop();
    }
  }, 180_000); // PGlite applies every migration in process first
});
