// A patient: who they are, how to reach them, every pathway with its RTT clock, appointments, what we sent
// them, their open work, the calls logged with them and (for team leaders) what has been done for them.
import { Box, Table, TableBody, TableCell, TableHead, TableRow, Typography } from '@mui/material';
import ArrowBackIcon from '@mui/icons-material/ArrowBack';
import type { ReactNode } from 'react';
import { Button, Link, Show, TopToolbar, useGetList, useRecordContext } from 'react-admin';
import { AuditTrail } from '../audit/audit-trail';
import { formatDate, formatSlotStart } from '../components/dates';
import { BreachDateText, DueText, Labelled, NhsNumberText, Panel, PriorityChip } from '../components/fields';
import {
  appointmentKindLabels,
  appointmentStateLabels,
  labelFor,
  referralStateLabels,
  rttStatusLabels,
  taskStatusLabels,
} from '../components/labels';
import { useIsLeader } from '../components/roles';
import { WaitText } from '../referrals/referral-list';
import { CommunicationsPanel } from '../communications/communications-panel';
import { CommunicationNeedsCard } from './communication-needs-card';
import { InterpreterStatusText } from '../components/communication-needs';
import type { Contact, PatientDetail } from '../types';
import { ContactsTable } from '../contacts/contacts-table';
import { LogContactButton } from '../contacts/log-contact';

const referralPath = (id: string) => `/referrals/${encodeURIComponent(id)}/show`;

function PatientTitle() {
  const patient = useRecordContext<PatientDetail>();
  return <span>{patient ? `Patient: ${patient.name}` : 'Patient'}</span>;
}

/** Whole years between a date of birth and today. */
function ageOn(dateOfBirth: string, today = new Date()): number | null {
  const [y, m, d] = dateOfBirth.split('-').map(Number);
  if (!y || !m || !d) return null;
  const age = today.getFullYear() - y - (today.getMonth() + 1 < m || (today.getMonth() + 1 === m && today.getDate() < d) ? 1 : 0);
  return age >= 0 ? age : null;
}

function Nothing({ children }: { children: ReactNode }) {
  return <Typography variant="body2" color="text.secondary">{children}</Typography>;
}

function Demographics({ patient }: { patient: PatientDetail }) {
  const age = ageOn(patient.dateOfBirth);
  return (
    <Panel title="Patient" testId="patient-demographics">
      <Box sx={{ display: 'grid', gridTemplateColumns: 'repeat(2, minmax(0, 1fr))', columnGap: 3 }}>
        <Labelled label="Name">{patient.name}</Labelled>
        <Labelled label="NHS number"><NhsNumberText value={patient.nhsNumber} /></Labelled>
        <Labelled label="Date of birth">
          <span data-testid="patient-dob">{formatDate(patient.dateOfBirth)}</span>
          {age != null ? ` (${age} ${age === 1 ? 'year' : 'years'})` : ''}
        </Labelled>
        <Labelled label="Postcode">{patient.postcode}</Labelled>
        <Labelled label="Phone">{patient.phone}</Labelled>
        <Labelled label="Email">{patient.email}</Labelled>
      </Box>
    </Panel>
  );
}

function Referrals({ patient }: { patient: PatientDetail }) {
  return (
    <Panel title="Referrals and pathways" testId="patient-referrals">
      {patient.referrals.length === 0 ? (
        <Nothing>No referrals.</Nothing>
      ) : (
        <Table size="small">
          <TableHead>
            <TableRow>
              <TableCell>Referral</TableCell>
              <TableCell>Priority</TableCell>
              <TableCell>State</TableCell>
              <TableCell>RTT clock</TableCell>
              <TableCell>Waited</TableCell>
              <TableCell>Breach date</TableCell>
            </TableRow>
          </TableHead>
          <TableBody>
            {patient.referrals.map((referral) => (
              <TableRow key={referral.id}>
                <TableCell>
                  <Link to={referralPath(referral.id)}>{referral.specialtyName}</Link>
                  <Typography variant="caption" color="text.secondary" component="div">received {formatDate(referral.receivedAt)}</Typography>
                </TableCell>
                <TableCell><PriorityChip priority={referral.clinicalPriority ?? referral.priority} /></TableCell>
                <TableCell>{labelFor(referralStateLabels, referral.state)}</TableCell>
                <TableCell>
                  {referral.rttStatus ? labelFor(rttStatusLabels, referral.rttStatus) : '—'}
                  {referral.clockStop ? <Typography variant="caption" color="text.secondary" component="div">stopped {formatDate(referral.clockStop)}</Typography> : null}
                </TableCell>
                <TableCell><WaitText daysWaited={referral.daysWaited} weekBand={referral.weekBand} /></TableCell>
                <TableCell>{referral.rttStatus === 'stopped' ? '—' : <BreachDateText value={referral.breachDate} />}</TableCell>
              </TableRow>
            ))}
          </TableBody>
        </Table>
      )}
    </Panel>
  );
}

