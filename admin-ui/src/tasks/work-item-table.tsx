// The work item list used by My work and Escalations: most urgent first, keyboard driven.
import { createContext, useCallback, useContext, useRef, type ComponentProps } from 'react';
import { Box, Chip, Typography } from '@mui/material';
import {
  DataTable,
  DataTableBody,
  DataTableRow,
  useNavigate,
  useRecordContext,
  type DataTableBodyProps,
} from 'react-admin';
import { DueText, PatientText, PriorityChip } from '../components/fields';
import { labelFor, taskTypeLabels } from '../components/labels';
import type { Task } from '../types';
import { useRowKeys } from './row-keys';
import { taskPath, useClaimAndOpen, useOrderedWorkItems } from './work-items';

interface RowState {
  ids: Task['id'][];
  selected: number;
}

const RowStateContext = createContext<RowState>({ ids: [], selected: -1 });

function WorkItemRow(props: ComponentProps<typeof DataTableRow>) {
  const record = useRecordContext<Task>();
  const { ids, selected } = useContext(RowStateContext);
  const index = record ? ids.indexOf(record.id) : -1;
  const isSelected = index >= 0 && index === selected;
  return (
    <DataTableRow
      {...props}
      data-testid="work-item-row"
      data-id={record?.id}
      data-row-index={index}
      data-priority={record?.priority}
      aria-selected={isSelected}
      sx={[
        ...(Array.isArray(props.sx) ? props.sx : props.sx ? [props.sx] : []),
        isSelected && {
          bgcolor: 'action.selected',
          boxShadow: (theme) => `inset 4px 0 0 ${theme.palette.primary.main}`,
        },
      ]}
    />
  );
}

function WorkItemBody(props: DataTableBodyProps) {
  return <DataTableBody {...props} row={WorkItemRow} />;
}

export function EscalationLevel({ level }: { level: number | null | undefined }) {
  if (!level) return <Typography variant="body2" color="text.secondary">—</Typography>;
  return <Chip size="small" variant="outlined" color={level >= 2 ? 'error' : 'warning'} label={`Level ${level}`} />;
}

export function KeyHint({ claim }: { claim?: boolean }) {
  const key = (text: string) => (
    <Box component="kbd" sx={{ px: 0.5, border: 1, borderColor: 'divider', borderRadius: 0.5, fontFamily: 'monospace' }}>
      {text}
    </Box>
  );
  return (
    <Typography variant="caption" color="text.secondary" component="p" sx={{ px: 2, py: 1 }} data-testid="key-hint">
      Keys: {claim ? <>{key('c')} claim and open the top item · </> : null}
      {key('j')}/{key('k')} next/previous · {key('Enter')} open
    </Typography>
  );
}

export function WorkItemTable({ variant = 'my-work' }: { variant?: 'my-work' | 'escalations' }) {
  const rows = useOrderedWorkItems();
  const navigate = useNavigate();
  const tableRef = useRef<HTMLDivElement>(null);
  const onOpen = useCallback((task: Task) => navigate(taskPath(task.id)), [navigate]);
  const { claimAndOpen } = useClaimAndOpen();
  const claimTop = useCallback(() => void claimAndOpen(rows[0]), [claimAndOpen, rows]);
  const { selected } = useRowKeys({
    rows,
    onOpen,
    onClaimTop: variant === 'my-work' ? claimTop : undefined,
    tableRef,
  });

  return (
    <RowStateContext.Provider value={{ ids: rows.map((row) => row.id), selected }}>
      <Box ref={tableRef} data-testid={variant === 'my-work' ? 'my-work-table' : 'escalations-table'}>
        <DataTable
          data={rows}
          body={WorkItemBody}
          bulkActionButtons={false}
          rowClick={(id) => taskPath(id as Task['id'])}
          storeKey={`${variant}.datatable`}
        >
          <DataTable.Col
            source="priority"
            label="Priority"
            render={(record) => <PriorityChip priority={(record as Task).priority} />}
          />
          <DataTable.Col
            source="title"
            label="Work item"
            disableSort
            render={(record) => {
              const task = record as Task;
              return (
                <Box>
                  <Typography variant="body2" sx={{ fontWeight: 500 }}>{task.title}</Typography>
                  <Typography variant="caption" color="text.secondary">{workItemDetail(task) ?? labelFor(taskTypeLabels, task.type)}</Typography>
                </Box>
              );
            }}
          />
          <DataTable.Col
            source="patientName"
            label="Patient"
            disableSort
            render={(record) => <PatientText name={(record as Task).patientName} nhsNumber={(record as Task).nhsNumber} />}
          />
          <DataTable.Col source="dueAt" label="Due" render={(record) => <DueText value={(record as Task).dueAt} />} />
          <DataTable.Col
            source="escalationLevel"
            label="Escalation"
            render={(record) => <EscalationLevel level={(record as Task).escalationLevel} />}
          />
          {variant === 'escalations' ? (
            <DataTable.Col
              source="payload.reason"
              label="Why escalated"
              disableSort
              render={(record) => {
                const payload = (record as Task).payload ?? {};
                return (
                  <Box>
                    <Typography variant="body2">{String(payload.reason ?? '')}</Typography>
                    {payload.escalatedTaskType ? (
                      <Typography variant="caption" color="text.secondary">
                        {labelFor(taskTypeLabels, payload.escalatedTaskType)}
                      </Typography>
                    ) : null}
                  </Box>
                );
              }}
            />
          ) : null}
          <DataTable.Col source="queueName" label="Queue" disableSort />
          <DataTable.Col
            source="assigneeName"
            label="Assignee"
            disableSort
            render={(record) =>
              (record as Task).assigneeName ?? (
                <Typography variant="body2" color="text.secondary">Unassigned</Typography>
              )
            }
          />
        </DataTable>
      </Box>
      <KeyHint claim={variant === 'my-work'} />
    </RowStateContext.Provider>
  );
}

/** The line under a work item's title: what the officer needs to know before opening it. */
function workItemDetail(task: Task): string | undefined {
  const p = (task.payload ?? {}) as Record<string, unknown>;
  const text = (v: unknown) => (typeof v === 'string' && v ? v : undefined);
  if (task.type === 'triage_referral') return text(p.reason);
  if (task.type === 'book_new_appointment' || task.type === 'book_follow_up') return text(p.clinicName);
  if (task.type === 'record_attendance' || task.type === 'dna_review') return text(p.clinicName);
  return text(p.reason);
}
