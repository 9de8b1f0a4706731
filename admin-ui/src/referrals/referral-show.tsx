// A referral: the patient, the RTT clock, cancer targets, what has happened, and what is pending.
import {
  Box,
  Chip,
  Table,
  TableBody,
  TableCell,
  TableHead,
  TableRow,
  Typography,
} from '@mui/material';
import { useCallback, useState } from 'react';
import { Link, Show, TopToolbar, Button, useGetList, useRecordContext } from 'react-admin';
import ArrowBackIcon from '@mui/icons-material/ArrowBack';
import { daysFromToday, formatDate, formatPlainDate, formatDateTime, formatSlotStart } from '../components/dates';
import { BreachDateText, DueText, Labelled, NhsNumberText, Panel, PriorityChip, breachWarningDays } from '../components/fields';
import {
  appointmentKindLabels,
  appointmentStateLabels,
  labelFor,
  referralSourceLabels,
  referralStateLabels,
  rttStatusLabels,
  taskStatusLabels,
  taskTypeLabels,
} from '../components/labels';
import type { ReferralDetail, ReferralEvent } from '../types';
import { RecordCommunicationButton } from '../appointments/record-communication';
import { AppointmentActions } from '../appointments/appointment-actions';
import { CommunicationNeedsFlag, InterpreterStatusText } from '../components/communication-needs';
import { OffersPanel } from '../appointments/offers-panel';
import { ReferralCommunicationsPanel } from '../communications/communications-panel';
import { FdsOutcomeButton } from '../cancer/fds-outcome-button';
import { Kbd } from '../components/keyed-table';
import { fdsOutcomeLabels } from '../components/labels';
import { BreachRiskChip } from '../cancer/cancer-list';
import { serverOrder } from '../dataProvider';
import type { CancerRow } from '../rtt-types';
import { useShortcut } from '../tasks/row-keys';
import { WaitText } from './referral-list';
import { RecordRttEventButton } from './record-rtt-event';
import { AttendanceOutsideClinicButton, PifuTriggerButton } from './attendance-outside-clinic';
import { RttClockTimeline } from './rtt-clock-timeline';
import { plural } from '../components/notices';
import type { ReferralState } from '../../../domain/model';

function ReferralTitle() {
  const referral = useRecordContext<ReferralDetail>();
  return <span>{referral ? `Referral: ${referral.patientName}` : 'Referral'}</span>;
}

function humanise(code: string | null | undefined): string {
  if (!code) return '';
  const words = code.replace(/[_-]+/g, ' ').trim();
  return words.charAt(0).toUpperCase() + words.slice(1);
}

function ReferralPanel({ referral }: { referral: ReferralDetail }) {
  return (
    <Panel title="Referral" testId="referral-panel">
      <Box sx={{ display: 'grid', gridTemplateColumns: 'repeat(2, minmax(0, 1fr))', columnGap: 3 }}>
        <Labelled label="State">{labelFor(referralStateLabels, referral.state)}</Labelled>
        <Labelled label="Priority">
          <PriorityChip priority={referral.priority} />
        </Labelled>
        <Labelled label="Specialty">{referral.specialtyName ?? referral.specialtyCode}</Labelled>
        <Labelled label="Clinic">{referral.clinicName}</Labelled>
        <Labelled label="Source">{labelFor(referralSourceLabels, referral.source)}</Labelled>
        <Labelled label="UBRN">{referral.ubrn}</Labelled>
        <Labelled label="Received">{formatDate(referral.receivedAt)}</Labelled>
        <Labelled label="Registered">{formatDateTime(referral.createdAt)}</Labelled>
      </Box>
      {referral.reason ? <Labelled label="Reason">{referral.reason}</Labelled> : null}
    </Panel>
  );
}

function PatientPanel({ referral }: { referral: ReferralDetail }) {
  const patient = referral.patient;
  return (
    <Panel title="Patient" testId="patient-panel">
      <Labelled label="Name"><Link to={`/patients/${encodeURIComponent(referral.patientId)}/show`} data-testid="patient-link">{patient?.name ?? referral.patientName}</Link></Labelled>
      <CommunicationNeedsFlag needs={referral.communicationNeeds} />
      <Labelled label="NHS number">
        <NhsNumberText value={patient?.nhsNumber ?? referral.nhsNumber} />
      </Labelled>
      <Labelled label="Date of birth">{formatPlainDate(patient?.dateOfBirth)}</Labelled>
      <Labelled label="Postcode">{patient?.postcode}</Labelled>
      <Labelled label="Phone">{patient?.phone}</Labelled>
      <Labelled label="Email">{patient?.email}</Labelled>
    </Panel>
  );
}

