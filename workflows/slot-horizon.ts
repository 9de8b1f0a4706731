// slotHorizon: what the `slot-horizon` Schedule starts every night at 02:00 London time. One activity does the
// work (reconcile each active clinic to the horizon, heartbeating per clinic); the workflow gives it today's
// trust date in workflow time and a retry policy, and Temporal the schedule, overlap rule and catch-up.
import { proxyActivities } from '@temporalio/workflow';
import type { createSlotActivities, SlotHorizonSummary } from '../activities/slots';
import { workflowToday } from './workflow-time';

export type { SlotHorizonSummary };

const { keepSlotHorizon } = proxyActivities<ReturnType<typeof createSlotActivities>>({
  // 200 clinics take seconds; the heartbeat, not the whole run, tells a stuck worker from a slow one.
  startToCloseTimeout: '30 minutes',
  heartbeatTimeout: '2 minutes',
  retry: { initialInterval: '10 seconds', maximumInterval: '5 minutes', maximumAttempts: 10 },
});

export async function slotHorizon(): Promise<SlotHorizonSummary> {
  return keepSlotHorizon({ today: workflowToday() });
}
