// System clients of the FHIR read API (issue 14): other hospital systems given a bearer token for /fhir. Admins make
// them (the token is shown once; only its hash is kept), list them and revoke them. A token reads /fhir and nothing else.
import { z, type OpenAPIHono } from '@hono/zod-openapi';
import { and, eq, isNull, sql } from 'drizzle-orm';
import { writeAudit } from '../../activities/audit';
import { newId } from '../../db/ids';
import { systemClients } from '../../db/schema';
import { onlyFor } from '../auth';
import type { AppDeps, AppEnv } from '../context';
import { AppError, notFound } from '../errors';
import { hashSystemToken, newSystemToken } from '../fhir/auth';
import { iso, listResource, type ListSpec } from '../list';
import { body, errors, idParams, json, listRoute, route, router, signedIn } from '../openapi';

export const systemClientRecord = z.object({
  id: z.string().openapi({ example: 'sysc_01jd3k…' }),
  name: z.string().openapi({ example: 'Radiology booking system' }),
  createdBy: z.string().nullable(),
  createdAt: z.string().openapi({ format: 'date-time' }),
  revokedAt: z.string().nullable().openapi({ format: 'date-time' }),
  revokedBy: z.string().nullable(),
  lastUsedAt: z.string().nullable().openapi({ format: 'date-time', description: 'To the minute' }),
}).openapi('SystemClient');
const createdClient = systemClientRecord.extend({
  token: z.string().openapi({ description: 'The bearer token for /fhir. Shown this once: only its hash is kept.', example: 'adsys_…' }),
}).openapi('NewSystemClient');
export type SystemClient = z.infer<typeof systemClientRecord>;
export type NewSystemClient = z.infer<typeof createdClient>;
const createBody = z.object({
  name: z.string().trim().min(1, 'give the system a name').max(200, 'at most 200 characters')
    .openapi({ description: 'What the system is, as the access centre knows it', example: 'Radiology booking system' }),
}).strict().openapi('CreateSystemClient');

const spec: ListSpec<Record<string, unknown>> = {
  resource: 'system-clients',
  select: sql`s.id, s.name, s.created_by as "createdBy", ${iso(sql`s.created_at`)} as "createdAt", ${iso(sql`s.revoked_at`)} as "revokedAt",
    s.revoked_by as "revokedBy", ${iso(sql`s.last_used_at`)} as "lastUsedAt"`,
  from: sql`system_clients s`,
  filters: { id: { column: sql`s.id` }, revoked: { column: sql`(s.revoked_at is not null)`, kind: 'bool' } },
  search: [sql`s.name`],
  sorts: { id: sql`s.id`, name: sql`s.name`, createdAt: sql`s.created_at` },
  defaultSort: ['createdAt', 'DESC'],
  tieBreak: sql`s.id`,
};

const admins = onlyFor(['admin'], 'manage system clients');
const recordOf = (row: typeof systemClients.$inferSelect) => ({
  id: row.id, name: row.name, createdBy: row.createdBy, createdAt: row.createdAt.toISOString(), revokedAt: row.revokedAt?.toISOString() ?? null,
  revokedBy: row.revokedBy, lastUsedAt: row.lastUsedAt?.toISOString() ?? null,
});

export function systemClientRoutes(deps: AppDeps): OpenAPIHono<AppEnv> {
  const { db } = deps;
  return router()
    .openapi({ ...listRoute('system-clients', 'List system clients of the FHIR API (administrators)', systemClientRecord, admins) }, (c) => listResource(c, db, spec))
    .openapi(route({
      method: 'get', path: '/{id}', tags: ['system-clients'], operationId: 'get_system_client',
      summary: 'One system client of the FHIR API (administrators); never its token',
      middleware: admins, request: { params: idParams('The system client (sysc_…)') },
      responses: { 200: json('The client', systemClientRecord), ...errors(...signedIn, 404) },
    }), async (c) => {
      const { id } = c.req.valid('param');
      const [row] = await db.select().from(systemClients).where(eq(systemClients.id, id));
      if (!row) throw notFound('system client', id);
      return c.json(recordOf(row));
    })
    .openapi(route({
      method: 'post', path: '/', tags: ['system-clients'], operationId: 'create_system_client',
      summary: 'Make a system client of the FHIR API and its bearer token (administrators); the token is shown once',
      middleware: admins, request: { body: body(createBody) },
      responses: { 201: json('The client, with its token', createdClient), ...errors(...signedIn) },
    }), async (c) => {
      const me = c.get('staff');
      const { name } = c.req.valid('json');
      const token = newSystemToken();
      const id = newId('sysc');
      const row = await db.transaction(async (tx) => {
        const [made] = await tx.insert(systemClients).values({ id, name, tokenHash: hashSystemToken(token), createdBy: me.id }).returning();
        await writeAudit(tx, { actorId: me.id, action: 'system_client.created', entityType: 'system_client', entityId: id, after: { name } });
        return made;
      });
      return c.json({ ...recordOf(row), token }, 201);
    })
    .openapi(route({
      method: 'delete', path: '/{id}', tags: ['system-clients'], operationId: 'revoke_system_client',
      summary: 'Revoke a system client (administrators): its token is refused from now on; the client is kept for the audit trail',
      middleware: admins, request: { params: idParams('The system client (sysc_…)') },
      responses: { 200: json('The client, revoked', systemClientRecord), ...errors(...signedIn, 404, 409) },
    }), async (c) => {
      const me = c.get('staff');
      const { id } = c.req.valid('param');
      const row = await db.transaction(async (tx) => {
        const [revoked] = await tx.update(systemClients).set({ revokedAt: new Date(), revokedBy: me.id })
          .where(and(eq(systemClients.id, id), isNull(systemClients.revokedAt))).returning();
        if (!revoked) {
          const [existing] = await tx.select({ id: systemClients.id }).from(systemClients).where(eq(systemClients.id, id));
          if (!existing) throw notFound('system client', id);
          throw new AppError('CONFLICT', 'This system client was already revoked');
        }
        await writeAudit(tx, { actorId: me.id, action: 'system_client.revoked', entityType: 'system_client', entityId: id, before: { name: revoked.name } });
        return revoked;
      });
      return c.json(recordOf(row));
    });
}