function RttPanel({ referral }: { referral: ReferralDetail }) {
  const rtt = referral.rtt;
  const breachDate = rtt?.breachDate ?? referral.breachDate;
  const daysToBreach = daysFromToday(breachDate);
  const near = daysToBreach != null && daysToBreach <= breachWarningDays && (rtt?.status ?? referral.rttStatus) !== 'stopped';
  return (
    <Panel title="RTT clock" testId="rtt-panel">
      {!rtt && !referral.clockStart ? (
        <Typography variant="body2" color="text.secondary">The clock has not started.</Typography>
      ) : (
        <Box
          sx={{ display: 'grid', gridTemplateColumns: 'repeat(2, minmax(0, 1fr))', columnGap: 3 }}
          data-near-breach={near ? 'true' : undefined}
        >
          <Labelled label="Status">{labelFor(rttStatusLabels, rtt?.status ?? referral.rttStatus)}</Labelled>
          <Labelled label="Clock start">{formatDate(rtt?.clockStart ?? referral.clockStart)}</Labelled>
          <Labelled label="Days waited">
            <WaitText daysWaited={rtt?.daysWaited ?? referral.daysWaited} weekBand={rtt?.weekBand ?? referral.weekBand} />
          </Labelled>
          <Labelled label="Last compliant date (18 weeks)">{formatDate(rtt?.lastCompliantDate)}</Labelled>
          <Labelled label="Breach date">
            <BreachDateText value={breachDate} />
            {near && daysToBreach != null ? (
              <Typography variant="caption" color="error" component="div">
                {daysToBreach < 0 ? `Breached ${plural(-daysToBreach, 'day')} ago` : daysToBreach === 0 ? 'Breaches today' : `${plural(daysToBreach, 'day')} to breach`}
              </Typography>
            ) : null}
          </Labelled>
        </Box>
      )}
    </Panel>
  );
}

function CancerPanel({ referral, fdsOpen, onFdsOpen }: { referral: ReferralDetail; fdsOpen: boolean; onFdsOpen: (open: boolean) => void }) {
  const cancer = referral.cancer;
  // The FDS outcome and breach risk come from the cancer view's row (open 2WW pathways only).
  const { data: rows } = useGetList<CancerRow>(
    'cancer-ptl',
    { filter: { id: referral.id }, sort: serverOrder, pagination: { page: 1, perPage: 1 } },
    { enabled: cancer != null },
  );
  const row = rows?.[0];
  if (!cancer) return null;
  return (
    <Panel title="Cancer targets" testId="cancer-panel">
      <Labelled label="Seen by (2WW, 14 days)">
        <BreachDateText value={cancer.uscFirstSeenTarget} />
      </Labelled>
      <Labelled label="Faster Diagnosis Standard (28 days)">
        <BreachDateText value={cancer.fdsTarget} />
      </Labelled>
      <Labelled label="FDS outcome">
        <span data-testid="referral-fds-outcome">
          {row?.fdsOutcome ? `${labelFor(fdsOutcomeLabels, row.fdsOutcome)}, told ${formatDate(row.fdsCommunicatedOn)}` : row ? 'Not yet told' : ''}
        </span>
      </Labelled>
      {row ? (
        <Labelled label="Breach risk">
          <BreachRiskChip risk={row.breachRisk} /> {row.nextStep}
        </Labelled>
      ) : null}
      <Labelled label="Treatment by (62 days)">
        <BreachDateText value={cancer.cancer62Target} />
      </Labelled>
      <FdsOutcomeButton
        referralId={referral.id}
        patientName={referral.patientName}
        recorded={row?.fdsOutcome ?? null}
        earliest={row?.cancerClockStart ?? referral.receivedAt}
        open={fdsOpen}
        onOpenChange={onFdsOpen}
      />
    </Panel>
  );
}

