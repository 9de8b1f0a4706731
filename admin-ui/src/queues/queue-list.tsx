// Queues: where unassigned work waits, and how much of it is open.
import { DataTable, List, SearchInput } from 'react-admin';
import { labelFor, queueKindLabels } from '../components/labels';
import { ExportActions } from '../components/download-button';

const queueFilters = [<SearchInput key="q" source="q" alwaysOn placeholder="Queue name" />];

export function QueueList() {
  return (
    <List title="Queues" filters={queueFilters} sort={{ field: 'name', order: 'ASC' }} perPage={50} actions={<ExportActions saveFilters={false} />}>
      <DataTable rowClick="show" bulkActionButtons={false}>
        <DataTable.Col source="name" label="Queue" />
        <DataTable.Col source="kind" label="Kind" render={(record) => labelFor(queueKindLabels, record.kind)} />
        <DataTable.Col source="specialtyCode" label="Specialty" disableSort />
        <DataTable.NumberCol source="openItems" label="Open items" disableSort />
      </DataTable>
    </List>
  );
}
