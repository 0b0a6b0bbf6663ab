import { SERVER_ERROR_PREFIX, serverErrorFallbacks } from '../i18n/serverErrors';
import { serverErrorsEn, type ServerErrorMessages } from '../i18n/serverErrors.en';
import { serverErrorsZh } from '../i18n/serverErrors.zh';
import { signInEn, type SignInMessages } from './messages.en';
import { signInZh } from './messages.zh';

export type SignInLocale = 'en' | 'zh';

const CATALOGUES: Record<SignInLocale, { signIn: SignInMessages; serverErrors: ServerErrorMessages }> = {
  en: { signIn: signInEn, serverErrors: serverErrorsEn },
  zh: { signIn: signInZh, serverErrors: serverErrorsZh },
};
const LOCALE_NAMES: Record<SignInLocale, string> = { en: 'English', zh: '简体中文' };
/** Where react-admin's store keeps the chosen language, so the console opens in the one chosen here. */
const LOCALE_KEY = 'RaStore.locale';

export function storedLocale(): SignInLocale {
  try {
    return JSON.parse(localStorage.getItem(LOCALE_KEY) ?? 'null') === 'zh' ? 'zh' : 'en';
  } catch {
    return 'en';
  }
}

function storeLocale(locale: SignInLocale): void {
  try {
    localStorage.setItem(LOCALE_KEY, JSON.stringify(locale));
  } catch {
    // Private mode without storage: the choice lasts for this page only.
  }
}

/** A server error's catalogue key (`app.serverErrors.CODE.field`) in `locale`, most specific message first. */
export function serverErrorText(key: string, locale: SignInLocale): string {
  const catalogue = CATALOGUES[locale].serverErrors as unknown as Record<string, Record<string, string> | string>;
  const candidates = key.startsWith(SERVER_ERROR_PREFIX) ? serverErrorFallbacks(key) : [`${SERVER_ERROR_PREFIX}default`];
  for (const candidate of candidates) {
    const [code = '', field = ''] = candidate.slice(SERVER_ERROR_PREFIX.length).split('.');
    const entry = catalogue[code];
    const text = field && typeof entry === 'object' ? entry[field] : entry;
    if (typeof text === 'string') return text;
  }
  return CATALOGUES[locale].serverErrors.default;
}

export interface SignInFormOptions {
  /** Signs in; rejects with an error whose message is a catalogue key (SignInError, or the console's own). */
  signIn(email: string, password: string): Promise<void>;
  /** After the first keystroke: time to fetch what comes after signing in. */
  onFirstInput?(): void;
  /** The language changed (the console's own i18n follows it when it is running). */
  onLocaleChange?(locale: SignInLocale): void;
  locale?: SignInLocale;
}

function element<K extends keyof HTMLElementTagNameMap>(tag: K, attributes: Record<string, string> = {}): HTMLElementTagNameMap[K] {
  const node = document.createElement(tag);
  for (const [name, value] of Object.entries(attributes)) node.setAttribute(name, value);
  return node;
}

/**
 * The sign-in form in plain DOM: the first screen of a fresh tab, so it needs neither React nor
 * the console's code (index.html holds its styles). Labelled inputs with autocomplete for password
 * managers, errors in an alert region from the same catalogues as the console, English and Chinese.
 * Returns a function that removes it.
 */
export function mountSignInForm(root: HTMLElement, options: SignInFormOptions): () => void {
  let locale: SignInLocale = options.locale ?? storedLocale();
  let errorKey: string | null = null;
  let busy = false;

  const main = element('main', { class: 'signin' });
  const form = element('form', { class: 'signin-card', novalidate: '', 'aria-labelledby': 'signin-title' });
  const title = element('h1', { id: 'signin-title' });
  const tagline = element('p', { class: 'signin-tagline' });
  const error = element('div', { id: 'signin-error', class: 'signin-error', role: 'alert' });
  const emailLabel = element('label', { for: 'signin-email' });
  const email = element('input', {
    id: 'signin-email',
    name: 'username',
    type: 'email',
    autocomplete: 'username',
    inputmode: 'email',
    autocapitalize: 'none',
    spellcheck: 'false',
    required: '',
  });
  const passwordLabel = element('label', { for: 'signin-password' });
  const password = element('input', {
    id: 'signin-password',
    name: 'password',
    type: 'password',
    autocomplete: 'current-password',
    required: '',
  });
  const submit = element('button', { type: 'submit', class: 'signin-submit' });
  const languages = element('div', { class: 'signin-locales', role: 'group' });
  const localeButtons = (Object.keys(LOCALE_NAMES) as SignInLocale[]).map((code) => {
    const button = element('button', { type: 'button', lang: code });
    button.textContent = LOCALE_NAMES[code];
    button.addEventListener('click', () => {
      locale = code;
      storeLocale(code);
      options.onLocaleChange?.(code);
      render();
    });
    return { code, button };
  });
  languages.append(...localeButtons.map(({ button }) => button));
  form.append(title, tagline, error, emailLabel, email, passwordLabel, password, submit, languages);
  main.append(form);

  function render(): void {
    const words = CATALOGUES[locale].signIn;
    document.documentElement.lang = locale === 'zh' ? 'zh-CN' : 'en';
    title.textContent = words.title;
    tagline.textContent = words.tagline;
    emailLabel.textContent = words.email;
    passwordLabel.textContent = words.password;
    submit.textContent = busy ? words.submitting : words.submit;
    submit.disabled = busy;
    form.setAttribute('aria-busy', String(busy));
    languages.setAttribute('aria-label', words.language);
    for (const { code, button } of localeButtons) button.setAttribute('aria-pressed', String(code === locale));
    error.textContent = errorKey === null ? '' : errorKey === 'required' ? words.required : serverErrorText(errorKey, locale);
    error.hidden = errorKey === null;
    for (const input of [email, password]) {
      if (errorKey === null) {
        input.removeAttribute('aria-invalid');
        input.removeAttribute('aria-describedby');
      } else {
        input.setAttribute('aria-invalid', 'true');
        input.setAttribute('aria-describedby', 'signin-error');
      }
    }
  }

  let typed = false;
  const onInput = () => {
    if (typed) return;
    typed = true;
    options.onFirstInput?.();
  };
  form.addEventListener('input', onInput);
  form.addEventListener('submit', (event) => {
    event.preventDefault();
    if (busy) return;
    if (!email.value.trim() || !password.value) {
      errorKey = 'required';
      render();
      (email.value.trim() ? password : email).focus();
      return;
    }
    busy = true;
    errorKey = null;
    render();
    options.signIn(email.value.trim(), password.value).then(
      () => {
        busy = false;
        render();
      },
      (reason: unknown) => {
        busy = false;
        errorKey = reason instanceof Error ? reason.message : `${SERVER_ERROR_PREFIX}default`;
        render();
        password.select();
        password.focus();
      },
    );
  });

  render();
  root.replaceChildren(main);
  email.focus();
  return () => main.remove();
}
