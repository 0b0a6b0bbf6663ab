import { useEffect, useRef } from 'react';
import { useLocaleState, useLogin } from 'react-admin';
import { mountSignInForm, type SignInLocale } from '../signIn/signInForm';

/**
 * The console's /login route (after signing out, or when a session ends): the same plain form a
 * fresh tab shows (boot.ts), signing in through react-admin so it resets its caches and returns to
 * where the user was.
 */
export function LoginPage() {
  const container = useRef<HTMLDivElement>(null);
  const login = useLogin();
  const [locale, setLocale] = useLocaleState();
  const latest = useRef({ login, setLocale, locale });
  useEffect(() => {
    latest.current = { login, setLocale, locale };
  });
  useEffect(
    () =>
      mountSignInForm(container.current!, {
        locale: latest.current.locale === 'zh' ? 'zh' : 'en',
        signIn: (email, password) => latest.current.login({ email, password }),
        onLocaleChange: (next: SignInLocale) => latest.current.setLocale(next),
      }),
    [],
  );
  return <div ref={container} />;
}
