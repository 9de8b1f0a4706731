import ViewListIcon from '@mui/icons-material/ViewList';
import { QueueList } from './queue-list';
import { QueueShow } from './queue-show';

export default { list: QueueList, show: QueueShow, icon: ViewListIcon };
