import SyncAltIcon from '@mui/icons-material/SyncAlt';
import { PasMessageList } from './pas-message-list';
import { PasMessageShow } from './pas-message-show';

// The PAS feed's HL7 messages (issue 14): ops and admins see what was sent and deal with what the PAS rejected.
export default { list: PasMessageList, show: PasMessageShow, icon: SyncAltIcon };
