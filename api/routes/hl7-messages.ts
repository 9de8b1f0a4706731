// The PAS feed's rejected messages (issue 14): after the PAS refuses a message (AR), ops put the cause right and either
// send it again (same control id) or set it aside (the PAS was corrected by hand). Either frees the patient's later
// messages, which wait behind it. Only a rejected message can be either; the update is conditional, so of two
// people acting at once one is told it has already been dealt with.
import type { OpenAPIHono } from '@hono/zod-openapi';
import { z } from '@hono/zod-openapi';
import { and, eq } from 'drizzle-orm';
import { writeAudit } from '../../activities/audit';
import { hl7Messages } from '../../db/schema';
import { hl7ControlId } from '../../domain/hl7';
import { hl7Statuses, type Role } from '../../domain/model';
import { onlyFor } from '../auth';
import type { AppDeps, AppEnv } from '../context';
import { AppError, notFound } from '../errors';
import { body, errors, idParams, json, route, router, signedIn } from '../openapi';

/** Who deals with the PAS feed: ops (told of a rejection) and admins. */
export const pasFeedEditors: Role[] = ['ops', 'admin'];

const hl7MessageState = z.object({
  id: z.string(), controlId: z.string().describe('MSH-10'), event: z.string(), status: z.enum(hl7Statuses),
  lastAck: z.string().nullable(), lastError: z.string().nullable(),
}).openapi('Hl7MessageState');
const setAsideBody = z.object({ reason: z.string().trim().min(3, 'say how the PAS was put right') }).openapi('SetAsidePasMessage');

export function hl7MessageRoutes(deps: AppDeps): OpenAPIHono<AppEnv> {
  const { db } = deps;
  const act = async (id: string, actorId: string, to: 'queued' | 'set_aside', reason?: string) => db.transaction(async (tx) => {
    const [before] = await tx.select().from(hl7Messages).where(eq(hl7Messages.id, id)).for('update');
    if (!before) throw notFound('PAS message', id);
    if (before.status !== 'rejected') {
      throw new AppError('PAS_MESSAGE_NOT_REJECTED', `This PAS message is ${before.status.replace('_', ' ')}, not rejected: there is nothing to do`);
    }
    const now = new Date();
    const [after] = await tx.update(hl7Messages).set(to === 'queued'
      ? { status: 'queued', sendAfter: now, updatedAt: now }
      : { status: 'set_aside', lastError: `set aside: ${reason}`, updatedAt: now })
      .where(and(eq(hl7Messages.id, id), eq(hl7Messages.status, 'rejected'))).returning();
    const controlId = hl7ControlId(before.controlNumber);
    await writeAudit(tx, { actorId, action: to === 'queued' ? 'hl7_message.resent' : 'hl7_message.set_aside', entityType: 'hl7_message', entityId: id,
      before: { status: 'rejected', lastError: before.lastError }, after: { status: after.status, controlId, event: before.event, ...(reason ? { reason } : {}) } });
    return { id, controlId, event: after.event, status: after.status, lastAck: after.lastAck, lastError: after.lastError };
  });
  return router()
    .openapi(route({
      method: 'post', path: '/{id}/resend', tags: ['pas-feed'], operationId: 'resend_pas_message',
      summary: 'Send a message the PAS rejected again, once the cause is put right (ops, admins)',
      middleware: onlyFor(pasFeedEditors, 'resend a PAS message'),
      request: { params: idParams('The message id (hl7_…)') },
      responses: { 200: json('The message, queued to go again', hl7MessageState), ...errors(...signedIn, 404, 409) },
    }), async (c) => c.json(await act(c.req.valid('param').id, c.get('staff').id, 'queued')))
    .openapi(route({
      method: 'post', path: '/{id}/set-aside', tags: ['pas-feed'], operationId: 'set_aside_pas_message',
      summary: "Set aside a message the PAS rejected (the PAS was put right by hand), letting the patient's later messages go (ops, admins)",
      middleware: onlyFor(pasFeedEditors, 'set aside a PAS message'),
      request: { params: idParams('The message id (hl7_…)'), body: body(setAsideBody) },
      responses: { 200: json('The message, set aside', hl7MessageState), ...errors(...signedIn, 404, 409) },
    }), async (c) => c.json(await act(c.req.valid('param').id, c.get('staff').id, 'set_aside', c.req.valid('json').reason)));
}
