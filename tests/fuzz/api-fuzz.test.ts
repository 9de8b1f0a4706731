// Property-based run over the whole OpenAPI document with schemathesis (PyPI), signed in as each role, on
// Postgres and the Temporal dev server: no 5xx, every answer of a documented status and shape.
// `npm test` runs a small budget; `npm run test:fuzz` (FUZZ_EXAMPLES) a large one.
import { execFileSync, spawn } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestStack, demoPassword, type TestStack } from '../support/stack';
import { referralBody } from '../support/fixtures';

const target = path.resolve('.tools/schemathesis');
const env = { ...process.env, PYTHONPATH: target, PIP_ROOT_USER_ACTION: 'ignore', NO_COLOR: '1' };
const examples = Number(process.env.FUZZ_EXAMPLES ?? 4);
const roles = ['officer', 'leader', 'clinician', 'ops', 'admin'];
// The coverage phase (every boundary value of every parameter) is most of a role's time. The short form runs it
// for the admin alone, who may call every operation (tests/api/authorisation-matrix.test.ts), so every parameter's
// boundaries reach the handlers; the other roles get the examples and the fuzzing. `npm run test:fuzz` runs every
// phase for every role.
const fullRun = process.env.FUZZ_EXAMPLES !== undefined;
const phasesFor = (who: string) => (fullRun || who === 'admin' ? 'examples,coverage,fuzzing' : 'examples,fuzzing');
// The other roles, in the short form, call every operation with its documented examples and one generated case: what
// their runs add to the admin's is each role's refusals (tests/api/authorisation-matrix.test.ts checks them one by one).
const examplesFor = (who: string) => (fullRun || who === 'admin' ? examples : 1);
// The coverage phase grows with the operations (issues 15, 16 and 18 added some thirty): room for it on a busy machine.
const perRoleMs = Math.max(120_000, examples * 90 * 1000);

/** Schemathesis is installed if missing (the same pip command as .ci/run); never skipped silently. */
function ensureSchemathesis() {
  const present = () => {
    try { execFileSync('python3', ['-c', 'import schemathesis'], { env, stdio: 'ignore' }); return true; } catch { return false; }
  };
  if (present()) return;
  execFileSync('python3', ['-m', 'pip', 'install', '--quiet', '--disable-pip-version-check', '--no-warn-script-location', '--target', target, 'schemathesis'],
    { env, stdio: 'inherit' });
  if (!present()) throw new Error(`schemathesis could not be installed into ${target}`);
}

// CPython 3.11's ast.parse can fail with "AST constructor recursion depth mismatch" when two threads parse at once
// (python/cpython#106905); hypothesis parses lambdas only to name them in reprs, so with --workers 2 the fuzzer
// sometimes stopped on its own error. The runner names such a lambda "lambda: <unknown>" instead.
const runner = [
  'import sys',
  'import hypothesis.internal.lambda_sources as ls',
  '_describe = ls._lambda_description',
  'def _safe(f, *a, **k):',
  '    try: return _describe(f, *a, **k)',
  '    except SystemError: return "lambda: <unknown>"',
  'ls._lambda_description = _safe',
  'from schemathesis.cli import schemathesis',
  'sys.argv[0] = "schemathesis"',
  'schemathesis()',
].join('\n');

function schemathesis(args: string[]): Promise<{ code: number; output: string }> {
  return new Promise((resolve) => {
    const child = spawn('python3', ['-c', runner, ...args], { env });
    let output = '';
    child.stdout.on('data', (d) => { output += d; });
    child.stderr.on('data', (d) => { output += d; });
    child.on('close', (code) => resolve({ code: code ?? 1, output }));
  });
}

let stack: TestStack;
const cookies: Record<string, string> = {};
const configFile = path.join(os.tmpdir(), `access-desk-fuzz-${process.pid}.toml`);
beforeAll(async () => {
  ensureSchemathesis();
  stack = await startTestStack({ database: 'postgres', temporal: 'dev' });
  // A referral with a live pathway and work item, so the fuzzer reaches past "not found" on record routes.
  const officer = await stack.signIn('officer@demo.nhs.uk');
  const referral = await officer.post('/api/referrals', referralBody());
  const triage = await officer.waitForOpenTask(referral.id, 'triage_referral');
  const pin = (pathRegex: string, id: string) => `[[operations]]\ninclude-path-regex = ${JSON.stringify(pathRegex)}\nparameters = { "path.id" = ${JSON.stringify(id)} }\n`;
  // Everyone signs in first: the fuzzer's own sign-in attempts soon lock this address out (429).
  for (const who of roles) {
    const res = await fetch(`${stack.url}/api/auth/login`, {
      method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ email: `${who}@demo.nhs.uk`, password: demoPassword }),
    });
    if (res.status !== 200) throw new Error(`could not sign in as ${who}: ${res.status}`);
    cookies[who] = (res.headers.get('set-cookie') ?? '').split(';')[0];
  }
  // The FHIR reads too (a FHIR id writes our '_' as '-'), so their 200s are checked against the document as well.
  const fhirId = (id: string) => id.replace(/_/g, '-');
  writeFileSync(configFile, [pin('^/api/tasks/\\{id\\}', triage.id), pin('^/api/referrals/\\{id\\}$', referral.id), pin('^/api/patients/\\{id\\}$', referral.patientId),
    pin('^/fhir/Patient/\\{id\\}$', fhirId(referral.patientId)), pin('^/fhir/ServiceRequest/\\{id\\}$', fhirId(referral.id))].join('\n'));
}, 600_000);
afterAll(async () => { await stack?.stop(); });

describe(`schemathesis over /api/openapi.json (${examples} examples per operation${fullRun ? '' : ' as the admin, 1 as the others'})`, () => {
  it.each(roles)('as %s: no server errors, documented statuses and response shapes', async (who) => {
    const cookie = cookies[who];
    const { code, output } = await schemathesis([
      '--config-file', configFile, 'run', `${stack.url}/api/openapi.json`,
      '--checks', 'not_a_server_error,status_code_conformance,response_schema_conformance',
      '--header', `Cookie: ${cookie}`,
      // Signing out would end the session the rest of the run uses.
      '--exclude-path', '/api/auth/logout',
      '--max-examples', String(examplesFor(who)),
      '--phases', phasesFor(who),
      '--generation-allow-x00', 'true',
      '--seed', '20261129',
      '--workers', '2',
      '--request-timeout', '30',
      '--no-color',
    ]);
    const generated = Number(/(\d+) generated/.exec(output)?.[1] ?? 0);
    // Every operation called as this role in the fuzzing phase: one case each is the least the short form runs.
    const selected = Number(/Operations:\s+(\d+) selected/.exec(output)?.[1] ?? 0);
    const fuzzed = Number(/Fuzzing \(in [^)]*\)\s+✅\s+(\d+) passed/.exec(output)?.[1] ?? -1);
    if (code !== 0 || fuzzed !== selected || process.env.FUZZ_VERBOSE) console.log(output);
    expect(generated, 'schemathesis ran no test cases (output above)').toBeGreaterThan(phasesFor(who).includes('coverage') ? 100 : 20);
    expect(code, 'schemathesis found failures (output above)').toBe(0);
    expect(selected, 'schemathesis selected too few operations (output above)').toBeGreaterThan(100);
    expect(fuzzed, 'the fuzzing phase did not call every operation (output above)').toBe(selected);
  }, perRoleMs);
});
