// PLACEHOLDER for type-checking only: H2 builds this file in parallel and the lead takes H2's at merge.
import type { Client } from '@temporalio/client';
import type { Database } from '../db/client';
import type { ImportRow } from '../domain/import';

export type ImportContext = { db: Database; temporal: { client: Client; taskQueue: string }; today: string; now: Date };
/** Idempotent by PPID/UBRN: rows already here count as unchanged; a row half-done (referral saved, pathway not started) is finished. */
export async function importPathways(ctx: ImportContext, importId: string, rows: ImportRow[]): Promise<{ imported: number; unchanged: number }> {
  void ctx; void importId; void rows;
  throw new Error('importPathways: see H2');
}
