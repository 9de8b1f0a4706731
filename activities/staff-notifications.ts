// The staff inbox's one writer (issue 12): a row in the bell of the person told, written inside the transaction of
// the change that tells them (an escalation rung, a move of work), so the two land together or not at all.
// One row per cause: the key is built from what caused it, so a retried activity or request writes it once.
// No patient names in title or body: the inbox shows the patient from the work item when it is read.
import type { Queryable } from '../db/client';
import { newId } from '../db/ids';
import { staffNotifications } from '../db/schema';
import type { StaffNotificationKind } from '../domain/model';

export type StaffNotice = {
  key: string;
  staffId: string;
  kind: StaffNotificationKind;
  title: string;
  body: string;
  taskId?: string | null;
  referralId?: string | null;
};

export async function notifyStaff(db: Queryable, notices: StaffNotice | StaffNotice[]): Promise<void> {
  const list = Array.isArray(notices) ? notices : [notices];
  if (!list.length) return;
  await db.insert(staffNotifications).values(list.map((n) => ({
    id: newId('notif'), notificationKey: n.key, staffId: n.staffId, kind: n.kind, title: n.title, body: n.body,
    taskId: n.taskId ?? null, referralId: n.referralId ?? null,
  }))).onConflictDoNothing({ target: staffNotifications.notificationKey });
}

const items = (n: number) => (n === 1 ? '1 work item' : `${n} work items`);

/** Work moved to someone by a team leader (one item, or many at once). */
export function assignmentNotice(opts: { key: string; to: string; by: string; items: { id: string; referralId: string | null; title: string }[] }): StaffNotice {
  const [only] = opts.items;
  return opts.items.length === 1
    ? { key: opts.key, staffId: opts.to, kind: 'assignment', title: `${opts.by} moved a work item to you`, body: only.title, taskId: only.id, referralId: only.referralId }
    : { key: opts.key, staffId: opts.to, kind: 'assignment', title: `${opts.by} moved ${items(opts.items.length)} to you`, body: 'They are in My work.' };
}

/** Leave: work handed to cover, or handed back to the person when it ends. */
export function leaveNotice(opts: { key: string; to: string; count: number; absentName: string; handedBack: boolean }): StaffNotice {
  return opts.handedBack
    ? { key: opts.key, staffId: opts.to, kind: 'assignment', title: `${items(opts.count)} handed back to you after your leave`, body: 'They are in My work.' }
    : { key: opts.key, staffId: opts.to, kind: 'assignment', title: `${items(opts.count)} moved to you while ${opts.absentName} is on leave`, body: 'They are in My work.' };
}
