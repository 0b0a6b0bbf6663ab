import { defaultTheme, type RaThemeOptions } from 'react-admin';

/**
 * Latin first, then a Simplified Chinese face present on each platform: PingFang / Hiragino on
 * macOS and iOS, Microsoft YaHei on Windows, Noto Sans CJK / Source Han / WenQuanYi on Linux.
 */
export const FONT_STACK = [
  '-apple-system',
  'BlinkMacSystemFont',
  '"Segoe UI"',
  'Roboto',
  '"Helvetica Neue"',
  'Arial',
  '"PingFang SC"',
  '"Hiragino Sans GB"',
  '"Microsoft YaHei"',
  '"Microsoft YaHei UI"',
  '"Noto Sans CJK SC"',
  '"Noto Sans SC"',
  '"Source Han Sans SC"',
  '"WenQuanYi Micro Hei"',
  'sans-serif',
].join(', ');

export const theme: RaThemeOptions = {
  ...defaultTheme,
  palette: {
    ...defaultTheme.palette,
    primary: { main: '#1f4e79' },
    secondary: { main: '#1f4e79' },
  },
  typography: {
    ...defaultTheme.typography,
    fontFamily: FONT_STACK,
  },
  components: {
    ...defaultTheme.components,
    // The page never scrolls sideways: the content may shrink below its children's width, and a
    // wide table scrolls inside its card.
    // react-admin sizes the layout to fit its content (min-width: fit-content), so one wide table widened every page.
    RaLayout: {
      styleOverrides: { root: { minWidth: 0, '& .RaLayout-content': { minWidth: 0 }, '& .RaLayout-contentWithSidebar': { minWidth: 0 } } },
    },
    // Not on the list's card itself: the bulk-actions bar rises above it and would be clipped.
    RaList: { styleOverrides: { root: { minWidth: 0, '& .RaList-main, & .RaList-content': { minWidth: 0 } } } },
    RaDataTable: { styleOverrides: { root: { '& .RaDataTable-tableWrapper': { overflowX: 'auto' } } } },
    RaDatagrid: { styleOverrides: { root: { '& .RaDatagrid-tableWrapper': { overflowX: 'auto' } } } },
    RaShow: { styleOverrides: { root: { minWidth: 0, '& .RaShow-main, & .RaShow-card': { minWidth: 0 } } } },
    RaEdit: { styleOverrides: { root: { minWidth: 0, '& .RaEdit-main, & .RaEdit-card': { minWidth: 0 } } } },
    RaCreate: { styleOverrides: { root: { minWidth: 0, '& .RaCreate-main, & .RaCreate-card': { minWidth: 0 } } } },
    RaTopToolbar: { styleOverrides: { root: { flexWrap: 'wrap', rowGap: 8 } } },
    MuiTableContainer: { styleOverrides: { root: { overflowX: 'auto' } } },
  },
};
