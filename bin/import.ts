#!/usr/bin/env -S npx tsx
// npm run import -- <file.csv> [--dry-run]: a go-live PAS extract brought over (issue 13), the same job the API runs
// (api/imports.ts), here in the foreground with progress on stderr. docs/import.md describes the file.
import { existsSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { Client, Connection } from '@temporalio/client';
import { connectPostgres, type DatabaseHandle } from '../db/client';
import { IMPORT_HEADER, type ImportError } from '../domain/import';
import { csvRecords, importHeaderProblem, reasonsByLine } from '../domain/import-validation';
import { createLogger } from '../api/log';
import { csvField } from '../api/csv';
import { createImport, findStoppedImport, runImport, type ImportProgress, type RunResult } from '../api/imports';
import { loadConfig } from './lib/config';
import { londonToday, requireMigrated } from './lib/system';
import { checkTemporalSettings, temporalConnectionOptions } from './lib/temporal-connection';

const help = `Usage: npm run import -- <file.csv> [--dry-run]

Brings over open pathways from a PAS extract (docs/import.md describes the file; its first line must be exactly
${IMPORT_HEADER.join(',')}).
Every row is checked first. A dry run reports every bad row (line and column) and changes nothing. A real run
imports the good rows in chunks of 500 and writes the rejected rows, with a reason column, to <file>.rejected.csv.
Importing the same file again changes nothing that is already here (rows are matched by PPID or UBRN).

Ctrl-C stops after the chunk in hand; run the same command again to carry on from where it stopped.

Needs DATABASE_URL (a database the API has migrated) and, for a real run, TEMPORAL_ADDRESS, with the worker
running (npm run worker) so the imported pathways move. With npm start's embedded database, import through the
console's Imports screen or POST /api/imports instead: the embedded database belongs to the running process.

Options:
  --dry-run       check every row, import nothing
  -h, --help      this help

Exit status: 0 every row imported (or already here); 3 finished, but rows were rejected (see the list or the
rejected file); 1 the import failed; 2 the command, configuration or file header is wrong; 130 stopped by Ctrl-C.`;

class UsageError extends Error {}

const number = (n: number) => n.toLocaleString('en-GB');
const say = (line: string) => process.stderr.write(`${line}\n`);

/** The rejected rows as they were in the file, each with why: fix them there and import the file again. */
function rejectedFile(source: string, errors: readonly ImportError[]): string {
  const reasons = reasonsByLine(errors);
  const lines = [[...IMPORT_HEADER, 'reason'].join(',')];
  for (const record of csvRecords(source)) {
    const reason = reasons.get(record.line);
    if (reason !== undefined && record.line > 1) lines.push([...record.cells, reason].map((cell) => csvField(cell)).join(','));
  }
  return `${lines.join('\r\n')}\r\n`;
}

/** Progress on stderr: rows done of those to import, and the rate of this run. */
function progressLine() {
  const started = Date.now();
  let first: number | undefined;
  const tty = process.stderr.isTTY === true;
  return (p: ImportProgress) => {
    first ??= p.done;
    const seconds = Math.max(0.001, (Date.now() - started) / 1000);
    const rate = (p.done - first) / seconds;
    const pct = p.toImport ? Math.floor((p.done / p.toImport) * 100) : 100;
    const line = `Importing: ${number(p.done)} / ${number(p.toImport)} rows (${pct}%), ${rate.toFixed(0)} rows/s — `
      + `${number(p.imported)} imported, ${number(p.unchanged)} already here, ${number(p.rejected)} rejected`;
    process.stderr.write(tty ? `\r${line}\u001b[K${p.done === p.toImport ? '\n' : ''}` : `${line}\n`);
  };
}

async function main(): Promise<number> {
  const args = process.argv.slice(2);
  if (args.includes('-h') || args.includes('--help')) { console.log(help); return 0; }
  const unknown = args.find((a) => a.startsWith('-') && a !== '--dry-run');
  if (unknown) throw new UsageError(`unknown option ${unknown} (see --help)`);
  const files = args.filter((a) => !a.startsWith('-'));
  if (files.length !== 1) throw new UsageError('name one CSV file (see --help)');
  const file = path.resolve(files[0]);
  const dryRun = args.includes('--dry-run');
  if (!existsSync(file)) throw new UsageError(`no file at ${files[0]}`);
  const source = readFileSync(file, 'utf8');
  const headerProblem = importHeaderProblem(source);
  if (headerProblem) throw new UsageError(headerProblem);
  if (source.includes('\u0000')) throw new UsageError('the file holds a NUL character: it is not a CSV extract');

  const config = loadConfig();
  if (!config.databaseUrl) throw new UsageError('DATABASE_URL is not set (see --help: with npm start\'s embedded database, import through the console or the API)');
  if (!dryRun && !config.temporal.address) throw new UsageError('TEMPORAL_ADDRESS is not set: a real import starts pathways in Temporal');
  const temporalProblems = checkTemporalSettings(config.temporal);
  if (temporalProblems.length) throw new UsageError(temporalProblems.join('; '));
  // Warnings and errors only (to stderr); stdout is the report.
  const logger = createLogger('import', config.logLevel === 'debug' ? 'debug' : 'warn');
  const db: DatabaseHandle = connectPostgres(config.databaseUrl, { max: 4 });
  let connection: Connection | undefined;
  try {
    await requireMigrated(db);
    connection = dryRun ? undefined : await Connection.connect({ ...temporalConnectionOptions(config.temporal), connectTimeout: '10s' })
      .catch((err) => { throw new UsageError(`Temporal at ${config.temporal.address} is not answering (${(err as Error).message})`); });
    const client = connection ? new Client({ connection, namespace: config.temporal.namespace }) : (undefined as unknown as Client);

    const stopped = dryRun ? null : await findStoppedImport(db.db, source);
    const id = stopped?.id ?? await createImport(db.db, { source, dryRun, fileName: path.basename(file) });
    if (stopped) say(`Carrying on with import ${id} of this file from line ${number(stopped.nextLine)} (${number(stopped.imported)} imported so far).`);
    else say(`${dryRun ? 'Checking' : 'Importing'} ${path.basename(file)} as import ${id} …`);

    const stop = new AbortController();
    const onSigint = () => {
      if (stop.signal.aborted) { say('\nStopped at once. Run the same command again to carry on.'); process.exit(130); }
      say('\nStopping after the chunk in hand … (Ctrl-C again to quit at once)');
      stop.abort();
    };
    process.on('SIGINT', onSigint);
    const progress = progressLine();
    let checked = false;
    const result: RunResult = await runImport(
      { db: db.db, temporal: { client, taskQueue: config.temporal.taskQueue }, logger, today: londonToday },
      id,
      {
        signal: stop.signal,
        onProgress: (p) => {
          if (!checked) { checked = true; say(`Checked ${number(p.total)} rows: ${number(p.rejected)} rejected${dryRun ? '' : `, ${number(p.toImport)} to import`}.`); }
          if (!dryRun) progress(p);
        },
      },
    );
    process.off('SIGINT', onSigint);
    return report(file, source, result);
  } finally {
    await connection?.close();
    await db.close();
  }
}

function report(file: string, source: string, result: RunResult): number {
  const rejectedPath = `${file}.rejected.csv`;
  const rows = (n: number) => `${number(n)} row${n === 1 ? '' : 's'}`;
  if (result.dryRun) {
    // The report: every bad cell of every rejected row, in file order.
    for (const e of result.errors) console.log(`line ${e.line}, ${e.field}: ${e.message}`);
    say(`Dry run: ${rows(result.total)} checked, ${rows(result.rejected)} rejected, ${rows(result.total - result.rejected)} would be imported. Nothing was changed.`);
    return result.rejected > 0 ? 3 : 0;
  }
  if (result.rejected > 0) {
    writeFileSync(rejectedPath, rejectedFile(source, result.errors));
    for (const e of result.errors.slice(0, 20)) console.log(`line ${e.line}, ${e.field}: ${e.message}`);
    if (result.errors.length > 20) console.log(`… and ${number(result.errors.length - 20)} more`);
    const shown = path.relative(process.cwd(), rejectedPath);
    say(`${rows(result.rejected)} rejected, with the reasons, in ${shown.startsWith('..') ? rejectedPath : shown}`);
  } else if (existsSync(rejectedPath)) {
    rmSync(rejectedPath); // an earlier run's: nothing is rejected now
  }
  if (result.stopped) {
    say(`Stopped before line ${number(result.nextLine)}: ${number(result.imported)} imported, ${number(result.unchanged)} already here so far. `
      + 'Run the same command again to carry on from there.');
    return 130;
  }
  if (result.status === 'failed') {
    say(`The import failed: ${result.failure ?? 'no reason recorded'} (${number(result.imported)} imported before it stopped).`);
    return 1;
  }
  say(`Done: ${rows(result.total)}, ${number(result.imported)} imported, ${number(result.unchanged)} already here, ${number(result.rejected)} rejected.`);
  return result.rejected > 0 ? 3 : 0;
}

main().then((code) => process.exit(code), (err) => {
  say(`npm run import: ${(err as Error).message}`);
  process.exit(err instanceof UsageError ? 2 : 1);
});
