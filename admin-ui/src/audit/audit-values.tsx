// Showing an audit entry: who did what to which record, and what changed.
import { Box, Typography } from '@mui/material';
import type { MouseEvent } from 'react';
import { Link } from 'react-admin';

const isPlainObject = (value: unknown): value is Record<string, unknown> =>
  value != null && typeof value === 'object' && !Array.isArray(value);

/**
 * The before and after as compact JSON. When both are objects only the keys that differ are shown,
 * so a reassignment reads {"assigneeId":"staff_a"} → {"assigneeId":"staff_b"}.
 */
export function changedParts(before: unknown, after: unknown): [string, string] {
  const json = (value: unknown) => (value === undefined || value === null ? '—' : JSON.stringify(value));
  if (isPlainObject(before) && isPlainObject(after)) {
    const keys = [...new Set([...Object.keys(before), ...Object.keys(after)])].filter(
      (key) => JSON.stringify(before[key]) !== JSON.stringify(after[key]),
    );
    if (keys.length > 0) {
      const pick = (source: Record<string, unknown>) =>
        JSON.stringify(Object.fromEntries(keys.filter((key) => key in source).map((key) => [key, source[key]])));
      return [pick(before), pick(after)];
    }
  }
  return [json(before), json(after)];
}

export function ChangeText({ before, after }: { before: unknown; after: unknown }) {
  const [from, to] = changedParts(before, after);
  return (
    <Box
      component="code"
      sx={{ fontFamily: 'monospace', fontSize: 12, wordBreak: 'break-word', display: 'block', maxWidth: 520 }}
      title={`${JSON.stringify(before)} → ${JSON.stringify(after)}`}
    >
      {from} <Box component="span" sx={{ color: 'text.secondary' }}>→</Box> {to}
    </Box>
  );
}

const entityPaths: Record<string, string> = {
  task: 'tasks',
  absence: 'absences',
  queue: 'queues',
  referral: 'referrals',
  clinic: 'clinics',
};

export function EntityLink({ entityType, entityId }: { entityType: string; entityId: string }) {
  const resource = entityPaths[entityType];
  return (
    <Box>
      <Typography variant="caption" color="text.secondary" component="div">{entityType}</Typography>
      {resource ? (
        <Link to={`/${resource}/${encodeURIComponent(entityId)}/show`} onClick={(event: MouseEvent) => event.stopPropagation()}>
          {entityId}
        </Link>
      ) : (
        <Typography variant="body2">{entityId}</Typography>
      )}
    </Box>
  );
}
