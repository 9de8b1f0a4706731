// One system client: when it was made and by whom, when it last read the FHIR API, and Revoke.
import { Box } from '@mui/material';
import ArrowBackIcon from '@mui/icons-material/ArrowBack';
import { Button, Show, TopToolbar, useGetOne, useRecordContext } from 'react-admin';
import type { SystemClient } from '../../../api/routes/system-clients';
import { formatDateTime } from '../components/dates';
import { Labelled, Panel } from '../components/fields';
import { RevokeSystemClientButton } from './system-client-actions';
import { SystemClientStatus } from './system-client-list';

function StaffName({ id }: { id: string | null }) {
  const { data } = useGetOne<{ id: string; name: string }>('staff', { id: id ?? '' }, { enabled: id != null });
  return <>{id ? (data?.name ?? id) : null}</>;
}

function Title() {
  const client = useRecordContext<SystemClient>();
  return <span>{client ? `System client: ${client.name}` : 'System client'}</span>;
}

function Actions() {
  const client = useRecordContext<SystemClient>();
  return (
    <TopToolbar>
      <Button label="All system clients" to="/system-clients"><ArrowBackIcon /></Button>
      {client ? <RevokeSystemClientButton client={client} /> : null}
    </TopToolbar>
  );
}

function Detail() {
  const client = useRecordContext<SystemClient>();
  if (!client) return null;
  return (
    <Panel title="Access to the FHIR API" testId="system-client-detail">
      <Box sx={{ display: 'grid', gridTemplateColumns: 'repeat(2, minmax(0, 1fr))', columnGap: 3 }}>
        <Labelled label="System">{client.name}</Labelled>
        <Labelled label="Status"><SystemClientStatus client={client} /></Labelled>
        <Labelled label="Made">{formatDateTime(client.createdAt)}</Labelled>
        <Labelled label="Made by"><StaffName id={client.createdBy} /></Labelled>
        <Labelled label="Last used">{client.lastUsedAt ? formatDateTime(client.lastUsedAt) : 'Never'}</Labelled>
        {client.revokedAt ? <Labelled label="Revoked by"><StaffName id={client.revokedBy} /></Labelled> : null}
      </Box>
    </Panel>
  );
}

export function SystemClientShow() {
  return (
    <Show title={<Title />} actions={<Actions />} sx={{ '& .RaShow-card': { p: 2 } }}>
      <Detail />
    </Show>
  );
}
