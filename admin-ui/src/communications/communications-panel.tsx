// What we sent, or are about to send, about a patient or a referral: the Communications panel of the patient and
// referral pages, with each message's status in words and its letter one link away.
import { Table, TableBody, TableCell, TableHead, TableRow, Typography } from '@mui/material';
import { Link, useGetList } from 'react-admin';
import { formatDateTime } from '../components/dates';
import { Panel } from '../components/fields';
import { commChannelLabels, labelFor, messageRecipientLabels, messageTemplateLabels } from '../components/labels';
import type { Communication } from '../types';
import { CommunicationStatus, LetterLink } from './communication-words';

export const communicationPath = (id: string) => `/communications/${encodeURIComponent(id)}/show`;

export function CommunicationsTable({ messages }: { messages: Communication[] }) {
  return (
    <Table size="small" data-testid="communications-table">
      <TableHead>
        <TableRow>
          <TableCell>Written</TableCell>
          <TableCell>How</TableCell>
          <TableCell>What</TableCell>
          <TableCell>Status</TableCell>
          <TableCell>Letter</TableCell>
        </TableRow>
      </TableHead>
      <TableBody>
        {messages.map((message) => (
          <TableRow key={message.id} data-testid="communication-row" data-id={message.id}>
            <TableCell sx={{ whiteSpace: 'nowrap' }}>{formatDateTime(message.createdAt)}</TableCell>
            <TableCell>
              {labelFor(commChannelLabels, message.channel)}
              {message.recipient !== 'patient' ? (
                <Typography variant="caption" color="text.secondary" component="div">to the {labelFor(messageRecipientLabels, message.recipient).toLowerCase()}</Typography>
              ) : null}
            </TableCell>
            <TableCell>
              <Link to={communicationPath(message.id)}>{labelFor(messageTemplateLabels, message.template)}</Link>
            </TableCell>
            <TableCell><CommunicationStatus message={message} /></TableCell>
            <TableCell>{message.channel === 'letter' ? <LetterLink message={message} label="PDF" /> : '—'}</TableCell>
          </TableRow>
        ))}
      </TableBody>
    </Table>
  );
}

/** The panel over messages already in hand (the patient page's record carries them). */
export function CommunicationsPanel({ messages, testId = 'communications-panel' }: { messages: Communication[]; testId?: string }) {
  return (
    <Panel title="Letters and messages" testId={testId}>
      {messages.length === 0 ? (
        <Typography variant="body2" color="text.secondary">Nothing sent or waiting to send.</Typography>
      ) : (
        <CommunicationsTable messages={messages} />
      )}
    </Panel>
  );
}

/** The panel for a referral: its messages read from the Outbox list, newest first. */
export function ReferralCommunicationsPanel({ referralId }: { referralId: string }) {
  const { data, isPending } = useGetList<Communication>('communications', {
    filter: { referralId }, sort: { field: 'createdAt', order: 'DESC' }, pagination: { page: 1, perPage: 100 },
  });
  if (isPending) return null;
  return <CommunicationsPanel messages={data ?? []} testId="referral-communications" />;
}
