// Changing a patient (issue 12): how they want to hear from us, their Accessible Information Standard needs, an
// interpreter, a carer as contact, and the contact details those need. GET /api/patients and /:id are the reference
// lists (routes/reference.ts).
import type { OpenAPIHono } from '@hono/zod-openapi';
import { eq } from 'drizzle-orm';
import { patients } from '../../db/schema';
import { writeAudit } from '../../activities/audit';
import { demographicsChanged, queueHl7PatientUpdate } from '../../activities/hl7-outbox';
import { isUkMobile } from '../../domain';
import { onlyFor } from '../auth';
import type { AppDeps, AppEnv, Role } from '../context';
import { AppError, invalid, notFound } from '../errors';
import { body, errors, idParams, json, route, router, signedIn } from '../openapi';
import { patientRecord } from '../records';
import { changePatientBody } from '../schemas';
import { referenceRecord } from './reference';

/** Who talks to patients and keeps their record: officers and team leaders (admins for corrections). */
export const patientEditors: Role[] = ['officer', 'team_leader', 'admin'];

export function patientRoutes(deps: AppDeps): OpenAPIHono<AppEnv> {
  const { db } = deps;
  return router().openapi(route({
    method: 'put', path: '/{id}', tags: ['patients'], operationId: 'change_patient',
    summary: "Change a patient's communication needs and contact details (officers, team leaders, admins)",
    middleware: onlyFor(patientEditors, "change a patient's communication needs"),
    request: { params: idParams('The patient id (pat_…)'), body: body(changePatientBody) },
    responses: { 200: json('The patient as they now are', patientRecord), ...errors(...signedIn, 404, 409) },
  }), async (c) => {
    const me = c.get('staff');
    const id = c.req.valid('param').id;
    const b = c.req.valid('json');
    const need = b.communication;
    await db.transaction(async (tx) => {
      const [before] = await tx.select().from(patients).where(eq(patients.id, id)).for('no key update');
      if (!before) throw notFound('patient', id);
      if (b.updatedAt !== undefined && Date.parse(b.updatedAt) !== before.updatedAt.getTime()) {
        throw new AppError('STALE_VERSION', "This patient's record changed since you opened it; reload and try again");
      }
      const phone = b.phone !== undefined ? b.phone : before.phone;
      const email = b.email !== undefined ? b.email : before.email;
      const addressLines = b.addressLines ?? before.addressLines;
      // Each channel chosen needs somewhere to go: Notify sends texts only to a UK mobile.
      const blame = (given: unknown, field: string) => (given !== undefined ? field : 'communication.channels');
      if (need.channels.includes('sms') && !isUkMobile(phone)) {
        throw invalid(blame(b.phone, 'phone'), 'texts need a UK mobile number (07… or +44 7…)');
      }
      if (need.channels.includes('email') && !email) throw invalid(blame(b.email, 'email'), 'emails need an email address');
      if (need.channels.includes('letter') && !addressLines.length && !before.postcode) {
        throw invalid(blame(b.addressLines, 'addressLines'), 'letters need an address');
      }
      const after = {
        channels: need.channels, aisNeeds: need.aisNeeds, interpreterLanguage: need.interpreterLanguage, carer: need.carer,
        phone, email, addressLines,
      };
      const at = new Date();
      await tx.update(patients).set({ ...after, updatedAt: at }).where(eq(patients.id, id));
      // The PAS holds the address and contact details too (issue 14): an ADT^A08 in this transaction.
      if (demographicsChanged(before, after)) await queueHl7PatientUpdate(tx, `patient:${id}:${at.getTime()}`, { patientId: id, at });
      // The audit says what changed, not the contact details themselves: those stay in the patient's record.
      const contact = (p: { phone: string | null; email: string | null; addressLines: string[]; carer: unknown }) => ({
        phone: p.phone !== null, email: p.email !== null, address: p.addressLines.length > 0, carer: p.carer !== null,
      });
      const changedDetails = (['phone', 'email', 'addressLines', 'carer'] as const)
        .filter((k) => JSON.stringify(before[k]) !== JSON.stringify(after[k]));
      await writeAudit(tx, { actorId: me.id, action: 'patient.communication_changed', entityType: 'patient', entityId: id,
        before: { channels: before.channels, aisNeeds: before.aisNeeds, interpreterLanguage: before.interpreterLanguage, has: contact(before) },
        after: { channels: after.channels, aisNeeds: after.aisNeeds, interpreterLanguage: after.interpreterLanguage, has: contact(after), changedDetails } });
    });
    return c.json(await referenceRecord(db, 'patients', id));
  });
}
