import polyglotI18nProvider from 'ra-i18n-polyglot';
import type { TranslationMessages } from 'react-admin';
import { enMessages } from './en';

export const LOCALES = [
  { locale: 'en', name: 'English' },
  { locale: 'zh', name: '简体中文' },
];

/** English ships in the main bundle; Chinese loads when chosen. */
export function createI18nProvider(initialLocale = 'en') {
  return polyglotI18nProvider(
    (locale): TranslationMessages | Promise<TranslationMessages> =>
      locale === 'zh' ? import('./zh').then((module) => module.zhMessages) : enMessages,
    initialLocale,
    LOCALES,
    { allowMissing: true },
  );
}
