// Record an administrative RTT event outside a clinic (patient died, declined by phone, treated elsewhere
// found at validation, admitted for treatment): POST /api/referrals/:id/rtt-events { code, date, note }.
// A refusal (422: an administrative event only closes an open period) is shown as the API words it.
import { useState } from 'react';
import { Button, TextField } from '@mui/material';
import EventNoteIcon from '@mui/icons-material/EventNote';
import { useDataProvider, useNotify, useRefresh } from 'react-admin';
import { useQueryClient } from '@tanstack/react-query';
import { rttStatusMeanings, type RttStatusCode } from '../../../domain/rtt-clock';
import { administrativeRttCodes } from '../../../domain/rtt-reporting';
import { CommandDialog } from '../components/command-dialog';
import { londonToday } from '../components/dates';
import { NativeSelectField } from '../components/native-select';
import type { AccessDeskDataProvider } from '../dataProvider';
import { BritishDatePicker } from '../components/date-input';

export function codeText(code: number): string {
  const meaning = rttStatusMeanings[code as RttStatusCode];
  return meaning ? `${code}: ${meaning}` : String(code);
}

export function RecordRttEventButton({ referralId, open, onOpenChange }: {
  referralId: string;
  open: boolean;
  onOpenChange: (open: boolean) => void;
}) {
  const dataProvider = useDataProvider<AccessDeskDataProvider>();
  const notify = useNotify();
  const refresh = useRefresh();
  const queryClient = useQueryClient();
  const today = londonToday();
  const [code, setCode] = useState('');
  const [date, setDate] = useState(today);
  const [note, setNote] = useState('');

  return (
    <>
      <Button size="small" startIcon={<EventNoteIcon />} onClick={() => onOpenChange(true)} data-testid="rtt-event-open" title="Record an administrative RTT event (r)">
        Record RTT event
      </Button>
      <CommandDialog
        open={open}
        title="Record an RTT event"
        submitLabel="Record event"
        testId="rtt-event"
        onClose={() => onOpenChange(false)}
        validate={() => {
          const errors: Record<string, string> = {};
          if (!code) errors.code = 'Choose what happened';
          if (!date) errors.date = 'Give the date it happened';
          else if (date > today) errors.date = 'Cannot be in the future';
          return errors;
        }}
        send={() => dataProvider.recordRttEvent(referralId, { code: Number(code), date, ...(note.trim() ? { note: note.trim() } : {}) })}
        onDone={() => {
          onOpenChange(false);
          setCode('');
          setNote('');
          notify('RTT event recorded', { type: 'info' });
          void queryClient.invalidateQueries({ queryKey: ['referrals'] });
          void queryClient.invalidateQueries({ queryKey: ['ptl'] });
          refresh();
        }}
      >
        {(errors) => (
          <>
            <NativeSelectField
              label="Event (RTT status code)"
              value={code}
              onChange={setCode}
              testId="rtt-event-code"
              error={!!errors.code}
              helperText={errors.code ?? 'Each of these closes the open period'}
              fullWidth
              autoFocus
            >
              <option value="">Choose…</option>
              {administrativeRttCodes.map((c) => (
                <option key={c} value={String(c)}>{codeText(c)}</option>
              ))}
            </NativeSelectField>
            <BritishDatePicker
              label="Date it happened"
              value={date}
              onChange={(value) => setDate(value)}
              error={!!errors.date}
              helperText={errors.date} max={today} testId="rtt-event-date"
            />
            <TextField
              label="Note (optional)"
              value={note}
              onChange={(event) => setNote(event.target.value)}
              error={!!errors.note}
              helperText={errors.note ?? 'How it was found out, who said so'}
              multiline
              minRows={2}
              slotProps={{ htmlInput: { 'data-testid': 'rtt-event-note', maxLength: 2000 } }}
            />
          </>
        )}
      </CommandDialog>
    </>
  );
}
