// The home page (the dashboard route /): what needs me now, by role. Cards on top, each a count that opens the
// list it was counted from; My work below for everyone (leaders, clinicians and ops have work items too).
import { Box, Button, GlobalStyles, Typography } from '@mui/material';
import PhoneInTalkIcon from '@mui/icons-material/PhoneInTalk';
import { Link as RouterLink } from 'react-router';
import { enquiryPath } from '../enquiry';
import { useMemo } from 'react';
import { Title, useGetIdentity } from 'react-admin';
import { addDays } from '../../../domain/dates';
import { formatDate, londonToday } from '../components/dates';
import { hasRole, leaderRoles, useRole } from '../components/roles';
import { MyWork } from '../tasks';
import { openStatuses } from '../tasks/work-items';
import { TeamDashboard } from '../team/team-dashboard';
import type { Role } from '../types';
import { HomeCards, type HomeCardSpec } from './home-card';

/** The cards for a role; `now` fixed when the page opens, so a card's count and its link agree. */
export function homeCards(role: Role | null, me: string, now: Date): HomeCardSpec[] {
  const today = londonToday(now);
  const inAWeek = addDays(today, 7);
  const breaching = (mine: boolean): HomeCardSpec => ({
    key: 'breaching', title: `Breaching by ${formatDate(inAWeek)}`, resource: 'tasks', alert: true,
    hint: mine ? 'Open items in your queues whose patients breach within 7 days, or have breached' : 'Open items whose patients breach within 7 days, or have breached',
    filter: { ...(mine ? { mine: true } : {}), status: openStatuses, breachDate_lte: inAWeek },
  });
  switch (role) {
    case 'team_leader':
      return [
        { key: 'escalations', title: 'Open escalations', hint: 'Reviews and capacity escalations not yet closed', resource: 'tasks', alert: true,
          filter: { type: ['escalation_review', 'capacity_escalation'], status: openStatuses } },
        { key: 'overdue', title: 'Overdue', hint: 'Open work items past their due time, in every queue', resource: 'tasks', alert: true,
          filter: { status: openStatuses, dueAt_lt: now.toISOString() } },
        { key: 'unclaimed', title: 'Not yet claimed', hint: 'Open work items nobody has claimed yet', resource: 'tasks', filter: { status: 'open' } },
        breaching(false),
        { key: 'on-leave', title: 'On leave now', hint: 'Staff whose leave is running, with their cover', resource: 'absences', filter: { status: 'active' } },
      ];
    case 'ops': {
      const yesterday = addDays(today, -1);
      const inFourWeeks = addDays(today, 28);
      return [
        { key: 'capacity', title: 'Capacity escalations', hint: 'Open: no slot could be found in time', resource: 'tasks', alert: true,
          filter: { type: 'capacity_escalation', status: openStatuses } },
        { key: 'breached', title: 'Past the 18-week breach date', hint: 'Patients on the PTL whose breach date has passed', resource: 'ptl', alert: true,
          filter: { breachDate_lte: yesterday } },
        { key: 'breach-week', title: `Breached or breaching by ${formatDate(inAWeek)}`, hint: 'Patients on the PTL breaching within 7 days', resource: 'ptl',
          filter: { breachDate_lte: inAWeek } },
        { key: 'breach-month', title: `Breached or breaching by ${formatDate(inFourWeeks)}`, hint: 'Patients on the PTL breaching within 4 weeks', resource: 'ptl',
          filter: { breachDate_lte: inFourWeeks } },
        { key: 'over-52', title: 'Waiting over 52 weeks', hint: 'Patients on the PTL in week band 53 or later', resource: 'ptl', alert: true,
          filter: { weekBand_gte: 53 } },
      ];
    }
    case 'clinician':
      return [
        { key: 'triage', title: 'Referrals to triage', hint: 'Waiting for your grading in your queues', resource: 'tasks',
          filter: { mine: true, type: 'triage_referral', status: openStatuses } },
        { key: 'dna', title: 'DNA reviews', hint: 'Patients who did not attend, waiting for your decision', resource: 'tasks',
          filter: { mine: true, type: 'dna_review', status: openStatuses } },
        { key: 'clinical', title: 'Clinical reviews', hint: 'Clinical and active monitoring reviews waiting for you', resource: 'tasks',
          filter: { mine: true, type: ['clinical_review', 'active_monitoring_review'], status: openStatuses } },
      ];
    default: // officers and admins: their own work
      return [
        { key: 'claimed', title: 'Claimed by me', hint: 'Items you are working on now', resource: 'tasks', filter: { assigneeId: me, status: 'claimed' } },
        { key: 'waiting', title: 'Waiting in my queues', hint: 'Open items in the queues you work; the most urgent are first in My work below', resource: 'tasks',
          filter: { mine: true, status: 'open' } },
        breaching(true),
      ];
  }
}

const headings: Partial<Record<Role, string>> = {
  team_leader: 'Your team now', ops: 'Capacity and breaches', clinician: 'Waiting for a clinician',
};

export function Home() {
  const { identity, isPending } = useGetIdentity();
  const { role, isPending: rolePending } = useRole();
  const me = identity?.id != null ? String(identity.id) : null;
  // Fixed once: an "overdue" count made at one instant and its list opened at the next would disagree.
  const now = useMemo(() => new Date(), []);
  const cards = useMemo(() => (me ? homeCards(role, me, now) : []), [role, me, now]);
  return (
    <Box data-testid="home" data-role={role ?? undefined}>
      {/* The team dashboard and My work each set the page title too; the home's, rendered first, is the one shown. */}
      <Title title="Home" />
      <GlobalStyles styles={{ '#react-admin-title > :not(:first-child)': { display: 'none' } }} />
      <Typography variant="h5" component="h1" sx={{ mt: 2 }}>{headings[role ?? 'officer'] ?? 'What needs you now'}</Typography>
      {isPending || rolePending || !me ? null : <HomeCards cards={cards} label="What needs you now" />}
      {role === 'officer' ? (
        // Officers take the calls: the Enquiry screen one step away (g then n anywhere).
        <Button component={RouterLink} to={enquiryPath} variant="outlined" startIcon={<PhoneInTalkIcon />} sx={{ mt: 2 }} data-testid="home-enquiry">
          A patient on the phone? Enquiry (g n)
        </Button>
      ) : null}
      {hasRole(role, leaderRoles) && role === 'team_leader' ? <TeamDashboard /> : null}
      <Typography variant="h6" component="h2" sx={{ mt: 3 }}>My work</Typography>
      <MyWork />
    </Box>
  );
}
