import PhoneInTalkIcon from '@mui/icons-material/PhoneInTalk';
import { EnquiryPage } from './enquiry-page';

/** The Enquiry screen (issue 12): a custom route, reached from the menu and with g then n. */
export const enquiryPath = '/enquiry';
export default { page: EnquiryPage, icon: PhoneInTalkIcon };
