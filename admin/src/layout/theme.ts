import { defaultTheme, type RaThemeOptions } from 'react-admin';

export const theme: RaThemeOptions = {
  ...defaultTheme,
  palette: {
    ...defaultTheme.palette,
    primary: { main: '#1f4e79' },
    secondary: { main: '#1f4e79' },
  },
  typography: {
    ...defaultTheme.typography,
    fontFamily: 'Roboto, "Noto Sans SC", "PingFang SC", "Microsoft YaHei", Helvetica, Arial, sans-serif',
  },
};
