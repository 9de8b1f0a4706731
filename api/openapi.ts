// Routes are defined with @hono/zod-openapi: each route's request and responses are zod schemas, so the
// document at /api/openapi.json is generated from what validates (a test compares it with app.routes).
import { createRoute, OpenAPIHono, z, type RouteConfig } from '@hono/zod-openapi';
import type { MiddlewareHandler } from 'hono';
import type { ResponseConfig } from '@asteasolutions/zod-to-openapi';
import type { AppEnv } from './context';
import { fromZod } from './errors';
import { MAX_LIST_OFFSET } from './list';
import { errorRecord } from './records';

/** A sub-app whose zod failures are the one 400 body naming each field. */
export const router = (): OpenAPIHono<AppEnv> => new OpenAPIHono<AppEnv>({
  defaultHook: (result) => { if (!result.success) throw fromZod(result.error as z.ZodError); },
});

const errorMeaning: Record<number, string> = {
  400: 'Invalid input; `errors` names each field',
  401: 'Not signed in, or the session has ended',
  403: 'Your role or your queues do not allow this',
  404: 'No such record',
  409: 'Conflict: taken, not open, closed, or changed since you loaded it',
  413: 'The body is larger than allowed (100 kB; 1 MB for bulk moves; 50 MB for an import file)',
  415: 'The body is not application/json (text/csv for an import file)',
  422: 'A rule refuses it; `errors` names the field when one is to blame',
  429: 'Too many failed sign-ins',
  503: 'The database or Temporal is not answering just now; nothing was changed',
};
const retryAfter = { 'Retry-After': { description: 'Seconds to wait', schema: { type: 'integer' as const } } };

/** Error responses, each the one error shape. */
export function errors(...codes: number[]): Record<number, ResponseConfig> {
  return Object.fromEntries(codes.map((code) => [code, {
    description: errorMeaning[code], content: { 'application/json': { schema: errorRecord } },
    ...(code === 429 || code === 503 ? { headers: retryAfter } : {}),
  }]));
}
/** Every signed-in route may answer these: invalid input, not signed in, not allowed, too large, not JSON. */
export const signedIn = [400, 401, 403, 413, 415];
/** What a public route may answer besides its own. */
export const publicErrors = [400, 413, 415];

export const json = <S extends z.ZodType>(description: string, schema: S) => ({ description, content: { 'application/json': { schema } } });
export const body = <S extends z.ZodType>(schema: S) => ({ required: true, content: { 'application/json': { schema } } });

/**
 * createRoute, with responses typed loosely: handlers answer records read with SQL, whose shapes the
 * response schemas describe and the fuzz run checks, so the handler may return any Response.
 */
export function route<R extends RouteConfig>(config: R): Omit<R, 'responses'> & { responses: { [status: string]: ResponseConfig } } {
  return createRoute(config) as never;
}

export const idParams = (description: string, example?: string) => z.object({
  id: z.string().min(1).openapi({ param: { name: 'id', in: 'path', description }, ...(example ? { example } : {}) }),
});

export const listQuery = z.object({
  sort: z.string().optional().openapi({ description: 'JSON ["field", "ASC" | "DESC"]; only listed fields may be sorted', example: '["id","ASC"]' }),
  range: z.string().optional().openapi({
    description: `JSON [first, last], whole numbers, 0 <= first <= last <= ${MAX_LIST_OFFSET}; at most 1000 rows are returned`, example: '[0,24]',
  }),
  filter: z.string().optional().openapi({
    description: 'JSON object; keys AND together, an array means IN, `q` searches text, _gte/_lte/_gt/_lt suffixes are ranges; '
      + 'values must be of the field\'s kind (enum values, YYYY-MM-DD dates, ISO date-times, numbers)',
    example: '{}',
  }),
});

/** GET / of a resource: the react-admin list contract. */
export const listRoute = (resource: string, summary: string, record: z.ZodType, middleware?: MiddlewareHandler<AppEnv>) => route({
  method: 'get', path: '/', summary, tags: [resource], operationId: `list_${resource}`,
  description: 'The react-admin list contract. Each query parameter is a JSON value written as a string.',
  request: { query: listQuery },
  responses: {
    200: {
      ...json('The records of the page', z.array(record)),
      headers: {
        'Content-Range': { description: `\`${resource} <first>-<last>/<total>\``, schema: { type: 'string' } },
        'X-Total-Capped': {
          description: '`true` when the list stopped counting (work items are counted to 1,000 or to the end of the page, whichever is further): the total is then a lower bound, shown as "1,000+"',
          schema: { type: 'string' },
        },
      },
    },
    ...errors(...signedIn),
  },
  ...(middleware ? { middleware } : {}),
});

/**
 * Names a schema in the document's components. The request schemas (api/schemas.ts) are plain zod, because activities
 * load them too, before or without this library: zod v4 gives a schema the `.openapi` method only if it was made
 * after @hono/zod-openapi extended zod, so the name is given through the extended prototype, which copies the schema.
 */
export function registerSchema(app: OpenAPIHono<AppEnv>, name: string, schema: z.ZodType) {
  const openapi = (z.ZodType.prototype as unknown as { openapi(this: z.ZodType, refId: string): z.ZodType }).openapi;
  app.openAPIRegistry.register(name, openapi.call(schema, name));
}

/** GET /{id} of a resource. */
export const showRoute = (resource: string, summary: string, record: z.ZodType, example?: string) => route({
  method: 'get', path: '/{id}', summary, tags: [resource], operationId: `get_${resource}`,
  request: { params: idParams(`The ${resource} record's id`, example) },
  responses: { 200: json('The record', record), ...errors(...signedIn, 404) },
});
