// Keeps a child process running: if it dies it is started again after a growing pause, with a line
// that says what happened. Used by `npm start` so a crash of the worker or the API is not the end.
import { spawn, type ChildProcess } from 'node:child_process';

export type Supervised = {
  /** Stops the child (SIGTERM, then SIGKILL after `graceMs`) and does not restart it. */
  stop(graceMs?: number): Promise<void>;
  readonly restarts: number;
  readonly pid: number | undefined;
};

export type SuperviseOptions = {
  name: string;
  command: string;
  args: string[];
  env?: NodeJS.ProcessEnv;
  say?: (line: string) => void;
  /** First pause before a restart; doubles up to `maxBackoffMs`, and resets after `healthyMs` of running. */
  backoffMs?: number;
  maxBackoffMs?: number;
  healthyMs?: number;
  /** Exit codes that mean "do not try again" (bad configuration). */
  giveUpOn?: number[];
  onGiveUp?: (code: number | null) => void;
};

export function supervise(opts: SuperviseOptions): Supervised {
  const say = opts.say ?? ((line: string) => console.error(line));
  const first = opts.backoffMs ?? 1000;
  const max = opts.maxBackoffMs ?? 30_000;
  const healthyMs = opts.healthyMs ?? 60_000;
  let child: ChildProcess | undefined;
  let stopping = false;
  let restarts = 0;
  let backoff = first;
  let timer: NodeJS.Timeout | undefined;
  let exited: Promise<void> = Promise.resolve();

  const start = () => {
    const startedAt = Date.now();
    const c = spawn(opts.command, opts.args, { stdio: 'inherit', env: opts.env ?? process.env });
    child = c;
    exited = new Promise<void>((resolve) => {
      c.on('exit', (code, signal) => {
        resolve();
        if (stopping) return;
        if (code !== null && opts.giveUpOn?.includes(code)) {
          say(`${opts.name} exited with code ${code}; not restarting it.`);
          opts.onGiveUp?.(code);
          return;
        }
        if (Date.now() - startedAt >= healthyMs) backoff = first;
        const wait = backoff;
        backoff = Math.min(backoff * 2, max);
        restarts += 1;
        say(`${opts.name} stopped unexpectedly (${signal ? `signal ${signal}` : `exit code ${code}`}); restarting in ${(wait / 1000).toFixed(1)} s (restart ${restarts}).`);
        timer = setTimeout(() => { timer = undefined; if (!stopping) start(); }, wait);
      });
      c.on('error', (err) => say(`${opts.name} could not be started: ${err.message}`));
    });
  };
  start();

  return {
    get restarts() { return restarts; },
    get pid() { return child?.pid; },
    async stop(graceMs = 10_000) {
      stopping = true;
      if (timer) clearTimeout(timer);
      const c = child;
      if (!c || c.exitCode !== null || c.signalCode !== null) return;
      c.kill('SIGTERM');
      const kill = setTimeout(() => c.kill('SIGKILL'), graceMs);
      await exited;
      clearTimeout(kill);
    },
  };
}
