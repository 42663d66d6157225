import { useMemo } from 'react';
import { useTranslation } from 'react-i18next';

import { formatMoney, parseMoney } from './money';
import { formatDate, formatTime } from './time';

export interface Formatters {
  /** Minor units -> major units with the currency, in the console's language. */
  money(minor: number, currency?: string): string;
  /** Major units typed by a person -> minor units (undefined when not an amount). */
  parseMoney(text: string, currency?: string): number | undefined;
  /** An ISO time in the browser's zone. */
  time(iso: string | null | undefined): string;
  date(iso: string | null | undefined): string;
}

/** Money and time formatters in the console's current language. */
export function useFormat(): Formatters {
  const { i18n } = useTranslation();
  const locale = i18n.language || 'en';
  return useMemo(
    () => ({
      money: (minor, currency = 'CNY') => formatMoney(minor, currency, locale),
      parseMoney: (text, currency = 'CNY') => parseMoney(text, currency),
      time: (iso) => formatTime(iso, locale),
      date: (iso) => formatDate(iso, locale),
    }),
    [locale],
  );
}
