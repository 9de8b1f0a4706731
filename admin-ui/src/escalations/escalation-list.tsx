// Escalations: review and capacity escalations still open, for team leaders and ops.
import { Box, Typography } from '@mui/material';
import { List, Pagination } from 'react-admin';
import { WorkItemTable } from '../tasks/work-item-table';
import { escalationFilter, urgentFirst } from '../tasks/work-items';

function NoEscalations() {
  return (
    <Box sx={{ p: 4, textAlign: 'center' }} data-testid="escalations-empty">
      <Typography variant="h6">No open escalations</Typography>
    </Box>
  );
}

export function EscalationList() {
  return (
    <List
      resource="tasks"
      title="Escalations"
      filter={escalationFilter}
      sort={urgentFirst}
      perPage={25}
      storeKey="escalations"
      disableSyncWithLocation
      exporter={false}
      actions={false}
      empty={<NoEscalations />}
      pagination={<Pagination rowsPerPageOptions={[25, 50, 100]} />}
      queryOptions={{ refetchInterval: 60_000 }}
    >
      <WorkItemTable variant="escalations" />
    </List>
  );
}
