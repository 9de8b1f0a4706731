// What npm test's set-up step (bin/pretest.ts) does on this machine: a pure plan, unit-tested.
export type Facts = {
  root: boolean;
  chromium: boolean;
  /** CHROMIUM_PATH when set: installing Debian's Chromium does not mend a path set elsewhere. */
  chromiumPath?: string;
  aptGet: boolean;
  postgres: { host: string; port: number; answering: boolean; clusters: string[] };
};

/** What to do about Chromium and PostgreSQL given what this machine has: commands to run here, or the line telling a person what to run. */
export function plan(f: Facts): { run: { what: string; command: string[] }[]; tell: string[] } {
  const run: { what: string; command: string[] }[] = [];
  const tell: string[] = [];
  if (!f.chromium) {
    if (f.chromiumPath) tell.push(`CHROMIUM_PATH is ${f.chromiumPath}, which is not an executable: point it at a Chromium, or unset it to use /usr/bin/chromium.`);
    else if (f.root && f.aptGet) run.push({ what: 'Chromium for the browser tests (Debian)', command: ['sh', '-c', 'apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null'] });
    else tell.push('Chromium is missing for the browser tests: run  sudo apt-get install -y chromium  (or set CHROMIUM_PATH to a Chromium).');
  }
  const local = ['127.0.0.1', 'localhost', '::1'].includes(f.postgres.host);
  if (!f.postgres.answering) {
    const at = `${f.postgres.host}:${f.postgres.port}`;
    // A Debian cluster listens on 5432 unless configured otherwise: starting it mends only that address.
    if (local && f.postgres.port === 5432 && f.postgres.clusters.length > 0) {
      run.push({ what: `PostgreSQL ${f.postgres.clusters[0]} on ${at}`, command: ['pg_ctlcluster', '--skip-systemctl-redirect', f.postgres.clusters[0], 'main', 'start'] });
    } else if (local) {
      tell.push(`PostgreSQL is not answering on ${at}: run  sudo apt-get install -y postgresql && sudo pg_ctlcluster $(ls /etc/postgresql) main start  (or set TEST_POSTGRES_URL).`);
    } else {
      tell.push(`PostgreSQL is not answering at TEST_POSTGRES_URL (${at}): start it, or unset TEST_POSTGRES_URL to use a local one.`);
    }
  }
  return { run, tell };
}

