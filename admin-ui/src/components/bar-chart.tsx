// Small horizontal bar charts drawn with boxes: enough for a team dashboard, no chart library.
import { Box, Typography } from '@mui/material';

export interface BarSeries {
  key: string;
  label: string;
  colour: string;
}

export interface BarRow {
  id: string;
  label: string;
  values: Record<string, number>;
}

interface BarChartProps {
  title: string;
  series: BarSeries[];
  rows: BarRow[];
  testId?: string;
  /** Rows shown at most, largest first; the table beside the chart has them all. */
  limit?: number;
}

export function BarChart({ title, series, rows, testId, limit = 12 }: BarChartProps) {
  const first = series[0]?.key;
  // Rows with nothing to draw are left to the table.
  const shown = rows
    .filter((row) => series.some((s) => (row.values[s.key] ?? 0) > 0))
    .sort((a, b) => (b.values[first] ?? 0) - (a.values[first] ?? 0))
    .slice(0, limit);
  const max = Math.max(1, ...shown.flatMap((row) => series.map((s) => row.values[s.key] ?? 0)));
  const summary = shown
    .map((row) => `${row.label}: ${series.map((s) => `${row.values[s.key] ?? 0} ${s.label.toLowerCase()}`).join(', ')}`)
    .join('; ');
  return (
    <Box component="figure" sx={{ m: 0 }} data-testid={testId}>
      <Box sx={{ display: 'flex', gap: 2, alignItems: 'center', mb: 1, flexWrap: 'wrap' }}>
        <Typography component="figcaption" variant="caption" color="text.secondary">
          {title}
        </Typography>
        {series.map((s) => (
          <Box key={s.key} sx={{ display: 'flex', alignItems: 'center', gap: 0.5 }}>
            <Box sx={{ width: 10, height: 10, bgcolor: s.colour, borderRadius: 0.5 }} />
            <Typography variant="caption">{s.label}</Typography>
          </Box>
        ))}
      </Box>
      {shown.length === 0 ? (
        <Typography variant="body2" color="text.secondary">Nothing open.</Typography>
      ) : (
        <Box role="img" aria-label={`${title}. ${summary}`}>
          {shown.map((row) => (
            <Box
              key={row.id}
              sx={{ display: 'grid', gridTemplateColumns: 'minmax(120px, 40%) 1fr', alignItems: 'center', gap: 1, mb: 0.75 }}
            >
              {/* Long specialty names wrap rather than end in "…"; the chart's label reads them out whole. */}
              <Typography variant="caption" title={row.label} sx={{ overflowWrap: 'anywhere', lineHeight: 1.3 }}>
                {row.label}
              </Typography>
              <Box>
                {series.map((s) => {
                  const value = row.values[s.key] ?? 0;
                  return (
                    <Box key={s.key} sx={{ display: 'flex', alignItems: 'center', gap: 0.5, height: 10, mb: 0.25 }}>
                      <Box
                        sx={{
                          height: 8,
                          width: `${(value / max) * 85}%`,
                          minWidth: value > 0 ? 2 : 0,
                          bgcolor: s.colour,
                          borderRadius: 0.5,
                        }}
                      />
                      <Typography variant="caption" sx={{ fontSize: 10, lineHeight: 1, color: 'text.secondary' }}>
                        {value}
                      </Typography>
                    </Box>
                  );
                })}
              </Box>
            </Box>
          ))}
        </Box>
      )}
    </Box>
  );
}
