// The work item lists (My work and its tabs, Escalations, the full list): most urgent first, keyboard driven.
import { createContext, useCallback, useContext, useRef, type ComponentProps } from 'react';
import { Box, Chip, Typography } from '@mui/material';
import {
  DataTable,
  DataTableBody,
  DataTableRow,
  useListContext,
  useNavigate,
  useRecordContext,
  type DataTableBodyProps,
} from 'react-admin';
import { formatDate, formatDateTime } from '../components/dates';
import { DueText, PatientText, PriorityChip } from '../components/fields';
import { CommunicationNeedsFlag } from '../components/communication-needs';
import { labelFor, taskStatusLabels, taskTypeLabels } from '../components/labels';
import { useIsLeader } from '../components/roles';
import type { Task } from '../types';
import { BulkAssignButton } from './bulk-assign';
import { useRowKeys } from './row-keys';
import { isSnoozed, taskPath } from './work-items';
import { plural } from '../components/notices';

export type WorkItemVariant = 'my-work' | 'snoozed' | 'done' | 'all';

const tableTestIds: Record<WorkItemVariant, string> = {
  'my-work': 'my-work-table',
  snoozed: 'snoozed-table',
  done: 'recently-done-table',
  all: 'task-list-table',
};

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

export function KeyHint({ claim, select }: { claim?: boolean; select?: boolean }) {
  const key = (text: string) => (
    <Box component="kbd" sx={{ px: 0.5, border: 1, borderColor: 'divider', borderRadius: 0.5, fontFamily: 'monospace' }}>
      {text}
    </Box>
  );
  return (
    <Typography variant="caption" color="text.secondary" component="p" sx={{ px: 2, py: 1 }} data-testid="key-hint">
      Keys: {claim ? <>{key('c')} claim and open the next item · </> : null}
      {key('j')}/{key('k')} next/previous · {key('Enter')} open
      {select ? <> · {key('x')} tick for “Move to…”</> : null}
    </Typography>
  );
}

/** Snoozed until a later date: shown under the title so a snoozed item is not worked by mistake. */
function SnoozedNote({ task }: { task: Task }) {
  if (!isSnoozed(task)) return null;
  return (
    <Chip
      size="small"
      variant="outlined"
      label={`Snoozed until ${formatDate(task.snoozedUntil)}`}
      title={task.snoozeReason ?? undefined}
      data-testid="snoozed-chip"
      sx={{ mt: 0.5 }}
    />
  );
}

const noRows: Task[] = [];

export function WorkItemTable({ variant = 'my-work' }: { variant?: WorkItemVariant }) {
  const { data, onToggleItem } = useListContext<Task>();
  const rows = data ?? noRows;
  const navigate = useNavigate();
  const tableRef = useRef<HTMLDivElement>(null);
  const isLeader = useIsLeader();
  const bulk = variant === 'all' && isLeader;
  const onOpen = useCallback((task: Task) => navigate(taskPath(task.id)), [navigate]);
  const onToggle = useCallback((task: Task) => onToggleItem(task.id), [onToggleItem]);
  // c (claim next) belongs to My work as a whole, so it works on every tab and with an empty list.
  const { selected } = useRowKeys({ rows, onOpen, onToggle: bulk ? onToggle : undefined, tableRef });

  return (
    <RowStateContext.Provider value={{ ids: rows.map((row) => row.id), selected }}>
      <Box ref={tableRef} data-testid={tableTestIds[variant]}>
        <DataTable
          data={rows}
          body={WorkItemBody}
          bulkActionButtons={bulk ? <BulkAssignButton /> : false}
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
                  {variant === 'done' || variant === 'snoozed' ? null : <SnoozedNote task={task} />}
                </Box>
              );
            }}
          />
          <DataTable.Col
            source="patientName"
            label="Patient"
            disableSort
            render={(record) => (
              <>
                <PatientText name={(record as Task).patientName} nhsNumber={(record as Task).nhsNumber} />
                <CommunicationNeedsFlag needs={(record as Task).communicationNeeds} compact />
              </>
            )}
          />
          {variant === 'done' ? (
            <DataTable.Col
              source="completedAt"
              label="Completed"
              render={(record) => formatDateTime((record as Task).completedAt)}
            />
          ) : (
            <DataTable.Col source="dueAt" label="Due" render={(record) => <DueText value={(record as Task).dueAt} />} />
          )}
          {variant === 'snoozed' ? (
            <DataTable.Col
              source="snoozedUntil"
              label="Snoozed until"
              disableSort
              render={(record) => (
                <Box>
                  <Typography variant="body2">{formatDate((record as Task).snoozedUntil)}</Typography>
                  <Typography variant="caption" color="text.secondary">{(record as Task).snoozeReason}</Typography>
                </Box>
              )}
            />
          ) : null}
          {variant === 'done' ? null : (
            <DataTable.Col
              source="escalationLevel"
              label="Escalation"
              render={(record) => <EscalationLevel level={(record as Task).escalationLevel} />}
            />
          )}
          {variant === 'all' ? (
            <DataTable.Col
              source="status"
              label="Status"
              render={(record) => labelFor(taskStatusLabels, (record as Task).status)}
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
      <KeyHint claim={variant === 'my-work' || variant === 'snoozed' || variant === 'done'} select={bulk} />
    </RowStateContext.Provider>
  );
}

/** The line under a work item's title: what the officer needs to know before opening it. */
export function workItemDetail(task: Task): string | undefined {
  const p = (task.payload ?? {}) as Record<string, unknown>;
  const text = (v: unknown) => (typeof v === 'string' && v ? v : undefined);
  if (task.type === 'triage_referral') return text(p.reason);
  if (task.type === 'book_new_appointment' || task.type === 'book_follow_up') return text(p.clinicName);
  if (task.type === 'record_attendance' || task.type === 'dna_review') return text(p.clinicName);
  if (task.type === 'validate_pathway' && p.followUp === true && p.weeksPastDue != null) {
    return `Follow-up not booked ${plural(Number(p.weeksPastDue), 'week')} after it was due`;
  }
  if (task.type === 'validate_pathway' && p.weeksWaited != null) return `Validation at ${plural(Number(p.weeksWaited), 'week')}`;
  if (task.type === 'active_monitoring_review' && typeof p.reviewOn === 'string') return `Review due ${formatDate(p.reviewOn)}`;
  return text(p.reason);
}
