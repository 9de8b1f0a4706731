// A period of leave: its dates and cover, and for team leaders cancel or shorten it.
import { useState } from 'react';
import {
  Box,
  Button as MuiButton,
  Dialog,
  DialogActions,
  DialogContent,
  DialogContentText,
  DialogTitle,
} from '@mui/material';
import ArrowBackIcon from '@mui/icons-material/ArrowBack';
import EventAvailableIcon from '@mui/icons-material/EventAvailable';
import EventBusyIcon from '@mui/icons-material/EventBusy';
import { Button, Show, TopToolbar, useDataProvider, useNotify, useRecordContext, useRefresh } from 'react-admin';
import { formatDate, formatDateTime, londonToday } from '../components/dates';
import { Labelled, Panel } from '../components/fields';
import { errorMessage } from '../components/http-errors';
import { handoverLabels, labelFor } from '../components/labels';
import { useIsLeader } from '../components/roles';
import type { AccessDeskDataProvider } from '../dataProvider';
import type { Absence } from '../types';
import { AuditTrail } from '../audit/audit-trail';
import { AbsenceStatusChip, CoverText, canChange } from './absence-fields';
import { BritishDatePicker } from '../components/date-input';

function AbsenceTitle() {
  const absence = useRecordContext<Absence>();
  return <span>{absence ? `Leave: ${absence.staffName}` : 'Leave'}</span>;
}

function useAbsenceCommand() {
  const dataProvider = useDataProvider<AccessDeskDataProvider>();
  const notify = useNotify();
  const refresh = useRefresh();
  const [busy, setBusy] = useState(false);
  const run = async (command: (dp: AccessDeskDataProvider) => Promise<unknown>, done: string) => {
    setBusy(true);
    try {
      await command(dataProvider);
      notify(done, { type: 'info' });
      return true;
    } catch (error) {
      notify(errorMessage(error), { type: 'warning' });
      return false;
    } finally {
      setBusy(false);
      refresh();
    }
  };
  return { run, busy };
}

export function CancelLeaveButton() {
  const absence = useRecordContext<Absence>();
  const isLeader = useIsLeader();
  const { run, busy } = useAbsenceCommand();
  const [open, setOpen] = useState(false);
  if (!absence || !isLeader || !canChange(absence)) return null;
  return (
    <>
      <MuiButton size="small" color="error" startIcon={<EventBusyIcon />} onClick={() => setOpen(true)} data-testid="cancel-leave">
        Cancel leave
      </MuiButton>
      <Dialog open={open} onClose={() => setOpen(false)} aria-labelledby="cancel-leave-title">
        <DialogTitle id="cancel-leave-title">Cancel {absence.staffName}’s leave?</DialogTitle>
        <DialogContent>
          <DialogContentText>
            {absence.returnOnEnd
              ? 'Work items moved for this leave that are still open go back to them at once.'
              : 'Work items already moved stay where they are.'}
          </DialogContentText>
        </DialogContent>
        <DialogActions>
          <MuiButton onClick={() => setOpen(false)}>Keep the leave</MuiButton>
          <MuiButton
            color="error"
            variant="contained"
            disabled={busy}
            data-testid="cancel-leave-confirm"
            onClick={async () => {
              if (await run((dp) => dp.cancelAbsence(absence.id), 'Leave cancelled')) setOpen(false);
            }}
          >
            Cancel leave
          </MuiButton>
        </DialogActions>
      </Dialog>
    </>
  );
}

/** Bring the last day forward; today or earlier ends the leave at once. */
function ShortenLeave({ absence }: { absence: Absence }) {
  const { run, busy } = useAbsenceCommand();
  const [to, setTo] = useState(absence.to);
  const today = londonToday();
  const error = !to
    ? 'Choose the new last day'
    : to >= absence.to
      ? 'Choose a day before the current last day'
      : to < absence.from
        ? 'Cannot end before the leave starts: cancel it instead'
        : undefined;
  return (
    <Box
      component="form"
      onSubmit={(event) => {
        event.preventDefault();
        if (!error) void run((dp) => dp.shortenAbsence(absence.id, to), `Leave now ends ${formatDate(to)}`);
      }}
      sx={{ display: 'flex', gap: 2, alignItems: 'flex-start', flexWrap: 'wrap' }}
    >
      <BritishDatePicker
        label="New last day"
        size="small"
        value={to}
        onChange={(value) => setTo(value)}
        error={to !== absence.to && !!error}
        helperText={
          to !== absence.to && error
            ? error
            : to <= today && to !== absence.to
              ? 'Today or earlier ends the leave now'
              : ' '
        } min={absence.from} max={absence.to} testId="shorten-to"
      />
      <MuiButton type="submit" variant="outlined" startIcon={<EventAvailableIcon />} disabled={busy || !!error} data-testid="shorten-leave">
        Shorten leave
      </MuiButton>
    </Box>
  );
}

function AbsenceDetail() {
  const absence = useRecordContext<Absence>();
  const isLeader = useIsLeader();
  if (!absence) return null;
  return (
    <Box sx={{ display: 'grid', gap: 2, gridTemplateColumns: { xs: '1fr', md: 'minmax(0, 1fr) minmax(0, 1fr)' }, alignItems: 'start' }}>
      <Panel title="Leave" testId="absence-summary">
        <Labelled label="Who">{absence.staffName}</Labelled>
        <Box sx={{ display: 'grid', gridTemplateColumns: 'repeat(2, minmax(0, 1fr))', columnGap: 3 }}>
          <Labelled label="First day">{formatDate(absence.from)}</Labelled>
          <Labelled label="Last day">
            <span data-testid="absence-to">{formatDate(absence.to)}</span>
          </Labelled>
          <Labelled label="Status">
            <AbsenceStatusChip status={absence.status} />
          </Labelled>
          <Labelled label="Recorded">{formatDateTime(absence.createdAt)}</Labelled>
        </Box>
        <Labelled label="Their open work goes">{labelFor(handoverLabels, absence.handover)}</Labelled>
        <Labelled label="Cover">
          <CoverText absence={absence} />
        </Labelled>
        <Labelled label="When they return">
          {absence.returnOnEnd ? 'Moved items still open go back to them' : 'Moved items stay where they are'}
        </Labelled>
        <Labelled label="Reason">{absence.reason}</Labelled>
      </Panel>
      <Box sx={{ display: 'grid', gap: 2 }}>
        {isLeader && canChange(absence) ? (
          <Panel title="Change the dates" testId="absence-shorten">
            <ShortenLeave key={absence.to} absence={absence} />
          </Panel>
        ) : null}
        {isLeader ? (
          <Panel title="History" testId="absence-history">
            <AuditTrail entityId={absence.id} />
          </Panel>
        ) : null}
      </Box>
    </Box>
  );
}

function AbsenceShowActions() {
  return (
    <TopToolbar sx={{ gap: 1 }}>
      <Button label="Leave and cover" to="/absences" startIcon={<ArrowBackIcon />} />
      <CancelLeaveButton />
    </TopToolbar>
  );
}

export function AbsenceShow() {
  return (
    <Show title={<AbsenceTitle />} actions={<AbsenceShowActions />} sx={{ '& .RaShow-card': { p: 2 } }}>
      <AbsenceDetail />
    </Show>
  );
}
