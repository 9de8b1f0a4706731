import FreeCancellationIcon from '@mui/icons-material/FreeCancellation';
import { SessionChangeList } from './session-change-list';
import { SessionChangeShow } from './session-change-show';

// The resource is "session-changes" in the console; the data provider sends it to /api/clinic-sessions/changes.
export default { list: SessionChangeList, show: SessionChangeShow, icon: FreeCancellationIcon };
