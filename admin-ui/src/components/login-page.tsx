// Sign in with an email address and password; the session lives in an httpOnly cookie.
import { Typography } from '@mui/material';
import LocalHospitalIcon from '@mui/icons-material/LocalHospital';
import { Login, LoginForm, PasswordInput, TextInput, required } from 'react-admin';

export function LoginPage() {
  return (
    <Login avatarIcon={<LocalHospitalIcon />}>
      <Typography variant="h5" component="h1" align="center" sx={{ mt: 1 }}>
        Access Desk
      </Typography>
      <LoginForm>
        <TextInput
          source="username"
          label="Email"
          type="email"
          autoComplete="username"
          autoFocus
          validate={required()}
          slotProps={{ htmlInput: { 'data-testid': 'login-email' } }}
        />
        <PasswordInput
          source="password"
          label="Password"
          autoComplete="current-password"
          validate={required()}
          slotProps={{ htmlInput: { 'data-testid': 'login-password' } }}
        />
      </LoginForm>
    </Login>
  );
}
