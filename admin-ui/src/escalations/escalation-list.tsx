// Escalations: team leaders' reviews and operations' capacity escalations, open by default and most pressing first
// (the work order). Filter by level, priority, specialty, open or closed and "assigned to me"; search by patient
// name or NHS number.
import { Box, Typography } from '@mui/material';
import { BooleanInput, List, SelectInput, TextInput, useGetIdentity } from 'react-admin';
import { ListPagination } from '../components/list-pagination';
import { specialtyFilter } from '../components/filters';
import { choicesFrom, priorityLabels } from '../components/labels';
import { urgentFirst } from '../tasks/work-items';
import { EscalationTable } from './escalation-table';
import { escalatedToChoices, escalationDefaultFilter, escalationListFilter, openChoices } from './escalations';
import { ExportActions } from '../components/download-button';

function NoEscalations() {
  return (
    <Box sx={{ p: 4, textAlign: 'center' }} data-testid="escalations-empty">
      <Typography variant="h6">No open escalations</Typography>
    </Box>
  );
}

function escalationFilters(me: string | undefined) {
  return [
    // A visible label, not a placeholder: it says what the search looks in and names the box for a screen reader.
    <TextInput key="q" source="q" label="Search patient name or NHS number" alwaysOn resettable sx={{ minWidth: '22rem' }} />,
    <SelectInput key="open" source="open" label="Showing" choices={openChoices} emptyText="Open and closed" alwaysOn />,
    <SelectInput key="type" source="type" label="Escalated to" choices={escalatedToChoices} emptyText="Team leader or operations" alwaysOn />,
    <SelectInput key="priority" source="priority" label="Priority" choices={choicesFrom(priorityLabels)} emptyText="Any priority" alwaysOn />,
    specialtyFilter('specialtyCode'),
    <BooleanInput
      key="assigneeId"
      source="assigneeId"
      label="Assigned to me"
      alwaysOn
      disabled={!me}
      format={(value: unknown) => value != null && value === me}
      parse={(checked: boolean) => (checked && me ? me : '')}
    />,
  ];
}

export function EscalationList() {
  const { identity } = useGetIdentity();
  const me = identity?.id == null ? undefined : String(identity.id);
  return (
    <List
      resource="tasks"
      title="Escalations"
      filter={escalationListFilter}
      filters={escalationFilters(me)}
      filterDefaultValues={escalationDefaultFilter}
      sort={urgentFirst}
      perPage={25}
      storeKey="escalations"
      actions={<ExportActions />}
      empty={<NoEscalations />}
      pagination={<ListPagination rowsPerPageOptions={[25, 50, 100]} />}
      queryOptions={{ refetchInterval: 60_000 }}
    >
      <Box data-testid="escalations-list">
        <EscalationTable />
      </Box>
    </List>
  );
}
