import EventNoteIcon from '@mui/icons-material/EventNote';
import { ClinicList } from './clinic-list';
import { ClinicShow } from './clinic-show';

export default { list: ClinicList, show: ClinicShow, icon: EventNoteIcon };
