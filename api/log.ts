// Structured JSON logs (pino), one line each, for operators; ids only, never a patient's name or NHS
// number. Patient fields are redacted by configuration, and database errors are logged by code, never
// by message: drizzle's message carries the query's bound parameters, Postgres's detail the values.
// Lives in api/ because the API, the entry points in bin/ and the tests all log through it.
import { pino, type DestinationStream, type Logger as Pino } from 'pino';
import pretty from 'pino-pretty';

export type Level = 'debug' | 'info' | 'warn' | 'error';

export type Logger = Record<Level, (msg: string, fields?: Record<string, unknown>) => void> & {
  /** The same logger with fields added to every line (a request's id, a component). */
  child(bindings: Record<string, unknown>): Logger;
};

/** Fields that may hold patient data, wherever they appear in a log line (up to three levels deep). */
export const patientFields = [
  'nhsNumber', 'nhs_number', 'givenName', 'given_name', 'familyName', 'family_name', 'name', 'patientName', 'dateOfBirth',
  'date_of_birth', 'postcode', 'phone', 'email', 'reason', 'note', 'notes', 'q', 'search', 'params', 'parameters', 'args',
  'body', 'patient', 'detail', 'query', 'password', 'addressLines', 'address_lines', 'carer',
];
export const redactPaths = patientFields.flatMap((f) => [f, `*.${f}`, `*.*.${f}`]);

export type LoggerOptions = {
  /** Where lines go (tests capture them); by default stdout, warnings and errors to stderr. */
  destination?: DestinationStream;
  /** Human-readable lines; by default when stdout is a terminal and no destination is given. */
  pretty?: boolean;
};

export function createLogger(component: string, level: Level = 'info', opts: LoggerOptions = {}): Logger {
  const options = {
    level,
    base: { component },
    messageKey: 'msg',
    timestamp: pino.stdTimeFunctions.isoTime,
    formatters: { level: (label: string) => ({ level: label }) },
    redact: { paths: redactPaths, censor: '[redacted]' },
  };
  const prettyOut = opts.pretty ?? (!opts.destination && process.stdout.isTTY === true);
  // Redaction happens before the prettifier sees the line, so a terminal shows no patient data either.
  const stream = (fd: 1 | 2): DestinationStream => prettyOut
    ? pretty({ destination: opts.destination ?? fd, sync: true, colorize: !opts.destination, messageKey: 'msg', ignore: 'pid,hostname', translateTime: 'SYS:HH:MM:ss.l' })
    : opts.destination ?? pino.destination({ fd, sync: true });
  const out = pino(options, stream(1));
  const err = opts.destination ? out : pino(options, stream(2));
  return wrap(out, err);
}

function wrap(out: Pino, err: Pino): Logger {
  const emit = (l: Level) => (msg: string, fields: Record<string, unknown> = {}) =>
    (l === 'error' || l === 'warn' ? err : out)[l](fields, msg);
  return {
    debug: emit('debug'), info: emit('info'), warn: emit('warn'), error: emit('error'),
    child: (bindings) => {
      const o = out.child(bindings);
      return wrap(o, err === out ? o : err.child(bindings));
    },
  };
}

export const silentLogger: Logger = { debug() {}, info() {}, warn() {}, error() {}, child: () => silentLogger };

type PgLike = { code?: unknown; severity?: unknown; constraint_name?: unknown; table_name?: unknown };
type DbError = { code?: unknown; severity?: unknown; constraint_name?: unknown; table_name?: unknown };

const isQueryWrapper = (e: object) =>
  ('params' in e && 'query' in e) || (e as Error).name === 'DrizzleQueryError' || /^Failed query:/.test(String((e as Error).message));
const isDriverError = (e: object) =>
  (e as Error).name === 'PostgresError' || (e as PgLike).severity !== undefined ||
  /^(CONNECTION_|CONNECT_|E[A-Z]+$)/.test(String((e as PgLike).code ?? ''));

/**
 * The database side of an error, if it is one: drizzle wraps the driver's error (a PostgresError, a
 * postgres.js CONNECTION_* error or a socket's ECONNRESET) as `cause` under a message listing the
 * query's bound parameters. Only the code and severity are taken from it.
 */
export function databaseErrorOf(err: unknown): DbError | undefined {
  let wrapped = false;
  let found: DbError | undefined;
  for (let e = err, depth = 0; e && typeof e === 'object' && depth < 6; e = (e as { cause?: unknown }).cause, depth++) {
    if (isQueryWrapper(e)) wrapped = true;
    else if (isDriverError(e)) found = e as DbError;
  }
  return found ?? (wrapped ? { code: 'unknown' } : undefined);
}

/**
 * Loss of the database connection, a server going down, or one out of connections or memory (class 53, met when
 * every pool reconnects at once after a failover): worth a 503 and a retry, not a 500.
 */
export function isDatabaseUnavailable(err: unknown): boolean {
  const code = String(databaseErrorOf(err)?.code ?? '');
  return /^(CONNECTION_|CONNECT_)/.test(code) || /^(08|53|57P)/.test(code) || ['ECONNREFUSED', 'ECONNRESET', 'EPIPE', 'ETIMEDOUT'].includes(code);
}

/** What an error may say in a log line: a database error by its code and severity only. */
export function describeError(err: unknown): Record<string, unknown> {
  const db = databaseErrorOf(err);
  if (db) {
    return { kind: 'database', code: db.code, severity: db.severity, constraint: db.constraint_name, table: db.table_name };
  }
  if (err instanceof Error) return { kind: err.name, message: err.message, stack: err.stack };
  return { kind: typeof err, message: String(err) };
}
