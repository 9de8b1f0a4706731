import type { Database } from '../db/client';
import { createPathwayActivities } from './pathway';

export const createActivities = (deps: { db: Database }) => ({
  ...createPathwayActivities(deps),
});
