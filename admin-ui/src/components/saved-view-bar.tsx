// Preset views of a list as a row of toggle chips: one click (or its digit key) sets the list's filters
// to the view's, keeping the census date. Shared by the PTL and the cancer view.
import { Box, Chip } from '@mui/material';
import { useCallback, useMemo } from 'react';
import { useListContext } from 'react-admin';
import { serverOrder } from '../dataProvider';
import { useShortcut } from '../tasks/row-keys';
import { Kbd } from './keyed-table';
import { listViewOf, type ListView } from './list-views';

export type { ListView };

const digits = ['1', '2', '3', '4', '5', '6', '7', '8', '9'];

export function SavedViewBar({ views, testId }: { views: readonly ListView[]; testId: string }) {
  const { filterValues, setFilters, setSort } = useListContext();
  const current = listViewOf(filterValues ?? {}, views);
  const choose = useCallback(
    (view: ListView) => {
      const census = (filterValues ?? {}).census;
      setFilters({ ...view.filter(), ...(census ? { census } : {}) }, {});
      setSort(serverOrder);
    },
    [filterValues, setFilters, setSort],
  );
  const keyed = useMemo(() => views.slice(0, digits.length), [views]);
  const onDigit = useCallback((key: string) => {
    const view = keyed[digits.indexOf(key)];
    if (view) choose(view);
  }, [keyed, choose]);
  useShortcut(digits.slice(0, keyed.length), onDigit);
  return (
    <Box sx={{ display: 'flex', gap: 1, flexWrap: 'wrap', alignItems: 'center', px: 2, py: 1 }} role="toolbar" aria-label="Saved views" data-testid={testId}>
      {keyed.map((view, index) => (
        <Chip
          key={view.key}
          label={
            <>
              {view.label} <Kbd>{digits[index]}</Kbd>
            </>
          }
          color={current?.key === view.key ? 'primary' : 'default'}
          variant={current?.key === view.key ? 'filled' : 'outlined'}
          onClick={() => choose(view)}
          aria-pressed={current?.key === view.key}
          data-testid={`view-${view.key}`}
          title={`${view.label} (${digits[index]})`}
        />
      ))}
    </Box>
  );
}

