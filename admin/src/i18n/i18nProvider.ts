import polyglotI18nProvider from 'ra-i18n-polyglot';
import type { I18nProvider, TranslationMessages } from 'react-admin';
import { enMessages } from './en';
import { SERVER_ERROR_PREFIX, serverErrorFallbacks } from './serverErrors';

export const LOCALES = [
  { locale: 'en', name: 'English' },
  { locale: 'zh', name: '简体中文' },
];

const MISSING = '\u0000missing';

/** English ships in the main bundle; Chinese loads when chosen. */
export function createI18nProvider(initialLocale = 'en'): I18nProvider {
  const provider = polyglotI18nProvider(
    (locale): TranslationMessages | Promise<TranslationMessages> =>
      locale === 'zh' ? import('./zh').then((module) => module.zhMessages) : enMessages,
    initialLocale,
    LOCALES,
    { allowMissing: true },
  );
  return {
    ...provider,
    translate(key, options = {}) {
      if (typeof key !== 'string' || !key.startsWith(SERVER_ERROR_PREFIX)) return provider.translate(key, options);
      // A server error: the most specific message the catalogue has for its code and field.
      for (const candidate of serverErrorFallbacks(key)) {
        const text = provider.translate(candidate, { ...options, _: MISSING });
        if (text !== MISSING) return text;
      }
      return provider.translate(`${SERVER_ERROR_PREFIX}default`, options);
    },
  };
}
