import EventIcon from '@mui/icons-material/Event';
import { AppointmentList } from './appointment-list';

export default { list: AppointmentList, icon: EventIcon };
