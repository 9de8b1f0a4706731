// Today's clinic for the demo: slots that start a few seconds from now, so a demo patient can be booked and
// then seen. Attendance is recorded only once an appointment has started and a slot that has started cannot
// be booked (issue 10), so the demo's outcomes need appointments that start while it loads. Slots are
// reference data, made here in Postgres as the templates' slots are; patients go through the API as ever.
import type { Database } from '../../db/client';
import { newId } from '../../db/ids';
import { slots } from '../../db/schema';
import type { SlotType } from '../../domain';

export type SlotStartingSoon = { id: string; start: string };

/**
 * Makes free slots in a clinic starting `leadMs` from now (later if asked). A clinic's slots need distinct
 * starts (slots_clinic_start), so slots asked for at once in one clinic are a second apart.
 */
export function todaysClinic(db: Database, opts: { leadMs?: number; minutes?: number } = {}) {
  const leadMs = opts.leadMs ?? 4000;
  const minutes = opts.minutes ?? 15;
  const lastStart = new Map<string, number>();
  return {
    async slot(clinicId: string, type: SlotType, lead = leadMs): Promise<SlotStartingSoon> {
      for (;;) {
        const at = Math.max(Date.now() + lead, (lastStart.get(clinicId) ?? 0) + 1000);
        lastStart.set(clinicId, at);
        const start = new Date(at);
        const id = newId('slot');
        const made = await db.insert(slots).values({ id, clinicId, start, end: new Date(at + minutes * 60_000), type })
          .onConflictDoNothing().returning({ id: slots.id });
        if (made.length) return { id, start: start.toISOString() };
      }
    },
  };
}

export type TodaysClinic = ReturnType<typeof todaysClinic>;

/** Waits (in real time) until an appointment's start has passed. */
export async function untilStarted(start: string) {
  const ms = Date.parse(start) - Date.now() + 50;
  if (ms > 0) await new Promise((r) => setTimeout(r, ms));
}
