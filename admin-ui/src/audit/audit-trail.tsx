// The audit entries of one record, for the bottom of its page.
import { Table, TableBody, TableCell, TableRow, Typography } from '@mui/material';
import { useGetList } from 'react-admin';
import { formatDateTime } from '../components/dates';
import type { AuditEntry } from '../types';
import { ActorText, auditSort } from './audit-list';
import { ChangeText } from './audit-values';

export function AuditTrail({ entityId }: { entityId: string }) {
  const { data, isPending, error } = useGetList<AuditEntry>('audit', {
    filter: { entityId },
    sort: auditSort,
    pagination: { page: 1, perPage: 50 },
  });
  if (isPending) return <Typography variant="body2" color="text.secondary">Loading…</Typography>;
  if (error) return <Typography variant="body2" color="text.secondary">The history could not be loaded.</Typography>;
  if (!data?.length) return <Typography variant="body2" color="text.secondary">Nothing recorded yet.</Typography>;
  return (
    <Table size="small" data-testid="audit-trail">
      <TableBody>
        {data.map((entry) => (
          <TableRow key={entry.id}>
            <TableCell sx={{ whiteSpace: 'nowrap' }}>{formatDateTime(entry.at)}</TableCell>
            <TableCell><ActorText entry={entry} /></TableCell>
            <TableCell>{entry.action}</TableCell>
            <TableCell><ChangeText before={entry.before} after={entry.after} /></TableCell>
          </TableRow>
        ))}
      </TableBody>
    </Table>
  );
}
