// Structured JSON logs (pino), one line each, for operators; ids only, never a patient's name or NHS
// number. Patient fields are redacted by configuration, and database errors are logged by code, never
// by message: drizzle's message carries the query's bound parameters, Postgres's detail the values.
import { pino, type DestinationStream } from 'pino';

type Level = 'debug' | 'info' | 'warn' | 'error';

export type Logger = Record<Level, (msg: string, fields?: Record<string, unknown>) => void>;

/** Fields that may hold patient data, wherever they appear in a log line (up to three levels deep). */
export const patientFields = [
  'nhsNumber', 'nhs_number', 'givenName', 'given_name', 'familyName', 'family_name', 'name', 'patientName', 'dateOfBirth',
  'date_of_birth', 'postcode', 'phone', 'email', 'reason', 'note', 'notes', 'q', 'search', 'params', 'parameters', 'args',
  'body', 'patient', 'detail', 'query', 'password',
];
export const redactPaths = patientFields.flatMap((f) => [f, `*.${f}`, `*.*.${f}`]);

export function createLogger(component: string, level: Level = 'info', opts: { destination?: DestinationStream } = {}): Logger {
  const options = {
    level,
    base: { component },
    messageKey: 'msg',
    timestamp: pino.stdTimeFunctions.isoTime,
    formatters: { level: (label: string) => ({ level: label }) },
    redact: { paths: redactPaths, censor: '[redacted]' },
  };
  const out = pino(options, opts.destination ?? pino.destination({ fd: 1, sync: true }));
  const err = opts.destination ? out : pino(options, pino.destination({ fd: 2, sync: true }));
  const emit = (l: Level) => (msg: string, fields: Record<string, unknown> = {}) =>
    (l === 'error' || l === 'warn' ? err : out)[l](fields, msg);
  return { debug: emit('debug'), info: emit('info'), warn: emit('warn'), error: emit('error') };
}

export const silentLogger: Logger = { debug() {}, info() {}, warn() {}, error() {} };

type PgLike = { code?: unknown; severity?: unknown; severity_local?: unknown; constraint_name?: unknown; table_name?: unknown; routine?: unknown };

/** The database error inside an error (drizzle wraps postgres.js's as `cause`), if any. */
export function databaseErrorOf(err: unknown): (Error & PgLike) | undefined {
  for (let e = err, depth = 0; e && typeof e === 'object' && depth < 5; e = (e as { cause?: unknown }).cause, depth++) {
    const name = (e as Error).name ?? '';
    const code = (e as PgLike).code;
    if (name === 'PostgresError' || name === 'DrizzleQueryError' || (e as PgLike).severity !== undefined) {
      const inner = (e as { cause?: unknown }).cause;
      return (inner && typeof inner === 'object' ? databaseErrorOf(inner) : undefined) ?? (e as Error & PgLike);
    }
    // postgres.js connection errors: CONNECTION_CLOSED, CONNECT_TIMEOUT, ...
    if (typeof code === 'string' && /^(CONNECTION_|CONNECT_)/.test(code)) return e as Error & PgLike;
  }
  return undefined;
}

/** Loss of the database connection or a server going down: worth a 503 and a retry, not a 500. */
export function isDatabaseUnavailable(err: unknown): boolean {
  const db = databaseErrorOf(err);
  const code = String(db?.code ?? (err as { code?: unknown })?.code ?? '');
  return /^(CONNECTION_|CONNECT_)/.test(code) || /^(08|57P)/.test(code) || ['ECONNREFUSED', 'ECONNRESET', 'EPIPE', 'ETIMEDOUT'].includes(code);
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
