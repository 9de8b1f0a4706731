import AssessmentIcon from '@mui/icons-material/Assessment';
import { ReturnsPage } from './returns-page';

// Not a resource: a page reading GET /api/returns/rtt and /api/returns/wlmds/summary.
export const returnsPath = '/returns';

export default { list: ReturnsPage, icon: AssessmentIcon };
