import HealthAndSafetyIcon from '@mui/icons-material/HealthAndSafety';
import { CancerList } from './cancer-list';

// GET /api/cancer-ptl as a react-admin list; a row opens its referral.
export default { list: CancerList, icon: HealthAndSafetyIcon };
