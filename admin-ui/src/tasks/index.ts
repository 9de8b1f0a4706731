import AssignmentIcon from '@mui/icons-material/Assignment';
import { MyWork } from './my-work';
import { TaskShow } from './task-show';

export { MyWork };

export default { list: MyWork, show: TaskShow, icon: AssignmentIcon };
