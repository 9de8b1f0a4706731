// The OpenAPI document, generated from the routes' own zod schemas, describes every route the app serves,
// with its path parameters, success and error responses and the session cookie, in valid OpenAPI 3.0 (no
// 3.1 keywords), so a fuzzer can check what the API answers; the reference page serves it offline.
import { describe, expect, it } from 'vitest';
import { createApp } from '../../api/app';
import { silentLogger } from '../../api/log';

// No database or Temporal is touched: only the route table is read.
const app = createApp({ db: {} as never, temporal: {} as never, logger: silentLogger });
const doc = await (await app.request('/api/openapi.json')).json() as any;
// /api, the FHIR read API at /fhir (issue 14) and Prometheus's /metrics (issue 18).
const served = [...new Set(app.routes.filter((r) => r.method !== 'ALL' && (r.path.startsWith('/api/') || r.path.startsWith('/fhir/') || r.path === '/metrics'))
  .map((r) => `${r.method} ${r.path.replace(/:(\w+)/g, '{$1}')}`))].sort();
const documented = Object.entries(doc.paths as Record<string, Record<string, unknown>>)
  .flatMap(([path, ops]) => Object.keys(ops).map((method) => `${method.toUpperCase()} ${path}`)).sort();
const operations = Object.entries(doc.paths as Record<string, Record<string, any>>)
  .flatMap(([path, ops]) => Object.entries(ops).map(([method, op]) => ({ route: `${method.toUpperCase()} ${path}`, path, op })));

