// Making and revoking system clients of the FHIR API (issue 14). A new client's token is shown once, in a dialog
// with a copy button that says plainly it will not be shown again: only a hash of it is kept. Revoking asks first.
import { useRef, useState } from 'react';
import {
  Alert, Box, Button as MuiButton, Dialog, DialogActions, DialogContent, DialogContentText, DialogTitle, TextField, Typography,
} from '@mui/material';
import AddIcon from '@mui/icons-material/Add';
import BlockIcon from '@mui/icons-material/Block';
import ContentCopyIcon from '@mui/icons-material/ContentCopy';
import { useDataProvider, useRefresh } from 'react-admin';
import type { NewSystemClient, SystemClient } from '../../../api/routes/system-clients';
import { CommandDialog } from '../components/command-dialog';
import { useCommand } from '../components/use-command';
import type { AccessDeskDataProvider } from '../dataProvider';

/** The token of a client just made, once: copy it now or make another client. */
function TokenDialog({ made, onClose }: { made: NewSystemClient | null; onClose: () => void }) {
  const [copied, setCopied] = useState<'copied' | 'select' | null>(null);
  const field = useRef<HTMLInputElement>(null);
  const copy = async () => {
    if (!made) return;
    try {
      await navigator.clipboard.writeText(made.token);
      setCopied('copied');
    } catch {
      // No clipboard (an insecure page, or refused): select it so Ctrl+C takes it.
      field.current?.select();
      setCopied('select');
    }
  };
  const close = () => { setCopied(null); onClose(); };
  return (
    <Dialog open={made != null} onClose={(_e, reason) => { if (reason !== 'backdropClick') close(); }} fullWidth maxWidth="sm"
      aria-labelledby="system-client-token-title" data-testid="system-client-token-dialog">
      <DialogTitle id="system-client-token-title">Token for {made?.name}</DialogTitle>
      <DialogContent>
        <Alert severity="warning" sx={{ mb: 2 }} data-testid="system-client-token-warning">
          Copy this token now and give it to the system’s owner: you will not see it again. Access Desk keeps only a
          fingerprint of it, so a lost token cannot be shown again; revoke this client and make a new one instead.
        </Alert>
        <TextField
          label="Bearer token for the FHIR API"
          value={made?.token ?? ''}
          fullWidth
          inputRef={field}
          slotProps={{ htmlInput: { readOnly: true, 'data-testid': 'system-client-token', spellCheck: false, style: { fontFamily: 'monospace' } } }}
          onFocus={(e) => e.target.select()}
        />
        <Box sx={{ mt: 1, display: 'flex', alignItems: 'center', gap: 2 }}>
          <MuiButton variant="outlined" startIcon={<ContentCopyIcon />} onClick={() => void copy()} data-testid="system-client-token-copy">
            Copy token
          </MuiButton>
          <Typography variant="body2" role="status" color="text.secondary" data-testid="system-client-token-copied">
            {copied === 'copied' ? 'Copied to the clipboard' : copied === 'select' ? 'Selected: press Ctrl+C to copy it' : ''}
          </Typography>
        </Box>
        <DialogContentText sx={{ mt: 2 }}>
          The system sends it as <code>Authorization: Bearer …</code> to <code>/fhir</code>; it reads the FHIR API and nothing else.
        </DialogContentText>
      </DialogContent>
      <DialogActions>
        <MuiButton variant="contained" onClick={close} data-testid="system-client-token-done">I have copied it</MuiButton>
      </DialogActions>
    </Dialog>
  );
}

export function NewSystemClientButton() {
  const dataProvider = useDataProvider<AccessDeskDataProvider>();
  const refresh = useRefresh();
  const [open, setOpen] = useState(false);
  const [name, setName] = useState('');
  const [made, setMade] = useState<NewSystemClient | null>(null);
  return (
    <>
      <MuiButton size="small" startIcon={<AddIcon />} onClick={() => setOpen(true)} data-testid="system-client-new">New system client</MuiButton>
      <CommandDialog
        open={open}
        title="New system client"
        submitLabel="Make client and token"
        testId="system-client-create"
        onClose={() => { setOpen(false); setName(''); }}
        validate={(): Record<string, string> => (name.trim() ? {} : { name: 'Give the system a name' })}
        send={async () => { setMade((await dataProvider.createSystemClient(name.trim())).data); }}
        onDone={() => { setOpen(false); setName(''); refresh(); }}
      >
        {(errors) => (
          <>
            <DialogContentText>
              Another hospital system (radiology booking, the theatre system) gets a token to read patients, referrals,
              appointments and slots from the FHIR API. Name it as the access centre knows it.
            </DialogContentText>
            <TextField
              label="Name of the system"
              value={name}
              onChange={(e) => setName(e.target.value)}
              error={Boolean(errors.name)}
              helperText={errors.name ?? 'e.g. Radiology booking system'}
              autoFocus
              required
              slotProps={{ htmlInput: { maxLength: 200, 'data-testid': 'system-client-name' } }}
            />
          </>
        )}
      </CommandDialog>
      <TokenDialog made={made} onClose={() => setMade(null)} />
    </>
  );
}

/** Revoke, after a confirm that says what stops. */
export function RevokeSystemClientButton({ client }: { client: Pick<SystemClient, 'id' | 'name' | 'revokedAt'> }) {
  const { dataProvider, run, busy } = useCommand();
  const [open, setOpen] = useState(false);
  if (client.revokedAt) return null;
  return (
    <>
      <MuiButton size="small" color="error" startIcon={<BlockIcon />} onClick={() => setOpen(true)}
        aria-label={`Revoke ${client.name}`} data-testid="system-client-revoke">
        Revoke
      </MuiButton>
      <Dialog open={open} onClose={() => setOpen(false)} aria-labelledby={`revoke-${client.id}-title`} data-testid="system-client-revoke-dialog">
        <DialogTitle id={`revoke-${client.id}-title`}>Revoke {client.name}?</DialogTitle>
        <DialogContent>
          <DialogContentText>
            Its token is refused from now on: the system can no longer read from the FHIR API. This cannot be undone; to
            give it access again, make a new client.
          </DialogContentText>
        </DialogContent>
        <DialogActions>
          <MuiButton onClick={() => setOpen(false)}>Keep it</MuiButton>
          <MuiButton color="error" variant="contained" disabled={busy} data-testid="system-client-revoke-confirm"
            onClick={async () => { if (await run(() => dataProvider.revokeSystemClient(client.id), `${client.name} revoked: its token no longer works`)) setOpen(false); }}>
            Revoke
          </MuiButton>
        </DialogActions>
      </Dialog>
    </>
  );
}
