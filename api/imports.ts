// Go-live imports (issue 13): the job over the `imports` table. A file is stored when it arrives, so the job can be
// run, stopped and resumed from the database alone: validate every row, record what was rejected, then (unless a dry
// run) hand the good rows to importPathways a chunk at a time, recording progress after each chunk. `nextLine` is
// the first line not yet imported; a stopped or crashed run resumes there. importPathways is idempotent by
// PPID/UBRN, so a chunk done twice (a crash between its pathways and its progress) changes nothing the second time.
import { createHash } from 'node:crypto';
import { and, eq, sql } from 'drizzle-orm';
import type { Client } from '@temporalio/client';
import { queryRows, type Database } from '../db/client';
import { newId } from '../db/ids';
import { clinics, imports, specialties } from '../db/schema';
import { writeAudit } from '../activities/audit';
import type { ImportError, ImportRow } from '../domain/import';
import { validateImportFile, type ImportCheckContext } from '../domain/import-validation';
import type { ImportStatus } from '../domain/model';
import { importPathways } from './import-pathways';
import { databaseErrorOf, describeError, type Logger } from './log';

/** Rows handed to importPathways at once: progress is recorded (and a stop honoured) between chunks. */
export const IMPORT_CHUNK_ROWS = 500;

export type ImportJobDeps = {
  db: Database;
  temporal: { client: Client; taskQueue: string };
  logger: Logger;
  today: () => string;
  now?: () => number;
  /** Rows a chunk (IMPORT_CHUNK_ROWS unless given): PGlite runs each statement in the thread that serves the API, so smaller there. */
  chunkRows?: number;
  /** Writes the pathways; tests of the job alone pass their own. */
  importPathways?: typeof importPathways;
};

/** An import as the API answers it (never the file itself). */
export type ImportRecord = {
  id: string; status: ImportStatus; dryRun: boolean; fileName: string | null; total: number; imported: number; unchanged: number;
  rejected: number; nextLine: number; failure: string | null; createdBy: string | null; createdAt: string; finishedAt: string | null;
  errors: ImportError[];
};

export type ImportProgress = { total: number; rejected: number; imported: number; unchanged: number; toImport: number; done: number };
export type RunOptions = {
  /** Stops the run after the chunk in hand; the import stays `running` and resumes from `nextLine`. */
  signal?: AbortSignal;
  chunkRows?: number;
  /** After validation and after each chunk. */
  onProgress?: (progress: ImportProgress) => void;
  /** The pause before a failed chunk is tried again (doubling); 2 s unless a test says otherwise. */
  retryDelayMs?: number;
};
/** The import after a run: `stopped` when the signal (or another process taking it over) ended the run early. */
export type RunResult = ImportRecord & { stopped: boolean };

const iso = (d: Date | null) => (d ? d.toISOString() : null);
const toRecord = (row: typeof imports.$inferSelect): ImportRecord => ({
  id: row.id, status: row.status, dryRun: row.dryRun, fileName: row.fileName, total: row.total, imported: row.imported,
  unchanged: row.unchanged, rejected: row.rejected, nextLine: row.nextLine, failure: row.failure, createdBy: row.createdBy,
  createdAt: row.createdAt.toISOString(), finishedAt: iso(row.finishedAt), errors: row.errors,
});

/** A file's fingerprint: a second CLI run of the same file finds the import it stopped. */
export const fileDigest = (text: string) => createHash('sha256').update(text).digest('hex');

/** Stores the file as a new import (status running, nothing checked yet) and audits it; answers its id. */
export async function createImport(db: Database, file: { source: string; dryRun: boolean; fileName?: string | null; createdBy?: string | null }): Promise<string> {
  const id = newId('imp');
  await db.transaction(async (tx) => {
    await tx.insert(imports).values({ id, source: file.source, dryRun: file.dryRun, fileName: file.fileName ?? null, createdBy: file.createdBy ?? null });
    // Ids and counts only: the file's contents are patients' details.
    await writeAudit(tx, { actorId: file.createdBy ?? null, action: 'import.started', entityType: 'import', entityId: id, after: { dryRun: file.dryRun } });
  });
  return id;
}

export async function readImport(db: Database, id: string): Promise<ImportRecord | null> {
  const [row] = await db.select().from(imports).where(eq(imports.id, id));
  return row ? toRecord(row) : null;
}

