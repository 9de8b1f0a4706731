import PeopleIcon from '@mui/icons-material/People';
import { PatientList } from './patient-list';

export default { list: PatientList, icon: PeopleIcon };
