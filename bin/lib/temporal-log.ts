// The Temporal SDK's logs (worker lifecycle, activity and workflow logs, and the Rust core's, which are
// forwarded) go through our pino logger, so an operator reads one stream of JSON lines with one
// redaction configuration.
import type { LogLevel, LogMetadata, Logger as TemporalLogger } from '@temporalio/common';
import { Runtime, makeTelemetryFilterString } from '@temporalio/worker';
import { describeError, type Level, type Logger } from '../../api/log';

const levels: Record<LogLevel, Level> = { TRACE: 'debug', DEBUG: 'debug', INFO: 'info', WARN: 'warn', ERROR: 'error' };
const rank: Record<LogLevel, number> = { TRACE: 0, DEBUG: 1, INFO: 2, WARN: 3, ERROR: 4 };

/** The SDK's Logger interface over ours; errors in the metadata are described, never dumped (their messages may carry query parameters). */
export function temporalLogger(logger: Logger, minLevel: LogLevel = 'INFO'): TemporalLogger {
  const log = (level: LogLevel, message: string, meta: LogMetadata = {}) => {
    if (rank[level] < rank[minLevel]) return;
    const fields: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(meta)) fields[k] = v instanceof Error ? describeError(v) : v;
    logger[levels[level]](message, fields);
  };
  return {
    log,
    trace: (m, meta) => log('TRACE', m, meta),
    debug: (m, meta) => log('DEBUG', m, meta),
    info: (m, meta) => log('INFO', m, meta),
    warn: (m, meta) => log('WARN', m, meta),
    error: (m, meta) => log('ERROR', m, meta),
  };
}

/**
 * Installs the Temporal runtime once per process with its logs forwarded to `logger`, and with `metricsAddress`
 * (host:port) serving the SDK's metrics at http://host:port/metrics.
 * Shutdown signals stay ours: the entry points stop the worker, the API and the database in turn.
 */
export function installTemporalRuntime(logger: Logger, minLevel: LogLevel = 'INFO', opts: { metricsAddress?: string } = {}) {
  Runtime.install({
    logger: temporalLogger(logger.child({ component: 'temporal' }), minLevel),
    shutdownSignals: [],
    // The Rust core's INFO lines are per-poller chatter; below DEBUG only its warnings come through.
    telemetryOptions: {
      // The SDK's own worker metrics (task slots, poll latencies, sticky cache) for Prometheus, when asked for (WORKER_METRICS_ADDRESS).
      ...(opts.metricsAddress ? { metrics: { prometheus: { bindAddress: opts.metricsAddress } } } : {}),
      logging: { forward: {}, filter: makeTelemetryFilterString(rank[minLevel] <= rank.DEBUG ? { core: minLevel, other: minLevel } : { core: 'WARN', other: 'ERROR' }) },
    },
  });
}

/** The SDK level matching our configured level. */
export const temporalLevel = (level: Level): LogLevel => ({ debug: 'DEBUG', info: 'INFO', warn: 'WARN', error: 'ERROR' } as const)[level];
