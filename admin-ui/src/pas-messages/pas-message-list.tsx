// PAS messages (issue 14; ops and admins): every HL7 message Access Desk sent or will send the PAS, newest first, with
// what it told the PAS in words, its status, attempts and the PAS's last answer. A rejected message holds up that
// patient's later messages: Send again or Set aside from the row. No patient details: the referral says whose it is.
// The list reads itself again while a message on it is on its way.
import { useCallback, useEffect, type MouseEvent } from 'react';
import { Box } from '@mui/material';
import { DataTable, Link, List, Pagination, SelectInput, useListContext, useNavigate } from 'react-admin';
import { hl7EventLabels, hl7StatusLabels } from '../../../domain/labels';
import { formatDateTime } from '../components/dates';
import { KeyedDataTable } from '../components/keyed-table';
import { choicesFrom } from '../components/labels';
import { PasMessageActions } from './pas-message-actions';
import { PasAnswer, PasMessageWhat, PasStatusChip, type PasMessage } from './pas-message-words';

export const pasMessagePath = (id: string) => `/pas-messages/${encodeURIComponent(id)}/show`;
const refreshMs = 2000;
const lately = 5 * 60_000;
/**
 * Worth reading again for: sending, being retried, or made or resent in the last few minutes. A message waiting longer
 * than that with no attempt means the feed is off (HL7_FEED=off or no PAS): no use asking every 2 seconds.
 */
export const onItsWay = (m: Pick<PasMessage, 'status' | 'attempts' | 'updatedAt'>, now = Date.now()) =>
  m.status === 'sending' || (m.status === 'queued' && (m.attempts > 0 || now - Date.parse(m.updatedAt) < lately));

const filters = [
  <SelectInput key="status" source="status" label="Status" choices={choicesFrom(hl7StatusLabels)} alwaysOn />,
  <SelectInput key="event" source="event" label="Message" choices={choicesFrom(hl7EventLabels)} alwaysOn />,
];

function RefreshWhileSending() {
  const { data, refetch } = useListContext<PasMessage>();
  const sending = (data ?? []).some(onItsWay);
  useEffect(() => {
    if (!sending) return undefined;
    const timer = setInterval(() => void refetch(), refreshMs);
    return () => clearInterval(timer);
  }, [sending, refetch]);
  return null;
}

const message = (r: unknown) => r as PasMessage;

export function PasMessageList() {
  const navigate = useNavigate();
  const onOpen = useCallback((record: PasMessage) => navigate(pasMessagePath(record.id)), [navigate]);
  return (
    <List
      title="PAS messages"
      exporter={false}
      filters={filters}
      sort={{ field: 'createdAt', order: 'DESC' }}
      perPage={25}
      pagination={<Pagination rowsPerPageOptions={[25, 50, 100]} />}
      empty={false}
    >
      <RefreshWhileSending />
      <KeyedDataTable<PasMessage> pathOf={(r) => pasMessagePath(r.id)} onOpen={onOpen} rowTestId="pas-message-row" testId="pas-message-list">
        <DataTable.Col source="createdAt" label="Made" render={(r) => formatDateTime(message(r).createdAt)} />
        <DataTable.Col source="event" label="Message" render={(r) => <PasMessageWhat message={message(r)} />} />
        <DataTable.Col source="status" label="Status" render={(r) => <PasStatusChip message={message(r)} />} />
        <DataTable.NumberCol source="attempts" label="Attempts" />
        <DataTable.Col source="lastError" label="PAS’s last answer" disableSort render={(r) => <PasAnswer message={message(r)} />} />
        <DataTable.Col
          source="referralId"
          label="Referral"
          disableSort
          render={(r) => (message(r).referralId ? (
            <Link to={`/referrals/${encodeURIComponent(message(r).referralId!)}/show`} onClick={(e: MouseEvent) => e.stopPropagation()}>Open</Link>
          ) : '—')}
        />
        <DataTable.Col
          source="id"
          label=""
          disableSort
          render={(r) => (
            // The buttons' own clicks and keys, not the row's.
            <Box sx={{ display: 'flex', gap: 1 }} onClick={(e) => e.stopPropagation()} onKeyDown={(e) => e.stopPropagation()}>
              <PasMessageActions message={message(r)} />
            </Box>
          )}
        />
      </KeyedDataTable>
    </List>
  );
}
