// A small dialog that sends one command: its fields, a plain-words refusal when the API says no (the
// message of a 409 or 422 as written, field errors beside their fields), and Ctrl+Enter to send, as the
// work item forms do. Shared by "Record RTT event" and "Record FDS outcome".
import { useState, type FormEvent, type KeyboardEvent, type ReactNode } from 'react';
import { Alert, Box, Button, Dialog, DialogActions, DialogContent, DialogTitle, Typography } from '@mui/material';
import { fieldErrors } from './http-errors';
import { fieldMessages, refusalMessage } from './messages';

export type FieldErrors = Record<string, string>;

interface CommandDialogProps {
  open: boolean;
  title: string;
  submitLabel: string;
  testId: string;
  onClose: () => void;
  /** Checks the fields; an empty object sends. */
  validate: () => FieldErrors;
  /** Sends the command; throws the API's HttpError when refused. */
  send: () => Promise<unknown>;
  /** Called once the command is done (close, say so, refresh). */
  onDone: () => void;
  /** The fields, given the errors to show beside them. */
  children: (errors: FieldErrors) => ReactNode;
}

/**
 * A command form's sending: checks the fields, sends, and on a refusal keeps the API's field errors for their fields
 * and a plain-words refusal; Ctrl+Enter sends. Used by CommandDialog and by full-page forms such as the TCI booking.
 */
export function useCommandForm({ validate, send, onDone, onRefused }: {
  validate: () => FieldErrors; send: () => Promise<unknown>; onDone: () => void; onRefused?: (error: unknown) => void;
}) {
  const [errors, setErrors] = useState<FieldErrors>({});
  const [refusal, setRefusal] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);

  const reset = () => {
    setErrors({});
    setRefusal(null);
  };

  const submit = async (event?: FormEvent) => {
    event?.preventDefault();
    if (busy) return;
    const found = validate();
    setErrors(found);
    setRefusal(null);
    if (Object.keys(found).length > 0) return;
    setBusy(true);
    try {
      await send();
      setErrors({});
      onDone();
    } catch (error) {
      setErrors(fieldMessages(error));
      setRefusal(refusalMessage(error, { onFields: Object.keys(fieldErrors(error)).every((field) => field !== '(body)') }));
      onRefused?.(error);
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

  return { errors, refusal, busy, submit, onKeyDown, reset };
}

export function CommandDialog({ open, title, submitLabel, testId, onClose, validate, send, onDone, children }: CommandDialogProps) {
  const { errors, refusal, busy, submit, onKeyDown, reset } = useCommandForm({ validate, send, onDone });

  const close = () => {
    reset();
    onClose();
  };

  return (
    // Ctrl+Enter from anywhere in the dialog: a dialog with no fields has focus on itself, outside the form.
    <Dialog open={open} onClose={close} fullWidth maxWidth="sm" aria-labelledby={`${testId}-title`} onKeyDown={onKeyDown}>
      <Box component="form" noValidate onSubmit={(event) => void submit(event)} data-testid={testId}>
        <DialogTitle id={`${testId}-title`}>{title}</DialogTitle>
        <DialogContent>
          <Box sx={{ pt: 1, display: 'grid', gap: 2 }}>{children(errors)}</Box>
          {refusal ? (
            <Alert severity="error" sx={{ mt: 2 }} data-testid={`${testId}-refusal`} role="alert">
              {refusal}
            </Alert>
          ) : null}
        </DialogContent>
        <DialogActions>
          <Typography variant="caption" color="text.secondary" sx={{ mr: 'auto', pl: 2 }}>
            Ctrl+Enter sends
          </Typography>
          <Button onClick={close}>Cancel</Button>
          <Button type="submit" variant="contained" disabled={busy} data-testid={`${testId}-submit`}>
            {submitLabel}
          </Button>
        </DialogActions>
      </Box>
    </Dialog>
  );
}
