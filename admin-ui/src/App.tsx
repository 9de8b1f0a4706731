import { Admin, CustomRoutes, Resource } from 'react-admin';
import { Route } from 'react-router';
import absences from './absences';
import appointments from './appointments';
import audit from './audit';
import cancer from './cancer';
import { authProvider } from './authProvider';
import clinics, { clinicPages } from './clinics';
import communications from './communications';
import { AppLayout } from './components/app-layout';
import { LoginPage } from './components/login-page';
import { theme } from './components/theme';
import { dataProvider } from './dataProvider';
import enquiry, { enquiryPath } from './enquiry';
import escalations, { escalationsPath } from './escalations';
import { Home } from './home/home';
import imports from './imports';
import pasMessages from './pas-messages';
import { admissions, cancelledOperations, inpatientPages, standBy, theatreSessions } from './inpatient';
import patients from './patients';
import { followUpBacklog, partialBooking } from './follow-ups';
import ptl from './ptl';
import queues from './queues';
import referrals from './referrals';
import returns, { returnsPath } from './returns';
import sessionChanges from './session-changes';
import systemClients from './system-clients';
import tasks, { MyWork } from './tasks';
import cashUp from './cash-up';
import wardForms from './ward-forms';
import team, { teamPath } from './team';
import outlook, { outlookPath } from './outlook';


export function App() {
  return (
    <Admin
      title="Access Desk"
      dataProvider={dataProvider}
      authProvider={authProvider}
      loginPage={LoginPage}
      layout={AppLayout}
      dashboard={Home} // per role, with My work on it (was MyWork)
      theme={theme}
      requireAuth
      disableTelemetry
    >
      {/* My work is the home page (dashboard); /tasks is the full list. */}
      <Resource name="tasks" {...tasks} options={{ label: 'Work items' }} recordRepresentation="title" />
      <Resource name="ptl" {...ptl} options={{ label: 'PTL' }} />
      <Resource name="cancer-ptl" {...cancer} options={{ label: 'Cancer PTL' }} />
      <Resource name="admissions" {...admissions} options={{ label: 'Admitted waiting list' }} recordRepresentation="patientName" />
      <Resource name="theatre-sessions" {...theatreSessions} options={{ label: 'Theatre sessions' }} recordRepresentation="listName" />
      <Resource name="stand-by" {...standBy} options={{ label: 'Stand-by list' }} />
      <Resource name="cancelled-operations" {...cancelledOperations} options={{ label: 'Cancelled operations' }} />
      <Resource name="partial-booking" {...partialBooking} options={{ label: 'Partial booking list' }} recordRepresentation="patientName" />
      <Resource name="follow-up-backlog" {...followUpBacklog} options={{ label: 'Follow-up backlog' }} />
      <Resource name="referrals" {...referrals} options={{ label: 'Referrals' }} recordRepresentation="patientName" />
      <Resource name="clinics" {...clinics} options={{ label: 'Clinics' }} recordRepresentation="name" />
      <Resource name="appointments" {...appointments} options={{ label: 'Appointments' }} />
      <Resource name="session-changes" {...sessionChanges} options={{ label: 'Session changes' }} />
      {/* Issue 16: clinics to cash up and ward forms. */}
      <Resource name="cash-up" {...cashUp} options={{ label: 'Cash-up' }} />
      <Resource name="ward-forms" {...wardForms} options={{ label: 'Ward forms' }} />
      <Resource name="communications" {...communications} options={{ label: 'Outbox' }} />
      <Resource name="patients" {...patients} options={{ label: 'Patients' }} recordRepresentation="name" />
      <Resource name="absences" {...absences} options={{ label: 'Leave and cover' }} recordRepresentation="staffName" />
      <Resource name="queues" {...queues} options={{ label: 'Queues' }} recordRepresentation="name" />
      <Resource name="audit" {...audit} options={{ label: 'Audit log' }} />
      <Resource name="imports" {...imports} options={{ label: 'Imports' }} />
      {/* Issue 14's back office: the PAS feed (ops, admins) and FHIR system clients (admins). */}
      <Resource name="pas-messages" {...pasMessages} options={{ label: 'PAS messages' }} />
      <Resource name="system-clients" {...systemClients} options={{ label: 'System clients' }} recordRepresentation="name" />
      {/* Reference data only: no pages of their own, so no menu entries. */}
      <Resource name="slots" />
      <Resource name="specialties" recordRepresentation="name" />
      <Resource name="staff" recordRepresentation="name" />
      <Resource name="contacts" />
      <Resource name="notifications" />
      <Resource name="tci-offers" />
      <CustomRoutes>
        <Route path={escalationsPath} element={<escalations.list />} />
        <Route path={teamPath} element={<team.list />} />
        <Route path={returnsPath} element={<returns.list />} />
        <Route path={outlookPath} element={<outlook.list />} />
        <Route path={enquiryPath} element={<enquiry.page />} />
        {inpatientPages.map(({ path, element: Page }) => <Route key={path} path={path} element={<Page />} />)}
        {clinicPages.map(({ path, element: Page }) => <Route key={path} path={path} element={<Page />} />)}
      </CustomRoutes>
    </Admin>
  );
}
