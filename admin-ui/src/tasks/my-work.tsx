// My work: the officer's own items and the unassigned ones in their queues, most urgent first.
import { Box, Button, Typography } from '@mui/material';
import PlayArrowIcon from '@mui/icons-material/PlayArrow';
import { List, Pagination, TopToolbar } from 'react-admin';
import { WorkItemTable } from './work-item-table';
import { myWorkFilter, urgentFirst, useClaimAndOpen, useOrderedWorkItems } from './work-items';

// Work arrives while the page is open; look again every half minute.
const refetchInterval = 30_000;

function ClaimNextButton() {
  const rows = useOrderedWorkItems();
  const { claimAndOpen, claiming } = useClaimAndOpen();
  return (
    <Button
      variant="contained"
      size="small"
      startIcon={<PlayArrowIcon />}
      onClick={() => void claimAndOpen(rows[0])}
      disabled={claiming || rows.length === 0}
      data-testid="claim-next"
      title="Claim and open the most urgent item (c)"
    >
      Claim next
    </Button>
  );
}

function MyWorkActions() {
  return (
    <TopToolbar>
      <ClaimNextButton />
    </TopToolbar>
  );
}

function NothingWaiting() {
  return (
    <Box sx={{ p: 4, textAlign: 'center' }} data-testid="my-work-empty">
      <Typography variant="h6">Nothing waiting</Typography>
      <Typography variant="body2" color="text.secondary">
        Your queues are clear. New work items appear here as referrals arrive.
      </Typography>
    </Box>
  );
}

export function MyWork() {
  return (
    <List
      resource="tasks"
      title="My work"
      filter={myWorkFilter}
      sort={urgentFirst}
      perPage={25}
      storeKey="my-work"
      disableSyncWithLocation
      exporter={false}
      actions={<MyWorkActions />}
      empty={<NothingWaiting />}
      pagination={<Pagination rowsPerPageOptions={[25, 50, 100]} />}
      queryOptions={{ refetchInterval }}
    >
      <WorkItemTable variant="my-work" />
    </List>
  );
}
