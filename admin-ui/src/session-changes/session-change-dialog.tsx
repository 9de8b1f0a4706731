// Cancel or reduce a clinic session, in two steps: say what and why (for a reduction, tick the slots),
// read the preview (who is affected in rebooking order, the slot each would be offered, who would breach),
// then confirm: inside the notice period only with "I confirm" ticked. The change runs on; its page
// (the summary) opens at once and follows it.
import { useEffect, useState, type KeyboardEvent } from 'react';
import {
  Alert, Box, Button, Checkbox, Chip, Dialog, DialogActions, DialogContent, DialogTitle, FormControlLabel, Table, TableBody,
  TableCell, TableHead, TableRow, TextField, Typography,
} from '@mui/material';
import { useDataProvider, useGetList, useNotify, useRedirect } from 'react-admin';
import { useQueryClient } from '@tanstack/react-query';
import { clinicSessionLabels, slotStatusLabels, slotTypeLabels } from '../../../domain/labels';
import type { ClinicSession, SessionChangeKind } from '../../../domain/model';
import type { SessionChangePreview, SessionChangeRequest } from '../change-types';
import { formatDate, formatSlotStart, formatTime } from '../components/dates';
import { BreachDateText, PatientText, PriorityChip } from '../components/fields';
import { errorMessage, fieldErrors } from '../components/http-errors';
import { labelFor } from '../components/labels';
import type { AccessDeskDataProvider } from '../dataProvider';
import type { Slot } from '../types';
import { previewSummaryWords, sessionChangeStartedNotice } from './change-words';

export interface SessionTarget {
  clinicId: string;
  clinicName: string;
  date: string;
  session: ClinicSession;
  start: string;
  end: string;
}

interface SessionChangeDialogProps {
  target: SessionTarget | null;
  kind: SessionChangeKind;
  onClose: () => void;
}

const minReason = 3;
const maxReason = 500;

function SlotChooser({ target, chosen, onChange, error }: { target: SessionTarget; chosen: string[]; onChange: (ids: string[]) => void; error?: string }) {
  const { data: slots, isPending } = useGetList<Slot>('slots', {
    filter: { clinicId: target.clinicId, start_gte: target.start, start_lt: target.end },
    sort: { field: 'start', order: 'ASC' },
    pagination: { page: 1, perPage: 200 },
  });
  const toggle = (id: string) => onChange(chosen.includes(id) ? chosen.filter((c) => c !== id) : [...chosen, id]);
  if (isPending) return <Typography variant="body2">Loading the session’s slots…</Typography>;
  return (
    <Box component="fieldset" sx={{ border: 1, borderColor: error ? 'error.main' : 'divider', borderRadius: 1, m: 0 }} data-testid="session-change-slots">
      <Typography component="legend" variant="body2" sx={{ px: 0.5 }}>Slots to take out</Typography>
      {(slots ?? []).length === 0 ? <Typography variant="body2">No slots in this session.</Typography> : null}
      <Box sx={{ display: 'grid', gridTemplateColumns: 'repeat(auto-fill, minmax(13rem, 1fr))' }}>
        {(slots ?? []).map((slot) => (
          <FormControlLabel
            key={slot.id}
            disabled={slot.status === 'blocked'}
            control={<Checkbox size="small" checked={chosen.includes(slot.id)} onChange={() => toggle(slot.id)} slotProps={{ input: { 'data-slot-id': slot.id } as object }} />}
            label={`${formatTime(slot.start)} ${labelFor(slotTypeLabels, slot.type)} · ${labelFor(slotStatusLabels, slot.status)}`}
          />
        ))}
      </Box>
      {error ? <Typography variant="caption" color="error">{error}</Typography> : null}
    </Box>
  );
}

