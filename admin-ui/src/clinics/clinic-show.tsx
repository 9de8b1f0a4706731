// A clinic: its weekly template and its slots from today on.
import { Box, Chip, Table, TableBody, TableCell, TableHead, TableRow, Typography } from '@mui/material';
import ArrowBackIcon from '@mui/icons-material/ArrowBack';
import CalendarMonthIcon from '@mui/icons-material/CalendarMonth';
import EditCalendarIcon from '@mui/icons-material/EditCalendar';
import {
  Button,
  DataTable,
  EditButton,
  Pagination,
  ReferenceManyField,
  Show,
  TopToolbar,
  useRecordContext,
} from 'react-admin';
import { formatDate, formatSlotStart, formatTime } from '../components/dates';
import { Labelled, Panel } from '../components/fields';
import { labelFor, slotStatusLabels, slotTypeLabels, weekdayLabel } from '../components/labels';
import { startOfLondonToday } from '../components/london-midnight';
import { useIsLeader } from '../components/roles';
import type { Clinic, Slot } from '../types';
import { clinicCalendarPath } from './clinic-calendar';

function ClinicTitle() {
  const clinic = useRecordContext<Clinic>();
  return <span>{clinic ? clinic.name : 'Clinic'}</span>;
}

const statusColour = { free: 'success', booked: 'default', blocked: 'warning' } as const;

function TemplateTable({ clinic }: { clinic: Clinic }) {
  const rows = [...(clinic.template ?? [])].sort(
    (a, b) => Number(a.weekday) - Number(b.weekday) || String(a.start).localeCompare(String(b.start)),
  );
  // Rota changes give a template dated rows; show the dates only when there are any.
  const dated = rows.some((row) => row.effectiveFrom || row.effectiveTo);
  if (rows.length === 0) return <Typography variant="body2" color="text.secondary">No weekly template.</Typography>;
  return (
    <Table size="small" data-testid="clinic-template">
      <TableHead>
        <TableRow>
          <TableCell>Day</TableCell>
          <TableCell>Starts</TableCell>
          <TableCell>Slot length</TableCell>
          <TableCell>Slot type</TableCell>
          <TableCell align="right">Slots</TableCell>
          {dated ? <TableCell>In use</TableCell> : null}
        </TableRow>
      </TableHead>
      <TableBody>
        {rows.map((row, index) => (
          <TableRow key={`${row.weekday}-${row.start}-${row.slotType}-${index}`}>
            <TableCell>{weekdayLabel(row.weekday)}</TableCell>
            <TableCell>{String(row.start).slice(0, 5)}</TableCell>
            <TableCell>{row.slotMinutes} min</TableCell>
            <TableCell>{labelFor(slotTypeLabels, row.slotType)}</TableCell>
            <TableCell align="right">{row.count}</TableCell>
            {dated ? (
              <TableCell>
                {row.effectiveFrom ? `from ${formatDate(row.effectiveFrom)}` : ''}
                {row.effectiveTo ? ` to ${formatDate(row.effectiveTo)}` : ''}
              </TableCell>
            ) : null}
          </TableRow>
        ))}
      </TableBody>
    </Table>
  );
}

function ClinicDetail() {
  const clinic = useRecordContext<Clinic>();
  if (!clinic) return null;
  return (
    // The template gets the wide column, so its Slots column is never cut off by the narrow one;
    // the slots from today run the full width below.
    <Box sx={{ display: 'grid', gap: 2, gridTemplateColumns: { xs: '1fr', lg: 'minmax(0, 1fr) minmax(0, 2fr)' }, alignItems: 'start' }}>
      <Panel title="Clinic">
        <Labelled label="Specialty">{clinic.specialtyName ?? clinic.specialtyCode}</Labelled>
        <Labelled label="Clinician">{clinic.clinicianName}</Labelled>
        <Labelled label="Site">{clinic.site}</Labelled>
        <Labelled label="Free slots">{clinic.freeSlots}</Labelled>
      </Panel>
      <Panel title="Weekly template">
        <Box sx={{ overflowX: 'auto' }}>
          <TemplateTable clinic={clinic} />
        </Box>
      </Panel>
      <Box sx={{ gridColumn: '1 / -1' }}>
        <Panel title="Slots from today" testId="clinic-slots">
          <ReferenceManyField
            reference="slots"
            target="clinicId"
            sort={{ field: 'start', order: 'ASC' }}
            filter={{ start_gte: startOfLondonToday() }}
            perPage={25}
            pagination={<Pagination rowsPerPageOptions={[25, 50, 100]} />}
          >
            <DataTable bulkActionButtons={false} rowClick={false}>
              <DataTable.Col source="start" label="Starts" render={(slot) => formatSlotStart((slot as Slot).start)} />
              <DataTable.Col source="end" label="Ends" disableSort render={(slot) => formatTime((slot as Slot).end)} />
              <DataTable.Col source="type" label="Type" disableSort render={(slot) => labelFor(slotTypeLabels, (slot as Slot).type)} />
              <DataTable.Col
                source="status"
                label="Status"
                disableSort
                render={(slot) => (
                  <Chip
                    size="small"
                    variant="outlined"
                    color={statusColour[(slot as Slot).status] ?? 'default'}
                    label={labelFor(slotStatusLabels, (slot as Slot).status)}
                  />
                )}
              />
            </DataTable>
          </ReferenceManyField>
        </Panel>
      </Box>
    </Box>
  );
}

function ClinicShowActions() {
  const clinic = useRecordContext<Clinic>();
  const leader = useIsLeader();
  return (
    <TopToolbar>
      <Button label="Clinics" to="/clinics" startIcon={<ArrowBackIcon />} />
      {clinic ? <Button label="Calendar" to={clinicCalendarPath(String(clinic.id))} startIcon={<CalendarMonthIcon />} data-testid="clinic-open-calendar" /> : null}
      {clinic ? <Button label="Template versions" to={`/clinics/${encodeURIComponent(String(clinic.id))}/templates`} startIcon={<EditCalendarIcon />} /> : null}
      {leader ? <EditButton label="Change clinic" /> : null}
    </TopToolbar>
  );
}

export function ClinicShow() {
  return (
    <Show title={<ClinicTitle />} actions={<ClinicShowActions />} sx={{ '& .RaShow-card': { p: 2 } }}>
      <ClinicDetail />
    </Show>
  );
}
