// A clinic's weekly template, versioned: every version newest first with the dates it is in use, and a
// new version (effective date, rows of weekday / start / slot length / type / count) that the API
// reconciles into slots at once. Its answer is said in words: slots added and removed, booked slots kept,
// and any session reduction now waiting for a team leader.
import { useState, type FormEvent, type KeyboardEvent } from 'react';
import {
  Alert, Box, Button, Checkbox, Chip, FormControlLabel, IconButton, Table, TableBody, TableCell, TableHead, TableRow, TextField, Typography,
} from '@mui/material';
import AddIcon from '@mui/icons-material/Add';
import DeleteIcon from '@mui/icons-material/Delete';
import { Link, Title, useDataProvider, useGetOne, useNotify } from 'react-admin';
import { useParams } from 'react-router';
import { useQuery, useQueryClient } from '@tanstack/react-query';
import { addDays } from '../../../domain/dates';
import { defaultAccessPolicy } from '../../../domain/booking-policy';
import { slotTypeLabels } from '../../../domain/labels';
import type { SlotType } from '../../../domain/model';
import type { TemplateSession, TemplateVersion } from '../change-types';
import { formatDate, formatDateTime, londonToday } from '../components/dates';
import { Panel } from '../components/fields';
import { errorCode, errorMessage, fieldErrors } from '../components/http-errors';
import { labelFor, weekdayLabel } from '../components/labels';
import { NativeSelectField } from '../components/native-select';
import { useIsLeader } from '../components/roles';
import type { AccessDeskDataProvider } from '../dataProvider';
import type { Clinic } from '../types';
import { reconciliationWords } from '../session-changes/change-words';
import { clinicCalendarPath } from './clinic-calendar';
import { nextRow, sessionEnd, validateTemplateRows } from './template-rows';
import { plural } from '../components/notices';
import { refusalMessage } from '../components/messages';
import { BritishDatePicker } from '../components/date-input';

/** A hint only: the API decides, and a refusal (SHORT_NOTICE_NEEDS_LEADER) brings the checkbox up anyway. */
const noticeDays = defaultAccessPolicy.clinicChanges.templateChangeNoticeDays;

function SessionsTable({ sessions }: { sessions: TemplateSession[] }) {
  const rows = [...sessions].sort((a, b) => a.weekday - b.weekday || a.startTime.localeCompare(b.startTime));
  if (rows.length === 0) return <Typography variant="body2" color="text.secondary">No sessions.</Typography>;
  return (
    <Table size="small">
      <TableHead>
        <TableRow>
          <TableCell>Day</TableCell>
          <TableCell>Starts</TableCell>
          <TableCell>Ends</TableCell>
          <TableCell>Slot length</TableCell>
          <TableCell>Slot type</TableCell>
          <TableCell align="right">Slots</TableCell>
        </TableRow>
      </TableHead>
      <TableBody>
        {rows.map((row, i) => (
          <TableRow key={`${row.weekday}-${row.startTime}-${i}`}>
            <TableCell>{weekdayLabel(row.weekday)}</TableCell>
            <TableCell>{row.startTime}</TableCell>
            <TableCell>{sessionEnd(row)}</TableCell>
            <TableCell>{row.slotMinutes} min</TableCell>
            <TableCell>{labelFor(slotTypeLabels, row.slotType)}</TableCell>
            <TableCell align="right">{row.slotCount}</TableCell>
          </TableRow>
        ))}
      </TableBody>
    </Table>
  );
}

