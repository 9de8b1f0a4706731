// Theatre sessions (GET /api/theatre-sessions): each list with its surgeon, date and the minutes booked and free
// (a bar and its words). Team leaders and admins add sessions; a TCI is booked into one from an admission's page.
import { useCallback } from 'react';
import { Box, Typography } from '@mui/material';
import {
  Create, DataTable, FilterButton, List, NumberInput, ReferenceInput, SaveButton, SelectInput, Show, SimpleForm, TextInput, Toolbar,
  TopToolbar, CreateButton, maxLength, maxValue, minValue, required, useNavigate, useNotify, useRecordContext, useRedirect,
} from 'react-admin';
import { DateInput } from '../components/date-input';
import { formatDate } from '../components/dates';
import { Labelled, Panel } from '../components/fields';
import { specialtyFilter } from '../components/filters';
import { KeyedDataTable } from '../components/keyed-table';
import { choicesFrom, labelFor } from '../components/labels';
import { refusalMessage } from '../components/messages';
import { ListExportButton } from '../ptl/ptl-list';
import { useIsLeader } from '../components/roles';
import type { TheatreSession } from './inpatient-types';
import { minutesWords, theatreSessionPartLabels } from './inpatient-words';
import { CapacityBar } from './admission-fields';

const sessionPath = (id: string) => `/theatre-sessions/${encodeURIComponent(id)}/show`;

const sessionFilters = [
  specialtyFilter('specialtyCode'),
  <DateInput key="date_gte" source="date_gte" label="From" alwaysOn />,
  <DateInput key="date_lte" source="date_lte" label="To" alwaysOn />,
];

function SessionActions() {
  const leader = useIsLeader();
  return (
    <TopToolbar>
      <FilterButton />
      {leader ? <CreateButton label="New theatre session" data-testid="theatre-session-create" /> : null}
      <ListExportButton resource="theatre-sessions" testId="theatre-sessions-export" />
    </TopToolbar>
  );
}

const row = (record: unknown) => record as TheatreSession;

export function TheatreSessionList() {
  const navigate = useNavigate();
  const onOpen = useCallback((record: TheatreSession) => navigate(sessionPath(String(record.id))), [navigate]);
  return (
    <List
      resource="theatre-sessions"
      title="Theatre sessions"
      filters={sessionFilters}
      sort={{ field: 'date', order: 'ASC' }}
      perPage={50}
      actions={<SessionActions />}
      exporter={false}
      storeKey="theatre-sessions.list"
      empty={false}
    >
      <KeyedDataTable<TheatreSession> pathOf={(r) => sessionPath(String(r.id))} onOpen={onOpen} rowTestId="theatre-session-row" testId="theatre-sessions-table">
        <DataTable.Col source="date" label="Date" render={(r) => (
          <Box>
            <Typography variant="body2">{formatDate(row(r).date)}</Typography>
            <Typography variant="caption" color="text.secondary">{labelFor(theatreSessionPartLabels, row(r).session)}</Typography>
          </Box>
        )} />
        <DataTable.Col source="listName" label="List" disableSort />
        <DataTable.Col source="specialtyCode" label="Specialty" disableSort />
        <DataTable.Col source="surgeonName" label="Surgeon" disableSort />
        <DataTable.Col source="minutesFree" label="Capacity" disableSort render={(r) => <CapacityBar session={row(r)} />} />
      </KeyedDataTable>
    </List>
  );
}

function SessionDetail() {
  const session = useRecordContext<TheatreSession>();
  if (!session) return null;
  return (
    <Panel title={`${session.listName}, ${formatDate(session.date)} ${labelFor(theatreSessionPartLabels, session.session).toLowerCase()}`} testId="theatre-session">
      <Box sx={{ display: 'grid', gridTemplateColumns: 'repeat(auto-fill, minmax(200px, 1fr))', columnGap: 3 }}>
        <Labelled label="Specialty">{session.specialtyCode}</Labelled>
        <Labelled label="Surgeon">{session.surgeonName}</Labelled>
        <Labelled label="Theatre time">{minutesWords(session.minutesAvailable)}</Labelled>
        <Labelled label="Booked and free"><CapacityBar session={session} /></Labelled>
      </Box>
    </Panel>
  );
}

export function TheatreSessionShow() {
  return (
    <Show title="Theatre session" actions={<TopToolbar />}>
      <SessionDetail />
    </Show>
  );
}

const trim = (value: unknown) => (typeof value === 'string' ? value.trim() : value);

/** The create body: only the fields the API takes. */
export function theatreSessionBody(values: Record<string, unknown>) {
  return {
    listName: trim(values.listName) as string,
    specialtyCode: values.specialtyCode as string,
    surgeonId: values.surgeonId as string,
    date: values.date as string,
    session: values.session as string,
    minutesAvailable: Number(values.minutesAvailable),
  };
}

export function TheatreSessionCreate() {
  const notify = useNotify();
  const redirect = useRedirect();
  return (
    <Create
      title="New theatre session"
      transform={theatreSessionBody}
      mutationOptions={{
        onSuccess: (session: TheatreSession) => {
          notify(`Theatre session added: ${session.listName}, ${formatDate(session.date)}, ${minutesWords(session.minutesAvailable)}`, { type: 'info' });
          redirect('list', 'theatre-sessions');
        },
        onError: (error: unknown) => notify(refusalMessage(error, { onFields: true, fallback: 'Could not add the session' }), { type: 'error' }),
      }}
    >
      <SimpleForm
        toolbar={<Toolbar><SaveButton label="Add session" data-testid="theatre-session-save" /></Toolbar>}
        sx={{ maxWidth: 720 }}
        defaultValues={{ session: 'am', minutesAvailable: 240 }}
      >
        <TextInput source="listName" label="List name" validate={[required(), maxLength(200)]} autoFocus fullWidth />
        <ReferenceInput source="specialtyCode" reference="specialties" sort={{ field: 'name', order: 'ASC' }} perPage={200}>
          <SelectInput label="Specialty" optionText="name" validate={required()} />
        </ReferenceInput>
        <ReferenceInput source="surgeonId" reference="staff" filter={{ role: 'clinician', active: true }} sort={{ field: 'name', order: 'ASC' }} perPage={500}>
          <SelectInput label="Surgeon" optionText="name" validate={required()} />
        </ReferenceInput>
        <DateInput source="date" label="Date" validate={required()} />
        <SelectInput source="session" label="Session" choices={choicesFrom(theatreSessionPartLabels)} validate={required()} />
        <NumberInput source="minutesAvailable" label="Theatre minutes available" validate={[required(), minValue(15), maxValue(1440)]} />
      </SimpleForm>
    </Create>
  );
}
