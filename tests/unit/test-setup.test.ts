// npm test on a fresh machine (bin/pretest.ts): what it sets up itself, and the one line it prints otherwise.
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { plan, type Facts } from '../../bin/lib/test-setup';

const ready: Facts = { root: true, chromium: true, aptGet: true, postgres: { host: '127.0.0.1', port: 5432, answering: true, clusters: ['15'] } };
const with_ = (f: Partial<Facts>, pg: Partial<Facts['postgres']> = {}): Facts => ({ ...ready, ...f, postgres: { ...ready.postgres, ...pg } });

describe('npm test set-up', () => {
  it('runs first, before the UI build and vitest', () => {
    const scripts = JSON.parse(readFileSync('package.json', 'utf8')).scripts as Record<string, string>;
    expect(scripts.pretest).toBe('tsx bin/pretest.ts');
  });

  it('does nothing on a machine that has everything', () => {
    expect(plan(ready)).toEqual({ run: [], tell: [] });
  });

  it('installs Chromium from Debian as root, and otherwise says the one command', () => {
    expect(plan(with_({ chromium: false })).run).toEqual([{ what: expect.stringContaining('Chromium'), command: ['sh', '-c', expect.stringMatching(/apt-get update -qq && .*apt-get install -y -qq chromium/)] }]);
    expect(plan(with_({ chromium: false, root: false }))).toEqual({ run: [], tell: [expect.stringMatching(/^Chromium is missing for the browser tests: run {2}sudo apt-get install -y chromium/)] });
    expect(plan(with_({ chromium: false, aptGet: false })).tell).toHaveLength(1);
    expect(plan(with_({ chromium: false, chromiumPath: '/opt/none' }))).toEqual({ run: [], tell: [expect.stringMatching(/^CHROMIUM_PATH is \/opt\/none, which is not an executable/)] });
  });

  it('starts an installed PostgreSQL that is down, and otherwise says how to get one', () => {
    expect(plan(with_({}, { answering: false })).run).toEqual([{ what: expect.stringContaining('PostgreSQL 15'), command: ['pg_ctlcluster', '--skip-systemctl-redirect', '15', 'main', 'start'] }]);
    expect(plan(with_({}, { answering: false, clusters: [] }))).toEqual({ run: [], tell: [expect.stringMatching(/^PostgreSQL is not answering on 127\.0\.0\.1:5432: run {2}sudo apt-get install -y postgresql/)] });
    expect(plan(with_({}, { answering: false, host: 'db.example', port: 5433 })).tell).toEqual([expect.stringContaining('TEST_POSTGRES_URL (db.example:5433)')]);
    expect(plan(with_({}, { answering: false, port: 5999 }))).toEqual({ run: [], tell: [expect.stringContaining('not answering on 127.0.0.1:5999')] });
  });
});
