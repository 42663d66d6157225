// Times are ISO-8601 UTC in the API; people read them in the browser's zone and language.

/** `2026-12-01T08:30:00Z` -> `Dec 1, 2026, 4:30 PM` in Asia/Shanghai with en; `2026年12月1日 16:30` with zh-CN. */
export function formatTime(iso: string | null | undefined, locale = 'en', timeZone?: string): string {
  if (!iso) return '';
  const time = new Date(iso);
  if (Number.isNaN(time.getTime())) return iso;
  return new Intl.DateTimeFormat(locale, { dateStyle: 'medium', timeStyle: 'short', ...(timeZone ? { timeZone } : {}) }).format(time);
}

/** A date only: `Dec 1, 2026` / `2026年12月1日`. */
export function formatDate(iso: string | null | undefined, locale = 'en', timeZone?: string): string {
  if (!iso) return '';
  const time = new Date(iso);
  if (Number.isNaN(time.getTime())) return iso;
  return new Intl.DateTimeFormat(locale, { dateStyle: 'medium', ...(timeZone ? { timeZone } : {}) }).format(time);
}
