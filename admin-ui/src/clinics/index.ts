import EventNoteIcon from '@mui/icons-material/EventNote';
import { ClinicCalendarPage } from './clinic-calendar';
import { ClinicCreate, ClinicEdit } from './clinic-form';
import { ClinicList } from './clinic-list';
import { ClinicShow } from './clinic-show';
import { TemplateEditorPage } from './template-editor';

export { clinicCalendarPath } from './clinic-calendar';
/** Pages of a clinic beyond show and edit (routes in App.tsx). */
export const clinicPages = [
  { path: '/clinics/:id/calendar', element: ClinicCalendarPage },
  { path: '/clinics/:id/templates', element: TemplateEditorPage },
];

export default { list: ClinicList, show: ClinicShow, create: ClinicCreate, edit: ClinicEdit, icon: EventNoteIcon };
