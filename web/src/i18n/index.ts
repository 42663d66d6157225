// i18next with the console's two languages. The choice is remembered in localStorage (`jxc.lang`); the
// first visit takes the browser's language (Chinese for any zh-*, English otherwise).
import i18next, { type i18n } from 'i18next';
import { initReactI18next } from 'react-i18next';

import { namespaces } from './namespaces';

export const LANGUAGES = ['zh-CN', 'en'] as const;
export type Language = (typeof LANGUAGES)[number];
const LANGUAGE_STORAGE_KEY = 'jxc.lang';

/** The remembered language if any, else the browser's: zh-CN for any Chinese, English for the rest. */
export function detectLanguage(stored: string | null, browserLanguages: readonly string[]): Language {
  if (stored === 'en' || stored === 'zh-CN') return stored;
  const first = browserLanguages[0] ?? 'en';
  return first.toLowerCase().startsWith('zh') ? 'zh-CN' : 'en';
}

/** Every namespace's messages as i18next resources: `{en: {common: {...}, orders: {...}}, 'zh-CN': {...}}`. */
function resources(): Record<Language, Record<string, object>> {
  const byLanguage: Record<Language, Record<string, object>> = { en: {}, 'zh-CN': {} };
  for (const [name, messages] of Object.entries(namespaces)) {
    byLanguage.en[name] = messages.en;
    byLanguage['zh-CN'][name] = messages['zh-CN'];
  }
  return byLanguage;
}

/** A ready i18next instance in `language` (synchronous: every message is bundled). */
export function createI18n(language: Language): i18n {
  const instance = i18next.createInstance();
  void instance.use(initReactI18next).init({
    resources: resources(),
    lng: language,
    fallbackLng: 'en',
    ns: Object.keys(namespaces),
    defaultNS: 'common',
    interpolation: { escapeValue: false },
    initAsync: false,
    returnNull: false,
  });
  return instance;
}

function readStored(): string | null {
  try {
    return localStorage.getItem(LANGUAGE_STORAGE_KEY);
  } catch {
    return null;
  }
}

/** The language this browser starts in. */
export function startLanguage(): Language {
  return detectLanguage(readStored(), typeof navigator === 'undefined' ? [] : navigator.languages?.length ? navigator.languages : [navigator.language]);
}

/** Switches the console's language and remembers it. */
export function switchLanguage(instance: i18n, language: Language): void {
  try {
    localStorage.setItem(LANGUAGE_STORAGE_KEY, language);
  } catch {
    // storage refused (private mode): the switch still applies to this page
  }
  document.documentElement.lang = language;
  void instance.changeLanguage(language);
}
