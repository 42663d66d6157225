/** How many minor-unit digits a currency has (CNY, USD: 2; JPY: 0), as ICU knows it; 2 for a code it does not know. */
export function minorDigits(currency: string): number {
  try {
    return new Intl.NumberFormat('en', { style: 'currency', currency }).resolvedOptions().maximumFractionDigits ?? 2;
  } catch {
    return 2;
  }
}

/**
 * Integer minor units as the exact decimal text of major units: `12800` CNY -> `"128.00"`, `-5` -> `"-0.05"`,
 * `1500` JPY -> `"1500"`. Placed by integer arithmetic on the digits, never by dividing a float.
 */
export function majorUnits(minor: number, currency: string): string {
  const digits = minorDigits(currency);
  const negative = minor < 0;
  const text = String(Math.abs(Math.trunc(minor))).padStart(digits + 1, '0');
  const whole = digits === 0 ? text : text.slice(0, -digits);
  return `${negative ? '-' : ''}${whole}${digits === 0 ? '' : `.${text.slice(-digits)}`}`;
}
