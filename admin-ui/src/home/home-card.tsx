// One card on the home page: a count and the list it was counted from. The link carries exactly the filter the
// count was made with, so the list opened from a card shows the card's number.
import { Box, Card, CardActionArea, CardContent, Skeleton, Typography } from '@mui/material';
import { Link, useGetList } from 'react-admin';
import { countInWords, serverOrder } from '../dataProvider';

export type HomeCardSpec = {
  key: string;
  title: string;
  /** What the number means, in a sentence. */
  hint: string;
  resource: 'tasks' | 'ptl' | 'absences' | 'referrals';
  filter: Record<string, unknown>;
  /** Red when there are any. */
  alert?: boolean;
};

/** The console's address of a list with a filter (react-admin reads `filter` from the location). */
export function listPath(resource: string, filter: Record<string, unknown>): string {
  return `/${resource}?${new URLSearchParams({ filter: JSON.stringify(filter), page: '1' })}`;
}

export function HomeCard({ card }: { card: HomeCardSpec }) {
  const { total, meta, isPending, error } = useGetList(card.resource, {
    filter: card.filter, pagination: { page: 1, perPage: 1 }, sort: serverOrder,
  });
  // Work items are counted to 1,000: past that the card says "1,000+".
  const count = isPending || error ? null : meta?.totalCapped ?? total ?? 0;
  const shown = isPending || error ? null : countInWords(total ?? 0, meta);
  const warn = card.alert && count != null && count > 0;
  return (
    <Card variant="outlined" sx={{ minWidth: 200, flex: '1 1 200px', borderColor: warn ? 'error.main' : undefined }} data-testid={`home-card-${card.key}`}>
      <CardActionArea
        component={Link}
        to={listPath(card.resource, card.filter)}
        sx={{ height: '100%', '&.Mui-focusVisible': { outline: '3px solid #ffb81c', outlineOffset: 2 } }}
      >
        <CardContent>
          <Typography variant="subtitle2" component="h2">{card.title}</Typography>
          <Box sx={{ my: 0.5 }}>
            {count == null ? (
              error ? <Typography color="error">Could not count</Typography> : <Skeleton width={48} height={40} />
            ) : (
              <Typography variant="h4" component="p" color={warn ? 'error.dark' : 'text.primary'} data-testid="home-card-count">
                {shown}
              </Typography>
            )}
          </Box>
          <Typography variant="body2" color="text.secondary">{card.hint}</Typography>
        </CardContent>
      </CardActionArea>
    </Card>
  );
}

export function HomeCards({ cards, label }: { cards: readonly HomeCardSpec[]; label: string }) {
  return (
    <Box component="section" aria-label={label} sx={{ display: 'flex', flexWrap: 'wrap', gap: 2, my: 2 }} data-testid="home-cards">
      {cards.map((card) => <HomeCard key={card.key} card={card} />)}
    </Box>
  );
}
