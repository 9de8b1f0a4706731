// The request schemas (api/schemas.ts) are plain zod: the worker's activities load them (e-RS intake validates a
// referral with the console's own schema) without the API's OpenAPI library, and whichever loads first, the API's
// document still names them. Before, the document failed to build when the schemas were loaded first, and the e-RS
// activities imported @hono/zod-openapi for its side effect to avoid that.
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
// First, before anything of the API: as the worker does.
import { registerReferralBody, triageOutcome } from '../../api/schemas';
import { describe, expect, it } from 'vitest';

describe('the request schemas', () => {
  it('load before the API and the OpenAPI document still builds, naming the work items\' outcomes', { timeout: 60_000 }, async () => {
    expect(registerReferralBody.safeParse({}).success).toBe(false);
    const { createApp } = await import('../../api/app');
    const { silentLogger } = await import('../../api/log');
    const app = createApp({ db: {} as never, temporal: {} as never, logger: silentLogger });
    const res = await app.request('/api/openapi.json');
    expect(res.status).toBe(200);
    const doc = await res.json() as any;
    // The triage outcome, a choice by decision, as the document names it.
    expect(triageOutcome.safeParse({ decision: 'accept' }).success).toBe(false);
    expect(JSON.stringify(doc.components.schemas.TriageOutcome)).toContain('return_to_referrer');
    expect(doc.paths['/api/referrals'].post.requestBody.content['application/json'].schema).toBeDefined();
  });

  it('need no import of the API\'s library in the activities', () => {
    const dir = path.resolve('activities');
    const importing = readdirSync(dir).filter((f) => f.endsWith('.ts'))
      .filter((f) => /from '@hono\/|import '@hono\//.test(readFileSync(path.join(dir, f), 'utf8')));
    expect(importing).toEqual([]);
  });
});
