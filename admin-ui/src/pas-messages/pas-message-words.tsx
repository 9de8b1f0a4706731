// A PAS message in the access centre's words: what it told the PAS ("Appointment booked", SIU^S12) and what became
// of it, with the PAS's last answer where it matters.
import { Box, Chip, Typography } from '@mui/material';
import type { Hl7MessageRecord } from '../../../api/routes/hl7-messages';
import { hl7EventLabels, hl7MessageTypes, hl7StatusLabels } from '../../../domain/labels';
import { labelFor } from '../components/labels';

export type PasMessage = Hl7MessageRecord;

const colour = { queued: 'default', sending: 'info', acknowledged: 'success', rejected: 'error', set_aside: 'default' } as const;

/** Waiting to send, or waiting to send again after a failed attempt (the PAS said AE, or did not answer). */
export function statusWords(message: Pick<PasMessage, 'status' | 'attempts'>): string {
  if (message.status === 'queued' && message.attempts > 0) return 'Waiting to send again';
  return labelFor(hl7StatusLabels, message.status);
}

export function PasStatusChip({ message }: { message: Pick<PasMessage, 'status' | 'attempts'> }) {
  const retrying = message.status === 'queued' && message.attempts > 0;
  return (
    <Chip size="small" color={retrying ? 'warning' : colour[message.status] ?? 'default'} variant={message.status === 'set_aside' ? 'outlined' : 'filled'}
      label={statusWords(message)} data-status={message.status} />
  );
}

export function PasMessageWhat({ message }: { message: Pick<PasMessage, 'event' | 'controlId'> }) {
  return (
    <Box>
      <Typography variant="body2">{labelFor(hl7EventLabels, message.event)}</Typography>
      <Typography variant="caption" color="text.secondary">{hl7MessageTypes[message.event]} · {message.controlId}</Typography>
    </Box>
  );
}

/** The PAS's last answer: its words when it refused, why a try failed, or how it was set aside. */
export function PasAnswer({ message }: { message: Pick<PasMessage, 'status' | 'lastAck' | 'lastError'> }) {
  if (message.status === 'acknowledged') return <>Accepted</>;
  if (!message.lastError) return <>{message.lastAck ? `Answered ${message.lastAck}` : '—'}</>;
  return (
    <Typography variant="body2" color={message.status === 'rejected' ? 'error' : 'text.primary'} data-testid="pas-message-error">
      {message.lastError}
    </Typography>
  );
}
