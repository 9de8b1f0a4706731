import { Admin, CustomRoutes, Resource, defaultTheme, type RaThemeOptions } from 'react-admin';
import { Route } from 'react-router';
import appointments from './appointments';
import { authProvider } from './authProvider';
import clinics from './clinics';
import { AppLayout } from './components/app-layout';
import { LoginPage } from './components/login-page';
import { dataProvider } from './dataProvider';
import escalations, { escalationsPath } from './escalations';
import patients from './patients';
import referrals from './referrals';
import tasks, { MyWork } from './tasks';

const theme: RaThemeOptions = {
  ...defaultTheme,
  palette: { ...defaultTheme.palette, primary: { main: '#005eb8' }, secondary: { main: '#003087' } },
};

export function App() {
  return (
    <Admin
      title="Access Desk"
      dataProvider={dataProvider}
      authProvider={authProvider}
      loginPage={LoginPage}
      layout={AppLayout}
      dashboard={MyWork}
      theme={theme}
      requireAuth
      disableTelemetry
    >
      <Resource name="tasks" {...tasks} options={{ label: 'My work' }} recordRepresentation="title" />
      <Resource name="referrals" {...referrals} options={{ label: 'Referrals' }} recordRepresentation="patientName" />
      <Resource name="clinics" {...clinics} options={{ label: 'Clinics' }} recordRepresentation="name" />
      <Resource name="appointments" {...appointments} options={{ label: 'Appointments' }} />
      <Resource name="patients" {...patients} options={{ label: 'Patients' }} recordRepresentation="name" />
      {/* Reference data only: no pages of their own, so no menu entries. */}
      <Resource name="slots" />
      <Resource name="specialties" recordRepresentation="name" />
      <Resource name="queues" recordRepresentation="name" />
      <Resource name="staff" recordRepresentation="name" />
      <CustomRoutes>
        <Route path={escalationsPath} element={<escalations.list />} />
      </CustomRoutes>
    </Admin>
  );
}
