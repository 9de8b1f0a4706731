// What ops do with a message the PAS rejected (AR), once the cause is put right in the PAS: send it again (the same
// control id), or set it aside when the PAS was corrected by hand. Either lets the patient's later messages go.
// Both ask first; the API refuses a message someone else has already dealt with, and the notice says so.
import { useState } from 'react';
import { Button as MuiButton, Dialog, DialogActions, DialogContent, DialogContentText, DialogTitle, TextField } from '@mui/material';
import ReplayIcon from '@mui/icons-material/Replay';
import DoNotDisturbOnIcon from '@mui/icons-material/DoNotDisturbOn';
import { useNotify, useRefresh } from 'react-admin';
import { hl7EventLabels } from '../../../domain/labels';
import { CommandDialog } from '../components/command-dialog';
import { labelFor } from '../components/labels';
import { hasRole, pasFeedRoles, useRole } from '../components/roles';
import { useCommand } from '../components/use-command';
import type { PasMessage } from './pas-message-words';

const what = (m: Pick<PasMessage, 'event' | 'controlId'>) => `${labelFor(hl7EventLabels, m.event)} (${m.controlId})`;

export function ResendPasMessageButton({ message }: { message: PasMessage }) {
  const { dataProvider, run, busy } = useCommand();
  const [open, setOpen] = useState(false);
  return (
    <>
      <MuiButton size="small" startIcon={<ReplayIcon />} onClick={() => setOpen(true)} aria-label={`Send again: ${what(message)}`} data-testid="pas-message-resend">
        Send again
      </MuiButton>
      <Dialog open={open} onClose={() => setOpen(false)} aria-labelledby={`resend-${message.id}-title`} data-testid="pas-message-resend-dialog">
        <DialogTitle id={`resend-${message.id}-title`}>Send {what(message)} to the PAS again?</DialogTitle>
        <DialogContent>
          {message.lastError ? <DialogContentText sx={{ mb: 1 }}>The PAS said: “{message.lastError}”.</DialogContentText> : null}
          <DialogContentText>
            Put that right in the PAS first, or it will refuse the message again. It goes with the same control id; this
            patient’s later PAS messages follow once the PAS accepts it.
          </DialogContentText>
        </DialogContent>
        <DialogActions>
          <MuiButton onClick={() => setOpen(false)}>Not yet</MuiButton>
          <MuiButton variant="contained" disabled={busy} data-testid="pas-message-resend-confirm"
            onClick={async () => { if (await run(() => dataProvider.resendPasMessage(message.id), 'Sending the message to the PAS again')) setOpen(false); }}>
            Send again
          </MuiButton>
        </DialogActions>
      </Dialog>
    </>
  );
}

export function SetAsidePasMessageButton({ message }: { message: PasMessage }) {
  const { dataProvider } = useCommand();
  const notify = useNotify();
  const refresh = useRefresh();
  const [open, setOpen] = useState(false);
  const [reason, setReason] = useState('');
  return (
    <>
      <MuiButton size="small" color="warning" startIcon={<DoNotDisturbOnIcon />} onClick={() => setOpen(true)}
        aria-label={`Set aside: ${what(message)}`} data-testid="pas-message-set-aside">
        Set aside
      </MuiButton>
      <CommandDialog
        open={open}
        title={`Set ${what(message)} aside?`}
        submitLabel="Set aside"
        testId="pas-message-set-aside-dialog"
        onClose={() => { setOpen(false); setReason(''); }}
        validate={(): Record<string, string> => (reason.trim().length >= 3 ? {} : { reason: 'Say how the PAS was put right' })}
        send={() => dataProvider.setAsidePasMessage(message.id, reason.trim())}
        onDone={() => { setOpen(false); setReason(''); notify('Message set aside: the patient’s later PAS messages go on', { type: 'info' }); refresh(); }}
      >
        {(errors) => (
          <>
            <DialogContentText>
              Only when the PAS was put right by hand: this message will never be sent, and this patient’s later PAS messages
              go without it.
            </DialogContentText>
            <TextField
              label="How was the PAS put right?"
              value={reason}
              onChange={(e) => setReason(e.target.value)}
              error={Boolean(errors.reason)}
              helperText={errors.reason ?? 'e.g. Booked in the PAS by hand'}
              autoFocus
              required
              multiline
              minRows={2}
              slotProps={{ htmlInput: { maxLength: 1000, 'data-testid': 'pas-message-set-aside-reason' } }}
            />
          </>
        )}
      </CommandDialog>
    </>
  );
}

/** Send again and Set aside, for a rejected message and those who may act on it. */
export function PasMessageActions({ message }: { message: PasMessage }) {
  const { role } = useRole();
  if (message.status !== 'rejected' || !hasRole(role, pasFeedRoles)) return null;
  return (
    <>
      <ResendPasMessageButton message={message} />
      <SetAsidePasMessageButton message={message} />
    </>
  );
}
