// Money is integer minor units in the API (API.md "Money"); people read and type major units. No floats:
// the digits are placed by integer arithmetic and Intl.NumberFormat formats the decimal string exactly.

/** How many minor-unit digits a currency has (CNY, USD: 2; JPY: 0), as Intl knows it. */
export function minorDigits(currency: string): number {
  try {
    return new Intl.NumberFormat('en', { style: 'currency', currency }).resolvedOptions().maximumFractionDigits ?? 2;
  } catch {
    return 2;
  }
}

/** `199900` minor units -> `"1999.00"` (a decimal string, exact for any integer). */
function toDecimalString(minor: number, digits: number): string {
  const negative = minor < 0;
  const text = String(Math.abs(Math.trunc(minor))).padStart(digits + 1, '0');
  const whole = digits === 0 ? text : text.slice(0, -digits);
  const fraction = digits === 0 ? '' : `.${text.slice(-digits)}`;
  return `${negative ? '-' : ''}${whole}${fraction}`;
}

/** Minor units as the text a person would type in major units: `1999` (CNY) -> `"19.99"`; for editing an amount. */
export function toMajorText(minor: number, currency = 'CNY'): string {
  return toDecimalString(minor, minorDigits(currency));
}

/** `formatMoney(199900, 'CNY', 'zh-CN')` -> `¥1,999.00`; en -> `CN¥1,999.00`. */
export function formatMoney(minor: number, currency = 'CNY', locale = 'en'): string {
  const digits = minorDigits(currency);
  const format = new Intl.NumberFormat(locale, { style: 'currency', currency, minimumFractionDigits: digits, maximumFractionDigits: digits });
  // Intl formats a decimal string exactly (no binary floating point on the way).
  return format.format(toDecimalString(minor, digits) as unknown as number);
}

/**
 * What a person typed in major units (`"19.9"`, `"1,999.00"`) -> integer minor units (`1990`, `199900`);
 * undefined when it is not an amount with at most the currency's digits.
 */
export function parseMoney(text: string, currency = 'CNY'): number | undefined {
  const digits = minorDigits(currency);
  const match = /^\s*(-?)(\d+)(?:\.(\d*))?\s*$/.exec(text.replaceAll(',', ''));
  if (!match) return undefined;
  const [, sign, whole, fraction = ''] = match;
  if (fraction.length > digits) return undefined;
  const minor = Number(`${whole}${fraction.padEnd(digits, '0')}`);
  if (!Number.isSafeInteger(minor)) return undefined;
  return sign === '-' ? -minor : minor;
}
