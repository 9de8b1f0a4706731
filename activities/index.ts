import type { Database } from '../db/client';
import { createPathwayActivities } from './pathway';
import { createAbsenceActivities } from './absences';
import { createSlotActivities } from './slots';
import { createSessionChangeActivities } from './session-changes';

export const createActivities = (deps: { db: Database }) => ({
  ...createPathwayActivities(deps),
  ...createAbsenceActivities(deps),
  ...createSlotActivities(deps),
  ...createSessionChangeActivities(deps),
});
