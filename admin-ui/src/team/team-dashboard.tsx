// The team at a glance (GET /api/dashboard): each officer's open, claimed, overdue and escalated work,
// who is on leave and who covers, and each queue's depth and oldest item. Rows open the work item
// list filtered to that person or queue; team leaders move work from here.
import {
  Alert,
  Box,
  Button as MuiButton,
  Chip,
  IconButton,
  Table,
  TableBody,
  TableCell,
  TableHead,
  TableRow,
  Typography,
} from '@mui/material';
import MoveDownIcon from '@mui/icons-material/MoveDown';
import RefreshIcon from '@mui/icons-material/Refresh';
import { Link, Title, useDataProvider, useNavigate, useRefresh } from 'react-admin';
import { useQuery } from '@tanstack/react-query';
import { BarChart } from '../components/bar-chart';
import { formatDate, formatDateTime } from '../components/dates';
import { DueText, Panel } from '../components/fields';
import { errorMessage } from '../components/http-errors';
import { absenceStatusLabels, labelFor, roleLabels } from '../components/labels';
import { dashboardRoles, hasRole, leaderRoles, useRole } from '../components/roles';
import type { AccessDeskDataProvider } from '../dataProvider';
import { openStatuses, taskListPath } from '../tasks/work-items';
import type { Absence, Dashboard, DashboardOfficer, DashboardQueue } from '../types';
import { BulkMove } from './bulk-move';
import { useMoveChoices } from './move-choices';

const refetchInterval = 60_000;

const colours = { open: '#005eb8', overdue: '#d5281b', depth: '#005eb8', unassigned: '#ffb81c' };

/** "Covered by Omar Officer", "Back to queue", from the absence if the dashboard row has one. */
function coverText(officer: DashboardOfficer, absences: Dashboard['absences']): string | null {
  const absence =
    absences.find((a) => a.staffId === officer.staffId && a.status === 'active') ??
    absences.find((a) => a.staffId === officer.staffId && a.status === 'planned');
  let name = officer.coveredBy;
  if (!name && absence?.handover === 'cover') name = absence.coverStaffName;
  if (name) return `covered by ${name}`;
  if (absence?.handover === 'queue') return 'work back to queue';
  return null;
}

function LeaveCell({ officer, dashboard }: { officer: DashboardOfficer; dashboard: Dashboard }) {
  const cover = coverText(officer, dashboard.absences ?? []);
  if (!officer.onLeave) {
    const planned = (dashboard.absences ?? []).find((a) => a.staffId === officer.staffId && a.status === 'planned');
    return planned ? (
      <Typography variant="caption" color="text.secondary">
        Leave from {formatDate(planned.from)}
      </Typography>
    ) : (
      <Typography variant="body2" color="text.secondary">—</Typography>
    );
  }
  return (
    <Box data-testid="officer-on-leave">
      <Chip size="small" color="warning" label="On leave" />
      {cover ? (
        <Typography variant="caption" component="div" color="text.secondary">
          {cover}
        </Typography>
      ) : null}
    </Box>
  );
}

// A row opens its filtered list on a click; for the keyboard and screen readers its first cell is a
// link, so the row stays a table row (a row with role="link" loses its cells' headers).
function useRowLink() {
  const navigate = useNavigate();
  return (to: string) => ({
    hover: true,
    sx: { cursor: 'pointer' },
    onClick: () => navigate(to),
  });
}

function Count({ value, alert }: { value: number; alert?: boolean }) {
  return (
    <Typography
      component="span"
      variant="body2"
      color={alert && value > 0 ? 'error' : undefined}
      sx={{ fontVariantNumeric: 'tabular-nums', fontWeight: alert && value > 0 ? 600 : undefined }}
    >
      {value}
    </Typography>
  );
}

