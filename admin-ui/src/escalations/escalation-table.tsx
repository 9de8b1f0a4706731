// The Escalations table: what was escalated and why (once), to whom, for which patient and specialty, and where it
// stands; a row opens the escalation item, the patient's name opens the referral. j/k move, Enter opens.
import { useCallback, useMemo, useRef, type MouseEvent } from 'react';
import { Box, Chip, Link as MuiLink, Typography, type SxProps, type Theme } from '@mui/material';
import { DataTable, useGetList, useListContext, useNavigate } from 'react-admin';
import { Link } from 'react-router';
import { formatDateTime } from '../components/dates';
import { DueText, PriorityChip } from '../components/fields';
import { labelFor, taskStatusLabels, taskTypeLabels } from '../components/labels';
import { displayNhsNumber } from '../components/nhs-number';
import { useRowKeys } from '../tasks/row-keys';
import { KeyHint } from '../tasks/work-item-table';
import { taskPath } from '../tasks/work-items';
import type { Task } from '../types';
import { escalatedTo, escalationOutcome, escalationReason, referralPath } from './escalations';

/** 943 476 5919 on one line: non-breaking spaces, and no wrapping. */
export function NhsNumberText({ value }: { value: string | null | undefined }) {
  if (!value) return null;
  return (
    <Typography component="span" variant="caption" color="text.secondary" sx={{ whiteSpace: 'nowrap', fontVariantNumeric: 'tabular-nums' }}>
      NHS {displayNhsNumber(value).replace(/ /g, '\u00a0')}
    </Typography>
  );
}

const stopRowClick = (event: MouseEvent) => event.stopPropagation();

function PatientCell({ task }: { task: Task }) {
  return (
    <Box sx={{ display: 'flex', flexDirection: 'column' }}>
      {task.referralId ? (
        <MuiLink component={Link} to={referralPath(task.referralId)} onClick={stopRowClick} variant="body2" data-testid="escalation-referral-link">
          {task.patientName ?? 'Referral'}
        </MuiLink>
      ) : (
        <Typography component="span" variant="body2">{task.patientName}</Typography>
      )}
      <NhsNumberText value={task.nhsNumber} />
    </Box>
  );
}

function LevelChip({ task }: { task: Task }) {
  const level = Number((task.payload ?? {}).level ?? 0);
  return (
    <Box sx={{ display: 'flex', flexDirection: 'column', alignItems: 'flex-start', gap: 0.5 }}>
      <Typography variant="body2" sx={{ whiteSpace: 'nowrap' }}>{escalatedTo(task.type)}</Typography>
      {/* The border carries the colour; the text stays dark enough to read on any row. */}
      {level ? <Chip size="small" variant="outlined" label={`Level ${level}`} sx={{ borderColor: level >= 2 ? 'error.main' : 'warning.main' }} /> : null}
    </Box>
  );
}

function StatusCell({ task }: { task: Task }) {
  const closed = escalationOutcome(task);
  return (
    <Box>
      <Typography variant="body2">{labelFor(taskStatusLabels, task.status)}</Typography>
      {closed ? <Typography variant="caption" color="text.secondary" data-testid="escalation-outcome">{closed}</Typography> : null}
    </Box>
  );
}

const noRows: Task[] = [];
// The highlighted row (j/k), as the other work lists show it.
// A bar, not a grey fill: red "overdue" dates keep their contrast on the highlighted row.
const selectedRowSx = {
  boxShadow: (theme: Theme) => `inset 4px 0 0 ${theme.palette.primary.main}`,
} as SxProps;

export function EscalationTable() {
  const { data } = useListContext<Task>();
  const rows = data ?? noRows;
  const navigate = useNavigate();
  const tableRef = useRef<HTMLDivElement>(null);
  const { data: specialties } = useGetList('specialties', { pagination: { page: 1, perPage: 200 }, sort: { field: 'name', order: 'ASC' } });
  const specialtyNames = useMemo(() => new Map((specialties ?? []).map((s) => [String(s.id), String(s.name)])), [specialties]);
  const onOpen = useCallback((task: Task) => navigate(taskPath(task.id)), [navigate]);
  const { selected } = useRowKeys({ rows, onOpen, tableRef });
  const selectedId = rows[selected]?.id;

  return (
    <>
      <Box ref={tableRef} data-testid="escalations-table">
        <DataTable
          data={rows}
          bulkActionButtons={false}
          rowClick={(id) => taskPath(id as Task['id'])}
          rowSx={(record) => (record.id === selectedId ? selectedRowSx : {})}
          storeKey="escalations.datatable"
        >
          <DataTable.Col source="priority" label="Priority" render={(record) => <PriorityChip priority={(record as Task).priority} />} />
          <DataTable.Col source="escalationLevel" label="Escalated to" disableSort render={(record) => <LevelChip task={record as Task} />} />
          <DataTable.Col
            source="title"
            label="Why"
            disableSort
            render={(record) => {
              const task = record as Task;
              const escalated = (task.payload ?? {}).escalatedTaskType;
              return (
                <Box data-testid="escalation-row" data-id={task.id} aria-current={task.id === selectedId ? 'true' : undefined}>
                  <Typography variant="body2" sx={{ fontWeight: 500 }} data-testid="escalation-reason">{escalationReason(task)}</Typography>
                  {escalated ? (
                    <Typography variant="caption" color="text.secondary">Item: {labelFor(taskTypeLabels, String(escalated))}</Typography>
                  ) : null}
                </Box>
              );
            }}
          />
          <DataTable.Col source="patientName" label="Patient" disableSort render={(record) => <PatientCell task={record as Task} />} />
          <DataTable.Col
            source="specialtyCode"
            label="Specialty"
            disableSort
            render={(record) => specialtyNames.get(String((record as Task).specialtyCode)) ?? (record as Task).specialtyCode ?? '—'}
          />
          <DataTable.Col source="createdAt" label="Raised" render={(record) => formatDateTime((record as Task).createdAt)} />
          <DataTable.Col source="dueAt" label="Due" render={(record) => <DueText value={(record as Task).dueAt} />} />
          <DataTable.Col source="status" label="Status" render={(record) => <StatusCell task={record as Task} />} />
          <DataTable.Col
            source="assigneeName"
            label="Assignee"
            disableSort
            render={(record) => (record as Task).assigneeName ?? <Typography variant="body2" color="text.secondary">Unassigned</Typography>}
          />
        </DataTable>
      </Box>
      <KeyHint />
    </>
  );
}
