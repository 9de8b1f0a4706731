// Issue 16's screens: the partial booking list and the follow-up backlog.
import EventRepeatIcon from '@mui/icons-material/EventRepeat';
import RunningWithErrorsIcon from '@mui/icons-material/RunningWithErrors';
import { FollowUpBacklog } from './follow-up-backlog';
import { PartialBookingList } from './partial-booking-list';

export const partialBooking = { list: PartialBookingList, icon: EventRepeatIcon };
export const followUpBacklog = { list: FollowUpBacklog, icon: RunningWithErrorsIcon };
