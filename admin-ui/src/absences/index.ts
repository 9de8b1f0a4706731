import EventBusyIcon from '@mui/icons-material/EventBusy';
import { AbsenceCreate } from './absence-create';
import { AbsenceList } from './absence-list';
import { AbsenceShow } from './absence-show';

export default { list: AbsenceList, show: AbsenceShow, create: AbsenceCreate, icon: EventBusyIcon };