function VersionPanel({ version }: { version: TemplateVersion }) {
  return (
    <Box
      component="section"
      data-testid="template-version"
      data-version={version.version}
      sx={{ border: 1, borderColor: version.current ? 'primary.main' : 'divider', borderRadius: 1, p: 2, display: 'grid', gap: 1 }}
    >
      <Box sx={{ display: 'flex', gap: 1, alignItems: 'center', flexWrap: 'wrap' }}>
        <Typography variant="subtitle1" component="h3" sx={{ fontWeight: 600 }}>Version {version.version}</Typography>
        {version.current ? <Chip size="small" color="primary" label="Current" /> : null}
        {version.withinNotice ? <Chip size="small" color="warning" variant="outlined" label="Short notice" /> : null}
        <Typography variant="body2">
          In use from {formatDate(version.effectiveFrom)}{version.effectiveTo ? ` to ${formatDate(version.effectiveTo)}` : ''}
        </Typography>
      </Box>
      <Typography variant="caption" color="text.secondary">
        Made {formatDateTime(version.createdAt)}{version.createdByName ? ` by ${version.createdByName}` : ''}
        {version.confirmedByName ? `; short notice confirmed by ${version.confirmedByName}` : ''}
      </Typography>
      {version.reconciliation ? <Typography variant="body2" data-testid="template-reconciliation">{reconciliationWords(version.reconciliation)}</Typography> : null}
      <SessionsTable sessions={version.sessions} />
    </Box>
  );
}

function RowEditor({ row, index, slotTypes, errors, onChange, onRemove }: {
  row: TemplateSession; index: number; slotTypes: readonly SlotType[]; errors: Record<string, string>;
  onChange: (row: TemplateSession) => void; onRemove: () => void;
}) {
  const error = (field: string) => errors[`sessions.${index}.${field}`];
  const number = (value: string) => (value === '' ? Number.NaN : Number(value));
  return (
    <Box data-testid="template-row" sx={{ display: 'grid', gap: 1, alignItems: 'start', gridTemplateColumns: '9rem 7rem 7rem 9rem 6rem 4rem 3rem' }}>
      <NativeSelectField label="Day" value={String(row.weekday)} onChange={(v) => onChange({ ...row, weekday: Number(v) })} minWidth={0} error={!!error('weekday')} helperText={error('weekday')} testId="template-row-weekday">
        {[1, 2, 3, 4, 5, 6, 7].map((d) => <option key={d} value={d}>{weekdayLabel(d)}</option>)}
      </NativeSelectField>
      <TextField
        variant="standard" type="time" label="Starts" value={row.startTime}
        onChange={(event) => onChange({ ...row, startTime: event.target.value })}
        error={!!error('startTime')} helperText={error('startTime')}
        slotProps={{ inputLabel: { shrink: true }, htmlInput: { step: 300, 'data-testid': 'template-row-start' } }}
      />
      <TextField
        variant="standard" type="number" label="Slot minutes" value={Number.isNaN(row.slotMinutes) ? '' : row.slotMinutes}
        onChange={(event) => onChange({ ...row, slotMinutes: number(event.target.value) })}
        error={!!error('slotMinutes')} helperText={error('slotMinutes')}
        slotProps={{ htmlInput: { min: 5, max: 240, step: 5, 'data-testid': 'template-row-minutes' } }}
      />
      <NativeSelectField label="Slot type" value={row.slotType} onChange={(v) => onChange({ ...row, slotType: v as SlotType })} minWidth={0} error={!!error('slotType')} helperText={error('slotType')} testId="template-row-type">
        {(slotTypes.includes(row.slotType) ? slotTypes : [...slotTypes, row.slotType]).map((t) => <option key={t} value={t}>{labelFor(slotTypeLabels, t)}</option>)}
      </NativeSelectField>
      <TextField
        variant="standard" type="number" label="Slots" value={Number.isNaN(row.slotCount) ? '' : row.slotCount}
        onChange={(event) => onChange({ ...row, slotCount: number(event.target.value) })}
        error={!!error('slotCount')} helperText={error('slotCount')}
        slotProps={{ htmlInput: { min: 1, max: 100, 'data-testid': 'template-row-count' } }}
      />
      <Box sx={{ pt: 2.5 }}>
        <Typography variant="body2" title="The session ends">{Number.isNaN(row.slotMinutes * row.slotCount) ? '' : `to ${sessionEnd(row)}`}</Typography>
      </Box>
      <IconButton aria-label={`Remove the ${weekdayLabel(row.weekday)} ${row.startTime} row`} onClick={onRemove} sx={{ mt: 1 }}>
        <DeleteIcon />
      </IconButton>
    </Box>
  );
}

