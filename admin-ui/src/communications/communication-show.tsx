// One message as it was sent: to whom, how, what became of it (Notify's reason when it could not be delivered),
// the words themselves, and for a letter the PDF that was posted.
import { Box, Typography } from '@mui/material';
import ArrowBackIcon from '@mui/icons-material/ArrowBack';
import { Button, Link, Show, TopToolbar, useRecordContext } from 'react-admin';
import { formatDateTime } from '../components/dates';
import { Labelled, Panel, PatientText } from '../components/fields';
import { commChannelLabels, labelFor, letterFormatLabels, messageRecipientLabels, messageTemplateLabels } from '../components/labels';
import type { CommunicationDetail } from '../types';
import { CommunicationStatus, LetterLink } from './communication-words';

function CommunicationTitle() {
  const message = useRecordContext<CommunicationDetail>();
  return <span>{message ? `${labelFor(messageTemplateLabels, message.template)}: ${message.patientName}` : 'Message'}</span>;
}

function Delivery({ message }: { message: CommunicationDetail }) {
  return (
    <Panel title="Delivery" testId="communication-delivery">
      <Box sx={{ display: 'grid', gridTemplateColumns: 'repeat(2, minmax(0, 1fr))', columnGap: 3 }}>
        <Labelled label="Patient"><PatientText name={message.patientName} nhsNumber={message.nhsNumber} patientId={message.patientId} /></Labelled>
        <Labelled label="To">{labelFor(messageRecipientLabels, message.recipient)}</Labelled>
        <Labelled label="How">
          {labelFor(commChannelLabels, message.channel)}
          {message.channel === 'letter' ? `, ${labelFor(letterFormatLabels, message.format).toLowerCase()}` : ''}
        </Labelled>
        <Labelled label="Status"><CommunicationStatus message={message} /></Labelled>
        <Labelled label="Written">{formatDateTime(message.createdAt)}</Labelled>
        <Labelled label={message.status === 'queued' ? 'Not sent before' : 'Sent'}>
          {formatDateTime(message.status === 'queued' ? message.sendAfter : message.sentAt)}
        </Labelled>
        <Labelled label="Delivered">{formatDateTime(message.deliveredAt)}</Labelled>
        <Labelled label="Attempts">{String(message.attempts)}</Labelled>
        <Labelled label="Referral">
          {message.referralId ? <Link to={`/referrals/${encodeURIComponent(message.referralId)}/show`}>Open the referral</Link> : null}
        </Labelled>
        <Labelled label="GOV.UK Notify reference">{message.notifyId}</Labelled>
      </Box>
    </Panel>
  );
}

function Words({ message }: { message: CommunicationDetail }) {
  return (
    <Panel title={message.channel === 'letter' ? 'The letter' : 'The message'} testId="communication-words">
      {message.channel === 'letter' ? <Box sx={{ mb: 2 }}><LetterLink message={message} /></Box> : null}
      {message.subject ? <Typography variant="subtitle2" component="p" sx={{ mb: 1 }}>{message.subject}</Typography> : null}
      <Typography variant="body2" component="div" sx={{ whiteSpace: 'pre-wrap', maxWidth: 720 }} data-testid="communication-body">
        {message.body}
      </Typography>
    </Panel>
  );
}

function CommunicationDetailView() {
  const message = useRecordContext<CommunicationDetail>();
  // The list's record shows first; the words come with the full record.
  if (!message || message.body === undefined) return null;
  return (
    <Box sx={{ display: 'grid', gap: 2, gridTemplateColumns: { xs: '1fr', md: 'minmax(0, 1fr) minmax(0, 1fr)' }, alignItems: 'start' }}>
      <Delivery message={message} />
      <Words message={message} />
    </Box>
  );
}

function CommunicationShowActions() {
  return (
    <TopToolbar>
      <Button label="Outbox" to="/communications" startIcon={<ArrowBackIcon />} />
    </TopToolbar>
  );
}

export function CommunicationShow() {
  return (
    <Show title={<CommunicationTitle />} actions={<CommunicationShowActions />} sx={{ '& .RaShow-card': { p: 2 } }}>
      <CommunicationDetailView />
    </Show>
  );
}
