// Issue 15's screens: the admitted waiting list (with each admission's page and the TCI booking screen),
// theatre sessions, the stand-by list and the cancelled-operations report.
import HotelIcon from '@mui/icons-material/Hotel';
import EventSeatIcon from '@mui/icons-material/EventSeat';
import HourglassTopIcon from '@mui/icons-material/HourglassTop';
import EventBusyIcon from '@mui/icons-material/EventBusy';
import { AdmissionList } from './admission-list';
import { AdmissionShow } from './admission-show';
import { CancelledOperationsList } from './cancelled-operations';
import { StandByList } from './stand-by-list';
import { TciBookingPage, tciBookingRoute } from './tci-booking';
import { TheatreSessionCreate, TheatreSessionList, TheatreSessionShow } from './theatre-sessions';

export const admissions = { list: AdmissionList, show: AdmissionShow, icon: HotelIcon };
export const theatreSessions = { list: TheatreSessionList, show: TheatreSessionShow, create: TheatreSessionCreate, icon: EventSeatIcon };
export const standBy = { list: StandByList, icon: HourglassTopIcon };
export const cancelledOperations = { list: CancelledOperationsList, icon: EventBusyIcon };
/** Pages beyond the resources' own (routes in App.tsx). */
export const inpatientPages = [{ path: tciBookingRoute, element: TciBookingPage }];
