import OutboxIcon from '@mui/icons-material/Outbox';
import { CommunicationList } from './communication-list';
import { CommunicationShow } from './communication-show';

export default { list: CommunicationList, show: CommunicationShow, icon: OutboxIcon };
