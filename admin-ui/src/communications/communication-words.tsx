// A message's status in words, with why when it could not be delivered, and the way to its letter: shared by
// the Outbox, its show page and the Communications panels.
import { Box, Chip, Typography } from '@mui/material';
import PictureAsPdfIcon from '@mui/icons-material/PictureAsPdf';
import type { MouseEvent } from 'react';
import { Link as MuiLink } from '@mui/material';
import { communicationStatusLabels, labelFor } from '../components/labels';
import { formatDateTime } from '../components/dates';
import { communicationLetterUrl } from '../dataProvider';
import type { Communication } from '../types';

const statusColour: Record<Communication['status'], 'default' | 'info' | 'success' | 'error' | 'warning'> = {
  queued: 'default',
  sending: 'info',
  delivered: 'success',
  permanent_failure: 'error',
  technical_failure: 'warning',
  cancelled: 'default',
};

/** When the status happened, as the list says it: delivered at, sent at, due at. */
function statusWhen(message: Communication): string | null {
  if (message.status === 'delivered' && message.deliveredAt) return formatDateTime(message.deliveredAt);
  if (message.status === 'queued' && Date.parse(message.sendAfter) > Date.now()) return `not before ${formatDateTime(message.sendAfter)}`;
  if (message.sentAt && message.status !== 'queued') return `sent ${formatDateTime(message.sentAt)}`;
  return null;
}

export function CommunicationStatus({ message }: { message: Communication }) {
  const when = statusWhen(message);
  return (
    <Box data-testid="communication-status" data-status={message.status}>
      <Chip size="small" color={statusColour[message.status] ?? 'default'} label={labelFor(communicationStatusLabels, message.status)} />
      {when ? <Typography variant="caption" color="text.secondary" component="div">{when}</Typography> : null}
      {message.failureReason ? (
        <Typography variant="caption" color="error" component="div" sx={{ maxWidth: 320 }} data-testid="communication-failure">
          {message.failureReason}
        </Typography>
      ) : null}
    </Box>
  );
}

/** A letter's PDF, opened in a new tab by the browser's own viewer; a link, so Tab and Enter reach it. */
export function LetterLink({ message, label = 'Open the letter (PDF)' }: { message: Pick<Communication, 'id' | 'channel'>; label?: string }) {
  if (message.channel !== 'letter') return null;
  return (
    <MuiLink
      href={communicationLetterUrl(message.id)}
      target="_blank"
      rel="noopener"
      variant="body2"
      data-testid="letter-pdf-link"
      onClick={(event: MouseEvent) => event.stopPropagation()}
      sx={{ display: 'inline-flex', alignItems: 'center', gap: 0.5 }}
    >
      <PictureAsPdfIcon fontSize="small" aria-hidden />
      {label}
      <Box component="span" sx={visuallyHidden}> (opens in a new tab)</Box>
    </MuiLink>
  );
}

const visuallyHidden = {
  position: 'absolute', width: 1, height: 1, p: 0, m: -1, overflow: 'hidden', clip: 'rect(0 0 0 0)', whiteSpace: 'nowrap', border: 0,
} as const;
