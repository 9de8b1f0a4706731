// Free text on a decision can name the patient (an NHS number, a relative, a diagnosis). Temporal history is
// stored unencrypted and kept, so the text goes into `notes` here and the workflow is handed only its id.
import { and, eq, inArray } from 'drizzle-orm';
import type { Database } from '../db/client';
import { newId } from '../db/ids';
import { notes } from '../db/schema';
import type { TaskOutcome } from '../workflows/types';

/** Outcome fields of free text, and the field that carries the note's id instead. */
const freeTextFields = { note: 'noteId', reason: 'reasonNoteId' } as const;

/** Stores each free-text field of a validated outcome as a note and gives back the outcome with note ids in their place. */
export async function outcomeWithNoteIds(
  db: Database, task: { id: string; referralId: string | null }, authorId: string, outcome: TaskOutcome,
): Promise<TaskOutcome> {
  const carried: Record<string, unknown> = { ...outcome };
  const rows: (typeof notes.$inferInsert)[] = [];
  for (const [textField, idField] of Object.entries(freeTextFields)) {
    const body = carried[textField];
    delete carried[textField];
    if (typeof body !== 'string' || body === '' || !task.referralId) continue;
    const id = newId('note');
    rows.push({ id, referralId: task.referralId, taskId: task.id, authorId, body });
    carried[idField] = id;
  }
  if (rows.length) await db.insert(notes).values(rows);
  return carried as TaskOutcome;
}

/**
 * Deletes the notes one completion attempt stored, once the pathway has refused that completion: no change will
 * ever read them, and patient text nobody can see should not be kept. Only this task's notes by this author.
 */
export async function discardNoteIds(db: Database, task: { id: string }, authorId: string, carried: TaskOutcome): Promise<void> {
  const ids = Object.values(freeTextFields)
    .map((idField) => (carried as Record<string, unknown>)[idField])
    .filter((id): id is string => typeof id === 'string');
  if (ids.length) await db.delete(notes).where(and(inArray(notes.id, ids), eq(notes.taskId, task.id), eq(notes.authorId, authorId)));
}
