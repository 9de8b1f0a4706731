// Starting the forecast's recompute after a capacity change the API makes (a template version, a theatre session
// added). Its workflow id names the row that changed, so a retried request starts it once. A Temporal outage never
// fails the change itself: the nightly Schedule catches the forecast up.
import { WorkflowExecutionAlreadyStartedError } from '@temporalio/client';
import { forecastRecompute } from '../workflows/forecast-recompute';
import { FORECAST_WORKFLOW_ID } from '../activities/forecast';
import type { Temporal } from './referral-intake';
import { describeError, type Logger } from './log';

export async function requestForecastRecompute(temporal: Temporal, sourceId: string, logger?: Logger): Promise<void> {
  try {
    await temporal.client.connection.withDeadline(Date.now() + 5_000, () => temporal.client.workflow.start(forecastRecompute, {
      workflowId: `${FORECAST_WORKFLOW_ID}-${sourceId}`, taskQueue: temporal.taskQueue, args: [{ reason: 'capacity_change', sourceId }],
      workflowIdConflictPolicy: 'USE_EXISTING',
    }));
  } catch (err) {
    if (err instanceof WorkflowExecutionAlreadyStartedError) return;
    logger?.warn('forecast recompute not started; the nightly run will catch up', { sourceId, error: describeError(err) });
  }
}
