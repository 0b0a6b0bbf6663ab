import Box from '@mui/material/Box';
import Typography from '@mui/material/Typography';
import { LocalesMenuButton, Login, LoginForm, useTranslate } from 'react-admin';

/** react-admin's sign-in (email and password against the `login` mutation), with a language menu. */
export function LoginPage() {
  const translate = useTranslate();
  return (
    <Login sx={{ backgroundImage: 'linear-gradient(135deg, #1f4e79 0%, #3d7ab8 100%)' }}>
      <Box sx={{ textAlign: 'center', px: 2 }}>
        <Typography variant="h6" component="h1">
          {translate('app.title')}
        </Typography>
        <Typography variant="body2" color="text.secondary">
          {translate('app.tagline')}
        </Typography>
      </Box>
      <LoginForm />
      <Box sx={{ display: 'flex', justifyContent: 'center', pb: 1 }}>
        <LocalesMenuButton />
      </Box>
    </Login>
  );
}