function Timeline({ events }: { events: ReferralEvent[] }) {
  const newestFirst = [...(events ?? [])].sort((a, b) => (a.at < b.at ? 1 : a.at > b.at ? -1 : 0));
  return (
    <Panel title="Timeline" testId="referral-timeline">
      {newestFirst.length === 0 ? (
        <Typography variant="body2" color="text.secondary">Nothing recorded yet.</Typography>
      ) : (
        <Box component="ol" sx={{ listStyle: 'none', m: 0, p: 0 }}>
          {newestFirst.map((event) => (
            <Box
              component="li"
              key={event.id}
              sx={{ display: 'grid', gridTemplateColumns: '9.5rem 1fr', gap: 2, py: 1, borderBottom: 1, borderColor: 'divider' }}
            >
              <Typography variant="body2" color="text.secondary" sx={{ fontVariantNumeric: 'tabular-nums' }}>
                {formatDateTime(event.at)}
              </Typography>
              <Box>
                <Typography variant="body2" component="span" sx={{ fontWeight: 500 }}>
                  {humanise(event.kind)}
                </Typography>
                {event.rttCode ? <Chip size="small" variant="outlined" label={`RTT ${event.rttCode}`} sx={{ ml: 1 }} /> : null}
                {event.note ? <Typography variant="body2">{event.note}</Typography> : null}
                {event.actorName ? (
                  <Typography variant="caption" color="text.secondary" component="div">by {event.actorName}</Typography>
                ) : null}
              </Box>
            </Box>
          ))}
        </Box>
      )}
    </Panel>
  );
}

function WorkItems({ referral }: { referral: ReferralDetail }) {
  const tasks = referral.tasks ?? [];
  return (
    <Panel title="Work items" testId="referral-tasks">
      {tasks.length === 0 ? (
        <Typography variant="body2" color="text.secondary">No work items.</Typography>
      ) : (
        <Table size="small">
          <TableHead>
            <TableRow>
              <TableCell>Work item</TableCell>
              <TableCell>Status</TableCell>
              <TableCell>Due</TableCell>
              <TableCell>Assignee</TableCell>
            </TableRow>
          </TableHead>
          <TableBody>
            {tasks.map((task) => (
              <TableRow key={task.id} hover>
                <TableCell>
                  <Link to={`/tasks/${encodeURIComponent(task.id)}/show`}>{task.title || labelFor(taskTypeLabels, task.type)}</Link>
                </TableCell>
                <TableCell>{labelFor(taskStatusLabels, task.status)}</TableCell>
                <TableCell>
                  {task.status === 'open' || task.status === 'claimed' ? <DueText value={task.dueAt} /> : formatDateTime(task.dueAt)}
                </TableCell>
                <TableCell>{task.assigneeName ?? (task.status === 'done' ? '' : 'Unassigned')}</TableCell>
              </TableRow>
            ))}
          </TableBody>
        </Table>
      )}
    </Panel>
  );
}

function Appointments({ referral }: { referral: ReferralDetail }) {
  const appointments = referral.appointments ?? [];
  return (
    <Panel title="Appointments" testId="referral-appointments">
      {appointments.length === 0 ? (
        <Typography variant="body2" color="text.secondary">None booked.</Typography>
      ) : (
        <Table size="small">
          <TableHead>
            <TableRow>
              <TableCell>When</TableCell>
              <TableCell>Clinic</TableCell>
              <TableCell>Kind</TableCell>
              <TableCell>State</TableCell>
              <TableCell>Booked by</TableCell>
              <TableCell />
            </TableRow>
          </TableHead>
          <TableBody>
            {appointments.map((appointment) => (
              <TableRow key={appointment.id}>
                <TableCell>{formatSlotStart(appointment.start)}</TableCell>
                <TableCell>{appointment.clinicName}</TableCell>
                <TableCell>{labelFor(appointmentKindLabels, appointment.kind)}</TableCell>
                <TableCell>
                  {labelFor(appointmentStateLabels, appointment.state)}
                  {appointment.outcome ? ` (${humanise(appointment.outcome)})` : ''}
                  <InterpreterStatusText status={appointment.interpreterStatus} note={appointment.interpreterNote} />
                </TableCell>
                <TableCell>{appointment.bookedByName}</TableCell>
                <TableCell>
                  {appointment.state === 'booked' ? <RecordCommunicationButton appointmentId={appointment.id} /> : null}
                  <AppointmentActions
                    appointment={{ ...appointment, referralId: String(referral.id) }}
                    referral={{ clinicId: referral.clinicId, clinicName: referral.clinicName, breachDate: referral.rtt?.breachDate ?? referral.breachDate }}
                  />
                </TableCell>
              </TableRow>
            ))}
          </TableBody>
        </Table>
      )}
    </Panel>
  );
}

