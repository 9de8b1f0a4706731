import { auditLog } from '../db/schema';
import type { Queryable } from '../db/client';
import type { AuditAction, AuditEntityType } from '../domain/audit-actions';

export type AuditEntry = {
  actorId: string | null;
  action: AuditAction;
  entityType: AuditEntityType;
  entityId: string;
  before?: unknown;
  after?: unknown;
};

/** Written inside the caller's transaction, so a change and its audit entry land together or not at all. */
export async function writeAudit(db: Queryable, entries: AuditEntry | AuditEntry[]): Promise<void> {
  const list = Array.isArray(entries) ? entries : [entries];
  // In chunks: one insert may carry at most 65,535 parameters, six a row.
  for (let i = 0; i < list.length; i += 2000) {
    await db.insert(auditLog).values(list.slice(i, i + 2000).map((e) => ({
      actorId: e.actorId, action: e.action, entityType: e.entityType, entityId: e.entityId,
      before: (e.before ?? null) as object | null, after: (e.after ?? null) as object | null,
    })));
  }
}
