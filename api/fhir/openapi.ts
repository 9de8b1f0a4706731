// /fhir in the OpenAPI document: each resource's read and search, and the CapabilityStatement, as FHIR answers them
// (application/fhir+json; resources as loose objects, since FHIR R4's own JSON schema is what checks their elements,
// in tests/api/fhir.test.ts), so the document lists every route and the fuzz run reaches these too. The handlers
// validate their own parameters (FHIR answers an OperationOutcome, not the API's error shape): this is description only.
import { z } from '@hono/zod-openapi';
import type { OpenAPIRegistry, ResponseConfig } from '@asteasolutions/zod-to-openapi';
import { searchParams } from './capability';
import { FHIR_JSON, MAX_COUNT } from './common';

const loose = <S extends z.core.$ZodLooseShape>(shape: S) => z.looseObject(shape);

export const operationOutcomeSchema = loose({
  resourceType: z.enum(['OperationOutcome']),
  issue: z.array(loose({
    severity: z.enum(['fatal', 'error', 'warning', 'information']), code: z.string(),
    diagnostics: z.string().optional(), details: loose({ text: z.string().optional() }).optional(), expression: z.array(z.string()).optional(),
  })).min(1),
}).openapi('FhirOperationOutcome', { description: 'Every /fhir failure: what is wrong, in words, and the parameter to blame (expression)' });

const resourceSchema = (type: string) => loose({
  resourceType: z.enum([type]), id: z.string(),
  meta: loose({ profile: z.array(z.string()).optional(), lastUpdated: z.string().optional() }).optional(),
}).openapi(`Fhir${type}`, { description: `A UKCore-${type} resource (docs/fhir.md lists its elements)` });

const searchsetSchema = (type: string, resource: z.ZodType) => loose({
  resourceType: z.enum(['Bundle']), type: z.enum(['searchset']), total: z.number().int().min(0),
  link: z.array(z.object({ relation: z.enum(['self', 'next', 'previous']), url: z.string() })),
  entry: z.array(loose({ fullUrl: z.string(), resource, search: z.object({ mode: z.enum(['match']) }) })),
}).openapi(`Fhir${type}Searchset`, { description: `A page of ${type} resources: the total, and next/previous links carrying _page` });

const meaning: Record<number, string> = {
  400: 'An unknown, repeated or malformed search parameter, or a search without the parameter it needs; `expression` names it',
  401: 'No session and no bearer token, or a token unknown or revoked (with WWW-Authenticate: Bearer)',
  404: 'No such resource',
  406: 'A format other than JSON asked for (_format or Accept)',
  503: 'The database is not answering just now (with Retry-After)',
};
const fhir = (description: string, schema: z.ZodType) => ({ description, content: { [FHIR_JSON]: { schema } } });
const failures = (...codes: number[]): Record<number, ResponseConfig> =>
  Object.fromEntries(codes.map((code) => [code, fhir(meaning[code], operationOutcomeSchema)]));

const format = z.enum(['json', 'application/json', 'application/fhir+json']).optional()
  .openapi({ description: 'Only JSON is served; anything else is 406' });
/** Either credential: a staff member's console session, or a system client's bearer token. */
const security: Record<string, string[]>[] = [{ session: [] }, { fhirBearer: [] }];

/** The read and search of one resource type, with the search parameters the CapabilityStatement lists. */
export function documentFhirResource(registry: OpenAPIRegistry, type: string) {
  const resource = resourceSchema(type);
  const tags = ['fhir'];
  registry.registerPath({
    method: 'get', path: `/${type}/{id}`, tags, operationId: `fhir_read_${type}`, summary: `Read a ${type}`, security,
    request: {
      params: z.object({ id: z.string().openapi({ param: { name: 'id', in: 'path' }, description: 'The FHIR id (our record id with - for _)' }) }),
      query: z.object({ _format: format }),
    },
    responses: { 200: fhir(`The ${type}`, resource), ...failures(400, 401, 404, 406, 503) },
  });
  const params = Object.fromEntries(searchParams[type].map((p) => [p.name, (p.type === 'date'
    ? z.array(z.string()).optional().openapi({ description: `${p.documentation}; repeat for a range (ge… and lt…)` })
    : z.string().optional().openapi({ description: p.documentation }))]));
  registry.registerPath({
    method: 'get', path: `/${type}`, tags, operationId: `fhir_search_${type}`, summary: `Search ${type} resources`, security,
    request: {
      query: z.object({
        ...params, _format: format,
        _count: z.number().int().min(0).optional().openapi({ description: `Entries a page (default 20; more than ${MAX_COUNT} is trimmed to ${MAX_COUNT})` }),
        _page: z.string().optional().openapi({ description: 'Where a page starts: as the next and previous links give it' }),
      }),
    },
    responses: { 200: fhir('A searchset Bundle', searchsetSchema(type, resource)), ...failures(400, 401, 406, 503) },
  });
}

/** The CapabilityStatement (public) and the bearer scheme of system clients. */
export function documentFhirServer(registry: OpenAPIRegistry) {
  registry.registerComponent('securitySchemes', 'fhirBearer', {
    type: 'http', scheme: 'bearer',
    description: '/fhir only: a system client\'s token (adsys_…), made by an administrator with POST /api/system-clients',
  });
  registry.registerPath({
    method: 'get', path: '/metadata', tags: ['fhir'], operationId: 'fhir_capabilities', summary: 'What this FHIR server serves (CapabilityStatement)',
    security: [],
    request: { query: z.object({ _format: format }) },
    responses: {
      200: fhir('The CapabilityStatement', loose({ resourceType: z.enum(['CapabilityStatement']), fhirVersion: z.string() }).openapi('FhirCapabilityStatement')),
      ...failures(406),
    },
  });
}
