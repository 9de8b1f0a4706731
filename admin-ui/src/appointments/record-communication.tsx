// Record how and when a patient was told of an appointment (POST /api/appointments/:id/communication):
// the evidence without which a first-appointment DNA cannot nullify the clock.
import { useState } from 'react';
import { Button, TextField } from '@mui/material';
import CampaignIcon from '@mui/icons-material/Campaign';
import { useDataProvider, useNotify, useRefresh } from 'react-admin';
import { CommandDialog } from '../components/command-dialog';
import { choicesFrom, communicationMethodLabels } from '../components/labels';
import { NativeSelectField } from '../components/native-select';
import type { AccessDeskDataProvider } from '../dataProvider';
import type { CommunicationMethod } from '../rtt-types';

/** Now as a datetime-local value (the browser's own time, which is the trust's). */
function localNow(now = new Date()): string {
  const shifted = new Date(now.getTime() - now.getTimezoneOffset() * 60_000);
  return shifted.toISOString().slice(0, 16);
}

export function RecordCommunicationButton({ appointmentId }: { appointmentId: string }) {
  const dataProvider = useDataProvider<AccessDeskDataProvider>();
  const notify = useNotify();
  const refresh = useRefresh();
  const [open, setOpen] = useState(false);
  const [method, setMethod] = useState('');
  const [at, setAt] = useState(localNow());
  return (
    <>
      <Button size="small" startIcon={<CampaignIcon />} onClick={() => { setAt(localNow()); setOpen(true); }} data-testid="communication-open">
        Patient told…
      </Button>
      <CommandDialog
        open={open}
        title="How the patient was told of this appointment"
        submitLabel="Record"
        testId="communication"
        onClose={() => setOpen(false)}
        validate={() => {
          const errors: Record<string, string> = {};
          if (!method) errors.communicatedBy = 'Choose how';
          if (!at || Number.isNaN(new Date(at).getTime())) errors.communicatedAt = 'Say when';
          else if (new Date(at).getTime() > Date.now() + 60_000) errors.communicatedAt = 'Cannot be in the future';
          return errors;
        }}
        send={() => dataProvider.recordAppointmentCommunication(appointmentId, {
          communicatedBy: method as CommunicationMethod,
          communicatedAt: new Date(at).toISOString(),
        })}
        onDone={() => {
          setOpen(false);
          notify('Recorded how the patient was told', { type: 'info' });
          refresh();
        }}
      >
        {(errors) => (
          <>
            <NativeSelectField label="Told by" value={method} onChange={setMethod} testId="communication-method" error={!!errors.communicatedBy} helperText={errors.communicatedBy} fullWidth autoFocus>
              <option value="">Choose…</option>
              {choicesFrom(communicationMethodLabels).map((c) => <option key={c.id} value={c.id}>{c.name}</option>)}
            </NativeSelectField>
            <TextField
              type="datetime-local"
              label="When (sent or said)"
              value={at}
              onChange={(event) => setAt(event.target.value)}
              error={!!errors.communicatedAt}
              helperText={errors.communicatedAt}
              slotProps={{ inputLabel: { shrink: true }, htmlInput: { 'data-testid': 'communication-at' } }}
            />
          </>
        )}
      </CommandDialog>
    </>
  );
}
