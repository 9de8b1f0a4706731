import UploadFileIcon from '@mui/icons-material/UploadFile';
import { ImportList } from './import-list';
import { ImportShow } from './import-show';

// Go-live imports (issue 13): team leaders and administrators bring the previous PAS's open pathways over.
export default { list: ImportList, show: ImportShow, icon: UploadFileIcon };
