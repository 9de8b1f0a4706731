import ReportProblemIcon from '@mui/icons-material/ReportProblem';
import { EscalationList } from './escalation-list';

// Not a resource of its own: a route listing escalation work items from /api/tasks.
export const escalationsPath = '/escalations';

export default { list: EscalationList, icon: ReportProblemIcon };
