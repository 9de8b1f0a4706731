// A CSV download: a plain link to the API's CSV route (same origin, the session cookie goes along), so
// the browser streams it to disk however long it is.
import { Button } from '@mui/material';
import DownloadIcon from '@mui/icons-material/Download';
import { forwardRef, type ReactNode } from 'react';
import { FilterButton, TopToolbar, useFilterContext, useListContext } from 'react-admin';
import { listCsvUrl } from '../dataProvider';

interface DownloadButtonProps {
  href: string;
  label: string;
  fileName?: string;
  testId?: string;
  title?: string;
  variant?: 'text' | 'outlined' | 'contained';
}

export const DownloadButton = forwardRef<HTMLAnchorElement, DownloadButtonProps>(function DownloadButton(
  { href, label, fileName, testId, title, variant = 'outlined' },
  ref,
) {
  return (
    <Button
      ref={ref}
      component="a"
      href={href}
      download={fileName ?? true}
      size="small"
      variant={variant}
      startIcon={<DownloadIcon />}
      data-testid={testId}
      title={title}
      sx={{ whiteSpace: 'nowrap' }}
    >
      {label}
    </Button>
  );
});

/**
 * Export on a list: the API's CSV of this list (GET /api/<resource>.csv) with its permanent filter, the person's
 * filters and the sort on screen, every row (not just the page), streamed by the browser to disk.
 */
export function ExportButton({ testId }: { testId?: string }) {
  const { resource, filter, filterValues, sort, total } = useListContext();
  const label = resourceWords[resource] ?? resource;
  return (
    <DownloadButton
      href={listCsvUrl(resource, { filter: { ...filterValues, ...filter }, sort })}
      label="Export"
      testId={testId ?? `export-${resource}`}
      title={`Download ${total === undefined ? 'these' : `these ${total}`} ${label} as CSV, with the filters and order shown`}
    />
  );
}
const resourceWords: Record<string, string> = {
  tasks: 'work items', 'cancer-ptl': 'patients', 'session-changes': 'session changes', absences: 'leave records', audit: 'audit entries',
};

/**
 * A list's toolbar: react-admin's filter menu (which saves and recalls named filters, kept in its Store, when
 * `saveFilters`), whatever the list adds (a create button), and Export.
 */
export function ExportActions({ children, saveFilters = true }: { children?: ReactNode; saveFilters?: boolean }) {
  const filters = useFilterContext();
  return (
    <TopToolbar>
      {saveFilters && filters?.length ? <FilterButton /> : null}
      {children}
      <ExportButton />
    </TopToolbar>
  );
}
