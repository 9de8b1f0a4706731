// The frame: app bar with the service name, and the menu in the order the day is worked.
import { Alert, Typography } from '@mui/material';
import AssessmentIcon from '@mui/icons-material/Assessment';
import GroupsIcon from '@mui/icons-material/Groups';
import InboxIcon from '@mui/icons-material/Inbox';
import ReportProblemIcon from '@mui/icons-material/ReportProblem';
import PhoneInTalkIcon from '@mui/icons-material/PhoneInTalk';
import InsightsIcon from '@mui/icons-material/Insights';
import type { ReactNode } from 'react';
import { AppBar, Layout, Menu, TitlePortal, UserMenu, useGetIdentity } from 'react-admin';
import { enquiryPath } from '../enquiry';
import { escalationsPath } from '../escalations';
import { NotificationBell } from '../notifications/bell';
import { returnsPath } from '../returns';
import { outlookPath } from '../outlook';
import { useGoToKeys } from './go-to-keys';
import { teamPath } from '../team';
import { adminRoles, dashboardRoles, hasRole, leaderRoles, pasFeedRoles, useRole } from './roles';

// The menu button shows the person's name: its accessible name must contain it (WCAG 2.5.3), not just "Profile".
function NamedUserMenu() {
  const { identity } = useGetIdentity();
  return <UserMenu label={identity?.fullName ? `${identity.fullName}: profile and sign out` : 'Profile'} />;
}

function AccessDeskAppBar() {
  return (
    <AppBar userMenu={<NamedUserMenu />}>
      <Typography variant="h6" component="span" sx={{ mr: 2, fontWeight: 600, whiteSpace: 'nowrap' }}>
        Access Desk
      </Typography>
      <TitlePortal />
      <NotificationBell />
    </AppBar>
  );
}

function AccessDeskMenu() {
  const { role } = useRole();
  const sees = hasRole(role, dashboardRoles);
  const leads = hasRole(role, leaderRoles);
  const pasFeed = hasRole(role, pasFeedRoles);
  const administers = hasRole(role, adminRoles);
  return (
    <Menu>
      <Menu.DashboardItem primaryText="My work" leftIcon={<InboxIcon />} data-testid="menu-my-work" />
      <Menu.Item to={enquiryPath} primaryText="Enquiry" leftIcon={<PhoneInTalkIcon />} data-testid="menu-enquiry" />
      <Menu.Item to={escalationsPath} primaryText="Escalations" leftIcon={<ReportProblemIcon />} data-testid="menu-escalations" />
      {sees ? <Menu.Item to={teamPath} primaryText="Team" leftIcon={<GroupsIcon />} data-testid="menu-team" /> : null}
      {sees ? <Menu.ResourceItem name="tasks" data-testid="menu-tasks" /> : null}
      <Menu.ResourceItem name="ptl" data-testid="menu-ptl" />
      <Menu.ResourceItem name="cancer-ptl" data-testid="menu-cancer-ptl" />
      <Menu.ResourceItem name="admissions" data-testid="menu-admissions" />
      <Menu.ResourceItem name="theatre-sessions" data-testid="menu-theatre-sessions" />
      <Menu.ResourceItem name="stand-by" data-testid="menu-stand-by" />
      <Menu.ResourceItem name="cancelled-operations" data-testid="menu-cancelled-operations" />
      <Menu.ResourceItem name="partial-booking" data-testid="menu-partial-booking" />
      <Menu.ResourceItem name="follow-up-backlog" data-testid="menu-follow-up-backlog" />
      <Menu.Item to={returnsPath} primaryText="Returns" leftIcon={<AssessmentIcon />} data-testid="menu-returns" />
      {sees ? <Menu.Item to={outlookPath} primaryText="Outlook" leftIcon={<InsightsIcon />} data-testid="menu-outlook" /> : null}
      <Menu.ResourceItem name="referrals" data-testid="menu-referrals" />
      <Menu.ResourceItem name="clinics" data-testid="menu-clinics" />
      {leads ? <Menu.ResourceItem name="session-changes" data-testid="menu-session-changes" /> : null}
      <Menu.ResourceItem name="appointments" data-testid="menu-appointments" />
      <Menu.ResourceItem name="cash-up" data-testid="menu-cash-up" />
      <Menu.ResourceItem name="ward-forms" data-testid="menu-ward-forms" />
      <Menu.ResourceItem name="patients" data-testid="menu-patients" />
      <Menu.ResourceItem name="communications" data-testid="menu-outbox" />
      {leads ? <Menu.ResourceItem name="absences" data-testid="menu-absences" /> : null}
      {leads ? <Menu.ResourceItem name="queues" data-testid="menu-queues" /> : null}
      {leads ? <Menu.ResourceItem name="audit" data-testid="menu-audit" /> : null}
      {leads ? <Menu.ResourceItem name="imports" data-testid="menu-imports" /> : null}
      {pasFeed ? <Menu.ResourceItem name="pas-messages" data-testid="menu-pas-messages" /> : null}
      {administers ? <Menu.ResourceItem name="system-clients" data-testid="menu-system-clients" /> : null}
    </Menu>
  );
}

/** Signed in during leave: say so, and where the work went (from /api/me), on every screen. */
function LeaveBanner() {
  const { identity } = useGetIdentity();
  const leave = identity?.leave as { message: string } | null | undefined;
  if (!leave) return null;
  return (
    <Alert severity="warning" role="status" sx={{ mt: 1 }} data-testid="leave-banner">
      {leave.message}
    </Alert>
  );
}

export function AppLayout({ children }: { children: ReactNode }) {
  useGoToKeys();
  return (
    <Layout appBar={AccessDeskAppBar} menu={AccessDeskMenu}>
      <LeaveBanner />
      {children}
    </Layout>
  );
}
