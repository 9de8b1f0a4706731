// The slot horizon: every night the slot-horizon Schedule's workflow asks for each active clinic's slots to
// be reconciled from today to the horizon (policy.slots.horizonDays), so the bookable future rolls on a day
// and any template change the day missed is applied. Heartbeats per clinic; a retry resumes after the last.
import { Context } from '@temporalio/activity';
import type { Database } from '../db/client';
import { horizonEnd, reconcileClinics } from '../db/slots';
import { defaultAccessPolicy } from '../domain/booking-policy';

/** What a night's run did, in counts (the proposed changes are in clinic_session_changes). */
export type SlotHorizonSummary = {
  from: string;
  to: string;
  clinics: number;
  slotsAdded: number;
  slotsUpdated: number;
  slotsRemoved: number;
  bookedSlotsKept: number;
  proposedChanges: number;
};

export const createSlotActivities = ({ db }: { db: Database }) => ({
  /** Reconciles every active clinic on [today, today + horizon). Idempotent: a second run adds nothing. */
  async keepSlotHorizon({ today }: { today: string }): Promise<SlotHorizonSummary> {
    const ctx = Context.current();
    const after = ctx.info.heartbeatDetails as string | undefined;
    const to = horizonEnd(today, defaultAccessPolicy);
    const done = await reconcileClinics(db, { from: today, to, actorId: null, after, onClinic: (clinicId) => ctx.heartbeat(clinicId) });
    return {
      from: today, to, clinics: done.clinics, slotsAdded: done.slotsAdded, slotsUpdated: done.slotsUpdated, slotsRemoved: done.slotsRemoved,
      bookedSlotsKept: done.bookedSlotsKept, proposedChanges: done.proposedChangeIds.length,
    };
  },
});
