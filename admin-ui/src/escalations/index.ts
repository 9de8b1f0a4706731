import ReportProblemIcon from '@mui/icons-material/ReportProblem';
import { EscalationList } from './escalation-list';

// Not a resource of its own: a route listing escalation work items from /api/tasks.
export const escalationsPath = '/escalations';
/** The Escalations list already filtered (e.g. { type: 'capacity_escalation', open: 'true' }): where a home page card links. */
export const escalationsListPath = (filter: Record<string, unknown>) =>
  `${escalationsPath}?${new URLSearchParams({ filter: JSON.stringify(filter), page: '1' })}`;

export default { list: EscalationList, icon: ReportProblemIcon };
