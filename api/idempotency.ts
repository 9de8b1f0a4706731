// Idempotency-Key on creating writes, as payment APIs do: the first answer to a key is kept for a day
// and replayed to a retry, so a client that lost the answer (a 5xx, a dropped connection, an API that
// died mid-request) can send the request again without creating a second record.
//
// A key is the caller's, per signed-in staff member. One request runs per key at a time: a concurrent
// retry waits for the first answer, or gets 409 if it takes too long. The table is raw SQL on purpose:
// it is written by hand in migration 0005, not generated from db/schema.ts.
import { createHash } from 'node:crypto';
import type { MiddlewareHandler } from 'hono';
import { sql } from 'drizzle-orm';
import { queryRows, type Database, type Queryable } from '../db/client';
import type { AppEnv } from './context';
import { AppError } from './errors';

export const IDEMPOTENCY_HEADER = 'Idempotency-Key';
const KEEP_HOURS = 24;
/** How long a request may hold its key before a retry may take it over (the process may have died). */
const LEASE_SECONDS = 30;
const WAIT_MS = 10_000;

export type IdempotencyClaim = { staffId: string; key: string };

type Row = {
  method: string; path: string; bodyHash: string; responseStatus: number | null; responseType: string | null;
  responseBody: string | null; lockedUntil: string; fresh: boolean;
};

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

export function idempotentCreate(db: Database): MiddlewareHandler<AppEnv> {
  return async (c, next) => {
    const key = c.req.header(IDEMPOTENCY_HEADER);
    if (key === undefined || c.req.method !== 'POST') return next();
    if (!/^[\x21-\x7e]{1,255}$/.test(key)) {
      throw new AppError('VALIDATION_FAILED', `${IDEMPOTENCY_HEADER}: must be 1 to 255 visible ASCII characters`, { [IDEMPOTENCY_HEADER]: 'must be 1 to 255 visible ASCII characters' });
    }
    const staffId = c.get('staff').id;
    const method = c.req.method;
    const path = c.req.path;
    const bodyHash = createHash('sha256').update(await c.req.text()).digest('hex');

    const deadline = Date.now() + WAIT_MS;
    for (;;) {
      // Take the key if it is new, expired, or left by a request whose lease ran out.
      const claimed = await queryRows(db, sql`
        insert into idempotency_keys (staff_id, key, method, path, body_hash, locked_until)
        values (${staffId}, ${key}, ${method}, ${path}, ${bodyHash}, now() + make_interval(secs => ${LEASE_SECONDS}))
        on conflict (staff_id, key) do update set
          method = excluded.method, path = excluded.path, body_hash = excluded.body_hash, locked_until = excluded.locked_until,
          response_status = null, response_type = null, response_body = null,
          -- an expired key starts afresh; a taken-over one keeps the record it created
          resource_id = case when idempotency_keys.created_at < now() - make_interval(hours => ${KEEP_HOURS}) then null else idempotency_keys.resource_id end,
          created_at = case when idempotency_keys.created_at < now() - make_interval(hours => ${KEEP_HOURS}) then now() else idempotency_keys.created_at end
        where idempotency_keys.created_at < now() - make_interval(hours => ${KEEP_HOURS})
           or (idempotency_keys.response_status is null and idempotency_keys.locked_until < now()
               and idempotency_keys.method = excluded.method and idempotency_keys.path = excluded.path and idempotency_keys.body_hash = excluded.body_hash)
        returning 1`);
      if (claimed.length) break;

      const [row] = await queryRows<Row>(db, sql`
        select method, path, body_hash as "bodyHash", response_status as "responseStatus", response_type as "responseType",
          response_body as "responseBody", locked_until::text as "lockedUntil", created_at >= now() - make_interval(hours => ${KEEP_HOURS}) as fresh
        from idempotency_keys where staff_id = ${staffId} and key = ${key}`);
      if (!row || !row.fresh) continue;
      if (row.method !== method || row.path !== path || row.bodyHash !== bodyHash) {
        throw new AppError('IDEMPOTENCY_KEY_REUSED', `${IDEMPOTENCY_HEADER}: this key was used for a different request; use a new key for a new request`,
          { [IDEMPOTENCY_HEADER]: 'was used for a different request' });
      }
      if (row.responseStatus !== null) {
        return c.body(row.responseBody ?? '', row.responseStatus as 200, {
          'Content-Type': row.responseType ?? 'application/json', 'Idempotent-Replayed': 'true',
        });
      }
      if (Date.now() > deadline) {
        c.header('Retry-After', '2');
        throw new AppError('IDEMPOTENCY_KEY_IN_USE', `${IDEMPOTENCY_HEADER}: a request with this key is still being processed; try again shortly`,
          { [IDEMPOTENCY_HEADER]: 'is in use by a request still running' });
      }
      await sleep(100);
    }

    c.set('idempotency', { staffId, key });
    await next();
    const res = c.res;
    try {
      if (res.status >= 500) {
        // Not an answer worth keeping: let a retry run again at once (it finds any record already made).
        await db.execute(sql`update idempotency_keys set locked_until = now() where staff_id = ${staffId} and key = ${key}`);
      } else {
        const text = await res.clone().text();
        await db.execute(sql`update idempotency_keys set response_status = ${res.status}, response_type = ${res.headers.get('content-type')},
          response_body = ${text} where staff_id = ${staffId} and key = ${key}`);
      }
    } catch {
      // The answer still goes out; a retry finds the key when its lease ends.
    }
  };
}

/**
 * The record already made under this key, if any, locking the key until the caller's transaction ends
 * so that two runs of one request cannot both create. Call inside the creating transaction.
 */
export async function recordMadeUnder(tx: Queryable, claim: IdempotencyClaim | undefined): Promise<string | null> {
  if (!claim) return null;
  const [row] = await queryRows<{ resourceId: string | null }>(tx, sql`
    select resource_id as "resourceId" from idempotency_keys where staff_id = ${claim.staffId} and key = ${claim.key} for update`);
  return row?.resourceId ?? null;
}

/** Records, in the creating transaction, which record this key made. */
export async function noteRecordMade(tx: Queryable, claim: IdempotencyClaim | undefined, resourceId: string) {
  if (!claim) return;
  await tx.execute(sql`update idempotency_keys set resource_id = ${resourceId} where staff_id = ${claim.staffId} and key = ${claim.key}`);
}

/** Keys older than a day are no use to anyone. */
export async function sweepIdempotencyKeys(db: Database): Promise<void> {
  await db.execute(sql`delete from idempotency_keys where created_at < now() - make_interval(hours => ${KEEP_HOURS})`);
}
