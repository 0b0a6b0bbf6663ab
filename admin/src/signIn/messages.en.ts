/** The sign-in form's words; the console's catalogues (app.signIn) carry the same. */
export const signInEn = {
  title: 'Accountable',
  tagline: 'Every account has an owner',
  email: 'Email',
  password: 'Password',
  submit: 'Sign in',
  submitting: 'Signing in…',
  required: 'Enter your email and password.',
  language: 'Language',
};

export type SignInMessages = typeof signInEn;