// The pathway's terminal stages (workflows/pathway/context.ts terminalStages): nothing more is recorded on them.
const endedStates: ReadonlySet<ReferralState> = new Set(['returned_to_referrer', 'discharged', 'treated', 'declined_treatment', 'transferred', 'died']);

function ReferralDetailView() {
  const referral = useRecordContext<ReferralDetail>();
  const [rttEventOpen, setRttEventOpen] = useState(false);
  const [fdsOpen, setFdsOpen] = useState(false);
  const [offerOpen, setOfferOpen] = useState(false);
  const [attendanceOpen, setAttendanceOpen] = useState(false);
  const [pifuOpen, setPifuOpen] = useState(false);
  const hasCancer = referral?.cancer != null;
  const onPifu = referral?.state === 'pifu';
  const live = referral?.state != null && !endedStates.has(referral.state);
  // r records an RTT event, f the FDS outcome: the officer's hands stay on the keyboard.
  useShortcut(['r'], useCallback(() => setRttEventOpen(true), []));
  useShortcut(['f'], useCallback(() => { if (hasCancer) setFdsOpen(true); }, [hasCancer]));
  useShortcut(['o'], useCallback(() => setOfferOpen(true), []));
  // a: a patient seen outside clinic; p: a patient on PIFU asks to be seen.
  useShortcut(['a'], useCallback(() => { if (live) setAttendanceOpen(true); }, [live]));
  useShortcut(['p'], useCallback(() => { if (onPifu) setPifuOpen(true); }, [onPifu]));
  // Opened from the Referrals list, the list's record shows first (react-admin caches it as the referral); the page's
  // parts need the full record (work items, events), so wait for it: the list's record crashed the Offers panel.
  if (!referral || !referral.tasks) return null;
  return (
    <Box sx={{ display: 'grid', gap: 2, gridTemplateColumns: { xs: '1fr', lg: 'repeat(3, minmax(0, 1fr))' } }}>
      <PatientPanel referral={referral} />
      <ReferralPanel referral={referral} />
      <Box sx={{ display: 'grid', gap: 2, alignContent: 'start' }}>
        <RttPanel referral={referral} />
        <CancerPanel referral={referral} fdsOpen={fdsOpen} onFdsOpen={setFdsOpen} />
      </Box>
      <Box sx={{ gridColumn: { lg: 'span 2' }, display: 'grid', gap: 2, alignContent: 'start' }}>
        <RttClockTimeline
          referralId={String(referral.id)}
          action={(
            <Box sx={{ display: 'flex', gap: 1, flexWrap: 'wrap' }}>
              <RecordRttEventButton referralId={String(referral.id)} open={rttEventOpen} onOpenChange={setRttEventOpen} />
              {live ? <AttendanceOutsideClinicButton referral={referral} open={attendanceOpen} onOpenChange={setAttendanceOpen} /> : null}
              {onPifu ? <PifuTriggerButton referral={referral} open={pifuOpen} onOpenChange={setPifuOpen} /> : null}
            </Box>
          )}
        />
        <WorkItems referral={referral} />
        <Appointments referral={referral} />
        <OffersPanel referral={referral} newOfferOpen={offerOpen} onNewOfferOpen={setOfferOpen} />
        <ReferralCommunicationsPanel referralId={String(referral.id)} />
      </Box>
      <Timeline events={referral.events} />
      <Typography variant="caption" color="text.secondary" sx={{ gridColumn: '1 / -1' }} data-testid="key-hint">
        Keys: <Kbd>r</Kbd> record an RTT event{hasCancer ? <> · <Kbd>f</Kbd> record the FDS outcome</> : null} · <Kbd>o</Kbd> record an offer{live ? <> · <Kbd>a</Kbd> record attendance outside clinic</> : null}{onPifu ? <> · <Kbd>p</Kbd> patient asks to be seen (PIFU)</> : null} · <Kbd>Ctrl</Kbd>+<Kbd>Enter</Kbd> sends a dialog
      </Typography>
    </Box>
  );
}

function ReferralShowActions() {
  return (
    <TopToolbar>
      <Button label="Referrals" to="/referrals" startIcon={<ArrowBackIcon />} />
    </TopToolbar>
  );
}

export function ReferralShow() {
  return (
    <Show title={<ReferralTitle />} actions={<ReferralShowActions />} sx={{ '& .RaShow-card': { p: 2 } }}>
      <ReferralDetailView />
    </Show>
  );
}
