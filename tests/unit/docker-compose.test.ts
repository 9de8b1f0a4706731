// docker-compose.yml cannot run here (no Docker engine), so its shape is checked against the app's
// own configuration: every setting it passes is one the app reads, and the pieces point at each other.
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { configKeys, DEFAULT_CACHED_WORKFLOWS, loadConfig } from '../../bin/lib/config';
import { localApiKey } from '../../bin/lib/local-notify';
import { localErsOdsCode, localErsUserToken } from '../../bin/lib/local-ers';

const compose = parse(readFileSync('docker-compose.yml', 'utf8'));
const services = compose.services as Record<string, any>;

describe('docker-compose.yml', () => {
  it('has the application database, Temporal with its own database and Web UI, the API and the worker', () => {
    expect(Object.keys(services).sort()).toEqual(['api', 'ers', 'migrate', 'notify', 'postgres', 'temporal', 'temporal-postgres', 'temporal-ui', 'worker']);
  });

  it('gives Temporal its own Postgres (not the application database) and its Web UI', () => {
    expect(services.temporal.environment.POSTGRES_SEEDS).toBe('temporal-postgres');
    expect(services.temporal.environment.POSTGRES_USER).toBe(services['temporal-postgres'].environment.POSTGRES_USER);
    expect(services.temporal.depends_on['temporal-postgres']).toEqual({ condition: 'service_healthy' });
    expect(services.temporal.environment.POSTGRES_SEEDS).not.toBe('postgres');
    expect(services['temporal-ui'].image).toMatch(/^temporalio\/ui:/);
  });

  it('migrates once, as its own job, and starts the API and the worker only after it succeeded', () => {
    const migrate = services.migrate;
    expect(migrate.command.join(' ')).toContain('bin/migrate.ts');
    expect(migrate.restart).toBe('no'); // a job: it exits when done
    expect(migrate.depends_on.postgres).toEqual({ condition: 'service_healthy' });
    for (const key of Object.keys(migrate.environment)) expect(configKeys).toContain(key);
    expect(loadConfig(migrate.environment).databaseUrl).toBe(loadConfig(services.api.environment).databaseUrl);
    for (const name of ['api', 'worker']) {
      expect(services[name].depends_on.migrate).toEqual({ condition: 'service_completed_successfully' });
      expect(services[name].command.join(' ')).not.toContain('migrate');
    }
    const scripts = JSON.parse(readFileSync('package.json', 'utf8')).scripts as Record<string, string>;
    expect(scripts.migrate).toBe('tsx bin/migrate.ts');
  });

  it('lets the worker scale (no fixed name, no published port) and probes it on its health port', () => {
    const worker = services.worker;
    expect(worker.container_name).toBeUndefined();
    expect(worker.ports).toBeUndefined();
    const config = loadConfig(worker.environment);
    expect(config.workerHealthPort).toBeDefined();
    expect(worker.healthcheck.test.join(' ')).toContain(`127.0.0.1:${config.workerHealthPort}/health`);
  });

  it.each(['api', 'worker'])('gives the %s longer to stop than its own shutdown grace', (name) => {
    const grace = loadConfig(services[name].environment).shutdownGraceSeconds;
    const stop = Number(String(services[name].stop_grace_period).match(/^(\d+)s$/)![1]);
    expect(stop).toBeGreaterThan(grace);
  });

  it('waits for Temporal to answer before the API starts', () => {
    expect(services.temporal.healthcheck.test.join(' ')).toContain('cluster health --address temporal:7233');
    expect(services.api.depends_on.temporal).toEqual({ condition: 'service_healthy' });
  });

  it('points the worker at the local Notify service with a key it accepts', () => {
    const { notify } = loadConfig(services.worker.environment);
    const command = services.notify.command.join(' ');
    expect(command).toContain('bin/notify-local.ts');
    expect(notify.baseUrl).toBe(`http://notify:${command.match(/--port (\d+)/)![1]}`);
    expect(command).toContain('--host 0.0.0.0');
    expect(notify.apiKey).toBe(localApiKey);
  });

  it('points the worker at the local e-RS service with a token it accepts', () => {
    const { ers } = loadConfig(services.worker.environment);
    const command = services.ers.command.join(' ');
    expect(command).toContain('bin/ers-local.ts');
    expect(command).toContain('--host 0.0.0.0');
    expect(ers.baseUrl).toBe(`http://ers:${command.match(/--port (\d+)/)![1]}/referrals/FHIR`);
    expect(ers).toMatchObject({ accessToken: localErsUserToken, odsCode: localErsOdsCode });
  });

  it.each(['api', 'worker'])('passes the %s only settings the app reads, and they parse', (name) => {
    const env = services[name].environment as Record<string, string>;
    for (const key of Object.keys(env)) expect(configKeys).toContain(key);
    const config = loadConfig(env);
    expect(config.temporal.taskQueue).toBe(loadConfig({}).temporal.taskQueue);
  });

  it('points the API and worker at the compose Postgres and Temporal services', () => {
    for (const name of ['api', 'worker']) {
      const config = loadConfig(services[name].environment);
      const db = new URL(config.databaseUrl!);
      expect(db.hostname).toBe('postgres');
      expect(db.username).toBe(services.postgres.environment.POSTGRES_USER);
      expect(db.password).toBe(services.postgres.environment.POSTGRES_PASSWORD);
      expect(db.pathname).toBe(`/${services.postgres.environment.POSTGRES_DB}`);
      expect(config.temporal.address).toBe('temporal:7233');
    }
    expect(services['temporal-ui'].environment.TEMPORAL_ADDRESS).toBe('temporal:7233');
  });

  it('publishes the API on the port it listens on and runs the right entry points', () => {
    const api = loadConfig(services.api.environment);
    expect(services.api.ports).toContain(`${api.port}:${api.port}`);
    expect(services.api.command.join(' ')).toContain('bin/api.ts');
    expect(services.worker.command.join(' ')).toContain('dist/worker/worker.mjs');
    // Ready (database, Temporal, migrations): the worker's depends_on waits on it.
    expect(services.api.healthcheck.test.join(' ')).toContain(`127.0.0.1:${api.port}/api/ready`);
    expect(services.worker.depends_on.api).toEqual({ condition: 'service_healthy' });
  });

  it('has the API listen on every interface inside its container, so the published port reaches it', () => {
    expect(loadConfig(services.api.environment).host).toBe('0.0.0.0');
    expect(loadConfig({}).host).toBe('127.0.0.1'); // outside a container, this machine only
  });

  it('never seeds demo sign-ins in the compose stack', () => {
    for (const name of ['api', 'worker']) {
      expect(services[name].command.join(' ')).not.toMatch(/seed|start\.ts/);
      expect(Object.keys(services[name].environment)).not.toContain('DEMO_PASSWORD');
    }
  });

  it('runs the worker compiled, with the heap limit and cache the memory benchmark measured under 300 MB', () => {
    // The image compiles it (npm run build:worker writes dist/worker/worker.mjs and the workflow bundle it loads).
    const dockerfile = readFileSync('Dockerfile', 'utf8');
    expect(dockerfile).toMatch(/^RUN npm run build:worker$/m);
    expect(dockerfile).toMatch(/^ENV MALLOC_ARENA_MAX=2$/m);
    const [node, ...args] = services.worker.command as string[];
    expect(node).toBe('node');
    expect(args).toEqual(['--max-old-space-size=128', 'dist/worker/worker.mjs']);
    expect(loadConfig(services.worker.environment).worker.maxCachedWorkflows).toBe(DEFAULT_CACHED_WORKFLOWS);
    // npm run worker runs the same thing outside a container.
    const scripts = JSON.parse(readFileSync('package.json', 'utf8')).scripts as Record<string, string>;
    expect(scripts.worker).toBe(`MALLOC_ARENA_MAX=2 node ${args.join(' ')}`);
    expect(scripts.preworker).toBe('npm run -s build:worker');
  });

  it.each(['api', 'worker', 'postgres', 'temporal', 'temporal-postgres', 'temporal-ui', 'notify', 'ers'])('restarts the %s if it stops', (name) => {
    expect(['always', 'unless-stopped']).toContain(services[name].restart);
  });
});
