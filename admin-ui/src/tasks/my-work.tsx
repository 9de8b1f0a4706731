// My work: the officer's own items and the unassigned ones in their queues (most urgent first),
// what they have snoozed, and what they finished lately. Claim next (or c) takes the most urgent
// unassigned item of their queues on the server and opens it.
import { useCallback, useMemo } from 'react';
import { Box, Button, Tab, Tabs, Typography } from '@mui/material';
import PlayArrowIcon from '@mui/icons-material/PlayArrow';
import { List, useGetIdentity, useGetMany, useStore } from 'react-admin';
import { ListPagination } from '../components/list-pagination';
import { NativeSelectField } from '../components/native-select';
import type { Queue } from '../types';
import { useShortcut } from './row-keys';
import { WorkItemTable } from './work-item-table';
import {
  myWorkFilter,
  latestDoneFirst,
  recentlyDoneDays,
  recentlyDoneFilter,
  snoozedFilter,
  urgentFirst,
  useClaimNext,
} from './work-items';
import { ExportActions } from '../components/download-button';

// Work arrives while the page is open; look again every half minute.
const refetchInterval = 30_000;

type MyWorkTab = 'mine' | 'snoozed' | 'done';
const tabs: { id: MyWorkTab; label: string }[] = [
  { id: 'mine', label: 'My items' },
  { id: 'snoozed', label: 'Snoozed' },
  { id: 'done', label: 'Recently done' },
];

function ClaimNext({ queueId, onQueueChange, onClaim, claiming }: {
  queueId: string;
  onQueueChange: (id: string) => void;
  onClaim: () => void;
  claiming: boolean;
}) {
  const { identity } = useGetIdentity();
  const queueIds = (identity?.queueIds as string[] | undefined) ?? [];
  const { data: queues } = useGetMany<Queue>('queues', { ids: queueIds }, { enabled: queueIds.length > 1 });
  return (
    <Box sx={{ display: 'flex', alignItems: 'flex-end', gap: 2 }}>
      {queueIds.length > 1 ? (
        <NativeSelectField label="Claim from" value={queueId} onChange={onQueueChange} testId="claim-next-queue" minWidth={180}>
          <option value="">All my queues</option>
          {(queues ?? []).map((queue) => (
            <option key={queue.id} value={queue.id}>
              {queue.name}
            </option>
          ))}
        </NativeSelectField>
      ) : null}
      <Button
        variant="contained"
        size="small"
        startIcon={<PlayArrowIcon />}
        onClick={onClaim}
        disabled={claiming}
        data-testid="claim-next"
        title="Claim and open the most urgent waiting item (c)"
        sx={{ whiteSpace: 'nowrap', flexShrink: 0 }}
      >
        Claim next
      </Button>
    </Box>
  );
}

function Empty({ testId, title, text }: { testId: string; title: string; text: string }) {
  return (
    <Box sx={{ p: 4, textAlign: 'center' }} data-testid={testId}>
      <Typography variant="h6">{title}</Typography>
      <Typography variant="body2" color="text.secondary">{text}</Typography>
    </Box>
  );
}

const listDefaults = {
  resource: 'tasks',
  title: 'My work',
  perPage: 25,
  disableSyncWithLocation: true,
  actions: <ExportActions saveFilters={false} />,
  pagination: <ListPagination rowsPerPageOptions={[25, 50, 100]} />,
  queryOptions: { refetchInterval },
};

function MyItems() {
  return (
    <List
      {...listDefaults}
      filter={myWorkFilter}
      sort={urgentFirst}
      storeKey="my-work"
      empty={
        <Empty
          testId="my-work-empty"
          title="Nothing waiting"
          text="Your queues are clear. New work items appear here as referrals arrive."
        />
      }
    >
      <WorkItemTable variant="my-work" />
    </List>
  );
}

function Snoozed() {
  return (
    <List
      {...listDefaults}
      filter={snoozedFilter}
      sort={urgentFirst}
      storeKey="my-work.snoozed"
      empty={<Empty testId="snoozed-empty" title="Nothing snoozed" text="Items you snooze wait here until their date." />}
    >
      <WorkItemTable variant="snoozed" />
    </List>
  );
}

function RecentlyDone({ me }: { me: string }) {
  // Fixed when the tab opens: a filter that changed every render would fetch without end.
  const filter = useMemo(() => recentlyDoneFilter(me), [me]);
  return (
    <List
      {...listDefaults}
      filter={filter}
      sort={latestDoneFirst}
      storeKey="my-work.done"
      empty={
        <Empty
          testId="recently-done-empty"
          title="Nothing done lately"
          text={`Items you complete show here for ${recentlyDoneDays} days.`}
        />
      }
    >
      <WorkItemTable variant="done" />
    </List>
  );
}

export function MyWork() {
  const { identity } = useGetIdentity();
  const [tab, setTab] = useStore<MyWorkTab>('my-work.tab', 'mine');
  const [queueId, setQueueId] = useStore<string>('my-work.claim-queue', '');
  const { claimNext, claiming } = useClaimNext();
  const claim = useCallback(() => void claimNext(queueId), [claimNext, queueId]);
  useShortcut(['c', 'C'], claim);
  const me = identity?.id != null ? String(identity.id) : null;

  return (
    <Box data-testid="my-work">
      <Box
        sx={{ display: 'flex', alignItems: 'flex-end', justifyContent: 'space-between', flexWrap: 'wrap', gap: 2, mt: 1 }}
      >
        <Tabs value={tab} onChange={(_, value: MyWorkTab) => setTab(value)} aria-label="My work">
          {tabs.map((t) => (
            <Tab key={t.id} value={t.id} label={t.label} data-testid={`my-work-tab-${t.id}`} />
          ))}
        </Tabs>
        <ClaimNext queueId={queueId} onQueueChange={setQueueId} onClaim={claim} claiming={claiming} />
      </Box>
      {tab === 'mine' ? <MyItems /> : null}
      {tab === 'snoozed' ? <Snoozed /> : null}
      {tab === 'done' && me ? <RecentlyDone me={me} /> : null}
    </Box>
  );
}
