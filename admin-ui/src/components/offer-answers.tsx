// What an offer panel shows and asks alike, for appointment offers and TCI (to come in) dates: the Reasonable / Short
// notice chip, the Decline dialog (a reason, and whether declining counts against the patient), and the refresh after.
import { useRef, useState } from 'react';
import { Button, Chip, TextField, Tooltip, Typography } from '@mui/material';
import { useNotify, useRefresh } from 'react-admin';
import { useQueryClient } from '@tanstack/react-query';
import { noticeWords } from '../session-changes/change-words';
import { CommandDialog } from './command-dialog';

/** Reasonable (enough notice) or Short notice, the days of notice on hover. */
export function ReasonableChip({ offer }: { offer: { reasonable: boolean; noticeDays: number } }) {
  return (
    <Tooltip title={noticeWords(offer.noticeDays)}>
      {offer.reasonable
        ? <Chip size="small" color="success" variant="outlined" label="Reasonable" data-reasonable="true" />
        : <Chip size="small" color="warning" variant="outlined" label="Short notice" data-reasonable="false" />}
    </Tooltip>
  );
}

/** After an answer: say how it went, and read again the lists it changed. */
export function useAfterAnswer(resources: readonly string[]) {
  const notify = useNotify();
  const refresh = useRefresh();
  const queryClient = useQueryClient();
  return (words: string) => {
    notify(words, { type: 'info', multiLine: true });
    for (const key of resources) void queryClient.invalidateQueries({ queryKey: [key] });
    refresh();
  };
}

/**
 * Decline, asking why. `send` records it and returns the words to say once done; the ids are `${testId}-open`,
 * `${testId}` (the dialog), `${testId}-reason` and `${testId}-submit`.
 */
export function DeclineOfferButton({ reasonable, title, testId, send, onDone }: {
  reasonable: boolean; title: string; testId: string; send: (reason: string) => Promise<string | null>; onDone: (words: string) => void;
}) {
  const [open, setOpen] = useState(false);
  const [reason, setReason] = useState('');
  const words = useRef<string | null>(null);
  return (
    <>
      <Button size="small" color="warning" onClick={() => { setReason(''); setOpen(true); }} data-testid={`${testId}-open`}>Decline</Button>
      <CommandDialog
        open={open}
        title={title}
        submitLabel="Record decline"
        testId={testId}
        onClose={() => setOpen(false)}
        validate={(): Record<string, string> => (reason.trim().length < 3 ? { reason: 'Say why, in a few words' } : {})}
        send={async () => { words.current = await send(reason.trim()); }}
        onDone={() => {
          setOpen(false);
          if (words.current) onDone(words.current);
        }}
      >
        {(errors) => (
          <>
            <Typography variant="body2">
              {reasonable
                ? 'This was a reasonable offer: a second declined reasonable offer brings a clinical review.'
                : 'This offer was at short notice: declining it does not count against the patient.'}
            </Typography>
            <TextField
              label="Reason"
              value={reason}
              onChange={(event) => setReason(event.target.value)}
              error={!!errors.reason}
              helperText={errors.reason}
              multiline
              minRows={2}
              autoFocus
              slotProps={{ htmlInput: { maxLength: 2000, 'data-testid': `${testId}-reason` } }}
            />
          </>
        )}
      </CommandDialog>
    </>
  );
}