function PreviewTable({ preview }: { preview: SessionChangePreview }) {
  if (preview.affected.length === 0) return null;
  return (
    <Table size="small" data-testid="session-change-affected" aria-label="Patients affected, in rebooking order">
      <TableHead>
        <TableRow>
          <TableCell>#</TableCell>
          <TableCell>Patient</TableCell>
          <TableCell>Priority</TableCell>
          <TableCell>Breach date</TableCell>
          <TableCell>Booked for</TableCell>
          <TableCell>Would be offered</TableCell>
        </TableRow>
      </TableHead>
      <TableBody>
        {preview.affected.map((patient) => (
          <TableRow key={patient.appointmentId} data-testid="session-change-affected-row" data-appointment-id={patient.appointmentId}>
            <TableCell>{patient.position}</TableCell>
            <TableCell><PatientText name={patient.patientName} nhsNumber={patient.nhsNumber} /></TableCell>
            <TableCell><PriorityChip priority={patient.priority} /></TableCell>
            <TableCell><BreachDateText value={patient.breachDate} /></TableCell>
            <TableCell>{formatTime(patient.currentStart)} {labelFor(slotTypeLabels, patient.slotType)}</TableCell>
            <TableCell>
              {patient.offeredSlot ? (
                <>
                  {formatSlotStart(patient.offeredSlot.start)}
                  <Typography variant="caption" component="div" color="text.secondary">{patient.offeredSlot.clinicName}</Typography>
                </>
              ) : (
                <Chip size="small" color="error" label="No slot before breach" />
              )}
              {patient.offeredSlot && patient.wouldBreach ? <Chip size="small" color="error" variant="outlined" label="After breach date" sx={{ ml: 1 }} /> : null}
            </TableCell>
          </TableRow>
        ))}
      </TableBody>
    </Table>
  );
}

