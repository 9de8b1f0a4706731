// One PAS message: what it told the PAS, each date of its journey, attempts, the PAS's last answer, and for a rejected
// one Send again or Set aside. Read again while it is on its way.
import { useEffect } from 'react';
import { Box } from '@mui/material';
import ArrowBackIcon from '@mui/icons-material/ArrowBack';
import { Button, Link, Show, TopToolbar, useRecordContext, useShowContext } from 'react-admin';
import { hl7EventLabels, hl7MessageTypes } from '../../../domain/labels';
import { formatDateTime } from '../components/dates';
import { Labelled, Panel } from '../components/fields';
import { labelFor } from '../components/labels';
import { PasMessageActions } from './pas-message-actions';
import { onItsWay } from './pas-message-list';
import { PasAnswer, PasStatusChip, type PasMessage } from './pas-message-words';

function Title() {
  const m = useRecordContext<PasMessage>();
  return <span>{m ? `PAS message ${m.controlId}: ${labelFor(hl7EventLabels, m.event)}` : 'PAS message'}</span>;
}

function Actions() {
  const m = useRecordContext<PasMessage>();
  return (
    <TopToolbar>
      <Button label="All PAS messages" to="/pas-messages"><ArrowBackIcon /></Button>
      {m ? <PasMessageActions message={m} /> : null}
    </TopToolbar>
  );
}

function Detail() {
  const m = useRecordContext<PasMessage>();
  const { refetch } = useShowContext<PasMessage>();
  const moving = m ? onItsWay(m) : false;
  useEffect(() => {
    if (!moving) return undefined;
    const timer = setInterval(() => void refetch(), 1500);
    return () => clearInterval(timer);
  }, [moving, refetch]);
  if (!m) return null;
  return (
    <Panel title="The message" testId="pas-message-detail">
      <Box sx={{ display: 'grid', gridTemplateColumns: 'repeat(2, minmax(0, 1fr))', columnGap: 3 }}>
        <Labelled label="Message">{labelFor(hl7EventLabels, m.event)} ({hl7MessageTypes[m.event]})</Labelled>
        <Labelled label="Control id (MSH-10)"><code>{m.controlId}</code></Labelled>
        <Labelled label="Status"><PasStatusChip message={m} /></Labelled>
        <Labelled label="Attempts">{String(m.attempts)}</Labelled>
        <Labelled label="PAS’s last answer"><PasAnswer message={m} /></Labelled>
        <Labelled label="Made">{formatDateTime(m.createdAt)}</Labelled>
        <Labelled label="Last sent">{formatDateTime(m.sentAt)}</Labelled>
        {m.status === 'queued' ? <Labelled label="Not sent before">{formatDateTime(m.sendAfter)}</Labelled> : null}
        <Labelled label="Acknowledged">{formatDateTime(m.acknowledgedAt)}</Labelled>
        <Labelled label="Referral">
          {m.referralId ? <Link to={`/referrals/${encodeURIComponent(m.referralId)}/show`}>Open the referral</Link> : null}
        </Labelled>
      </Box>
    </Panel>
  );
}

export function PasMessageShow() {
  return (
    <Show title={<Title />} actions={<Actions />} sx={{ '& .RaShow-card': { p: 2 } }}>
      <Detail />
    </Show>
  );
}
