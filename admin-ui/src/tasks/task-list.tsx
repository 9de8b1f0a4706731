// Work items: every item, filtered by queue, person, status, priority, type or escalation. Team
// leaders tick rows (or press x) and move them with "Move to…". My work stays the home page.
import {
  List,
  NullableBooleanInput,
  ReferenceInput,
  SearchInput,
  SelectArrayInput,
  SelectInput,
} from 'react-admin';
import { choicesFrom, priorityLabels, taskStatusLabels, taskTypeLabels } from '../components/labels';
import { WorkItemTable } from './work-item-table';
import { openStatuses, urgentFirst } from './work-items';
import { ExportActions } from '../components/download-button';
import { ListPagination } from '../components/list-pagination';

const taskFilters = [
  <SearchInput key="q" source="q" alwaysOn placeholder="Patient, NHS number or title" />,
  <ReferenceInput key="queueId" source="queueId" reference="queues" sort={{ field: 'name', order: 'ASC' }} perPage={200} alwaysOn>
    <SelectInput label="Queue" optionText="name" />
  </ReferenceInput>,
  <ReferenceInput key="assigneeId" source="assigneeId" reference="staff" sort={{ field: 'name', order: 'ASC' }} perPage={500} alwaysOn>
    <SelectInput label="Assignee" optionText="name" />
  </ReferenceInput>,
  <SelectArrayInput key="status" source="status" label="Status" choices={choicesFrom(taskStatusLabels)} alwaysOn />,
  <SelectInput key="priority" source="priority" label="Priority" choices={choicesFrom(priorityLabels)} />,
  <SelectInput key="type" source="type" label="Type" choices={choicesFrom(taskTypeLabels)} />,
  <NullableBooleanInput key="escalated" source="escalated" label="Escalated" />,
];

export function TaskList() {
  return (
    <List
      title="Work items"
      filters={taskFilters}
      filterDefaultValues={{ status: openStatuses }}
      sort={urgentFirst}
      perPage={25}
      actions={<ExportActions />}
      pagination={<ListPagination rowsPerPageOptions={[25, 50, 100]} />}
      queryOptions={{ refetchInterval: 60_000 }}
    >
      <WorkItemTable variant="all" />
    </List>
  );
}
