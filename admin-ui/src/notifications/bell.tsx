// The bell (issue 12): my unread notifications in the app bar, with their count; the list opens as a menu (arrow
// keys move, Enter opens the item and marks it read). Polled every 30 seconds, and afresh when the window regains focus.
import { useState, type MouseEvent } from 'react';
import { Badge, Divider, IconButton, ListItemText, Menu, MenuItem, Tooltip, Typography } from '@mui/material';
import NotificationsIcon from '@mui/icons-material/Notifications';
import { useQuery, useQueryClient } from '@tanstack/react-query';
import { useDataProvider, useNavigate } from 'react-admin';
import { formatDateTime } from '../components/dates';
import type { AccessDeskDataProvider } from '../dataProvider';
import type { StaffNotification } from '../types';

const POLL_MS = 30_000;
const SHOWN = 10;
const unreadKey = ['notifications', 'unread'];

/** Where a notification leads: its work item, its referral, or My work for many items at once. */
const linkOf = (n: StaffNotification) =>
  n.taskId ? `/tasks/${encodeURIComponent(n.taskId)}/show` : n.referralId ? `/referrals/${encodeURIComponent(n.referralId)}/show` : '/';

export function NotificationBell() {
  const dataProvider = useDataProvider<AccessDeskDataProvider>();
  const queryClient = useQueryClient();
  const navigate = useNavigate();
  const [anchor, setAnchor] = useState<HTMLElement | null>(null);
  const { data } = useQuery({
    queryKey: unreadKey,
    queryFn: () => dataProvider.getList<StaffNotification>('notifications', {
      filter: { read: false }, sort: { field: 'createdAt', order: 'DESC' }, pagination: { page: 1, perPage: SHOWN },
    }),
    refetchInterval: POLL_MS,
    refetchOnWindowFocus: true,
  });
  const count = data?.total ?? 0;
  const items = data?.data ?? [];
  const refresh = () => queryClient.invalidateQueries({ queryKey: unreadKey });
  const open = (n: StaffNotification) => {
    setAnchor(null);
    void dataProvider.readNotification(n.id).finally(refresh);
    navigate(linkOf(n));
  };
  const readAll = () => {
    setAnchor(null);
    void dataProvider.readAllNotifications().finally(refresh);
  };
  // The badge's number is inside the button, so the name says it as shown (WCAG 2.5.3); no badge, no number, at 0.
  const shown = count > 99 ? '99+' : String(count);
  const label = count ? `Notifications: ${shown} unread` : 'Notifications: none unread';
  return (
    <>
      <Tooltip title={label}>
        <IconButton color="inherit" aria-label={label} aria-haspopup="menu" aria-controls={anchor ? 'notification-menu' : undefined}
          onClick={(event: MouseEvent<HTMLElement>) => { setAnchor(event.currentTarget); void refresh(); }} data-testid="bell" data-count={count}>
          {/* No badge at 0: a hidden badge keeps its last number in the button's text. */}
          {count ? <Badge badgeContent={shown} color="error"><NotificationsIcon /></Badge> : <NotificationsIcon />}
        </IconButton>
      </Tooltip>
      <Menu id="notification-menu" anchorEl={anchor} open={anchor !== null} onClose={() => setAnchor(null)}
        slotProps={{ paper: { sx: { width: 380, maxWidth: '90vw' } }, list: { 'aria-label': 'Notifications', dense: true } }}>
        {items.length === 0 ? (
          <MenuItem disabled>Nothing new</MenuItem>
        ) : items.map((n) => (
          <MenuItem key={n.id} onClick={() => open(n)} data-testid="bell-item" sx={{ whiteSpace: 'normal', alignItems: 'flex-start' }}>
            <ListItemText
              primary={n.title}
              secondary={[n.patientName, n.body, formatDateTime(n.createdAt)].filter(Boolean).join(' · ')}
              slotProps={{ secondary: { color: 'text.secondary' } }}
            />
          </MenuItem>
        ))}
        {count > items.length ? <MenuItem disabled>{`${count - items.length} more not shown`}</MenuItem> : null}
        {items.length ? <Divider /> : null}
        {items.length ? (
          <MenuItem onClick={readAll} data-testid="bell-read-all">
            <Typography variant="body2" color="primary" sx={{ fontWeight: 600 }}>Mark all read</Typography>
          </MenuItem>
        ) : null}
      </Menu>
    </>
  );
}
