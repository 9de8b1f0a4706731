import InsightsIcon from '@mui/icons-material/Insights';
import { OutlookPage } from './outlook-page';

// Not a resource: a page reading GET /api/forecast and /api/forecast/at-risk, and trying changes on POST /api/forecast/what-if.
export const outlookPath = '/outlook';

export default { list: OutlookPage, icon: InsightsIcon };
