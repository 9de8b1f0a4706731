import type { Database } from '../db/client';
import type { NotifyGateway } from './notify-gateway';
import { createPathwayActivities } from './pathway';
import { createAbsenceActivities } from './absences';
import { createSlotActivities } from './slots';
import { createSessionChangeActivities } from './session-changes';
import { createCommunicationActivities } from './communications';
import { createHl7Activities, type Hl7FeedConfig } from './hl7-sender';
import { createErsActivities, type ErsDeps } from './ers';
import { createCancelledOperationActivities } from './cancelled-operations';
import { createForecastActivities } from './forecast';

/** `notify`: the gateway the outbox sender sends through and the account's template-id overrides; unset, nothing sends. */
export type ActivityDeps = { db: Database; notify?: { gateway: NotifyGateway; templates: Record<string, string> }; hl7?: Hl7FeedConfig; ers?: ErsDeps['ers'] };

export const createActivities = (deps: ActivityDeps) => ({
  ...createPathwayActivities(deps),
  ...createAbsenceActivities(deps),
  ...createSlotActivities(deps),
  ...createSessionChangeActivities(deps),
  ...createCommunicationActivities(deps),
  ...createHl7Activities(deps),
  ...createErsActivities(deps),
  ...createCancelledOperationActivities(deps),
  ...createForecastActivities(deps),
});
