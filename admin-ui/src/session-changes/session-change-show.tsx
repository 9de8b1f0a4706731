// A clinic session change's summary, for a team leader: what was done (cancelled, moved, waiting for a
// slot, at risk of breach) and each patient's outcome. It reads itself again while patients are being
// rebooked. A change a template raised waits here for a team leader's Confirm.
import { useEffect, useState } from 'react';
import {
  Alert, Box, Checkbox, FormControlLabel, Table, TableBody, TableCell, TableHead, TableRow, Typography,
} from '@mui/material';
import ArrowBackIcon from '@mui/icons-material/ArrowBack';
import { Button, Link, Show, TopToolbar, useRecordContext, useShowContext } from 'react-admin';
import { clinicSessionLabels, sessionChangeKindLabels, sessionChangeOutcomeLabels } from '../../../domain/labels';
import type { SessionChange } from '../change-types';
import { formatDate, formatDateTime, formatSlotStart } from '../components/dates';
import { BreachDateText, Labelled, Panel, PriorityChip } from '../components/fields';
import { labelFor } from '../components/labels';
import { useIsLeader } from '../components/roles';
import { useCommand } from '../components/use-command';
import { clinicCalendarPath } from '../clinics/clinic-calendar';
import { sessionChangeSummaryWords } from './change-words';
import { SessionStatusChip } from './session-change-list';

const refreshMs = 1500;

function SessionChangeTitle() {
  const change = useRecordContext<SessionChange>();
  return <span>{change ? `${labelFor(sessionChangeKindLabels, change.kind)}: ${change.clinicName}, ${formatDate(change.sessionDate)}` : 'Session change'}</span>;
}

function Count({ label, value, testId, alert }: { label: string; value: number; testId: string; alert?: boolean }) {
  return (
    <Box sx={{ minWidth: 120 }} data-testid={testId} data-count={value}>
      <Typography variant="h4" component="div" color={alert && value > 0 ? 'error' : undefined}>{value}</Typography>
      <Typography variant="body2" color="text.secondary">{label}</Typography>
    </Box>
  );
}

function ConfirmProposed({ change }: { change: SessionChange }) {
  const { dataProvider, run, busy } = useCommand();
  const [confirmNotice, setConfirmNotice] = useState(false);
  const leader = useIsLeader();
  if (!leader) return <Alert severity="warning">A template change would remove booked slots here: a team leader confirms it.</Alert>;
  return (
    <Alert
      severity="warning"
      data-testid="session-change-proposed"
      action={
        <Button
          label="Confirm"
          variant="contained"
          disabled={busy || (change.withinNotice && !confirmNotice)}
          onClick={() => void run(() => dataProvider.confirmSessionChange(change.id, change.withinNotice), 'Session change confirmed; rebooking the patients')}
          data-testid="session-change-confirm-proposed"
        />
      }
    >
      A template change would remove booked slots in this session. Confirming cancels those appointments and rebooks each patient.
      {change.withinNotice ? (
        <FormControlLabel
          sx={{ display: 'block' }}
          control={<Checkbox size="small" checked={confirmNotice} onChange={(event) => setConfirmNotice(event.target.checked)} />}
          label="Inside the notice period: I confirm"
        />
      ) : null}
    </Alert>
  );
}

function Patients({ change }: { change: SessionChange }) {
  const patients = [...(change.patients ?? [])].sort((a, b) => a.position - b.position);
  if (patients.length === 0) return <Typography variant="body2" color="text.secondary">No patients were booked into these slots.</Typography>;
  return (
    <Table size="small" data-testid="session-change-patients" aria-label="Patients, in rebooking order">
      <TableHead>
        <TableRow>
          <TableCell>#</TableCell>
          <TableCell>Patient</TableCell>
          <TableCell>Priority</TableCell>
          <TableCell>Breach date</TableCell>
          <TableCell>Outcome</TableCell>
          <TableCell>New appointment</TableCell>
        </TableRow>
      </TableHead>
      <TableBody>
        {patients.map((patient) => (
          <TableRow key={patient.appointmentId} data-testid="session-change-patient" data-outcome={patient.outcome ?? 'pending'}>
            <TableCell>{patient.position}</TableCell>
            <TableCell><Link to={`/referrals/${encodeURIComponent(patient.referralId)}/show`}>{patient.patientName}</Link></TableCell>
            <TableCell><PriorityChip priority={patient.priority} /></TableCell>
            <TableCell>
              <BreachDateText value={patient.breachDate} />
              {patient.atRisk ? <Typography variant="caption" color="error" component="div">At risk of breach</Typography> : null}
            </TableCell>
            <TableCell>
              {patient.outcome
                ? labelFor(sessionChangeOutcomeLabels, patient.outcome)
                : change.status === 'running' ? 'Rebooking…' : change.status === 'completed' ? 'Left alone (pathway ended or already changed)' : 'Not started'}
              {patient.taskId ? (
                <Typography variant="caption" component="div"><Link to={`/tasks/${encodeURIComponent(patient.taskId)}/show`}>Rebook item</Link></Typography>
              ) : null}
            </TableCell>
            <TableCell>{patient.newStart ? `${formatSlotStart(patient.newStart)}, ${patient.newClinicName ?? ''}` : ''}</TableCell>
          </TableRow>
        ))}
      </TableBody>
    </Table>
  );
}

