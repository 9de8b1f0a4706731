// Issue 18 "Watching it": with OTEL_EXPORTER_OTLP_ENDPOINT set, one trace runs from an API request through the
// workflow to an activity, exported as OTLP/JSON to a collector (here a loopback HTTP server that keeps the posts).
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { referralBody } from '../support/fixtures';
import { startTestStack, type TestStack } from '../support/stack';

type Span = { traceId: string; spanId: string; parentSpanId?: string; name: string; attributes?: { key: string }[] };
const spans: Span[] = [];
const paths: string[] = [];
let collector: Server;
let stack: TestStack;

beforeAll(async () => {
  collector = createServer((req, res) => {
    let body = '';
    req.on('data', (c) => { body += c; });
    req.on('end', () => {
      paths.push(`${req.method} ${req.url} ${req.headers['content-type']}`);
      try {
        const doc = JSON.parse(body) as { resourceSpans: { scopeSpans: { spans: Span[] }[] }[] };
        for (const r of doc.resourceSpans ?? []) for (const s of r.scopeSpans ?? []) spans.push(...(s.spans ?? []));
      } catch { /* not JSON: the test below fails on the content type */ }
      res.writeHead(200, { 'content-type': 'application/json' }).end('{}');
    });
  });
  await new Promise<void>((resolve) => collector.listen(0, '127.0.0.1', resolve));
  // Read by bin/lib/tracing.ts when the stack's system starts (this file's process only).
  process.env.OTEL_EXPORTER_OTLP_ENDPOINT = `http://127.0.0.1:${(collector.address() as AddressInfo).port}`;
  stack = await startTestStack({ database: 'postgres', temporal: 'dev' });
});
afterAll(async () => {
  await stack?.stop();
  collector?.close();
});

describe('OpenTelemetry traces', () => {
  it('finds one trace spanning an API request, the workflow and an activity', async () => {
    const officer = await stack.signIn('officer@demo.nhs.uk');
    const clinician = await stack.signIn('clinician@demo.nhs.uk');
    const referral = await officer.post('/api/referrals', referralBody());
    const triage = await officer.waitForOpenTask(referral.id, 'triage_referral');
    await clinician.post(`/api/tasks/${triage.id}/complete`, { decision: 'accept', clinicId: 'clin_2', clinicalPriority: 'routine' });
    await officer.waitForOpenTask(referral.id, 'book_new_appointment');

    // A trace with the request's span at its root, a span from the workflow (its run, an Update it handled, or an
    // activity it scheduled: a pathway's run span ends only when the pathway does) and an activity's run.
    const complete = () => {
      const byTrace = new Map<string, Span[]>();
      for (const s of spans) byTrace.set(s.traceId, [...(byTrace.get(s.traceId) ?? []), s]);
      return [...byTrace.values()].find((t) => t.some((s) => /^HTTP POST \/api\/(referrals|tasks\/:id\/complete)$/.test(s.name))
        && t.some((s) => /^(RunWorkflow|HandleUpdate|StartActivity):/.test(s.name)) && t.some((s) => s.name.startsWith('RunActivity:')));
    };
    const deadline = Date.now() + 30_000;
    while (!complete() && Date.now() < deadline) await new Promise((r) => setTimeout(r, 250));
    const trace = complete();
    expect(trace, `spans seen: ${[...new Set(spans.map((s) => s.name))].join(', ')}`).toBeDefined();
    expect(paths[0]).toMatch(/^POST \/v1\/traces application\/json/);

    // One tree: only the request's span has no parent (the workflow's and the activity's were carried in headers).
    expect(trace!.filter((s) => !s.parentSpanId).map((s) => s.name)).toEqual([expect.stringMatching(/^HTTP POST /)]);
    // No patient data or ids in span names: route patterns and workflow or activity types only.
    for (const s of spans) expect(s.name, s.name).not.toMatch(/ref_|task_|pat_|\d{10}/);
  }, 90_000);
});
