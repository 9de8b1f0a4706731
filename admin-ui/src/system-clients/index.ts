import VpnKeyIcon from '@mui/icons-material/VpnKey';
import { SystemClientList } from './system-client-list';
import { SystemClientShow } from './system-client-show';

// System clients of the FHIR read API (issue 14): administrators give other hospital systems a token.
export default { list: SystemClientList, show: SystemClientShow, icon: VpnKeyIcon };