function OfficersPanel({ dashboard, canMove, onMoveFrom }: {
  dashboard: Dashboard;
  canMove: boolean;
  onMoveFrom: (staffId: string) => void;
}) {
  const rowLink = useRowLink();
  const officers = dashboard.officers ?? [];
  return (
    <Panel title="Officers" testId="team-officers">
      <BarChart
        title="Open and overdue work items per person"
        testId="officers-chart"
        series={[
          { key: 'open', label: 'Open', colour: colours.open },
          { key: 'overdue', label: 'Overdue', colour: colours.overdue },
        ]}
        rows={officers.map((o) => ({ id: o.staffId, label: o.name, values: { open: o.open, overdue: o.overdue } }))}
      />
      <Table size="small" sx={{ mt: 2 }}>
        <TableHead>
          <TableRow>
            <TableCell>Name</TableCell>
            <TableCell align="right">Open</TableCell>
            <TableCell align="right">Claimed</TableCell>
            <TableCell align="right">Overdue</TableCell>
            <TableCell align="right">Escalated</TableCell>
            <TableCell>Leave</TableCell>
            {canMove ? <TableCell padding="checkbox" /> : null}
          </TableRow>
        </TableHead>
        <TableBody>
          {officers.length === 0 ? (
            <TableRow>
              <TableCell colSpan={canMove ? 7 : 6}>No officers.</TableCell>
            </TableRow>
          ) : null}
          {officers.map((officer) => (
            <TableRow
              key={officer.staffId}
              {...rowLink(taskListPath({ assigneeId: officer.staffId, status: openStatuses }))}
              data-testid="team-officer-row"
              data-id={officer.staffId}
            >
              <TableCell>
                <Typography variant="body2" sx={{ fontWeight: 500, whiteSpace: 'nowrap' }}>
                  <Link to={taskListPath({ assigneeId: officer.staffId, status: openStatuses })} title="Open their work items" onClick={(event: { stopPropagation(): void }) => event.stopPropagation()}>
                    {officer.name}
                  </Link>
                </Typography>
                <Typography variant="caption" color="text.secondary">{labelFor(roleLabels, officer.role)}</Typography>
              </TableCell>
              <TableCell align="right"><Count value={officer.open} /></TableCell>
              <TableCell align="right"><Count value={officer.claimed} /></TableCell>
              <TableCell align="right"><Count value={officer.overdue} alert /></TableCell>
              <TableCell align="right"><Count value={officer.escalated} alert /></TableCell>
              <TableCell><LeaveCell officer={officer} dashboard={dashboard} /></TableCell>
              {canMove ? (
                <TableCell padding="checkbox">
                  <IconButton
                    sx={{ p: 0.5, minWidth: 28, minHeight: 28 }}
                    title={`Move ${officer.name}'s work`}
                    aria-label={`Move ${officer.name}'s work`}
                    disabled={officer.open === 0}
                    data-testid="move-work-from"
                    onClick={(event) => {
                      event.stopPropagation();
                      onMoveFrom(officer.staffId);
                    }}
                    onKeyDown={(event) => event.stopPropagation()}
                  >
                    <MoveDownIcon fontSize="small" />
                  </IconButton>
                </TableCell>
              ) : null}
            </TableRow>
          ))}
        </TableBody>
      </Table>
    </Panel>
  );
}

function QueuesPanel({ queues }: { queues: DashboardQueue[] }) {
  const rowLink = useRowLink();
  return (
    <Panel title="Queues" testId="team-queues">
      <BarChart
        title="Open work items per queue"
        testId="queues-chart"
        series={[
          { key: 'depth', label: 'Depth', colour: colours.depth },
          { key: 'unassigned', label: 'Unassigned', colour: colours.unassigned },
        ]}
        rows={queues.map((q) => ({ id: q.queueId, label: q.name, values: { depth: q.depth, unassigned: q.unassigned } }))}
      />
      <Table size="small" sx={{ mt: 2 }}>
        <TableHead>
          <TableRow>
            <TableCell>Queue</TableCell>
            <TableCell align="right">Depth</TableCell>
            <TableCell align="right">Unassigned</TableCell>
            <TableCell align="right">Overdue</TableCell>
            <TableCell>Oldest due</TableCell>
          </TableRow>
        </TableHead>
        <TableBody>
          {queues.map((queue) => (
            <TableRow
              key={queue.queueId}
              {...rowLink(taskListPath({ queueId: queue.queueId, status: openStatuses }))}
              data-testid="team-queue-row"
              data-id={queue.queueId}
            >
              <TableCell>
                <Link to={taskListPath({ queueId: queue.queueId, status: openStatuses })} title="Open the queue" onClick={(event: { stopPropagation(): void }) => event.stopPropagation()}>
                  {queue.name}
                </Link>
              </TableCell>
              <TableCell align="right"><Count value={queue.depth} /></TableCell>
              <TableCell align="right"><Count value={queue.unassigned} /></TableCell>
              <TableCell align="right"><Count value={queue.overdue} alert /></TableCell>
              <TableCell>
                {queue.oldestDueAt ? (
                  <DueText value={queue.oldestDueAt} />
                ) : queue.oldestCreatedAt ? (
                  <Typography variant="caption" color="text.secondary">
                    waiting since {formatDateTime(queue.oldestCreatedAt)}
                  </Typography>
                ) : (
                  '—'
                )}
              </TableCell>
            </TableRow>
          ))}
        </TableBody>
      </Table>
    </Panel>
  );
}

