// Enquiry (issue 12): a patient is on the phone. Find them by NHS number (with or without spaces) or name (the date
// of birth narrows it), and in one view see each open pathway (stage, RTT week, breach date), the next appointment,
// an expected wait, their communication needs and the last contacts, and log the call. One API call: GET /api/enquiry.
import { useState, type FormEvent } from 'react';
import { Alert, Box, Button, Chip, Table, TableBody, TableCell, TableHead, TableRow, TextField, Typography } from '@mui/material';
import SearchIcon from '@mui/icons-material/Search';
import { useQuery } from '@tanstack/react-query';
import { Link, Title, useDataProvider } from 'react-admin';
import { BritishDatePicker } from '../components/date-input';
import { formatDate, formatSlotStart, isPast } from '../components/dates';
import { BreachDateText, Labelled, NhsNumberText, Panel, PriorityChip } from '../components/fields';
import { aisNeedLabels, appointmentKindLabels, commChannelLabels, labelFor, referralStateLabels, taskStatusLabels } from '../components/labels';
import { refusalMessage } from '../components/messages';
import { ContactsTable } from '../contacts/contacts-table';
import { LogContactButton } from '../contacts/log-contact';
import type { AccessDeskDataProvider } from '../dataProvider';
import type { EnquiryPatient } from '../types';

type Pathway = EnquiryPatient['pathways'][number];

/** The expected wait in words: the estimate's dates, or why there is none. */
function ExpectedWait({ pathway }: { pathway: Pathway }) {
  if (pathway.nextAppointment) return <>Booked</>;
  const wait = pathway.expectedWait;
  if (!wait) {
    return pathway.state === 'awaiting_triage' || pathway.state === 'awaiting_booking'
      ? <Typography variant="body2" color="text.secondary" component="span">Too few recent first appointments to estimate</Typography>
      : <>—</>;
  }
  const passed = isPast(wait.expectedBy);
  return (
    <span data-testid="expected-wait">
      {passed ? 'Longer than most: ' : `Around ${formatDate(wait.expectedBy)}; `}
      {`most (92%) seen by ${formatDate(wait.likelyBy)}`}
      <Typography variant="caption" color="text.secondary" component="div">
        {`Half seen by day ${wait.medianDays} of their wait (${wait.bookings} recent first appointments)`}
      </Typography>
    </span>
  );
}

function CommunicationNeeds({ patient }: { patient: EnquiryPatient }) {
  const { channels, aisNeeds, interpreterLanguage, carer } = patient.communication;
  const needs = [
    ...aisNeeds.map((n) => labelFor(aisNeedLabels, n)),
    ...(interpreterLanguage ? [`${interpreterLanguage} interpreter`] : []),
  ];
  return (
    <Box data-testid="enquiry-communication">
      <Labelled label="Prefers">{channels.map((c) => labelFor(commChannelLabels, c)).join(', ')}</Labelled>
      <Labelled label="Needs">
        {needs.length ? <Box sx={{ display: 'flex', gap: 0.5, flexWrap: 'wrap' }}>{needs.map((n) => <Chip key={n} size="small" color="warning" label={n} />)}</Box> : 'None recorded'}
      </Labelled>
      {carer ? <Labelled label="Carer">{`${carer.name} (${carer.relationship})${carer.phone ? `, ${carer.phone}` : ''}`}</Labelled> : null}
    </Box>
  );
}

function Pathways({ patient }: { patient: EnquiryPatient }) {
  if (!patient.pathways.length) return <Typography variant="body2" color="text.secondary">No open pathways.</Typography>;
  return (
    <Table size="small" data-testid="enquiry-pathways">
      <TableHead>
        <TableRow>
          <TableCell>Pathway</TableCell>
          <TableCell>Stage</TableCell>
          <TableCell>RTT week</TableCell>
          <TableCell>Breach date</TableCell>
          <TableCell>Next appointment</TableCell>
          <TableCell>Expected wait</TableCell>
          <TableCell>Open work</TableCell>
        </TableRow>
      </TableHead>
      <TableBody>
        {patient.pathways.map((p) => (
          <TableRow key={p.referralId}>
            <TableCell>
              <Link to={`/referrals/${encodeURIComponent(p.referralId)}/show`}>{p.specialtyName}</Link>{' '}
              <PriorityChip priority={p.priority} />
              <Typography variant="caption" color="text.secondary" component="div">received {formatDate(p.receivedAt)}</Typography>
            </TableCell>
            <TableCell>{labelFor(referralStateLabels, p.state)}</TableCell>
            <TableCell>{p.weekBand != null ? `Week ${p.weekBand}` : '—'}</TableCell>
            <TableCell><BreachDateText value={p.breachDate} /></TableCell>
            <TableCell>
              {p.nextAppointment ? (
                <>
                  {formatSlotStart(p.nextAppointment.start)}
                  <Typography variant="caption" color="text.secondary" component="div">
                    {`${labelFor(appointmentKindLabels, p.nextAppointment.kind)}, ${p.nextAppointment.clinicName}${p.nextAppointment.site ? `, ${p.nextAppointment.site}` : ''}`}
                  </Typography>
                </>
              ) : 'None booked'}
            </TableCell>
            <TableCell><ExpectedWait pathway={p} /></TableCell>
            <TableCell>
              {p.openWork.length ? p.openWork.map((t) => (
                <div key={t.id}>
                  <Link to={`/tasks/${encodeURIComponent(t.id)}/show`}>{t.title}</Link>
                  {` (${labelFor(taskStatusLabels, t.status)}${t.assigneeName ? `, ${t.assigneeName}` : ''})`}
                </div>
              )) : '—'}
            </TableCell>
          </TableRow>
        ))}
      </TableBody>
    </Table>
  );
}

