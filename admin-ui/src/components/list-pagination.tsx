// A list's pagination that knows a capped total: where the API stopped counting (work items count to 1,000),
// react-admin pages partially and this says "1–25 of 1,000+" instead of a page count nobody knows.
import { Pagination, useListContext, type PaginationProps } from 'react-admin';
import type { CappedListMeta } from '../dataProvider';

export function ListPagination(props: PaginationProps) {
  const { meta } = useListContext() as { meta?: CappedListMeta };
  const capped = meta?.totalCapped;
  return (
    <Pagination
      {...props}
      {...(capped != null
        ? { labelDisplayedRows: ({ from, to }: { from: number; to: number }) => `${from}–${to} of ${capped.toLocaleString('en-GB')}+` }
        : {})}
    />
  );
}