/** A real (not dry) import of exactly this file that stopped before it finished, if any: the CLI resumes it. */
export async function findStoppedImport(db: Database, source: string): Promise<ImportRecord | null> {
  const digest = fileDigest(source);
  const candidates = await queryRows<{ id: string; digest: string }>(db, sql`
    select id, encode(sha256(convert_to(source, 'UTF8')), 'hex') as digest from imports
    where status = 'running' and not dry_run and octet_length(source) = ${Buffer.byteLength(source, 'utf8')} order by created_at desc`);
  const found = candidates.find((c) => c.digest === digest);
  return found ? readImport(db, found.id) : null;
}

/** The reference data rows are checked against: specialties by treatment function code, clinics with theirs. */
export async function importCheckContext(db: Database, today: string): Promise<ImportCheckContext> {
  const [specialtyRows, clinicRows] = await Promise.all([
    db.select({ code: specialties.code }).from(specialties),
    db.select({ id: clinics.id, specialtyCode: clinics.specialtyCode }).from(clinics),
  ]);
  return { today, specialties: new Set(specialtyRows.map((s) => s.code)), clinics: new Map(clinicRows.map((c) => [c.id, { specialtyCode: c.specialtyCode }])) };
}

/** What a failed import says: never a query's text or bound parameters (they hold patients' details). */
function failureText(err: unknown): string {
  const db = databaseErrorOf(err);
  if (db) return `The database refused a chunk of the import (code ${String(db.code ?? 'unknown')}); run the file again to finish it`;
  const message = err instanceof Error ? err.message : String(err);
  return `${message.slice(0, 500)}; run the file again to finish it`;
}

const sleep = (ms: number, signal?: AbortSignal) => new Promise<void>((resolve) => {
  const timer = setTimeout(resolve, ms);
  signal?.addEventListener('abort', () => { clearTimeout(timer); resolve(); }, { once: true });
});

/**
 * Runs an import until it is done, failed or stopped. Validation is repeated on every run (it is pure and quick),
 * against today's reference data. Two runners of one import (two API processes resuming it at once) cannot both
 * record a chunk: progress moves only from the `nextLine` a runner started its chunk at, and the one that finds it
 * moved stops, leaving the import to the other.
 */
export async function runImport(deps: ImportJobDeps, id: string, opts: RunOptions = {}): Promise<RunResult> {
  const { db } = deps;
  const log = deps.logger.child({ importId: id });
  const [row] = await db.select().from(imports).where(eq(imports.id, id));
  if (!row) throw new Error(`No import ${id}`);
  if (row.status !== 'running') return { ...toRecord(row), stopped: false };

  const finish = async (status: ImportStatus, failure: string | null) => {
    const [done] = await db.transaction(async (tx) => {
      const updated = await tx.update(imports).set({ status, failure, finishedAt: new Date() })
        .where(and(eq(imports.id, id), eq(imports.status, 'running'))).returning();
      if (updated.length) {
        const r = updated[0];
        await writeAudit(tx, { actorId: r.createdBy, action: status === 'failed' ? 'import.failed' : 'import.finished', entityType: 'import', entityId: id,
          after: { dryRun: r.dryRun, total: r.total, imported: r.imported, unchanged: r.unchanged, rejected: r.rejected } });
      }
      return updated;
    });
    const [now] = done ? [done] : await db.select().from(imports).where(eq(imports.id, id));
    return { ...toRecord(now), stopped: false };
  };

  try {
    const today = deps.today();
    const checked = validateImportFile(row.source, await importCheckContext(db, today));
    const rejectedLines = new Set(checked.errors.map((e) => e.line)).size;
    await db.update(imports).set({ total: checked.total, rejected: rejectedLines, errors: checked.errors }).where(eq(imports.id, id));
    log.info('import checked', { dryRun: row.dryRun, total: checked.total, rejected: rejectedLines });
    const progress = (at: { imported: number; unchanged: number }, done: number, toImport: number): ImportProgress =>
      ({ total: checked.total, rejected: rejectedLines, imported: at.imported, unchanged: at.unchanged, toImport, done });

    if (row.dryRun) {
      opts.onProgress?.(progress({ imported: 0, unchanged: 0 }, 0, 0));
      return await finish('done', null);
    }

    const chunkRows = opts.chunkRows ?? deps.chunkRows ?? IMPORT_CHUNK_ROWS;
    const pending = checked.rows.filter((r) => r.line >= row.nextLine);
    const alreadyDone = checked.rows.length - pending.length;
    let at = { imported: row.imported, unchanged: row.unchanged, nextLine: row.nextLine };
    opts.onProgress?.(progress(at, alreadyDone, checked.rows.length));
    for (let start = 0; start < pending.length; start += chunkRows) {
      if (opts.signal?.aborted) {
        log.info('import stopped', { nextLine: at.nextLine });
        return { ...toRecord((await db.select().from(imports).where(eq(imports.id, id)))[0]), stopped: true };
      }
      const chunk = pending.slice(start, start + chunkRows);
      const counted = await importChunk(deps, id, chunk, opts);
      const nextLine = pending[start + chunkRows]?.line ?? chunk[chunk.length - 1].line + 1;
      const [moved] = await db.update(imports)
        .set({ imported: sql`${imports.imported} + ${counted.imported}`, unchanged: sql`${imports.unchanged} + ${counted.unchanged}`, nextLine })
        .where(and(eq(imports.id, id), eq(imports.status, 'running'), eq(imports.nextLine, at.nextLine))).returning();
      if (!moved) {
        log.warn('import taken over by another runner or ended; this run stops', { nextLine: at.nextLine });
        return { ...toRecord((await db.select().from(imports).where(eq(imports.id, id)))[0]), stopped: true };
      }
      at = { imported: moved.imported, unchanged: moved.unchanged, nextLine: moved.nextLine };
      opts.onProgress?.(progress(at, alreadyDone + start + chunk.length, checked.rows.length));
    }
    const result = await finish('done', null);
    log.info('import done', { total: result.total, imported: result.imported, unchanged: result.unchanged, rejected: result.rejected });
    return result;
  } catch (err) {
    log.error('import failed', { error: describeError(err) });
    return finish('failed', failureText(err));
  }
}

