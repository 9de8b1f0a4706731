// One audit entry shown to people: a sentence with names that link to the patient, item or person, and the
// raw before and after one click (or Enter) away.
import { useId, useState } from 'react';
import { Box, Button, Typography } from '@mui/material';
import ExpandMoreIcon from '@mui/icons-material/ExpandMore';
import ExpandLessIcon from '@mui/icons-material/ExpandLess';
import type { MouseEvent } from 'react';
import { Link } from 'react-admin';
import type { AuditEntry } from '../types';
import { auditSentence } from './audit-sentences';

const stop = (event: MouseEvent) => event.stopPropagation();

export function AuditSentence({ entry }: { entry: AuditEntry }) {
  return (
    <Typography variant="body2" component="span" data-testid="audit-sentence">
      {auditSentence(entry).map((part, i) =>
        typeof part === 'string' ? (
          <span key={i}>{part}</span>
        ) : part.to ? (
          <Link key={i} to={part.to} onClick={stop} sx={{ fontWeight: 500 }}>
            {part.text}
          </Link>
        ) : (
          <strong key={i}>{part.text}</strong>
        ),
      )}
    </Typography>
  );
}

const json = (value: unknown) => (value === undefined || value === null ? '—' : JSON.stringify(value, null, 2));

/** The entry as recorded: action code, record, before and after. Hidden until asked for. */
export function AuditDetails({ entry }: { entry: AuditEntry }) {
  const [open, setOpen] = useState(false);
  const id = useId();
  return (
    <Box>
      <Button
        size="small"
        onClick={(event) => {
          event.stopPropagation();
          setOpen(!open);
        }}
        aria-expanded={open}
        aria-controls={id}
        endIcon={open ? <ExpandLessIcon /> : <ExpandMoreIcon />}
        data-testid="audit-details-toggle"
        sx={{ px: 0.5, minWidth: 0 }}
      >
        {open ? 'Hide details' : 'Details'}
      </Button>
      <Box id={id} hidden={!open} data-testid="audit-details" sx={{ mt: 0.5 }}>
        {open ? (
          <Box component="dl" sx={{ m: 0, display: 'grid', gridTemplateColumns: 'max-content minmax(0, 1fr)', columnGap: 1.5, rowGap: 0.5, fontSize: 13 }}>
            <dt>Action</dt>
            <dd style={{ margin: 0 }}><code>{entry.action}</code></dd>
            <dt>Record</dt>
            <dd style={{ margin: 0 }}><code>{entry.entityType} {entry.entityId}</code></dd>
            <dt>Before</dt>
            <dd style={{ margin: 0 }}><Box component="pre" sx={{ m: 0, whiteSpace: 'pre-wrap', wordBreak: 'break-word', fontSize: 12 }}>{json(entry.before)}</Box></dd>
            <dt>After</dt>
            <dd style={{ margin: 0 }}><Box component="pre" sx={{ m: 0, whiteSpace: 'pre-wrap', wordBreak: 'break-word', fontSize: 12 }}>{json(entry.after)}</Box></dd>
          </Box>
        ) : null}
      </Box>
    </Box>
  );
}
