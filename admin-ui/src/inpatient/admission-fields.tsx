// Small pieces the admitted screens share: the surgical priority chip, pre-op status, capacity bar.
import { Box, Chip, Typography } from '@mui/material';
import { formatDate } from '../components/dates';
import { labelFor } from '../components/labels';
import type { Admission, SurgicalPriority, TheatreSession } from './inpatient-types';
import { bookedPercent, capacityWords, isUrgentSurgery, preOpStatusLabels, surgicalPriorityLabels } from './inpatient-words';

export const admissionPath = (id: string) => `/admissions/${encodeURIComponent(id)}/show`;
export const tciBookingPath = (admissionId: string) => `/admissions/${encodeURIComponent(admissionId)}/tci`;

export function SurgicalPriorityChip({ priority }: { priority: SurgicalPriority | null | undefined }) {
  if (!priority) return null;
  return (
    <Chip
      size="small"
      label={priority}
      title={labelFor(surgicalPriorityLabels, priority)}
      color={isUrgentSurgery(priority) ? 'error' : priority === 'P2' ? 'warning' : 'default'}
      data-surgical-priority={priority}
    />
  );
}

export function PreOpText({ admission }: { admission: Pick<Admission, 'preOpStatus' | 'preOpValidUntil'> }) {
  const warn = admission.preOpStatus === 'unfit' || admission.preOpStatus === 'expired' || admission.preOpStatus === 'needed';
  return (
    <Box data-pre-op={admission.preOpStatus}>
      <Typography variant="body2" color={warn ? 'warning.dark' : undefined}>{labelFor(preOpStatusLabels, admission.preOpStatus)}</Typography>
      {admission.preOpValidUntil ? (
        <Typography variant="caption" color="text.secondary">valid to {formatDate(admission.preOpValidUntil)}</Typography>
      ) : null}
    </Box>
  );
}

/** Minutes booked and free as a bar with its words (the bar is an image whose name is the words). */
export function CapacityBar({ session }: { session: Pick<TheatreSession, 'minutesAvailable' | 'minutesBooked' | 'minutesFree'> }) {
  const words = capacityWords(session);
  const percent = bookedPercent(session);
  return (
    <Box sx={{ minWidth: 160 }}>
      <Box role="img" aria-label={words} title={words} sx={{ display: 'flex', height: 10, borderRadius: 1, overflow: 'hidden', bgcolor: 'success.light' }}>
        <Box sx={{ width: `${percent}%`, bgcolor: 'primary.main' }} />
      </Box>
      <Typography
        variant="caption"
        data-testid="theatre-capacity"
        data-minutes-booked={session.minutesBooked}
        data-minutes-free={session.minutesFree}
      >
        {words}
      </Typography>
    </Box>
  );
}
