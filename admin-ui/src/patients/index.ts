import PeopleIcon from '@mui/icons-material/People';
import { PatientList } from './patient-list';
import { PatientShow } from './patient-show';

export default { list: PatientList, show: PatientShow, icon: PeopleIcon };