function LeavePanel({ absences, canRecord }: { absences: Dashboard['absences']; canRecord: boolean }) {
  return (
    <Panel title="Leave and cover" testId="team-leave">
      {absences.length === 0 ? (
        <Typography variant="body2" color="text.secondary">Nobody is on leave or due to be in the next 14 days.</Typography>
      ) : (
        <Box component="ul" sx={{ m: 0, pl: 2 }}>
          {absences.map((absence) => (
            <Box component="li" key={absence.id} sx={{ mb: 0.5 }}>
              <Link to={`/absences/${encodeURIComponent(absence.id)}/show`}>{absence.staffName}</Link>{' '}
              <Typography component="span" variant="body2">
                {formatDate(absence.from)} to {formatDate(absence.to)} ·{' '}
                {absence.handover === 'cover' && absence.coverStaffName ? `covered by ${absence.coverStaffName}` : 'work back to queue'} ·{' '}
                {labelFor(absenceStatusLabels, absence.status)}
              </Typography>
            </Box>
          ))}
        </Box>
      )}
      {canRecord ? (
        <Box sx={{ mt: 1 }}>
          <Link to="/absences/create" data-testid="record-leave">Record leave</Link>
        </Box>
      ) : null}
    </Panel>
  );
}

export function TeamDashboard() {
  const { role, isPending: rolePending } = useRole();
  const allowed = hasRole(role, dashboardRoles);
  const canMove = hasRole(role, leaderRoles);
  const dataProvider = useDataProvider<AccessDeskDataProvider>();
  const refresh = useRefresh();
  const [, setMoveChoices] = useMoveChoices();
  const { data, isPending, error } = useQuery({
    queryKey: ['dashboard'],
    queryFn: () => dataProvider.getDashboard().then((answer) => answer.data),
    enabled: allowed,
    refetchInterval,
  });

  const chooseMoveFrom = (staffId: string) => {
    setMoveChoices({ from: staffId, refusal: null });
    document.querySelector<HTMLElement>('[data-testid="bulk-from"]')?.focus();
  };

  return (
    <Box data-testid="team-dashboard" sx={{ mt: 1 }}>
      <Title title="Team" />
      {rolePending ? null : !allowed ? (
        <Alert severity="info">The team dashboard is for team leaders, ops and admins.</Alert>
      ) : error ? (
        <Alert severity="error">{errorMessage(error, 'Could not load the team dashboard')}</Alert>
      ) : isPending || !data ? (
        <Typography variant="body2" color="text.secondary">Loading…</Typography>
      ) : (
        <>
          <Box sx={{ display: 'flex', justifyContent: 'flex-end', mb: 1 }}>
            <MuiButton size="small" startIcon={<RefreshIcon />} onClick={refresh} data-testid="team-refresh">
              Refresh
            </MuiButton>
          </Box>
          <Box
            sx={{
              display: 'grid',
              gap: 2,
              gridTemplateColumns: { xs: '1fr', lg: 'minmax(0, 3fr) minmax(0, 2fr)' },
              alignItems: 'start',
            }}
          >
            <Box sx={{ display: 'grid', gap: 2 }}>
              <OfficersPanel dashboard={data} canMove={canMove} onMoveFrom={chooseMoveFrom} />
              <QueuesPanel queues={data.queues ?? []} />
            </Box>
            <Box sx={{ display: 'grid', gap: 2 }}>
              {canMove ? <BulkMove officers={data.officers ?? []} /> : null}
              <LeavePanel absences={data.absences ?? []} canRecord={canMove} />
            </Box>
          </Box>
        </>
      )}
    </Box>
  );
}
