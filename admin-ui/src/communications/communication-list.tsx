// The Outbox: every letter, text and email, newest first, with what became of it. Find a patient's by name or
// NHS number; narrow by status, how it went and what it was.
import { DataTable, List, Pagination, SearchInput, SelectInput } from 'react-admin';
import { formatDateTime } from '../components/dates';
import { ExportActions } from '../components/download-button';
import { PatientText } from '../components/fields';
import {
  choicesFrom, commChannelLabels, communicationStatusLabels, labelFor, letterFormatLabels, messageRecipientLabels, messageTemplateLabels,
} from '../components/labels';
import type { Communication } from '../types';
import { CommunicationStatus } from './communication-words';

const filters = [
  <SearchInput key="q" source="q" alwaysOn placeholder="Patient name or NHS number" />,
  <SelectInput key="status" source="status" label="Status" choices={choicesFrom(communicationStatusLabels)} alwaysOn />,
  <SelectInput key="channel" source="channel" label="How" choices={choicesFrom(commChannelLabels)} alwaysOn />,
  <SelectInput key="template" source="template" label="Message" choices={choicesFrom(messageTemplateLabels)} alwaysOn />,
];

/** What it was, and for whom when not the patient, and in which format when not standard print. */
function WhatText({ message }: { message: Communication }) {
  const extra = [
    message.recipient !== 'patient' ? `to the ${labelFor(messageRecipientLabels, message.recipient).toLowerCase()}` : null,
    message.channel === 'letter' && message.format !== 'standard' ? labelFor(letterFormatLabels, message.format).toLowerCase() : null,
  ].filter(Boolean);
  return <>{labelFor(messageTemplateLabels, message.template)}{extra.length ? ` (${extra.join(', ')})` : ''}</>;
}

export function CommunicationList() {
  return (
    <List
      title="Outbox"
      filters={filters}
      sort={{ field: 'createdAt', order: 'DESC' }}
      perPage={25}
      actions={<ExportActions />}
      pagination={<Pagination rowsPerPageOptions={[25, 50, 100]} />}
    >
      <DataTable rowClick="show" bulkActionButtons={false} data-testid="outbox-list">
        <DataTable.Col source="createdAt" label="Written" render={(m) => formatDateTime((m as Communication).createdAt)} />
        <DataTable.Col
          source="patientName"
          label="Patient"
          render={(m) => <PatientText name={(m as Communication).patientName} nhsNumber={(m as Communication).nhsNumber} patientId={(m as Communication).patientId} />}
        />
        <DataTable.Col source="channel" label="How" render={(m) => labelFor(commChannelLabels, (m as Communication).channel)} />
        <DataTable.Col source="template" label="Message" render={(m) => <WhatText message={m as Communication} />} />
        <DataTable.Col source="status" label="Status" render={(m) => <CommunicationStatus message={m as Communication} />} />
      </DataTable>
    </List>
  );
}
