// A CSV download: a plain link to the API's CSV route (same origin, the session cookie goes along), so
// the browser streams it to disk however long it is.
import { Button } from '@mui/material';
import DownloadIcon from '@mui/icons-material/Download';
import { forwardRef } from 'react';

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
