import AssignmentIcon from '@mui/icons-material/Assignment';
import { MyWork } from './my-work';
import { TaskList } from './task-list';
import { TaskShow } from './task-show';

// My work is the home page (/); /tasks is the full, filterable list.
export { MyWork };

export default { list: TaskList, show: TaskShow, icon: AssignmentIcon };
