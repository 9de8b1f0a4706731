// The communication needs flag (issue 12): the Accessible Information Standard asks for a flag that is "highly
// visible and prompts action", so it sits wherever an officer acts on a patient: work items, the referral, the PTL.
import { Chip, Typography } from '@mui/material';
import RecordVoiceOverIcon from '@mui/icons-material/RecordVoiceOver';
import { interpreterStatusLabels } from '../../../domain/labels';
import { communicationNeedsInWords } from '../../../domain/communication-needs';
import type { InterpreterStatus } from '../../../domain/model';
import type { CommunicationNeeds } from '../../../api/records';

/** The flag, or nothing when the patient needs nothing beyond a standard letter or message; `compact` for a table row. */
export function CommunicationNeedsFlag({ needs, compact = false }: { needs: CommunicationNeeds | undefined; compact?: boolean }) {
  if (!needs) return null;
  const words = communicationNeedsInWords(needs);
  return (
    <Chip
      size="small"
      color="warning"
      icon={<RecordVoiceOverIcon aria-hidden />}
      label={compact ? words : `Communication needs: ${words}`}
      title={`Communication needs: ${words}`}
      data-testid="communication-needs-flag"
      sx={{ fontWeight: 600, maxWidth: compact ? 240 : '100%' }}
    />
  );
}

/** Whether an appointment's interpreter is needed or booked (nothing when none is needed). */
export function InterpreterStatusText({ status, note }: { status: InterpreterStatus; note: string | null }) {
  if (status === 'not_needed') return null;
  return (
    <Typography variant="caption" component="div" data-testid="appointment-interpreter" data-status={status}
      sx={{ fontWeight: 600, color: status === 'needed' ? 'warning.dark' : 'text.secondary' }}>
      {interpreterStatusLabels[status]}{note ? ` (${note})` : ''}
    </Typography>
  );
}
