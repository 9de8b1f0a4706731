// A clinic's week: each day's morning and afternoon sessions with their slots booked, free and blocked
// (by slot type), the session changes on them, and, for team leaders, Cancel session / Reduce session.
// ← and → move a week, t comes back to this week.
import { useCallback, useState } from 'react';
import { Alert, Box, Button, Chip, IconButton, Tooltip, Typography } from '@mui/material';
import ChevronLeftIcon from '@mui/icons-material/ChevronLeft';
import ChevronRightIcon from '@mui/icons-material/ChevronRight';
import { Link, Title, useDataProvider } from 'react-admin';
import { useLocation, useNavigate, useParams } from 'react-router';
import { useQuery } from '@tanstack/react-query';
import { clinicSessionLabels, sessionChangeKindLabels, sessionChangeStatusLabels, slotTypeLabels } from '../../../domain/labels';
import type { SessionChangeKind } from '../../../domain/model';
import type { CalendarDay, CalendarSession, ClinicCalendar } from '../change-types';
import { formatTime, londonToday } from '../components/dates';
import { errorMessage } from '../components/http-errors';
import { Kbd } from '../components/keyed-table';
import { labelFor } from '../components/labels';
import { useIsLeader } from '../components/roles';
import type { AccessDeskDataProvider } from '../dataProvider';
import { SessionChangeDialog, type SessionTarget } from '../session-changes/session-change-dialog';
import { useShortcut } from '../tasks/row-keys';
import { shiftWeek, utilisationParts, utilisationWords, weekFromSearch, weekLabel } from './calendar-weeks';

export const clinicCalendarPath = (clinicId: string, week?: string) =>
  `/clinics/${encodeURIComponent(clinicId)}/calendar${week ? `?week=${week}` : ''}`;

const barColour = { booked: 'primary.main', free: 'success.light', blocked: 'warning.main' } as const;
const weekdayName = new Intl.DateTimeFormat('en-GB', { weekday: 'long', day: 'numeric', month: 'short', timeZone: 'UTC' });

function UtilisationBar({ session }: { session: CalendarSession }) {
  const words = utilisationWords(session);
  return (
    <Box role="img" aria-label={words} title={words} sx={{ display: 'flex', height: 10, borderRadius: 1, overflow: 'hidden', bgcolor: 'action.hover' }}>
      {utilisationParts(session).map((part) =>
        part.count > 0 ? <Box key={part.key} sx={{ width: `${part.percent}%`, bgcolor: barColour[part.key] }} /> : null,
      )}
    </Box>
  );
}

function SessionCell({ day, session, clinicId, clinicName, onChange }: {
  day: CalendarDay; session: CalendarSession; clinicId: string; clinicName: string;
  onChange: (target: SessionTarget, kind: SessionChangeKind) => void;
}) {
  const leader = useIsLeader();
  const { start, end } = session;
  const past = end != null && new Date(end).getTime() < Date.now();
  const target: SessionTarget | null = start && end ? { clinicId, clinicName, date: day.date, session: session.session, start, end } : null;
  // Every slot blocked (or none left): nothing more to cancel or reduce.
  const open = session.total > session.blocked;
  return (
    <Box
      component="section"
      aria-label={`${labelFor(clinicSessionLabels, session.session)} ${day.date}`}
      data-testid="calendar-session"
      data-date={day.date}
      data-session={session.session}
      sx={{ border: 1, borderColor: 'divider', borderRadius: 1, p: 1, display: 'grid', gap: 0.75, opacity: past ? 0.7 : 1 }}
    >
      <Typography variant="body2" sx={{ fontWeight: 600 }}>
        {labelFor(clinicSessionLabels, session.session)}{start && end ? ` ${formatTime(start)}–${formatTime(end)}` : ''}
      </Typography>
      <UtilisationBar session={session} />
      <Typography variant="caption" data-testid="calendar-session-counts" data-booked={session.booked} data-free={session.free} data-blocked={session.blocked}>
        {utilisationWords(session)}
      </Typography>
      <Box component="ul" sx={{ m: 0, pl: 2, typography: 'caption', color: 'text.secondary' }}>
        {session.byType.map((type) => (
          <li key={type.slotType}>
            {labelFor(slotTypeLabels, type.slotType)}: {type.booked}/{type.total} booked{type.blocked > 0 ? `, ${type.blocked} blocked` : ''}
          </li>
        ))}
      </Box>
      {session.changes.length > 0 ? (
        <Box sx={{ display: 'flex', gap: 0.5, flexWrap: 'wrap' }}>
          {session.changes.map((change) => (
            <Chip
              key={change.id}
              size="small"
              color={change.status === 'proposed' ? 'warning' : 'default'}
              component={Link}
              to={`/session-changes/${encodeURIComponent(change.id)}/show`}
              clickable
              label={`${labelFor(sessionChangeKindLabels, change.kind)}: ${labelFor(sessionChangeStatusLabels, change.status)}`}
              data-testid="calendar-session-change"
            />
          ))}
        </Box>
      ) : null}
      {leader && target && !past && open ? (
        <Box sx={{ display: 'flex', gap: 1, flexWrap: 'wrap' }}>
          <Button size="small" color="error" variant="outlined" onClick={() => onChange(target, 'cancel')} data-testid="calendar-cancel-session">
            Cancel session
          </Button>
          <Button size="small" variant="outlined" onClick={() => onChange(target, 'reduce')} data-testid="calendar-reduce-session">
            Reduce…
          </Button>
        </Box>
      ) : null}
    </Box>
  );
}