function NewVersionForm({ clinic, current, onMade }: { clinic: Clinic; current: TemplateVersion | undefined; onMade: (v: TemplateVersion) => void }) {
  const dataProvider = useDataProvider<AccessDeskDataProvider>();
  const notify = useNotify();
  const leader = useIsLeader();
  const today = londonToday();
  const slotTypes: readonly SlotType[] = clinic.slotTypes;
  const [effectiveFrom, setEffectiveFrom] = useState(addDays(today, noticeDays));
  const [rows, setRows] = useState<TemplateSession[]>(() => current?.sessions.map((s) => ({ ...s })) ?? []);
  const [confirmShortNotice, setConfirmShortNotice] = useState(false);
  const [needsConfirm, setNeedsConfirm] = useState(false);
  const [errors, setErrors] = useState<Record<string, string>>({});
  const [refusal, setRefusal] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const shortNotice = needsConfirm || (effectiveFrom !== '' && effectiveFrom < addDays(today, noticeDays));

  const submit = async (event?: FormEvent) => {
    event?.preventDefault();
    if (busy) return;
    const found = validateTemplateRows(rows, slotTypes);
    if (!effectiveFrom) found.effectiveFrom = 'Say when it takes effect';
    else if (effectiveFrom < today) found.effectiveFrom = 'Today at the earliest';
    setErrors(found);
    setRefusal(null);
    if (Object.keys(found).length > 0) return;
    setBusy(true);
    try {
      const { data } = await dataProvider.createClinicTemplate(clinic.id, {
        effectiveFrom, sessions: rows, ...(shortNotice && confirmShortNotice ? { confirmShortNotice: true } : {}),
      });
      notify(`Template version ${data.version} saved`, { type: 'info' });
      setNeedsConfirm(false);
      setConfirmShortNotice(false);
      onMade(data);
    } catch (error) {
      if (errorCode(error) === 'SHORT_NOTICE_NEEDS_LEADER') setNeedsConfirm(true);
      setErrors(fieldErrors(error));
      setRefusal(refusalMessage(error, { onFields: true }));
    } finally {
      setBusy(false);
    }
  };

  const onKeyDown = (event: KeyboardEvent) => {
    if (event.key === 'Enter' && (event.ctrlKey || event.metaKey)) {
      event.preventDefault();
      void submit();
    }
  };

  return (
    <Box component="form" noValidate onSubmit={(event) => void submit(event)} onKeyDown={onKeyDown} data-testid="template-new-version" sx={{ display: 'grid', gap: 2 }}>
      <BritishDatePicker label="Takes effect on" value={effectiveFrom} onChange={(value) => setEffectiveFrom(value)}
        error={!!errors.effectiveFrom} helperText={errors.effectiveFrom ?? `Slots already made before then stay as they are; booked slots are never touched`}
        sx={{ maxWidth: 260 }} min={today} testId="template-effective-from"
      />
      <Box sx={{ display: 'grid', gap: 1 }}>
        {rows.map((row, index) => (
          <RowEditor
            key={index}
            row={row}
            index={index}
            slotTypes={slotTypes}
            errors={errors}
            onChange={(changed) => setRows(rows.map((r, i) => (i === index ? changed : r)))}
            onRemove={() => setRows(rows.filter((_, i) => i !== index))}
          />
        ))}
        {errors.sessions ? <Typography variant="caption" color="error">{errors.sessions}</Typography> : null}
        {rows.length === 0 ? <Typography variant="body2" color="text.secondary">No sessions: the clinic holds none from that date.</Typography> : null}
        <Box>
          <Button startIcon={<AddIcon />} onClick={() => setRows([...rows, nextRow(rows, slotTypes)])} data-testid="template-add-row">Add row</Button>
        </Box>
      </Box>
      {shortNotice ? (
        leader ? (
          <FormControlLabel
            control={<Checkbox checked={confirmShortNotice} onChange={(event) => setConfirmShortNotice(event.target.checked)} slotProps={{ input: { 'data-testid': 'template-confirm-short-notice' } as object }} />}
            label={`Inside the notice period (${plural(noticeDays, 'day')}): I confirm`}
          />
        ) : (
          <Alert severity="warning">Inside the notice period: only a team leader can make this change.</Alert>
        )
      ) : null}
      {refusal ? <Alert severity="error" role="alert" data-testid="template-refusal">{refusal}</Alert> : null}
      <Box sx={{ display: 'flex', gap: 2, alignItems: 'center' }}>
        <Button type="submit" variant="contained" disabled={busy} data-testid="template-save">Save new version</Button>
        <Typography variant="caption" color="text.secondary">Ctrl+Enter saves</Typography>
      </Box>
    </Box>
  );
}

