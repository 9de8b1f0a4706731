// Why the clock is where it is (GET /api/referrals/:id/clock): each RTT period with its start, stop and
// days, and under it every dated event: the date, the code and what it means, what caused it, who, the
// rule that decided it and the policy version, and any note.
import { Box, Chip, Typography } from '@mui/material';
import type { ReactNode } from 'react';
import { useDataProvider } from 'react-admin';
import { useQuery } from '@tanstack/react-query';
import { formatDate, formatDateTime } from '../components/dates';
import { BreachDateText, Panel } from '../components/fields';
import { errorMessage, errorStatus } from '../components/http-errors';
import { labelFor, rttEventCauseLabels, rttPeriodStatusLabels } from '../components/labels';
import type { AccessDeskDataProvider } from '../dataProvider';
import type { ClockEvent, ClockPeriod, ReferralClock } from '../rtt-types';
import { codeText } from './record-rtt-event';
import { plural } from '../components/notices';

export const clockQueryKey = (referralId: string) => ['referrals', 'clock', referralId];

export function useReferralClock(referralId: string) {
  const dataProvider = useDataProvider<AccessDeskDataProvider>();
  return useQuery({
    queryKey: clockQueryKey(referralId),
    queryFn: () => dataProvider.getReferralClock(referralId).then((r) => r.data),
    retry: (count, error) => errorStatus(error) !== 404 && count < 2,
  });
}

const statusColour: Record<string, 'success' | 'default' | 'warning' | 'info'> = {
  running: 'warning',
  stopped: 'success',
  nullified: 'default',
  transferred: 'info',
};

function Fact({ label, children }: { label: string; children: ReactNode }) {
  return (
    <Box component="span" sx={{ mr: 2, display: 'inline-block', whiteSpace: 'nowrap' }}>
      <Typography component="span" variant="caption" color="text.secondary">{label} </Typography>
      <Typography component="span" variant="body2">{children}</Typography>
    </Box>
  );
}

function EventItem({ event }: { event: ClockEvent }) {
  const meaning = event.meaning ? `${event.code}: ${event.meaning}` : codeText(event.code);
  return (
    <Box
      component="li"
      data-testid="clock-event"
      data-code={event.code}
      sx={{ display: 'grid', gridTemplateColumns: '6.5rem 1fr', gap: 2, py: 1, borderTop: 1, borderColor: 'divider' }}
    >
      <Typography variant="body2" sx={{ fontVariantNumeric: 'tabular-nums', fontWeight: 600 }}>{formatDate(event.date)}</Typography>
      <Box>
        <Box sx={{ display: 'flex', gap: 1, alignItems: 'center', flexWrap: 'wrap' }}>
          <Chip size="small" variant="outlined" label={`RTT ${event.code}`} />
          <Typography variant="body2" sx={{ fontWeight: 500 }}>{meaning}</Typography>
        </Box>
        <Typography variant="body2" color="text.secondary" component="div">
          {event.causeLabel ?? labelFor(rttEventCauseLabels, event.cause)}
          {event.outcome ? ` (${event.outcome.replace(/_/g, ' ')})` : ''}
          {' · '}
          {event.actor ? event.actor.name : 'recorded by the system'}
          {event.recordedAt ? ` · recorded ${formatDateTime(event.recordedAt)}` : ''}
        </Typography>
        {event.rule ? (
          <Typography variant="body2" component="div" data-testid="clock-event-rule">
            Rule: {event.rule}
          </Typography>
        ) : null}
        {event.policyVersion ? (
          <Typography variant="caption" color="text.secondary" component="div">Policy: {event.policyVersion}</Typography>
        ) : null}
        {event.note ? (
          <Typography variant="body2" component="div" sx={{ mt: 0.5, fontStyle: 'italic' }} data-testid="clock-event-note">
            “{event.note}”
          </Typography>
        ) : null}
      </Box>
    </Box>
  );
}

function PeriodItem({ period, current }: { period: ClockPeriod; current: boolean }) {
  const events = [...(period.events ?? [])].sort((a, b) => (a.date < b.date ? -1 : a.date > b.date ? 1 : 0));
  return (
    <Box component="li" data-testid="clock-period" data-period={period.periodNo} data-status={period.status} sx={{ mb: 2 }}>
      <Box sx={{ display: 'flex', gap: 1, alignItems: 'center', flexWrap: 'wrap', mb: 0.5 }}>
        <Typography variant="subtitle2" component="h3">Period {period.periodNo}</Typography>
        <Chip size="small" color={statusColour[period.status] ?? 'default'} label={labelFor(rttPeriodStatusLabels, period.status)} />
        {current ? <Chip size="small" variant="outlined" label="Current" /> : null}
      </Box>
      <Box sx={{ mb: 0.5 }}>
        <Fact label="Started">{formatDate(period.clockStart)} ({codeText(period.startCode)})</Fact>
        {period.clockStop ? <Fact label={period.status === 'nullified' ? 'Nullified' : period.status === 'transferred' ? 'Transferred' : 'Stopped'}>{formatDate(period.clockStop)}{period.stopCode != null ? ` (code ${period.stopCode})` : ''}</Fact> : null}
        {period.daysWaited != null ? <Fact label={period.clockStop ? 'Waited' : 'Waiting'}>{plural(period.daysWaited, 'day')}</Fact> : null}
        {period.status === 'running' && period.breachDate ? <Fact label="Breach date"><BreachDateText value={period.breachDate} /></Fact> : null}
        {period.ptlOrderStart && period.ptlOrderStart !== period.clockStart ? (
          <Fact label="Place on the PTL kept from">{formatDate(period.ptlOrderStart)}</Fact>
        ) : null}
        {period.decisionToAdmitOn ? <Fact label="Decision to admit">{formatDate(period.decisionToAdmitOn)}</Fact> : null}
        {period.stopAdmitted ? <Fact label="Stop">admitted (Part 1A)</Fact> : null}
      </Box>
      <Box component="ol" sx={{ listStyle: 'none', m: 0, p: 0 }}>
        {events.map((event) => <EventItem key={event.id} event={event} />)}
      </Box>
    </Box>
  );
}

export function ClockTimelineView({ clock }: { clock: ReferralClock }) {
  const periods = [...(clock.periods ?? [])].sort((a, b) => b.periodNo - a.periodNo);
  if (periods.length === 0) return <Typography variant="body2" color="text.secondary">No RTT period yet: the clock has not started.</Typography>;
  return (
    <Box component="ol" sx={{ listStyle: 'none', m: 0, p: 0 }}>
      {periods.map((period) => <PeriodItem key={period.periodNo} period={period} current={clock.current?.periodNo === period.periodNo} />)}
    </Box>
  );
}

export function RttClockTimeline({ referralId, action }: { referralId: string; action?: ReactNode }) {
  const { data, error, isPending } = useReferralClock(referralId);
  return (
    <Panel title="Why the clock is where it is" testId="clock-timeline">
      {action ? <Box sx={{ mt: -1, mb: 1 }}>{action}</Box> : null}
      {error ? (
        <Typography variant="body2" color="error" role="alert">{errorMessage(error, 'Could not load the clock')}</Typography>
      ) : isPending || !data ? (
        <Typography variant="body2" color="text.secondary">Loading the clock…</Typography>
      ) : (
        <ClockTimelineView clock={data as ReferralClock} />
      )}
    </Panel>
  );
}
