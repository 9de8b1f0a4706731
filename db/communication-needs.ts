// A patient's communication needs as the API answers them, as SQL over a `patients` alias: the whole record for
// the patient page, and the compact flag (AIS: "highly visible, prompts action") every list an officer works from
// carries on its rows, so no screen fetches a patient per row.
import { sql, type SQL } from 'drizzle-orm';
import type { AisNeed } from '../domain/model';

export type CommunicationNeeds = { aisNeeds: AisNeed[]; interpreterLanguage: string | null; viaCarer: boolean } | null;

/** `{ channels, aisNeeds, interpreterLanguage, carer }` of patient alias `p`. */
export const communicationSql = (p: SQL) => sql`json_build_object('channels', ${p}.channels, 'aisNeeds', ${p}.ais_needs,
  'interpreterLanguage', ${p}.interpreter_language, 'carer', ${p}.carer)`;

/**
 * The flag: `{ aisNeeds, interpreterLanguage, viaCarer }` when the patient needs anything beyond a standard letter or
 * message, else null (also when there is no patient, as on a left join).
 */
export const communicationNeedsSql = (p: SQL) => sql`(case when cardinality(${p}.ais_needs) > 0 or ${p}.interpreter_language is not null
  or ${p}.carer is not null then json_build_object('aisNeeds', ${p}.ais_needs, 'interpreterLanguage', ${p}.interpreter_language,
  'viaCarer', ${p}.carer is not null) end)`;
