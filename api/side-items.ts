// Work items beside the pathway (issue 12): booking an interpreter, reaching a patient a message did not. They
// change no clock and no stage, so the API completes them in one transaction instead of asking the pathway.
import { and, eq, inArray, sql } from 'drizzle-orm';
import type { Database, Tx } from '../db/client';
import { appointments, tasks } from '../db/schema';
import { writeAudit } from '../activities/audit';
import type { TaskType } from '../domain';
import { AppError } from './errors';
import type { ContactPatientOutcome, InterpreterOutcome, SlotIssueOutcome } from './schemas';

// Issue 15: offering freed theatre time to the stand-by list and bed management change no pathway; a cancelled operation's
// rebook item closes itself when a new TCI is accepted, or an officer closes it saying what was done (the guarantee's
// workflow still records a breach if day 28 passes with no new date).
export const sideItemTypes = [
  'book_interpreter', 'contact_patient', 'resolve_slot_issue', 'rebook_cancelled_operation', 'offer_stand_by', 'bed_management',
] as const satisfies readonly TaskType[];
export type SideItemType = (typeof sideItemTypes)[number];
export const isSideItem = (type: TaskType): type is SideItemType => (sideItemTypes as readonly TaskType[]).includes(type);

/**
 * A capacity escalation raised by a session change or the forecast names several patients and belongs to no pathway
 * (its workflow has finished, or never takes Updates): ops close it here, saying what was done. One raised by a
 * cancelled operation's guarantee has its referral, and that workflow closes it.
 */
export const isStandaloneEscalation = (task: { type: TaskType; referralId: string | null }) =>
  task.type === 'capacity_escalation' && !task.referralId;

type SideItem = { id: string; type: SideItemType | 'capacity_escalation'; status: string; assigneeId: string | null; payload: unknown };
type NoteOutcome = { note: string };
type Outcomes = {
  book_interpreter: InterpreterOutcome; contact_patient: ContactPatientOutcome; resolve_slot_issue: SlotIssueOutcome;
  rebook_cancelled_operation: NoteOutcome; offer_stand_by: NoteOutcome; bed_management: NoteOutcome;
};

/** What completing each kind of side item does besides closing it. */
const effects: { [K in SideItemType]: (tx: Tx, item: SideItem, outcome: Outcomes[K], actorId: string) => Promise<void> } = {
  // The appointment shows whether its interpreter is booked.
  async book_interpreter(tx, item, outcome, actorId) {
    const appointmentId = (item.payload as { appointmentId?: string } | null)?.appointmentId;
    if (!appointmentId) return;
    const status = outcome.outcome === 'booked' ? 'booked' as const : 'not_needed' as const;
    const [before] = await tx.select({ status: appointments.interpreterStatus }).from(appointments).where(eq(appointments.id, appointmentId));
    await tx.update(appointments).set({ interpreterStatus: status, interpreterNote: outcome.reference ?? outcome.note ?? null })
      .where(eq(appointments.id, appointmentId));
    await writeAudit(tx, { actorId, action: 'appointment.interpreter', entityType: 'appointment', entityId: appointmentId,
      before: { interpreterStatus: before?.status ?? null }, after: { interpreterStatus: status } });
  },
  async contact_patient() {},
  async resolve_slot_issue() {},
  async rebook_cancelled_operation() {},
  async offer_stand_by() {},
  async bed_management() {},
};

/** Completes a side item once: of two officers completing it together, the second is told it is done. */
export async function completeSideItem(db: Database, item: SideItem, outcome: Outcomes[SideItemType] | NoteOutcome, actorId: string) {
  await db.transaction(async (tx) => {
    const now = new Date();
    const done = await tx.update(tasks).set({
      status: 'done', outcome, completedAt: now, completedBy: actorId, assigneeId: sql`coalesce(${tasks.assigneeId}, ${actorId})`,
      version: sql`${tasks.version} + 1`, updatedAt: now,
    }).where(and(eq(tasks.id, item.id), inArray(tasks.status, ['open', 'claimed']))).returning({ id: tasks.id });
    if (done.length === 0) throw new AppError('TASK_NOT_OPEN', 'This work item is already done');
    if (item.type !== 'capacity_escalation') {
      await (effects[item.type] as (tx: Tx, item: SideItem, outcome: unknown, actorId: string) => Promise<void>)(tx, item, outcome, actorId);
    }
    await writeAudit(tx, { actorId, action: 'task.completed', entityType: 'task', entityId: item.id,
      before: { status: item.status, assigneeId: item.assigneeId }, after: { status: 'done', outcome } });
  });
}
