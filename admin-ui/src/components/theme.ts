// The console's theme: NHS blues, the NHS focus style on everything keyboard focus reaches, and tables
// with room to read a row in a long day.
import { defaultTheme, type RaThemeOptions } from 'react-admin';

/** NHS focus colours: yellow with a near-black edge reads on white, on blue and on grey alike. */
export const focusYellow = '#ffeb3b';
export const focusDark = '#212b32';

// Material UI switches the outline off on buttons and inputs (`.css-…:focus { outline: 0 }` and the like),
// so the ring is !important: every focusable thing gets the same one. The mouse never shows it
// (focus-visible only).
const focusRing = {
  outline: `3px solid ${focusYellow} !important`,
  outlineOffset: '0 !important',
  boxShadow: `0 0 0 6px ${focusDark} !important`,
};

export const theme: RaThemeOptions = {
  ...defaultTheme,
  palette: {
    ...defaultTheme.palette,
    primary: { main: '#005eb8' },
    secondary: { main: '#003087' },
    // Material's orange, red and light blue fall short of 4.5:1 as chip text and on a highlighted row; these darker
    // tones pass on white and on the row highlight (#ebebeb), with white text on a filled chip.
    warning: { main: '#a64b00' },
    error: { main: '#b71c1c' },
    info: { main: '#01579b' },
  },
  components: {
    ...defaultTheme.components,
    MuiCssBaseline: {
      styleOverrides: {
        'body :focus-visible': focusRing,
        // A focused table row or menu entry is a big box: a ring inside it, so neighbours never hide it.
        // A date or time field's focus is on its day, month or year inside the browser's own widget, and
        // the <input> matches neither :focus-visible nor :focus: ring the field's box, which Material UI
        // marks focused. (Three selectors, not :is(…): Emotion splits a selector at every comma.)
        'body .MuiInputBase-root.Mui-focused:has(> input[type="date"]), body .MuiInputBase-root.Mui-focused:has(> input[type="time"]), body .MuiInputBase-root.Mui-focused:has(> input[type="datetime-local"])': focusRing,
        // Radios, checkboxes and switches hide their <input> (opacity 0) inside a round button: ring that.
        'body .MuiButtonBase-root:has(> input:focus-visible)': { ...focusRing, borderRadius: '50%' },
        'body tr:focus-visible, body .RaMenuItemLink-root:focus-visible': { ...focusRing, outlineOffset: '-3px !important', boxShadow: `inset 0 0 0 6px ${focusDark} !important` },
      },
    },
    MuiTableCell: {
      ...defaultTheme.components?.MuiTableCell,
      styleOverrides: {
        root: {
          '&.MuiTableCell-paddingCheckbox': { padding: '0 8px 0 8px' },
        },
        // react-admin's lists are small tables; a little more height and air between columns.
        sizeSmall: { paddingTop: 10, paddingBottom: 10, paddingLeft: 12, paddingRight: 12, lineHeight: 1.5 },
      },
    },
    // react-admin's "No … yet" page writes its message in the disabled grey (2.7:1): the secondary text colour instead.
    RaEmpty: { styleOverrides: { root: { '& .RaEmpty-message': { color: 'rgba(0, 0, 0, 0.68)' } } } },
    // A spinner is a progressbar: it needs a name, or a screen reader says only "progress bar".
    MuiCircularProgress: { defaultProps: { 'aria-label': 'Loading' } },
    MuiLinearProgress: { defaultProps: { 'aria-label': 'Loading' } },
    // "Add filter" is a small text button partly overlapped by the filter form beside it; 36px tall
    // leaves it a 24px target (WCAG 2.5.8).
    RaFilterButton: {
      styleOverrides: { root: { '& .add-filter': { minHeight: 36 } } },
    },
    // react-admin's skip link ("Skip to content", first Tab stop) is white on near-white by default, and
    // shows over the menu button; in the app bar's empty middle it covers nothing.
    RaSkipNavigationButton: {
      styleOverrides: {
        root: {
          backgroundColor: focusYellow,
          color: focusDark,
          left: '50%',
          transform: 'translateX(-50%)',
          '&:focus': { top: 6 },
          '&:hover': { backgroundColor: focusYellow, opacity: 1 },
        },
      },
    },
  } as RaThemeOptions['components'],
};