export function TemplateEditorPage() {
  const { id = '' } = useParams();
  const dataProvider = useDataProvider<AccessDeskDataProvider>();
  const queryClient = useQueryClient();
  const leader = useIsLeader();
  const { data: clinic } = useGetOne<Clinic>('clinics', { id }, { enabled: id !== '' });
  const { data: versions, error, isPending } = useQuery({
    queryKey: ['clinics', 'templates', id],
    queryFn: () => dataProvider.getClinicTemplates(id).then((answer) => answer.data),
    enabled: id !== '',
  });
  const [made, setMade] = useState<TemplateVersion | null>(null);
  // A new version starts from the newest one (in force or still to come): the latest plan is the one to change.
  const newest = versions?.[0];

  return (
    <Box sx={{ p: 2, display: 'grid', gap: 2 }} data-testid="template-editor">
      <Title title={clinic ? `Template: ${clinic.name}` : 'Clinic template'} />
      <Box sx={{ display: 'flex', gap: 1 }}>
        <Button size="small" component={Link} to={`/clinics/${encodeURIComponent(id)}/show`}>Clinic</Button>
        <Button size="small" component={Link} to={clinicCalendarPath(id)}>Calendar</Button>
      </Box>
      {made ? (
        <Alert severity={made.reconciliation?.proposedChangeIds.length ? 'warning' : 'success'} data-testid="template-made" onClose={() => setMade(null)}>
          Version {made.version} saved, in use from {formatDate(made.effectiveFrom)}: {reconciliationWords(made.reconciliation)}.
          {made.reconciliation?.proposedChangeIds.map((changeId) => (
            <Box key={changeId} component="span" sx={{ ml: 1 }}>
              <Link to={`/session-changes/${encodeURIComponent(changeId)}/show`}>Open the session reduction</Link>
            </Box>
          ))}
        </Alert>
      ) : null}
      {leader && clinic && !isPending ? (
        <Panel title="New version" testId="template-new-version-panel">
          <NewVersionForm
            key={newest?.id ?? 'none'}
            clinic={clinic}
            current={newest}
            onMade={(version) => {
              setMade(version);
              for (const key of ['clinics', 'slots', 'session-changes']) void queryClient.invalidateQueries({ queryKey: [key] });
            }}
          />
        </Panel>
      ) : null}
      <Panel title="Versions, newest first" testId="template-versions">
        {error ? <Alert severity="error">{errorMessage(error, 'Could not load the template')}</Alert> : null}
        {isPending && !error ? <Typography variant="body2">Loading…</Typography> : null}
        <Box sx={{ display: 'grid', gap: 2 }}>
          {(versions ?? []).map((version) => <VersionPanel key={version.id} version={version} />)}
        </Box>
      </Panel>
    </Box>
  );
}
