import MailIcon from '@mui/icons-material/Mail';
import { ReferralCreate } from './referral-create';
import { ReferralList } from './referral-list';
import { ReferralShow } from './referral-show';

export default { list: ReferralList, show: ReferralShow, create: ReferralCreate, icon: MailIcon };
