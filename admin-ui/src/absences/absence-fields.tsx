// Small pieces shared by the leave list and page.
import { Chip, Typography } from '@mui/material';
import { absenceStatusLabels, labelFor } from '../components/labels';
import type { Absence } from '../types';

// 'primary' rather than 'info': the info blue on white is below 4.5:1 for a small chip's text.
const statusColour = { planned: 'primary', active: 'warning', ended: 'default', cancelled: 'default' } as const;

export function AbsenceStatusChip({ status }: { status: Absence['status'] }) {
  return (
    <Chip
      size="small"
      variant={status === 'active' ? 'filled' : 'outlined'}
      color={statusColour[status] ?? 'default'}
      label={labelFor(absenceStatusLabels, status)}
      data-status={status}
    />
  );
}

/** "Omar Officer" when someone covers, otherwise the work goes back to the queues. */
export function CoverText({ absence }: { absence: Absence }) {
  if (absence.handover === 'cover' && (absence.coverStaffName || absence.coverStaffId)) {
    return <Typography component="span" variant="body2">{absence.coverStaffName ?? absence.coverStaffId}</Typography>;
  }
  return <Typography component="span" variant="body2" color="text.secondary">Back to queue</Typography>;
}

export const canChange = (absence: Absence | undefined) => absence?.status === 'planned' || absence?.status === 'active';