function SessionChangeDetail() {
  const change = useRecordContext<SessionChange>();
  const { refetch } = useShowContext<SessionChange>();
  const running = change?.status === 'running';
  // While the workflow rebooks, read the change again until it is done.
  useEffect(() => {
    if (!running) return;
    const timer = setInterval(() => void refetch(), refreshMs);
    return () => clearInterval(timer);
  }, [running, refetch]);
  if (!change) return null;
  const { summary } = change;
  return (
    <Box sx={{ display: 'grid', gap: 2 }} data-testid="session-change-summary" data-status={change.status}>
      {change.status === 'proposed' ? <ConfirmProposed change={change} /> : null}
      <Panel title="What happened" testId="session-change-counts">
        <Typography variant="body1" sx={{ mb: 2 }} data-testid="session-change-summary-words">
          {change.status === 'proposed' ? 'Waiting for a team leader: nothing has changed yet.' : sessionChangeSummaryWords(summary)}
          {running ? ' Rebooking…' : ''}
        </Typography>
        <Box sx={{ display: 'flex', gap: 4, flexWrap: 'wrap' }}>
          <Count label="Appointments cancelled" value={summary.cancelled} testId="count-cancelled" />
          <Count label="Moved to a new slot" value={summary.moved} testId="count-moved" />
          <Count label="Waiting for a slot" value={summary.waitingForSlot} testId="count-waiting" />
          <Count label="At risk of breach" value={summary.atRisk} testId="count-at-risk" alert />
          {summary.skipped > 0 ? <Count label="Left alone (pathway ended or already changed)" value={summary.skipped} testId="count-skipped" /> : null}
        </Box>
        {summary.escalationTaskId ? (
          <Alert severity="error" sx={{ mt: 2 }}>
            Breaches are now unavoidable for some patients: a capacity escalation went to ops.{' '}
            <Link to={`/tasks/${encodeURIComponent(summary.escalationTaskId)}/show`}>Open the escalation</Link>
          </Alert>
        ) : null}
      </Panel>
      <Panel title="The change">
        <Box sx={{ display: 'grid', gridTemplateColumns: 'repeat(auto-fill, minmax(12rem, 1fr))', columnGap: 3 }}>
          <Labelled label="Clinic"><Link to={clinicCalendarPath(change.clinicId, change.sessionDate)}>{change.clinicName}</Link></Labelled>
          <Labelled label="Session">
            {formatDate(change.sessionDate)} {change.session ? labelFor(clinicSessionLabels, change.session).toLowerCase() : '(all day)'}
          </Labelled>
          <Labelled label="Change">{labelFor(sessionChangeKindLabels, change.kind)}</Labelled>
          <Labelled label="Status"><SessionStatusChip status={change.status} /></Labelled>
          <Labelled label="Inside the notice period">{change.withinNotice ? 'Yes' : 'No'}</Labelled>
          <Labelled label="Requested by">{change.requestedByName}</Labelled>
          <Labelled label="Confirmed by">{change.confirmedByName}</Labelled>
          <Labelled label="Requested">{formatDateTime(change.createdAt)}</Labelled>
          <Labelled label="Completed">{formatDateTime(change.completedAt)}</Labelled>
        </Box>
        <Labelled label="Reason">{change.reason}</Labelled>
      </Panel>
      <Panel title="Patients" testId="session-change-patient-panel">
        <Patients change={change} />
      </Panel>
    </Box>
  );
}

function Actions() {
  return (
    <TopToolbar>
      <Button label="Session changes" to="/session-changes" startIcon={<ArrowBackIcon />} />
    </TopToolbar>
  );
}

export function SessionChangeShow() {
  return (
    <Show title={<SessionChangeTitle />} actions={<Actions />} sx={{ '& .RaShow-card': { p: 2 } }}>
      <SessionChangeDetail />
    </Show>
  );
}
