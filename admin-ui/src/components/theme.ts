// The console's theme: NHS blues, the NHS focus style on everything keyboard focus reaches, and tables
// with room to read a row in a long day.
import { defaultTheme, type RaThemeOptions } from 'react-admin';

/** NHS focus colours: yellow with a near-black edge reads on white, on blue and on grey alike. */
export const focusYellow = '#ffeb3b';
export const focusDark = '#212b32';

// `body :focus-visible` outranks Material UI's own `outline: 0` on buttons and inputs (one class),
// so every focusable thing gets the same ring; the mouse never shows it (focus-visible only).
const focusRing = {
  outline: `3px solid ${focusYellow}`,
  outlineOffset: 0,
  boxShadow: `0 0 0 6px ${focusDark}`,
};

export const theme: RaThemeOptions = {
  ...defaultTheme,
  palette: {
    ...defaultTheme.palette,
    primary: { main: '#005eb8' },
    secondary: { main: '#003087' },
    // Material's orange and red fall short of 4.5:1 as chip text and on a highlighted row; these darker
    // tones pass on white and on the row highlight (#ebebeb), with white text on a filled chip.
    warning: { main: '#a64b00' },
    error: { main: '#c62828' },
  },
  components: {
    ...defaultTheme.components,
    MuiCssBaseline: {
      styleOverrides: {
        'body :focus-visible': focusRing,
        // A focused table row or menu entry is a big box: a ring inside it, so neighbours never hide it.
        'body tr:focus-visible, body .RaMenuItemLink-root:focus-visible': { ...focusRing, outlineOffset: -3, boxShadow: `inset 0 0 0 6px ${focusDark}` },
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
    // react-admin's skip link ("Skip to content", first Tab stop) is white on near-white by default.
    RaSkipNavigationButton: {
      styleOverrides: {
        root: {
          backgroundColor: focusYellow,
          color: focusDark,
          '&:hover': { backgroundColor: focusYellow, opacity: 1 },
        },
      },
    },
  } as RaThemeOptions['components'],
};