function Appointments({ patient }: { patient: PatientDetail }) {
  const now = Date.now();
  return (
    <Panel title="Appointments" testId="patient-appointments">
      {patient.appointments.length === 0 ? (
        <Nothing>No appointments.</Nothing>
      ) : (
        <Table size="small">
          <TableHead>
            <TableRow>
              <TableCell>When</TableCell>
              <TableCell>Clinic</TableCell>
              <TableCell>Kind</TableCell>
              <TableCell>Status</TableCell>
              <TableCell>Booked by</TableCell>
            </TableRow>
          </TableHead>
          <TableBody>
            {patient.appointments.map((appointment) => (
              <TableRow key={appointment.id}>
                <TableCell>
                  <Link to={referralPath(appointment.referralId)}>{formatSlotStart(appointment.start)}</Link>
                  <Typography variant="caption" color="text.secondary" component="div">
                    {Date.parse(appointment.start) > now ? 'to come' : 'past'}
                  </Typography>
                </TableCell>
                <TableCell>{appointment.clinicName}</TableCell>
                <TableCell>{labelFor(appointmentKindLabels, appointment.kind)}</TableCell>
                <TableCell>
                  {labelFor(appointmentStateLabels, appointment.state)}
                  {appointment.cancelReason ? <Typography variant="caption" color="text.secondary" component="div">{appointment.cancelReason}</Typography> : null}
                  <InterpreterStatusText status={appointment.interpreterStatus} note={appointment.interpreterNote} />
                </TableCell>
                <TableCell>{appointment.bookedByName ?? '—'}</TableCell>
              </TableRow>
            ))}
          </TableBody>
        </Table>
      )}
    </Panel>
  );
}

/** The contact log (issue 12): calls and messages with the patient, and Log a call. */
function ContactLog({ patient }: { patient: PatientDetail }) {
  const { data, refetch } = useGetList<Contact>('contacts', {
    filter: { patientId: patient.id }, sort: { field: 'at', order: 'DESC' }, pagination: { page: 1, perPage: 25 },
  });
  const referrals = patient.referrals.map((r) => ({ id: r.id, label: `${r.specialtyName}, received ${formatDate(r.receivedAt)}` }));
  return (
    <Panel title="Contacts" testId="patient-contact-log">
      <Box sx={{ mb: 1 }}>
        <LogContactButton patientId={String(patient.id)} referrals={referrals} onDone={() => void refetch()} />
      </Box>
      <ContactsTable contacts={data ?? []} />
    </Panel>
  );
}

function OpenWork({ patient }: { patient: PatientDetail }) {
  return (
    <Panel title="Open work items" testId="patient-open-work">
      {patient.openTasks.length === 0 ? (
        <Nothing>No open work items.</Nothing>
      ) : (
        <Box component="ul" sx={{ m: 0, pl: 2.5 }}>
          {patient.openTasks.map((task) => (
            <li key={task.id}>
              <Link to={`/tasks/${encodeURIComponent(task.id)}/show`}>{task.title}</Link>
              {' · '}
              {labelFor(taskStatusLabels, task.status)}
              {task.assigneeName ? ` (${task.assigneeName})` : ''}
              {' · due '}
              <DueText value={task.dueAt} />
            </li>
          ))}
        </Box>
      )}
    </Panel>
  );
}

function PatientDetailView() {
  const patient = useRecordContext<PatientDetail>();
  const isLeader = useIsLeader();
  // The list's record shows first; the page's parts come with the full record.
  if (!patient || !patient.referrals) return null;
  return (
    <Box sx={{ display: 'grid', gap: 2 }}>
      <Box sx={{ display: 'grid', gap: 2, gridTemplateColumns: { xs: '1fr', md: 'minmax(0, 2fr) minmax(0, 1fr)' }, alignItems: 'start' }}>
        <Demographics patient={patient} />
        <CommunicationNeedsCard patient={patient} />
      </Box>
      <Referrals patient={patient} />
      <OpenWork patient={patient} />
      <ContactLog patient={patient} />
      <Appointments patient={patient} />
      <CommunicationsPanel messages={patient.communications} testId="patient-communications" />
      {isLeader ? (
        <Panel title="History" testId="patient-history">
          <AuditTrail patientId={String(patient.id)} />
        </Panel>
      ) : null}
    </Box>
  );
}

function PatientShowActions() {
  return (
    <TopToolbar>
      <Button label="Patients" to="/patients" startIcon={<ArrowBackIcon />} />
    </TopToolbar>
  );
}

export function PatientShow() {
  return (
    <Show title={<PatientTitle />} actions={<PatientShowActions />} sx={{ '& .RaShow-card': { p: 2 } }}>
      <PatientDetailView />
    </Show>
  );
}
