// A react-admin DataTable worked by keyboard: j/k (or n/p) move the highlighted row, Enter opens it
// (the same keys as the work item lists, tasks/row-keys.ts). Shared by the PTL and the cancer view.
import { createContext, useCallback, useContext, useRef, type ComponentProps, type ReactNode } from 'react';
import { Box, Typography } from '@mui/material';
import { DataTable, DataTableBody, DataTableRow, useListContext, useRecordContext, type DataTableBodyProps, type RaRecord } from 'react-admin';
import { useRowKeys, useShortcut } from '../tasks/row-keys';

interface RowState {
  ids: RaRecord['id'][];
  selected: number;
  rowTestId: string;
}

const RowStateContext = createContext<RowState>({ ids: [], selected: -1, rowTestId: 'row' });

function KeyedRow(props: ComponentProps<typeof DataTableRow>) {
  const record = useRecordContext();
  const { ids, selected, rowTestId } = useContext(RowStateContext);
  const index = record ? ids.indexOf(record.id) : -1;
  const isSelected = index >= 0 && index === selected;
  return (
    <DataTableRow
      {...props}
      data-testid={rowTestId}
      data-id={record?.id}
      data-row-index={index}
      aria-selected={isSelected}
      sx={[
        ...(Array.isArray(props.sx) ? props.sx : props.sx ? [props.sx] : []),
        isSelected && { bgcolor: 'action.selected', boxShadow: (theme) => `inset 4px 0 0 ${theme.palette.primary.main}` },
      ]}
    />
  );
}

function KeyedBody(props: DataTableBodyProps) {
  return <DataTableBody {...props} row={KeyedRow} />;
}

export function Kbd({ children }: { children: ReactNode }) {
  return (
    <Box component="kbd" sx={{ px: 0.5, border: 1, borderColor: 'divider', borderRadius: 0.5, fontFamily: 'monospace' }}>
      {children}
    </Box>
  );
}

export function KeyHints({ children, testId = 'key-hint' }: { children: ReactNode; testId?: string }) {
  return (
    <Typography variant="caption" color="text.secondary" component="p" sx={{ px: 2, py: 1 }} data-testid={testId}>
      Keys: <Kbd>j</Kbd>/<Kbd>k</Kbd> next/previous · <Kbd>Enter</Kbd> open{children}
    </Typography>
  );
}

const noRows: RaRecord[] = [];

interface KeyedDataTableProps<T extends RaRecord> {
  /** Where a row leads (its page). */
  pathOf: (record: T) => string;
  onOpen: (record: T) => void;
  rowTestId: string;
  testId: string;
  children: ReactNode;
  hints?: ReactNode;
  /** Single keys that act on the highlighted row (e.g. f: record its FDS outcome). */
  rowKeys?: Record<string, (record: T) => void>;
}

/** The list's rows in a DataTable, one of them highlighted and opened by keyboard as by click. */
export function KeyedDataTable<T extends RaRecord>({ pathOf, onOpen, rowTestId, testId, children, hints, rowKeys }: KeyedDataTableProps<T>) {
  const { data } = useListContext<T>();
  const rows = (data ?? noRows) as T[];
  const tableRef = useRef<HTMLDivElement>(null);
  const { selected } = useRowKeys({ rows, onOpen, tableRef });
  const onRowKey = useCallback(
    (key: string) => {
      const row = rows[Math.min(selected, rows.length - 1)];
      if (row) rowKeys?.[key]?.(row);
    },
    [rows, selected, rowKeys],
  );
  useShortcut(Object.keys(rowKeys ?? {}), rowKeys ? onRowKey : undefined);
  return (
    <RowStateContext.Provider value={{ ids: rows.map((row) => row.id), selected, rowTestId }}>
      <Box ref={tableRef} data-testid={testId}>
        <DataTable body={KeyedBody} bulkActionButtons={false} rowClick={(_id, _resource, record) => pathOf(record as T)}>
          {children}
        </DataTable>
      </Box>
      <KeyHints>{hints}</KeyHints>
    </RowStateContext.Provider>
  );
}
