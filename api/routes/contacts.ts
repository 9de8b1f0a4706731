// The contact log (issue 12): a patient's calls and messages, in and out, and how each ended. Logged by those who
// talk to patients; read by everyone who may open the patient. The summary can hold personal details, so the audit
// entry says who, how and how it ended, never what was said.
import type { OpenAPIHono } from '@hono/zod-openapi';
import { and, eq, sql } from 'drizzle-orm';
import { queryRows, type Queryable } from '../../db/client';
import { newId } from '../../db/ids';
import { contactChannel, contactDirection, contactOutcome, contacts, patients, referrals } from '../../db/schema';
import { writeAudit } from '../../activities/audit';
import { onlyFor } from '../auth';
import type { AppDeps, AppEnv } from '../context';
import { invalid, notFound } from '../errors';
import { noteRecordMade, recordMadeUnder } from '../idempotency';
import { enumFilter, iso, listResource, type ListSpec } from '../list';
import { body, errors, idParams, json, listRoute, route, router, signedIn } from '../openapi';
import { contactRecord } from '../records';
import { contactBody } from '../schemas';
import type { Role } from '../../domain/model';

/** Who logs contacts: those who talk to patients (ops reads them). */
export const contactLoggers: readonly Role[] = ['officer', 'team_leader', 'clinician', 'admin'];

export const contactListSpec: ListSpec<Record<string, unknown>> = {
  resource: 'contacts',
  select: sql`k.id, k.patient_id as "patientId", p.given_name || ' ' || p.family_name as "patientName", p.nhs_number as "nhsNumber",
    k.referral_id as "referralId", sp.name as "specialtyName", k.direction, k.channel, k.summary, k.outcome,
    k.staff_id as "staffId", st.name as "staffName", ${iso(sql`k.at`)} as at`,
  from: sql`contacts k join patients p on p.id = k.patient_id join staff st on st.id = k.staff_id
    left join referrals r on r.id = k.referral_id left join specialties sp on sp.code = r.specialty_code`,
  filters: {
    id: { column: sql`k.id` }, patientId: { column: sql`k.patient_id` }, referralId: { column: sql`k.referral_id` }, staffId: { column: sql`k.staff_id` },
    direction: enumFilter(sql`k.direction`, contactDirection.enumValues), channel: enumFilter(sql`k.channel`, contactChannel.enumValues),
    outcome: enumFilter(sql`k.outcome`, contactOutcome.enumValues), at: { column: sql`k.at`, kind: 'timestamp' },
  },
  search: [sql`p.given_name || ' ' || p.family_name`, sql`p.nhs_number`, sql`k.summary`],
  sorts: { id: sql`k.id`, at: sql`k.at`, outcome: sql`k.outcome`, staffName: sql`st.name` },
  defaultSort: ['at', 'DESC'],
  tieBreak: sql`k.id`,
};

export async function contactById(db: Queryable, id: string) {
  const [row] = await queryRows<Record<string, unknown>>(db, sql`select ${contactListSpec.select} from ${contactListSpec.from} where k.id = ${id}`);
  return row;
}

/** GET /api/contacts: the list contract, newest first. */
export function contactRoutes(deps: AppDeps): OpenAPIHono<AppEnv> {
  return router().openapi(listRoute('contacts', 'List logged contacts (calls and messages with patients), newest first', contactRecord),
    (c) => listResource(c, deps.db, contactListSpec));
}

/** POST /api/patients/:id/contacts: log a call or message. */
export function patientContactRoutes(deps: AppDeps): OpenAPIHono<AppEnv> {
  const { db } = deps;
  return router().openapi(route({
    method: 'post', path: '/{id}/contacts', tags: ['contacts'], operationId: 'log_contact', summary: 'Log a call or message with a patient',
    middleware: onlyFor(contactLoggers, 'log contacts with patients'),
    request: { params: idParams('The patient id (pat_…)'), body: body(contactBody) },
    responses: { 201: json('Logged', contactRecord), 200: json('Logged before under this Idempotency-Key', contactRecord), ...errors(...signedIn, 404) },
  }), async (c) => {
    const patientId = c.req.valid('param').id;
    const input = c.req.valid('json');
    const me = c.get('staff');
    const [patient] = await db.select({ id: patients.id }).from(patients).where(eq(patients.id, patientId));
    if (!patient) throw notFound('patient', patientId);
    if (input.referralId) {
      const [referral] = await db.select({ id: referrals.id }).from(referrals)
        .where(and(eq(referrals.id, input.referralId), eq(referrals.patientId, patientId)));
      if (!referral) throw invalid('referralId', "is not one of this patient's referrals");
    }
    const claim = c.get('idempotency');
    const made = await db.transaction(async (tx) => {
      const before = await recordMadeUnder(tx, claim);
      if (before) return { id: before, created: false };
      const id = newId('contact');
      await tx.insert(contacts).values({
        id, patientId, referralId: input.referralId ?? null, direction: input.direction, channel: input.channel,
        summary: input.summary, outcome: input.outcome, staffId: me.id,
      });
      await writeAudit(tx, { actorId: me.id, action: 'patient.contact_logged', entityType: 'patient', entityId: patientId,
        after: { contactId: id, direction: input.direction, channel: input.channel, outcome: input.outcome, referralId: input.referralId ?? null } });
      await noteRecordMade(tx, claim, id);
      return { id, created: true };
    });
    return c.json(await contactById(db, made.id), made.created ? 201 : 200);
  });
}
