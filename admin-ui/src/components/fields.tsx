// Small read-only pieces used on every list and page.
import { Box, Chip, Typography } from '@mui/material';
import type { SxProps, Theme } from '@mui/material';
import type { MouseEvent, ReactNode } from 'react';
import { Link, useRecordContext } from 'react-admin';
import type { ReferralPriority } from '../types';
import { daysFromToday, formatDate, formatDateTime, isPast } from './dates';
import { labelFor, priorityLabels } from './labels';
import { displayNhsNumber } from './nhs-number';
import { plural } from './notices';

// Within this many days of the breach date the RTT clock turns red [brief: 14 days].
export const breachWarningDays = 14;

const priorityColour: Record<ReferralPriority, 'error' | 'warning' | 'default'> = {
  two_week_wait: 'error',
  urgent: 'warning',
  routine: 'default',
};

export function PriorityChip({ priority }: { priority: ReferralPriority | null | undefined }) {
  if (!priority) return null;
  return (
    <Chip
      size="small"
      label={labelFor(priorityLabels, priority)}
      color={priorityColour[priority] ?? 'default'}
      data-priority={priority}
    />
  );
}

function get(record: Record<string, unknown> | undefined, source: string): unknown {
  return source.split('.').reduce<unknown>(
    (value, key) => (value != null && typeof value === 'object' ? (value as Record<string, unknown>)[key] : undefined),
    record,
  );
}

export function PriorityField({ source = 'priority' }: { source?: string; label?: string }) {
  const record = useRecordContext();
  return <PriorityChip priority={get(record, source) as ReferralPriority | undefined} />;
}

/** A calendar date, dd/mm/yyyy. */
export function DateText({ source }: { source: string; label?: string }) {
  const record = useRecordContext();
  const value = get(record, source) as string | null | undefined;
  return <Typography component="span" variant="body2">{formatDate(value)}</Typography>;
}

/** An instant, dd/mm/yyyy HH:mm. */
export function DateTimeText({ source }: { source: string; label?: string }) {
  const record = useRecordContext();
  const value = get(record, source) as string | null | undefined;
  return <Typography component="span" variant="body2">{formatDateTime(value)}</Typography>;
}

/** A work item's due time, red once it has passed. */
export function DueText({ value }: { value: string | null | undefined }) {
  if (!value) return null;
  const overdue = isPast(value);
  return (
    <Typography
      component="span"
      variant="body2"
      color={overdue ? 'error' : undefined}
      sx={overdue ? { fontWeight: 600 } : undefined}
      data-overdue={overdue ? 'true' : undefined}
      title={overdue ? 'Overdue' : undefined}
    >
      {formatDateTime(value)}
    </Typography>
  );
}

export function DueField({ source = 'dueAt' }: { source?: string; label?: string }) {
  const record = useRecordContext();
  return <DueText value={get(record, source) as string | null | undefined} />;
}

/** A breach date, red from 14 days before it. */
export function BreachDateText({ value }: { value: string | null | undefined }) {
  if (!value) return null;
  const days = daysFromToday(value);
  const near = days != null && days <= breachWarningDays;
  const title =
    days == null ? undefined : days < 0 ? `Breached ${plural(-days, 'day')} ago` : days === 0 ? 'Breaches today' : `${plural(days, 'day')} to breach`;
  return (
    <Typography
      component="span"
      variant="body2"
      color={near ? 'error' : undefined}
      sx={near ? { fontWeight: 600 } : undefined}
      data-near-breach={near ? 'true' : undefined}
      title={title}
    >
      {formatDate(value)}
    </Typography>
  );
}

export function BreachDateField({ source = 'breachDate' }: { source?: string; label?: string }) {
  const record = useRecordContext();
  return <BreachDateText value={get(record, source) as string | null | undefined} />;
}

export function NhsNumberText({ value }: { value: string | null | undefined }) {
  if (!value) return null;
  return (
    <Typography component="span" variant="body2" sx={{ fontVariantNumeric: 'tabular-nums', whiteSpace: 'nowrap' }}>
      {displayNhsNumber(value)}
    </Typography>
  );
}

export function NhsNumberField({ source = 'nhsNumber' }: { source?: string; label?: string }) {
  const record = useRecordContext();
  return <NhsNumberText value={get(record, source) as string | null | undefined} />;
}

/** Patient name over their NHS number, as on a PTL; with `patientId` the name opens the patient page. */
export function PatientText({ name, nhsNumber, patientId }: { name: string | null | undefined; nhsNumber: string | null | undefined; patientId?: string | null }) {
  if (!name && !nhsNumber) return null;
  return (
    <Box sx={{ display: 'flex', flexDirection: 'column' }}>
      {patientId && name ? (
        <Link to={`/patients/${encodeURIComponent(patientId)}/show`} variant="body2" data-testid="patient-link" onClick={(event: MouseEvent) => event.stopPropagation()}>
          {name}
        </Link>
      ) : (
        <Typography component="span" variant="body2">{name}</Typography>
      )}
      {nhsNumber ? (
        <Typography component="span" variant="caption" color="text.secondary" sx={{ fontVariantNumeric: 'tabular-nums' }}>
          NHS {displayNhsNumber(nhsNumber)}
        </Typography>
      ) : null}
    </Box>
  );
}

/** A labelled value inside a summary panel. */
export function Labelled({ label, children, sx }: { label: string; children: ReactNode; sx?: SxProps<Theme> }) {
  return (
    <Box sx={{ mb: 1.5, ...((sx as object) ?? {}) }}>
      <Typography variant="caption" color="text.secondary" component="div">
        {label}
      </Typography>
      <Box sx={{ typography: 'body2' }}>{children == null || children === '' ? '—' : children}</Box>
    </Box>
  );
}

/** A titled card-like panel for show pages. */
export function Panel({ title, children, testId }: { title: string; children: ReactNode; testId?: string }) {
  return (
    <Box
      component="section"
      data-testid={testId}
      sx={{ border: 1, borderColor: 'divider', borderRadius: 1, p: 2, bgcolor: 'background.paper' }}
    >
      <Typography variant="subtitle1" component="h2" sx={{ mb: 1, fontWeight: 600 }}>
        {title}
      </Typography>
      {children}
    </Box>
  );
}
