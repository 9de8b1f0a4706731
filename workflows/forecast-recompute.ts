// forecastRecompute: what the `forecast-nightly` Schedule starts every night, and what a capacity change (a template
// changed, a theatre session added) starts with its own row's id. One activity does the work; the workflow gives it
// today's trust date in workflow time and a retry policy. Carries ids and counts only.
import { proxyActivities, workflowInfo } from '@temporalio/workflow';
import type { createForecastActivities, ForecastReason } from '../activities/forecast';
import { workflowToday } from './workflow-time';

export type ForecastRecomputeInput = { reason: ForecastReason; sourceId?: string | null };

const { recomputeForecast } = proxyActivities<ReturnType<typeof createForecastActivities>>({
  startToCloseTimeout: '10 minutes',
  retry: { initialInterval: '10 seconds', maximumInterval: '2 minutes', maximumAttempts: 10 },
});

export async function forecastRecompute(input: ForecastRecomputeInput = { reason: 'nightly' }) {
  return recomputeForecast({ today: workflowToday(), reason: input.reason, sourceId: input.sourceId ?? null, workflowId: workflowInfo().workflowId });
}
