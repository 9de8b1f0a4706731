import ViewListIcon from '@mui/icons-material/ViewList';
import { PtlList } from './ptl-list';

// GET /api/ptl as a react-admin list; a row opens its referral, so no show page of its own.
export default { list: PtlList, icon: ViewListIcon };
