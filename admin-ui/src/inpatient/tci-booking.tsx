// The TCI booking screen (/admissions/:id/tci): the theatre sessions of the admission's specialty from today,
// each with its minutes booked and free; pick one with room for the operation (the others say why not), say
// the admission date, ward and how it was offered, and record the offer. The notice (reasonable or short) is
// shown as the dates are chosen and the API's answer is the one kept.
import { useMemo, useRef, useState } from 'react';
import { useParams } from 'react-router';
import {
  Alert, Box, Button, Card, CardContent, Radio, Table, TableBody, TableCell, TableHead, TableRow, TextField, Typography,
} from '@mui/material';
import { Link, Title, useDataProvider, useGetList, useGetOne, useNavigate, useNotify } from 'react-admin';
import { useQueryClient } from '@tanstack/react-query';
import { BritishDatePicker } from '../components/date-input';
import { formatDate, londonToday } from '../components/dates';
import { BreachDateText, Labelled } from '../components/fields';
import { labelFor } from '../components/labels';
import { NativeSelectField } from '../components/native-select';
import { useCommandForm } from '../components/command-dialog';
import type { AccessDeskDataProvider } from '../dataProvider';
import type { Admission, TciChannel, TciOffer, TheatreSession } from './inpatient-types';
import { choicesFrom } from '../components/labels';
import {
  minutesWords, preOpCleared, sessionRefusal, tciChannelLabels, tciNotice, tciOfferedNotice, theatreSessionPartLabels,
} from './inpatient-words';
import { CapacityBar, PreOpText, SurgicalPriorityChip, admissionPath } from './admission-fields';

export const tciBookingRoute = '/admissions/:id/tci';

function SessionTable({ admission, value, onChange }: { admission: Admission; value: string; onChange: (session: TheatreSession | null) => void }) {
  const today = londonToday();
  const { data, isPending, error } = useGetList<TheatreSession>('theatre-sessions', {
    filter: { specialtyCode: admission.specialtyCode, date_gte: today },
    sort: { field: 'date', order: 'ASC' },
    pagination: { page: 1, perPage: 100 },
  });
  if (error) return <Alert severity="error">Could not load the theatre sessions</Alert>;
  if (isPending) return <Typography variant="body2" color="text.secondary">Finding theatre sessions…</Typography>;
  const sessions = data ?? [];
  return (
    <Table size="small" aria-label={`Theatre sessions for ${admission.specialtyCode} from today`} data-testid="tci-sessions">
      <TableHead>
        <TableRow>
          <TableCell padding="checkbox">Choose</TableCell>
          <TableCell>Date</TableCell>
          <TableCell>List</TableCell>
          <TableCell>Surgeon</TableCell>
          <TableCell>Capacity</TableCell>
        </TableRow>
      </TableHead>
      <TableBody>
        <TableRow>
          <TableCell padding="checkbox">
            <Radio
              name="tci-session"
              checked={value === ''}
              onChange={() => onChange(null)}
              slotProps={{ input: { 'aria-label': 'No theatre session: a date only', 'data-testid': 'tci-session-none' } as object }}
            />
          </TableCell>
          <TableCell colSpan={4}><Typography variant="body2" color="text.secondary">No theatre session (a date only, e.g. a ward procedure)</Typography></TableCell>
        </TableRow>
        {sessions.map((session) => {
          const refusal = sessionRefusal(session, admission.estimatedMinutes, today);
          const label = `${formatDate(session.date)} ${labelFor(theatreSessionPartLabels, session.session)}, ${session.listName}`;
          return (
            <TableRow key={session.id} data-testid="tci-session-row" data-id={session.id} data-fits={refusal ? 'false' : 'true'} selected={value === session.id}>
              <TableCell padding="checkbox">
                <Radio
                  name="tci-session"
                  checked={value === session.id}
                  disabled={refusal != null}
                  onChange={() => onChange(session)}
                  slotProps={{ input: { 'aria-label': refusal ? `${label}: ${refusal}` : label, 'data-testid': 'tci-session-choose' } as object }}
                />
              </TableCell>
              <TableCell>
                {formatDate(session.date)}
                <Typography variant="caption" component="div" color="text.secondary">{labelFor(theatreSessionPartLabels, session.session)}</Typography>
              </TableCell>
              <TableCell>{session.listName}</TableCell>
              <TableCell>{session.surgeonName}</TableCell>
              <TableCell>
                <CapacityBar session={session} />
                {refusal ? <Typography variant="caption" component="div" color="warning.dark">{refusal}</Typography> : null}
              </TableCell>
            </TableRow>
          );
        })}
        {sessions.length === 0 ? (
          <TableRow><TableCell colSpan={5}><Typography variant="body2" color="text.secondary">No theatre sessions for this specialty from today.</Typography></TableCell></TableRow>
        ) : null}
      </TableBody>
    </Table>
  );
}

