// System clients of the FHIR read API (issue 14, administrators): the other hospital systems given a token for /fhir,
// newest first, with when each last used it and whether it is revoked. j/k move, Enter opens one; New system client
// makes one and shows its token once.
import { useCallback } from 'react';
import { Box, Chip } from '@mui/material';
import { DataTable, List, Pagination, SelectInput, TopToolbar, useNavigate } from 'react-admin';
import type { SystemClient } from '../../../api/routes/system-clients';
import { formatDateTime } from '../components/dates';
import { KeyedDataTable } from '../components/keyed-table';
import { NewSystemClientButton, RevokeSystemClientButton } from './system-client-actions';

export const systemClientPath = (id: string) => `/system-clients/${encodeURIComponent(id)}/show`;

export function SystemClientStatus({ client }: { client: Pick<SystemClient, 'revokedAt'> }) {
  return client.revokedAt
    ? <Chip size="small" label={`Revoked ${formatDateTime(client.revokedAt)}`} data-status="revoked" />
    : <Chip size="small" color="success" label="In use" data-status="active" />;
}

const filters = [
  <SelectInput key="revoked" source="revoked" label="Showing" alwaysOn
    choices={[{ id: 'false', name: 'In use' }, { id: 'true', name: 'Revoked' }]} />,
];

const client = (r: unknown) => r as SystemClient;

export function SystemClientList() {
  const navigate = useNavigate();
  const onOpen = useCallback((record: SystemClient) => navigate(systemClientPath(record.id)), [navigate]);
  return (
    <List
      title="System clients"
      filters={filters}
      sort={{ field: 'createdAt', order: 'DESC' }}
      perPage={25}
      actions={<TopToolbar><NewSystemClientButton /></TopToolbar>}
      pagination={<Pagination rowsPerPageOptions={[25, 50, 100]} />}
      empty={false}
    >
      <KeyedDataTable<SystemClient> pathOf={(r) => systemClientPath(r.id)} onOpen={onOpen} rowTestId="system-client-row" testId="system-client-list">
        <DataTable.Col source="name" label="System" />
        <DataTable.Col source="createdAt" label="Made" render={(r) => formatDateTime(client(r).createdAt)} />
        <DataTable.Col source="lastUsedAt" label="Last used" disableSort render={(r) => (client(r).lastUsedAt ? formatDateTime(client(r).lastUsedAt) : 'Never')} />
        <DataTable.Col source="revokedAt" label="Status" disableSort render={(r) => <SystemClientStatus client={client(r)} />} />
        <DataTable.Col
          source="id"
          label=""
          disableSort
          render={(r) => (
            // The button's own clicks and keys, not the row's (Enter on it revokes, it does not open the row).
            <Box onClick={(e) => e.stopPropagation()} onKeyDown={(e) => e.stopPropagation()}>
              <RevokeSystemClientButton client={client(r)} />
            </Box>
          )}
        />
      </KeyedDataTable>
    </List>
  );
}