function WeekGrid({ calendar, onChange }: { calendar: ClinicCalendar; onChange: (target: SessionTarget, kind: SessionChangeKind) => void }) {
  // Weekdays always; a weekend day only when the clinic has a session on it.
  const days = calendar.days.filter((day, i) => i < 5 || day.sessions.length > 0);
  return (
    <Box sx={{ display: 'grid', gap: 1, gridTemplateColumns: { xs: '1fr', md: `repeat(${days.length}, minmax(0, 1fr))` } }} data-testid="calendar-week">
      {days.map((day) => (
        <Box key={day.date} data-testid="calendar-day" data-date={day.date} sx={{ display: 'grid', gap: 1, alignContent: 'start' }}>
          <Typography variant="subtitle2" component="h3" sx={{ fontWeight: day.date === londonToday() ? 700 : 500 }}>
            {weekdayName.format(new Date(`${day.date}T00:00:00Z`))}
            {day.date === londonToday() ? ' (today)' : ''}
          </Typography>
          {day.sessions.length === 0 ? <Typography variant="caption" color="text.secondary">No sessions</Typography> : null}
          {day.sessions.map((session) => (
            <SessionCell key={session.session} day={day} session={session} clinicId={calendar.clinicId} clinicName={calendar.clinicName} onChange={onChange} />
          ))}
        </Box>
      ))}
    </Box>
  );
}

export function ClinicCalendarPage() {
  const { id = '' } = useParams();
  const location = useLocation();
  const navigate = useNavigate();
  const dataProvider = useDataProvider<AccessDeskDataProvider>();
  const week = weekFromSearch(location.search, londonToday());
  const [change, setChange] = useState<{ target: SessionTarget; kind: SessionChangeKind } | null>(null);
  const { data: calendar, error, isPending } = useQuery({
    queryKey: ['clinics', 'calendar', id, week],
    queryFn: () => dataProvider.getClinicCalendar(id, week).then((answer) => answer.data),
    enabled: id !== '',
  });

  const goTo = useCallback((to: string) => navigate(clinicCalendarPath(id, to)), [navigate, id]);
  useShortcut(['ArrowLeft', 'ArrowRight', 't'], useCallback((key: string) => {
    if (key === 't') goTo(shiftWeek(londonToday(), 0));
    else goTo(shiftWeek(week, key === 'ArrowLeft' ? -1 : 1));
  }, [goTo, week]));

  return (
    <Box sx={{ p: 2, display: 'grid', gap: 2 }} data-testid="clinic-calendar">
      <Title title={calendar ? `Calendar: ${calendar.clinicName}` : 'Clinic calendar'} />
      <Box sx={{ display: 'flex', alignItems: 'center', gap: 1, flexWrap: 'wrap' }}>
        <Tooltip title="Previous week (←)">
          <IconButton aria-label="Previous week" onClick={() => goTo(shiftWeek(week, -1))} data-testid="calendar-previous"><ChevronLeftIcon /></IconButton>
        </Tooltip>
        <Typography variant="h6" component="h2" data-testid="calendar-week-label" data-week={week}>Week of {weekLabel(week)}</Typography>
        <Tooltip title="Next week (→)">
          <IconButton aria-label="Next week" onClick={() => goTo(shiftWeek(week, 1))} data-testid="calendar-next"><ChevronRightIcon /></IconButton>
        </Tooltip>
        <Button size="small" onClick={() => goTo(shiftWeek(londonToday(), 0))}>This week</Button>
        <Box sx={{ ml: 'auto', display: 'flex', gap: 1 }}>
          <Button size="small" component={Link} to={`/clinics/${encodeURIComponent(id)}/templates`}>Template</Button>
          <Button size="small" component={Link} to={`/session-changes?filter=${encodeURIComponent(JSON.stringify({ clinicId: id }))}`}>Session changes</Button>
          <Button size="small" component={Link} to={`/clinics/${encodeURIComponent(id)}/show`}>Clinic</Button>
        </Box>
      </Box>
      {error ? <Alert severity="error">{errorMessage(error, 'Could not load the calendar')}</Alert> : null}
      {isPending && !error ? <Typography variant="body2">Loading…</Typography> : null}
      {calendar ? <WeekGrid calendar={calendar} onChange={(target, kind) => setChange({ target, kind })} /> : null}
      <Typography variant="caption" color="text.secondary" data-testid="key-hint">
        Keys: <Kbd>←</Kbd>/<Kbd>→</Kbd> previous/next week · <Kbd>t</Kbd> this week · <Kbd>Tab</Kbd> reaches each session’s actions
      </Typography>
      {change ? <SessionChangeDialog target={change.target} kind={change.kind} onClose={() => setChange(null)} /> : null}
    </Box>
  );
}
