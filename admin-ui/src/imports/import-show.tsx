// One import: its counts, how far it has got (read again while it runs), why it failed, and every rejected row with its
// line and column, as the file's owner fixes them.
import { useEffect } from 'react';
import { Alert, Box, Table, TableBody, TableCell, TableHead, TableRow, Typography } from '@mui/material';
import { Show, useRecordContext, useShowContext } from 'react-admin';
import type { ImportRecord } from '../../../api/imports';
import { formatDateTime } from '../components/dates';
import { ImportProgress, ImportStatusChip, type ImportListed } from './import-list';

type ImportShown = ImportRecord & { createdByName: string | null };
const refreshMs = 1500;
/** A file of bad rows can have tens of thousands of errors: the page shows the first of them. */
const SHOWN_ERRORS = 500;

function Count({ label, value, testId }: { label: string; value: number; testId: string }) {
  return (
    <Box sx={{ minWidth: 120 }} data-testid={testId} data-count={value}>
      <Typography variant="h4" component="div">{value.toLocaleString('en-GB')}</Typography>
      <Typography variant="body2" color="text.secondary">{label}</Typography>
    </Box>
  );
}

function ImportTitle() {
  const record = useRecordContext<ImportShown>();
  return <span>{record ? `Import ${record.fileName ?? record.id}` : 'Import'}</span>;
}

function ImportDetail() {
  const record = useRecordContext<ImportShown>();
  const { refetch } = useShowContext<ImportShown>();
  const running = record?.status === 'running';
  useEffect(() => {
    if (!running) return undefined;
    const timer = setInterval(() => void refetch(), refreshMs);
    return () => clearInterval(timer);
  }, [running, refetch]);
  if (!record) return null;
  // The list's copy of the record (no errors) shows first while the full one loads.
  const errors = record.errors ?? [];
  return (
    <Box sx={{ display: 'grid', gap: 2 }}>
      <Box sx={{ display: 'flex', gap: 2, alignItems: 'center', flexWrap: 'wrap' }}>
        <ImportStatusChip record={record} />
        <ImportProgress record={record as ImportListed} />
        <Typography variant="body2" color="text.secondary">
          Started {formatDateTime(record.createdAt)} by {record.createdByName ?? 'the command line'}
          {record.finishedAt ? `; finished ${formatDateTime(record.finishedAt)}` : ''}
        </Typography>
      </Box>
      {record.dryRun ? <Alert severity="info">A dry run: every row was checked and nothing was imported.</Alert> : null}
      {record.failure ? <Alert severity="error" data-testid="import-failure">{record.failure}</Alert> : null}
      <Box sx={{ display: 'flex', gap: 3, flexWrap: 'wrap' }}>
        <Count label="Rows in the file" value={record.total} testId="import-total" />
        <Count label="Imported" value={record.imported} testId="import-imported" />
        <Count label="Already here" value={record.unchanged} testId="import-unchanged" />
        <Count label="Rejected" value={record.rejected} testId="import-rejected" />
      </Box>
      <Typography variant="h6" component="h2">Rejected rows</Typography>
      {errors.length === 0 ? (
        <Typography>{running && record.total === 0 ? 'Checking the file …' : 'None: every row passed the checks.'}</Typography>
      ) : (
        <>
          {errors.length > SHOWN_ERRORS ? (
            <Alert severity="warning">The first {SHOWN_ERRORS} of {errors.length.toLocaleString('en-GB')} problems; the command line writes them all to a file.</Alert>
          ) : null}
          <Table size="small" data-testid="import-errors">
            <TableHead>
              <TableRow><TableCell>Line</TableCell><TableCell>Column</TableCell><TableCell>What is wrong</TableCell></TableRow>
            </TableHead>
            <TableBody>
              {errors.slice(0, SHOWN_ERRORS).map((e, k) => (
                <TableRow key={`${e.line}-${e.field}-${k}`}>
                  <TableCell>{e.line}</TableCell>
                  <TableCell><code>{e.field}</code></TableCell>
                  <TableCell>{e.message}</TableCell>
                </TableRow>
              ))}
            </TableBody>
          </Table>
        </>
      )}
    </Box>
  );
}

export function ImportShow() {
  return (
    <Show title={<ImportTitle />} sx={{ '& .RaShow-card': { p: 2 } }}>
      <ImportDetail />
    </Show>
  );
}