export function SessionChangeDialog({ target, kind, onClose }: SessionChangeDialogProps) {
  const dataProvider = useDataProvider<AccessDeskDataProvider>();
  const notify = useNotify();
  const redirect = useRedirect();
  const queryClient = useQueryClient();
  const [reason, setReason] = useState('');
  const [slotIds, setSlotIds] = useState<string[]>([]);
  const [preview, setPreview] = useState<SessionChangePreview | null>(null);
  const [confirmNotice, setConfirmNotice] = useState(false);
  const [errors, setErrors] = useState<Record<string, string>>({});
  const [refusal, setRefusal] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);

  // A fresh start each time the dialog opens on a session.
  useEffect(() => {
    setReason('');
    setSlotIds([]);
    setPreview(null);
    setConfirmNotice(false);
    setErrors({});
    setRefusal(null);
  }, [target?.date, target?.session, kind]);

  if (!target) return null;

  const request = (): SessionChangeRequest => ({
    clinicId: target.clinicId,
    date: target.date,
    session: target.session,
    kind,
    reason: reason.trim(),
    ...(kind === 'reduce' ? { slotIds } : {}),
  });

  const call = async (work: () => Promise<void>) => {
    if (busy) return;
    setBusy(true);
    setRefusal(null);
    try {
      await work();
    } catch (error) {
      setErrors(fieldErrors(error));
      setRefusal(errorMessage(error));
    } finally {
      setBusy(false);
    }
  };

  const askPreview = () => {
    const found: Record<string, string> = {};
    const trimmed = reason.trim();
    if (trimmed.length < minReason) found.reason = 'Say why, in a few words';
    else if (trimmed.length > maxReason) found.reason = `At most ${maxReason} characters`;
    if (kind === 'reduce' && slotIds.length === 0) found.slotIds = 'Tick the slots to take out';
    setErrors(found);
    if (Object.keys(found).length > 0) return;
    void call(async () => {
      const { data } = await dataProvider.previewSessionChange(request());
      setPreview(data);
      setErrors({});
    });
  };

  const confirm = () => {
    if (!preview) return;
    if (preview.withinNotice && !confirmNotice) {
      setErrors({ confirmShortNotice: 'Tick to confirm a change inside the notice period' });
      return;
    }
    void call(async () => {
      const { data } = await dataProvider.startSessionChange({ ...request(), ...(preview.withinNotice ? { confirmShortNotice: true } : {}) });
      notify(sessionChangeStartedNotice(preview), { type: 'info' });
      for (const key of ['clinics', 'slots', 'appointments', 'session-changes']) void queryClient.invalidateQueries({ queryKey: [key] });
      onClose();
      redirect('show', 'session-changes', data.id);
    });
  };

  const onKeyDown = (event: KeyboardEvent) => {
    if (event.key === 'Enter' && (event.ctrlKey || event.metaKey)) {
      event.preventDefault();
      if (preview) confirm();
      else askPreview();
    }
  };

  const sessionWords = `${labelFor(clinicSessionLabels, target.session).toLowerCase()} of ${formatDate(target.date)}`;
  const title = `${kind === 'cancel' ? 'Cancel' : 'Reduce'} the ${sessionWords}: ${target.clinicName}`;

  return (
    // Keys on the dialog itself: once the preview replaces the reason field, focus may sit on the dialog's frame.
    <Dialog open onClose={onClose} onKeyDown={onKeyDown} fullWidth maxWidth="md" aria-labelledby="session-change-title">
      <Box component="form" noValidate onSubmit={(event) => { event.preventDefault(); if (preview) confirm(); else askPreview(); }} data-testid="session-change">
        <DialogTitle id="session-change-title">{title}</DialogTitle>
        <DialogContent>
          <Box sx={{ pt: 1, display: 'grid', gap: 2 }}>
            {preview ? (
              <>
                <Alert severity={preview.summary.atRisk > 0 ? 'warning' : 'info'} data-testid="session-change-preview-summary">
                  {previewSummaryWords(preview.summary)}. {preview.slotCount} {preview.slotCount === 1 ? 'slot' : 'slots'} taken out. Nothing has changed yet.
                </Alert>
                <PreviewTable preview={preview} />
                {preview.withinNotice ? (
                  <Box>
                    <Alert severity="warning">
                      This session is inside the notice period ({preview.noticeDays} days’ notice): a team leader confirms it, and it is reported.
                    </Alert>
                    <FormControlLabel
                      control={<Checkbox autoFocus checked={confirmNotice} onChange={(event) => setConfirmNotice(event.target.checked)} slotProps={{ input: { 'data-testid': 'session-change-confirm-notice' } as object }} />}
                      label="Inside the notice period: I confirm"
                    />
                    {errors.confirmShortNotice ? <Typography variant="caption" color="error" component="div">{errors.confirmShortNotice}</Typography> : null}
                  </Box>
                ) : null}
              </>
            ) : (
              <>
                {kind === 'reduce' ? <SlotChooser target={target} chosen={slotIds} onChange={setSlotIds} error={errors.slotIds} /> : (
                  <Typography variant="body2">
                    Every slot of the session ({formatTime(target.start)} to {formatTime(target.end)}) is taken out; each booked patient is
                    offered the next suitable slot before their breach date, or goes on the Rebooking queue.
                  </Typography>
                )}
                <TextField
                  label="Reason"
                  value={reason}
                  onChange={(event) => setReason(event.target.value)}
                  error={!!errors.reason}
                  helperText={errors.reason ?? 'Kept with the change; not sent to patients'}
                  multiline
                  minRows={2}
                  autoFocus
                  slotProps={{ htmlInput: { maxLength: maxReason, 'data-testid': 'session-change-reason' } }}
                />
                {errors.date ? <Alert severity="error">{errors.date}</Alert> : null}
              </>
            )}
            {refusal ? <Alert severity="error" role="alert" data-testid="session-change-refusal">{refusal}</Alert> : null}
          </Box>
        </DialogContent>
        <DialogActions>
          <Typography variant="caption" color="text.secondary" sx={{ mr: 'auto', pl: 2 }}>Ctrl+Enter goes on</Typography>
          {preview ? <Button onClick={() => setPreview(null)}>Back</Button> : null}
          <Button onClick={onClose}>Close</Button>
          <Button
            key={preview ? 'confirm' : 'preview'}
            type="submit"
            variant="contained"
            color={preview ? 'error' : 'primary'}
            disabled={busy}
            // The preview has come: the next thing to do is read it and confirm (or tick the notice box first).
            autoFocus={preview != null && !preview.withinNotice}
            data-testid={preview ? 'session-change-confirm' : 'session-change-preview'}
          >
            {preview ? (kind === 'cancel' ? 'Confirm cancellation' : 'Confirm reduction') : 'Preview'}
          </Button>
        </DialogActions>
      </Box>
    </Dialog>
  );
}
