import GroupsIcon from '@mui/icons-material/Groups';
import { TeamDashboard } from './team-dashboard';

// Not a resource of its own: a page reading GET /api/dashboard.
export const teamPath = '/team';

export default { list: TeamDashboard, icon: GroupsIcon };
