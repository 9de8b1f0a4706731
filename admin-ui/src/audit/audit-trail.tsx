// The audit entries of one record (or one patient), for the bottom of its page, as sentences.
import { Box, Typography } from '@mui/material';
import { useGetList } from 'react-admin';
import { formatDateTime } from '../components/dates';
import type { AuditEntry } from '../types';
import { auditSort } from './audit-list';
import { AuditDetails, AuditSentence } from './audit-entry';

export function AuditTrail({ entityId, patientId }: { entityId?: string; patientId?: string }) {
  const { data, isPending, error } = useGetList<AuditEntry>('audit', {
    filter: patientId ? { patientId } : { entityId },
    sort: auditSort,
    pagination: { page: 1, perPage: 50 },
  });
  if (isPending) return <Typography variant="body2" color="text.secondary">Loading…</Typography>;
  if (error) return <Typography variant="body2" color="text.secondary">The history could not be loaded.</Typography>;
  if (!data?.length) return <Typography variant="body2" color="text.secondary">Nothing recorded yet.</Typography>;
  return (
    <Box component="ol" sx={{ m: 0, p: 0, listStyle: 'none' }} data-testid="audit-trail">
      {data.map((entry) => (
        <Box component="li" key={entry.id} sx={{ py: 1, borderBottom: 1, borderColor: 'divider' }}>
          <Typography variant="caption" color="text.secondary" component="div">
            {formatDateTime(entry.at)}
          </Typography>
          <AuditSentence entry={entry} />
          <AuditDetails entry={entry} />
        </Box>
      ))}
    </Box>
  );
}