function PatientCard({ patient, onLogged }: { patient: EnquiryPatient; onLogged: () => void }) {
  const referrals = patient.pathways.map((p) => ({ id: p.referralId, label: `${p.specialtyName}, received ${formatDate(p.receivedAt)}` }));
  return (
    <Panel title={patient.name} testId="enquiry-patient">
      <Box sx={{ display: 'grid', gap: 2, gridTemplateColumns: { xs: '1fr', md: 'minmax(0, 1fr) minmax(0, 1fr) minmax(0, 1fr)' } }}>
        <Box>
          <Labelled label="NHS number"><NhsNumberText value={patient.nhsNumber} /></Labelled>
          <Labelled label="Date of birth">{formatDate(patient.dateOfBirth)}</Labelled>
          <Labelled label="Postcode">{patient.postcode}</Labelled>
        </Box>
        <Box>
          <Labelled label="Phone">{patient.phone}</Labelled>
          <Labelled label="Email">{patient.email}</Labelled>
          <Link to={`/patients/${encodeURIComponent(patient.id)}/show`}>Open the patient&apos;s page</Link>
        </Box>
        <CommunicationNeeds patient={patient} />
      </Box>
      <Typography variant="subtitle2" component="h3" sx={{ mt: 2, mb: 1 }}>Open pathways</Typography>
      <Pathways patient={patient} />
      <Box sx={{ display: 'flex', alignItems: 'center', gap: 2, mt: 2, mb: 1 }}>
        <Typography variant="subtitle2" component="h3">Last contacts</Typography>
        <LogContactButton patientId={patient.id} referrals={referrals} onDone={onLogged} />
      </Box>
      <ContactsTable contacts={patient.lastContacts} testId="enquiry-contacts" />
    </Panel>
  );
}

export function EnquiryPage() {
  const dataProvider = useDataProvider<AccessDeskDataProvider>();
  const [q, setQ] = useState('');
  const [dateOfBirth, setDateOfBirth] = useState('');
  const [asked, setAsked] = useState<{ q: string; dateOfBirth: string } | null>(null);
  const [problem, setProblem] = useState<string | null>(null);
  const { data, error, isFetching, refetch } = useQuery({
    queryKey: ['enquiry', asked],
    queryFn: () => dataProvider.findForEnquiry(asked!.q, asked!.dateOfBirth).then((r) => r.data),
    enabled: asked !== null,
    retry: false,
  });
  const find = (event: FormEvent) => {
    event.preventDefault();
    const text = q.trim();
    if (text.length < 2) { setProblem('Type an NHS number or at least two letters of a name'); return; }
    if (dateOfBirth === 'invalid') { setProblem('Enter the date of birth as dd/mm/yyyy'); return; }
    setProblem(null);
    setAsked({ q: text, dateOfBirth });
  };
  return (
    <Box sx={{ mt: 2, display: 'grid', gap: 2 }} data-testid="enquiry">
      <Title title="Enquiry" />
      <Typography variant="h5" component="h1">Enquiry</Typography>
      <Box component="form" role="search" aria-label="Find a patient" onSubmit={find} noValidate
        sx={{ display: 'flex', gap: 2, alignItems: 'flex-start', flexWrap: 'wrap' }}>
        <TextField
          label="NHS number or name"
          value={q}
          onChange={(event) => setQ(event.target.value)}
          autoFocus
          error={!!problem}
          helperText={problem ?? 'e.g. 943 476 5919, or Lovelace, or Ada Lov'}
          slotProps={{ htmlInput: { 'data-testid': 'enquiry-q', autoComplete: 'off' } }}
          sx={{ minWidth: 320 }}
        />
        <BritishDatePicker label="Date of birth (optional)" value={dateOfBirth} onChange={setDateOfBirth} testId="enquiry-dob" helperText="dd/mm/yyyy" />
        <Button type="submit" variant="contained" startIcon={<SearchIcon />} sx={{ mt: 1 }} data-testid="enquiry-find">Find</Button>
      </Box>
      <div role="status" aria-live="polite">
        {isFetching ? 'Searching…' : data ? (
          data.total === 0 ? 'No patient matches.'
            : data.total > data.patients.length ? `${data.total} patients match; showing the first ${data.patients.length}. Add the date of birth to narrow it.`
              : `${data.total} ${data.total === 1 ? 'patient matches' : 'patients match'}.`
        ) : null}
      </div>
      {error ? <Alert severity="error">{refusalMessage(error)}</Alert> : null}
      {data?.patients.map((patient) => <PatientCard key={patient.id} patient={patient} onLogged={() => void refetch()} />)}
      {data?.patients.length ? (
        <Typography variant="caption" color="text.secondary" data-testid="expected-wait-basis">Expected wait: {data.expectedWaitBasis}</Typography>
      ) : null}
    </Box>
  );
}