function TciForm({ admission }: { admission: Admission }) {
  const dataProvider = useDataProvider<AccessDeskDataProvider>();
  const notify = useNotify();
  const navigate = useNavigate();
  const queryClient = useQueryClient();
  const today = londonToday();
  const [session, setSession] = useState<TheatreSession | null>(null);
  const [admissionDate, setAdmissionDate] = useState('');
  const [ward, setWard] = useState(admission.ward ?? '');
  const [offeredOn, setOfferedOn] = useState(today);
  const [channel, setChannel] = useState<TciChannel | ''>('');
  const sentAt = useRef<TciOffer | null>(null);
  const notice = useMemo(
    () => (admissionDate && offeredOn && admissionDate !== 'invalid' && offeredOn !== 'invalid' ? tciNotice(offeredOn, admissionDate) : null),
    [admissionDate, offeredOn],
  );

  const chooseSession = (chosen: TheatreSession | null) => {
    setSession(chosen);
    if (chosen) setAdmissionDate(chosen.date);
  };

  const validate = () => {
    const found: Record<string, string> = {};
    if (!admissionDate || admissionDate === 'invalid') found.admissionDate = 'Say the admission date';
    else if (admissionDate < today) found.admissionDate = 'Cannot be in the past';
    // The API books a session's minutes only for an admission on the session's own day (SESSION_MISMATCH otherwise).
    else if (session && admissionDate !== session.date) found.admissionDate = `The admission date is the theatre session's day, ${formatDate(session.date)}`;
    if (ward.trim().length === 0) found.ward = 'Say the ward';
    if (!offeredOn || offeredOn === 'invalid') found.offeredOn = 'Say when it was offered';
    else if (offeredOn > today) found.offeredOn = 'Cannot be in the future';
    if (!channel) found.channel = 'Say how it was offered';
    return found;
  };

  const { errors, refusal, busy, submit, onKeyDown } = useCommandForm({
    validate,
    send: async () => {
      sentAt.current = (await dataProvider.offerTci(admission.referralId, {
        admissionDate, ward: ward.trim(), offeredOn, channel: channel as TciChannel, ...(session ? { theatreSessionId: session.id } : {}),
      })).data;
    },
    onDone: () => {
      for (const key of ['admissions', 'tci-offers', 'theatre-sessions']) void queryClient.invalidateQueries({ queryKey: [key] });
      if (sentAt.current) notify(tciOfferedNotice(sentAt.current, formatDate(sentAt.current.admissionDate)), { type: 'info', multiLine: true });
      navigate(admissionPath(admission.id));
    },
    // Someone may have just taken the session's last minutes: read the capacity again.
    onRefused: () => void queryClient.invalidateQueries({ queryKey: ['theatre-sessions'] }),
  });

  return (
    <Box component="form" noValidate onSubmit={(event) => void submit(event)} onKeyDown={onKeyDown} data-testid="tci-booking" sx={{ display: 'grid', gap: 2 }}>
      <Box component="section" aria-labelledby="tci-sessions-title">
        <Typography id="tci-sessions-title" variant="subtitle1" component="h2" sx={{ fontWeight: 600 }}>
          1. Theatre session (the operation needs {minutesWords(admission.estimatedMinutes)})
        </Typography>
        <SessionTable admission={admission} value={session?.id ?? ''} onChange={chooseSession} />
        {errors.theatreSessionId ? (
          <Typography variant="body2" color="error" role="alert" data-testid="tci-session-error">{errors.theatreSessionId}</Typography>
        ) : null}
      </Box>
      <Box component="section" aria-labelledby="tci-offer-title" sx={{ display: 'grid', gap: 2, maxWidth: 520 }}>
        <Typography id="tci-offer-title" variant="subtitle1" component="h2" sx={{ fontWeight: 600 }}>2. The offer</Typography>
        <BritishDatePicker
          label="Admission date (TCI)"
          value={admissionDate}
          onChange={setAdmissionDate}
          error={!!errors.admissionDate}
          helperText={errors.admissionDate ?? (session ? `Theatre session on ${formatDate(session.date)}` : undefined)}
          min={today}
          testId="tci-admission-date"
        />
        <TextField
          label="Ward"
          value={ward}
          onChange={(event) => setWard(event.target.value)}
          error={!!errors.ward}
          helperText={errors.ward}
          slotProps={{ htmlInput: { maxLength: 100, 'data-testid': 'tci-ward' } }}
        />
        <BritishDatePicker
          label="Offered on"
          value={offeredOn}
          onChange={setOfferedOn}
          error={!!errors.offeredOn}
          helperText={errors.offeredOn ?? 'The notice is counted from this day'}
          max={today}
          testId="tci-offered-on"
        />
        <NativeSelectField label="How" value={channel} onChange={(v) => setChannel(v as TciChannel)} error={!!errors.channel} helperText={errors.channel} testId="tci-channel" fullWidth>
          <option value="">Choose…</option>
          {choicesFrom(tciChannelLabels).map((c) => <option key={c.id} value={c.id}>{c.name}</option>)}
        </NativeSelectField>
        {notice ? (
          <Alert severity={notice.reasonable ? 'success' : 'warning'} data-testid="tci-notice" data-reasonable={notice.reasonable ? 'true' : 'false'}>
            {notice.words}
          </Alert>
        ) : null}
        {refusal ? <Alert severity="error" role="alert" data-testid="tci-booking-refusal">{refusal}</Alert> : null}
        <Box sx={{ display: 'flex', gap: 2, alignItems: 'center' }}>
          <Button type="submit" variant="contained" disabled={busy} data-testid="tci-booking-submit">Record TCI offer</Button>
          <Button component={Link} to={admissionPath(admission.id)}>Back to the admission</Button>
          <Typography variant="caption" color="text.secondary">Ctrl+Enter sends</Typography>
        </Box>
      </Box>
    </Box>
  );
}