/** One chunk through importPathways, tried again after a pause if Temporal or the database was briefly away (it is idempotent). */
async function importChunk(deps: ImportJobDeps, id: string, chunk: ImportRow[], opts: RunOptions) {
  const write = deps.importPathways ?? importPathways;
  for (let attempt = 1; ; attempt++) {
    try {
      const now = new Date(deps.now?.() ?? Date.now());
      return await write({ db: deps.db, temporal: deps.temporal, today: deps.today(), now }, id, chunk);
    } catch (err) {
      if (attempt >= 3) throw err;
      deps.logger.warn('import chunk failed; trying it again', { importId: id, attempt, error: describeError(err) });
      await sleep((opts.retryDelayMs ?? 2000) * 2 ** (attempt - 1), opts.signal);
    }
  }
}

/**
 * The imports one process runs: each at most once at a time here, all told to stop (after their chunk) when the
 * process stops. The API's start-up resumes the ones left `running` by a crash or a stop.
 */
export function createImportJobs(deps: ImportJobDeps) {
  const active = new Map<string, Promise<RunResult>>();
  const stopping = new AbortController();
  const jobs = {
    /** Runs (or joins the run of) an import in the background; errors are recorded on the import, never thrown. */
    start(id: string, opts: Omit<RunOptions, 'signal'> = {}): Promise<RunResult | null> {
      const running = active.get(id);
      if (running) return running;
      const run = runImport(deps, id, { ...opts, signal: stopping.signal })
        .catch((err) => { deps.logger.error('import could not run', { importId: id, error: describeError(err) }); return null as never; })
        .finally(() => active.delete(id));
      active.set(id, run);
      return run;
    },
    /** Imports left running (a crash, a stop): started again from their nextLine. */
    async resumeRunning(): Promise<string[]> {
      const left = await deps.db.select({ id: imports.id }).from(imports).where(eq(imports.status, 'running'));
      for (const { id } of left) {
        deps.logger.info('resuming import', { importId: id });
        void jobs.start(id);
      }
      return left.map((l) => l.id);
    },
    /** Stops every run after its chunk in hand, and waits for them. */
    async stop(): Promise<void> {
      stopping.abort();
      await Promise.allSettled([...active.values()]);
    },
    /** The run of an import in this process, if one is going (tests wait on it). */
    running: (id: string) => active.get(id),
  };
  return jobs;
}
export type ImportJobs = ReturnType<typeof createImportJobs>;