describe('the OpenAPI document', () => {
  it('has every route of the app and nothing else', () => {
    expect(served.length).toBeGreaterThanOrEqual(42);
    expect(served.filter((r) => r.startsWith('GET /fhir/'))).toHaveLength(11); // five resources' read and search, and metadata
    expect(documented).toEqual(served);
  });

  it.each(operations)('$route declares its path parameters', ({ path, op }) => {
    const inPath = [...path.matchAll(/\{(\w+)\}/g)].map((m) => m[1]).sort();
    const declared = (op.parameters ?? []).filter((p: any) => p.in === 'path');
    expect(declared.map((p: any) => p.name).sort()).toEqual(inPath);
    for (const p of declared) expect(p.required).toBe(true);
  });

  it.each(operations)('$route declares its success and error responses', ({ op }) => {
    const codes = Object.keys(op.responses);
    const success = codes.filter((c) => c.startsWith('2'));
    expect(success.length).toBeGreaterThan(0);
    for (const code of success) if (code !== '204') expect(Object.values(op.responses[code].content as Record<string, { schema: unknown }>)[0].schema).toBeDefined();
    const signedIn = op.security === undefined;
    if (signedIn) expect(codes).toEqual(expect.arrayContaining(['400', '401', '403']));
  });

  const fhirOperations = operations.filter((o) => o.path.startsWith('/fhir/'));
  it.each(fhirOperations)('$route answers FHIR JSON, errors as OperationOutcomes, to a session or a system client\'s bearer token', ({ path, op }) => {
    for (const [code, response] of Object.entries(op.responses as Record<string, any>)) {
      expect(Object.keys(response.content), code).toEqual(['application/fhir+json']);
      if (Number(code) >= 400) expect(response.content['application/fhir+json'].schema, code).toEqual({ $ref: '#/components/schemas/FhirOperationOutcome' });
    }
    if (path === '/fhir/metadata') return;
    expect(op.security).toEqual([{ session: [] }, { fhirBearer: [] }]);
    expect(Object.keys(op.responses)).toEqual(expect.arrayContaining(['200', '400', '401', '406']));
    if (!path.endsWith('{id}')) {
      const type = path.slice('/fhir/'.length);
      expect(op.responses['200'].content['application/fhir+json'].schema).toEqual({ $ref: `#/components/schemas/Fhir${type}Searchset` });
      expect(op.parameters.map((p: any) => p.name)).toEqual(expect.arrayContaining(['_count', '_page', '_format']));
    }
  });

  it('names the session cookie as its security scheme (and a bearer token for /fhir); only health, readiness, the document, its reference page, sign-in/out and the FHIR CapabilityStatement are public', () => {
    expect(doc.components.securitySchemes.session).toEqual(expect.objectContaining({ type: 'apiKey', in: 'cookie', name: 'ad_session' }));
    expect(doc.security).toEqual([{ session: [] }]);
    const publicRoutes = operations.filter(({ op }) => Array.isArray(op.security) && op.security.length === 0).map((o) => o.route).sort();
    expect(publicRoutes).toEqual(['GET /api/docs', 'GET /api/docs/standalone.js', 'GET /api/health', 'GET /api/openapi.json', 'GET /api/ready', 'GET /fhir/metadata',
      'POST /api/auth/login', 'POST /api/auth/logout']);
    expect(doc.components.schemas.Error.required).toEqual(['message', 'code', 'errors']);
    expect(doc.components.securitySchemes.fhirBearer).toEqual(expect.objectContaining({ type: 'http', scheme: 'bearer' }));
  });

  it('uses only OpenAPI 3.0 schema keywords', () => {
    const found: string[] = [];
    const walk = (node: unknown, at: string) => {
      if (Array.isArray(node)) return node.forEach((n, i) => walk(n, `${at}[${i}]`));
      if (!node || typeof node !== 'object') return;
      for (const [key, value] of Object.entries(node)) {
        if (['const', '$schema', 'prefixItems', '$defs', 'unevaluatedProperties', 'dependentRequired'].includes(key)) found.push(`${at}.${key}`);
        if (key === 'type' && Array.isArray(value)) found.push(`${at}.type (array)`);
        if ((key === 'exclusiveMinimum' || key === 'exclusiveMaximum') && typeof value !== 'boolean') found.push(`${at}.${key} (number)`);
        walk(value, `${at}.${key}`);
      }
    };
    walk(doc, '$');
    expect(found).toEqual([]);
    expect(doc.openapi).toBe('3.0.3');
  });

  it('describes the list parameters and the Content-Range header', () => {
    const get = doc.paths['/api/tasks'].get;
    expect(get.parameters.map((p: any) => p.name)).toEqual(['sort', 'range', 'filter']);
    expect(get.responses['200'].headers['Content-Range']).toBeDefined();
  });

  it('answers every error with the one error shape', () => {
    for (const { route, op } of operations.filter((o) => !['GET /api/health', 'GET /api/ready'].includes(o.route) && !o.path.startsWith('/fhir/'))) {
      for (const [code, response] of Object.entries(op.responses as Record<string, any>)) {
        if (Number(code) >= 400) expect(response.content['application/json'].schema, `${route} ${code}`).toEqual({ $ref: '#/components/schemas/Error' });
      }
    }
  });
});

describe('the reference page', () => {
  it('answers HTML without a session, loading its script from this server and the document from /api/openapi.json', async () => {
    const res = await app.request('/api/docs');
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toMatch(/^text\/html/);
    const html = await res.text();
    expect(html).toContain('/api/openapi.json');
    const scripts = [...html.matchAll(/<script[^>]*src="([^"]+)"/g)].map((m) => m[1]);
    expect(scripts).toEqual(['/api/docs/standalone.js']);
    expect(html).not.toMatch(/https?:\/\//);
    // Its one inline script runs by nonce, on this page only.
    const nonce = /<script[^>]*nonce="([^"]+)"/.exec(html)?.[1];
    expect(nonce).toBeTruthy();
    expect(res.headers.get('content-security-policy')).toContain(`'nonce-${nonce}'`);
    expect((await app.request('/api/health')).headers.get('content-security-policy')).not.toContain('nonce-');
    const script = await app.request('/api/docs/standalone.js');
    expect(script.status).toBe(200);
    expect(script.headers.get('content-type')).toMatch(/javascript/);
    expect((await script.text()).length).toBeGreaterThan(100_000);
  });
});