export function TciBookingPage() {
  const { id = '' } = useParams();
  const { data: admission, isPending, error } = useGetOne<Admission>('admissions', { id });
  const today = londonToday();
  return (
    <Card sx={{ mt: 1 }}>
      <Title title="Offer a TCI date" />
      <CardContent>
        {error ? <Alert severity="error">Could not load the admission</Alert> : null}
        {isPending ? <Typography variant="body2" color="text.secondary">Loading…</Typography> : null}
        {admission ? (
          <Box sx={{ display: 'grid', gap: 2 }}>
            <Box component="section" aria-label="The patient" sx={{ display: 'flex', gap: 4, flexWrap: 'wrap' }} data-testid="tci-booking-admission">
              <Labelled label="Patient"><Link to={admissionPath(admission.id)}>{admission.patientName}</Link></Labelled>
              <Labelled label="Procedure">{admission.procedure}</Labelled>
              <Labelled label="Surgical priority"><SurgicalPriorityChip priority={admission.surgicalPriority} /></Labelled>
              <Labelled label="Priority target"><BreachDateText value={admission.targetDate} /></Labelled>
              <Labelled label="Breach date"><BreachDateText value={admission.breachDate} /></Labelled>
              <Labelled label="Pre-op"><PreOpText admission={admission} /></Labelled>
            </Box>
            {!preOpCleared(admission, today) ? (
              <Alert severity="warning" data-testid="tci-pre-op-warning">
                Pre-op is not done or has expired: a date can be offered, but the patient must be assessed and found fit before it.
              </Alert>
            ) : null}
            <TciForm admission={admission} />
          </Box>
        ) : null}
      </CardContent>
    </Card>
  );
}
