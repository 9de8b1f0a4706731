// Audit log: every reassignment, claim, leave change and membership change, newest first.
import { Typography } from '@mui/material';
import { DataTable, List, ReferenceInput, SelectInput, TextInput } from 'react-admin';
import { formatDateTime } from '../components/dates';
import type { AuditEntry } from '../types';
import { ChangeText, EntityLink } from './audit-values';

export const auditSort = { field: 'at', order: 'DESC' as const };

const auditFilters = [
  <ReferenceInput key="actorId" source="actorId" reference="staff" sort={{ field: 'name', order: 'ASC' }} perPage={500} alwaysOn>
    <SelectInput label="Who" optionText="name" />
  </ReferenceInput>,
  <TextInput key="entityType" source="entityType" label="Record type (task, absence…)" alwaysOn />,
  <TextInput key="entityId" source="entityId" label="Record id" alwaysOn />,
];

export function ActorText({ entry }: { entry: AuditEntry }) {
  if (entry.actorName || entry.actorId) return <>{entry.actorName ?? entry.actorId}</>;
  return <Typography component="span" variant="inherit" color="text.secondary">System</Typography>;
}

export function AuditList() {
  return (
    <List title="Audit log" filters={auditFilters} sort={auditSort} perPage={50} exporter={false} actions={false}>
      <DataTable rowClick={false} bulkActionButtons={false}>
        <DataTable.Col source="at" label="When" render={(record) => formatDateTime((record as AuditEntry).at)} />
        <DataTable.Col source="actorName" label="Who" disableSort render={(record) => <ActorText entry={record as AuditEntry} />} />
        <DataTable.Col source="action" label="Action" disableSort />
        <DataTable.Col
          source="entityId"
          label="Record"
          disableSort
          render={(record) => <EntityLink entityType={(record as AuditEntry).entityType} entityId={(record as AuditEntry).entityId} />}
        />
        <DataTable.Col
          source="after"
          label="Before → after"
          disableSort
          render={(record) => <ChangeText before={(record as AuditEntry).before} after={(record as AuditEntry).after} />}
        />
      </DataTable>
    </List>
  );
}
