// Workflow time as the trust's calendar: Date.now() inside a workflow is workflow time, so these are
// deterministic. Pathways started before trust time (patch 2026-11-trust-time) keep the UTC arithmetic
// they were recorded with: dates in UTC and date deadlines at 00:00Z.
import { londonDate } from '../domain/trust-time';

export const workflowToday = () => londonDate(Date.now());
export const utcToday = () => new Date(Date.now()).toISOString().slice(0, 10);
export const utcStartOfDayMs = (isoDate: string) => Date.parse(`${isoDate}T00:00:00Z`);
