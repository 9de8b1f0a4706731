// A patient's logged contacts, newest first: the patient page's Contacts card and the Enquiry screen's last contacts.
import { Table, TableBody, TableCell, TableHead, TableRow, Typography } from '@mui/material';
import { formatDateTime } from '../components/dates';
import { contactChannelLabels, contactDirectionLabels, contactOutcomeLabels, labelFor } from '../components/labels';
import type { Contact } from '../types';

export function ContactsTable({ contacts, testId }: { contacts: Contact[]; testId?: string }) {
  if (!contacts.length) return <Typography variant="body2" color="text.secondary">No contacts logged.</Typography>;
  return (
    <Table size="small" data-testid={testId}>
      <TableHead>
        <TableRow>
          <TableCell>When</TableCell>
          <TableCell>How</TableCell>
          <TableCell>What was said or done</TableCell>
          <TableCell>Outcome</TableCell>
          <TableCell>By</TableCell>
        </TableRow>
      </TableHead>
      <TableBody>
        {contacts.map((k) => (
          <TableRow key={k.id}>
            <TableCell sx={{ whiteSpace: 'nowrap' }}>{formatDateTime(k.at)}</TableCell>
            <TableCell>
              {labelFor(contactChannelLabels, k.channel)}
              <Typography variant="caption" color="text.secondary" component="div">{labelFor(contactDirectionLabels, k.direction)}</Typography>
            </TableCell>
            <TableCell sx={{ maxWidth: 520, whiteSpace: 'pre-wrap' }}>
              {k.summary}
              {k.specialtyName ? <Typography variant="caption" color="text.secondary" component="div">About the {k.specialtyName} referral</Typography> : null}
            </TableCell>
            <TableCell>{labelFor(contactOutcomeLabels, k.outcome)}</TableCell>
            <TableCell>{k.staffName}</TableCell>
          </TableRow>
        ))}
      </TableBody>
    </Table>
  );
}
