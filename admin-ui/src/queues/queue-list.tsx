// Queues: where unassigned work waits, and how much of it is open.
import { DataTable, List, SearchInput } from 'react-admin';

const queueFilters = [<SearchInput key="q" source="q" alwaysOn placeholder="Queue name" />];

const kindWords = (kind: string) => kind.replace(/_/g, ' ').replace(/^./, (c) => c.toUpperCase());

export function QueueList() {
  return (
    <List title="Queues" filters={queueFilters} sort={{ field: 'name', order: 'ASC' }} perPage={50} exporter={false}>
      <DataTable rowClick="show" bulkActionButtons={false}>
        <DataTable.Col source="name" label="Queue" />
        <DataTable.Col source="kind" label="Kind" render={(record) => kindWords(String(record.kind ?? ''))} />
        <DataTable.Col source="specialtyCode" label="Specialty" disableSort />
        <DataTable.NumberCol source="openItems" label="Open items" disableSort />
      </DataTable>
    </List>
  );
}
