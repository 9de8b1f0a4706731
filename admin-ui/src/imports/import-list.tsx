// Go-live imports, newest first: each file brought over (or checked), how far it has got and how many rows were
// rejected. "Import a file" sends a PAS extract; a dry run checks it and changes nothing. The list reads itself
// again while an import runs.
import { useEffect, useRef, useState } from 'react';
import { Box, Checkbox, Chip, FormControlLabel, LinearProgress } from '@mui/material';
import UploadFileIcon from '@mui/icons-material/UploadFile';
import { Button, DataTable, List, Pagination, SelectInput, TopToolbar, useListContext, useRedirect } from 'react-admin';
import { importStatusLabels } from '../../../domain/labels';
import type { ImportRecord } from '../../../api/imports';
import { formatDateTime } from '../components/dates';
import { choicesFrom, labelFor } from '../components/labels';
import { useCommand } from '../components/use-command';

export type ImportListed = Omit<ImportRecord, 'errors'> & { createdByName: string | null };

const refreshMs = 2000;
const statusColour = { running: 'info', done: 'success', failed: 'error' } as const;

export function ImportStatusChip({ record }: { record: Pick<ImportRecord, 'status' | 'dryRun'> }) {
  const label = `${labelFor(importStatusLabels, record.status)}${record.dryRun ? ' (dry run)' : ''}`;
  return <Chip size="small" color={statusColour[record.status] ?? 'default'} label={label} data-status={record.status} />;
}

/** Rows dealt with so far (imported, already here, rejected) out of the file's rows. */
export function importDone(record: Pick<ImportRecord, 'status' | 'dryRun' | 'total' | 'imported' | 'unchanged' | 'rejected'>): number {
  if (record.status !== 'running' || record.dryRun) return record.status === 'running' ? 0 : record.total;
  return record.imported + record.unchanged + record.rejected;
}

export function ImportProgress({ record }: { record: ImportListed }) {
  if (record.status !== 'running') return <span>{record.total.toLocaleString('en-GB')} rows</span>;
  const pct = record.total ? Math.min(100, Math.round((importDone(record) / record.total) * 100)) : 0;
  return (
    <Box sx={{ minWidth: 140 }} aria-label={`${pct}% done`}>
      <LinearProgress variant={record.total ? 'determinate' : 'indeterminate'} value={pct} />
      <span>{record.total ? `${pct}% of ${record.total.toLocaleString('en-GB')} rows` : 'Checking the file'}</span>
    </Box>
  );
}

function StartImport() {
  const { dataProvider, run, busy } = useCommand();
  const redirect = useRedirect();
  const [dryRun, setDryRun] = useState(true);
  const input = useRef<HTMLInputElement>(null);
  const send = async (file: File | undefined) => {
    if (!file) return;
    let id: string | undefined;
    const ok = await run(async () => { id = (await dataProvider.startImport(file, dryRun)).data.id; },
      dryRun ? 'Checking the file: nothing will change' : 'Importing: the pathways are being brought over');
    if (ok && id) redirect('show', 'imports', id);
  };
  return (
    <>
      <FormControlLabel
        control={<Checkbox size="small" checked={dryRun} onChange={(e) => setDryRun(e.target.checked)} data-testid="import-dry-run" />}
        label="Dry run (check only)"
      />
      <input ref={input} type="file" accept=".csv,text/csv" hidden data-testid="import-file"
        onChange={(e) => { void send(e.target.files?.[0]); e.target.value = ''; }} />
      <Button label="Import a file" disabled={busy} onClick={() => input.current?.click()} data-testid="import-start"><UploadFileIcon /></Button>
    </>
  );
}

/** Reads the list again every few seconds while an import on it is running. */
function RefreshWhileRunning() {
  const { data, refetch } = useListContext<ImportListed>();
  const running = (data ?? []).some((r) => r.status === 'running');
  useEffect(() => {
    if (!running) return undefined;
    const timer = setInterval(() => void refetch(), refreshMs);
    return () => clearInterval(timer);
  }, [running, refetch]);
  return null;
}

const filters = [<SelectInput key="status" source="status" label="Status" choices={choicesFrom(importStatusLabels)} alwaysOn />];

export function ImportList() {
  return (
    <List
      title="Imports"
      filters={filters}
      sort={{ field: 'createdAt', order: 'DESC' }}
      perPage={25}
      actions={<TopToolbar><StartImport /></TopToolbar>}
      pagination={<Pagination rowsPerPageOptions={[25, 50, 100]} />}
      empty={false}
    >
      <RefreshWhileRunning />
      <DataTable rowClick="show" bulkActionButtons={false} data-testid="import-list">
        <DataTable.Col source="createdAt" label="Started" render={(r) => formatDateTime((r as ImportListed).createdAt)} />
        <DataTable.Col source="fileName" label="File" disableSort render={(r) => (r as ImportListed).fileName ?? '—'} />
        <DataTable.Col source="status" label="Status" render={(r) => <ImportStatusChip record={r as ImportListed} />} />
        <DataTable.Col source="total" label="Progress" render={(r) => <ImportProgress record={r as ImportListed} />} />
        <DataTable.NumberCol source="imported" label="Imported" disableSort />
        <DataTable.NumberCol source="unchanged" label="Already here" disableSort />
        <DataTable.NumberCol source="rejected" label="Rejected" disableSort />
        <DataTable.Col source="createdByName" label="By" disableSort render={(r) => (r as ImportListed).createdByName ?? 'Command line'} />
      </DataTable>
    </List>
  );
}
