// "Log a call": a call or message with a patient, in or out, how it ended and what was said (POST
// /api/patients/:id/contacts). Used on the patient page and on the Enquiry screen while the patient is on the line.
import { useState } from 'react';
import { Button, TextField } from '@mui/material';
import AddIcCallIcon from '@mui/icons-material/AddIcCall';
import { useDataProvider, useNotify } from 'react-admin';
import { CommandDialog } from '../components/command-dialog';
import { choicesFrom, contactChannelLabels, contactDirectionLabels, contactOutcomeLabels } from '../components/labels';
import { NativeSelectField } from '../components/native-select';
import type { AccessDeskDataProvider } from '../dataProvider';
import type { ContactRequest } from '../types';

export type ContactReferral = { id: string; label: string };

const MAX_SUMMARY = 2000;

export function LogContactButton({ patientId, referrals = [], onDone, testId = 'log-contact' }: {
  patientId: string; referrals?: ContactReferral[]; onDone?: () => void; testId?: string;
}) {
  const dataProvider = useDataProvider<AccessDeskDataProvider>();
  const notify = useNotify();
  const [open, setOpen] = useState(false);
  const blank = { direction: 'inbound', channel: 'phone', outcome: '', summary: '', referralId: referrals.length === 1 ? referrals[0].id : '' };
  const [form, setForm] = useState(blank);
  const set = (field: keyof typeof blank) => (value: string) => setForm((f) => ({ ...f, [field]: value }));
  return (
    <>
      <Button size="small" variant="outlined" startIcon={<AddIcCallIcon />} onClick={() => { setForm(blank); setOpen(true); }} data-testid={`${testId}-open`}>
        Log a call
      </Button>
      <CommandDialog
        open={open}
        title="Log a call or message"
        submitLabel="Log"
        testId={testId}
        onClose={() => setOpen(false)}
        validate={() => {
          const errors: Record<string, string> = {};
          if (!form.outcome) errors.outcome = 'Choose how it ended';
          if (!form.summary.trim()) errors.summary = 'Say what was said or done';
          else if (form.summary.trim().length > MAX_SUMMARY) errors.summary = `At most ${MAX_SUMMARY} characters`;
          return errors;
        }}
        send={() => dataProvider.logContact(patientId, {
          direction: form.direction, channel: form.channel, outcome: form.outcome, summary: form.summary,
          ...(form.referralId ? { referralId: form.referralId } : {}),
        } as ContactRequest)}
        onDone={() => {
          setOpen(false);
          notify('Contact logged', { type: 'info' });
          onDone?.();
        }}
      >
        {(errors) => (
          <>
            <NativeSelectField label="Direction" value={form.direction} onChange={set('direction')} testId={`${testId}-direction`} fullWidth autoFocus>
              {choicesFrom(contactDirectionLabels).map((c) => <option key={c.id} value={c.id}>{c.name}</option>)}
            </NativeSelectField>
            <NativeSelectField label="How" value={form.channel} onChange={set('channel')} testId={`${testId}-channel`} fullWidth>
              {choicesFrom(contactChannelLabels).map((c) => <option key={c.id} value={c.id}>{c.name}</option>)}
            </NativeSelectField>
            {referrals.length ? (
              <NativeSelectField label="About" value={form.referralId} onChange={set('referralId')} testId={`${testId}-referral`} fullWidth
                error={!!errors.referralId} helperText={errors.referralId}>
                <option value="">No one referral</option>
                {referrals.map((r) => <option key={r.id} value={r.id}>{r.label}</option>)}
              </NativeSelectField>
            ) : null}
            <TextField
              label="What was said or done"
              value={form.summary}
              onChange={(event) => set('summary')(event.target.value)}
              multiline
              minRows={3}
              error={!!errors.summary}
              helperText={errors.summary ?? `${form.summary.trim().length} of ${MAX_SUMMARY} characters`}
              slotProps={{ htmlInput: { 'data-testid': `${testId}-summary`, maxLength: MAX_SUMMARY + 200 } }}
            />
            <NativeSelectField label="Outcome" value={form.outcome} onChange={set('outcome')} testId={`${testId}-outcome`} fullWidth
              error={!!errors.outcome} helperText={errors.outcome}>
              <option value="">Choose…</option>
              {choicesFrom(contactOutcomeLabels).map((c) => <option key={c.id} value={c.id}>{c.name}</option>)}
            </NativeSelectField>
          </>
        )}
      </CommandDialog>
    </>
  );
}
