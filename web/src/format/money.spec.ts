import { describe, expect, it } from '@jest/globals';

import { formatMoney as formatMoneyRaw, minorDigits, parseMoney, toMajorText } from './money';

// ICU versions differ in the spaces they use: compare as a reader sees it.
const formatMoney = (...args: Parameters<typeof formatMoneyRaw>) => formatMoneyRaw(...args).replace(/[\u00a0\u202f]/g, ' ');

describe('money: integer minor units shown in major units with the currency', () => {
  it('shows minor units as major units with the currency sign, in the reader\'s language', () => {
    expect(formatMoney(199900, 'CNY', 'zh-CN')).toBe('¥1,999.00');
    expect(formatMoney(199900, 'CNY', 'en')).toBe('CN¥1,999.00');
    expect(formatMoney(1999, 'USD', 'en')).toBe('$19.99');
    expect(formatMoney(5, 'CNY', 'zh-CN')).toBe('¥0.05');
    expect(formatMoney(0, 'CNY', 'zh-CN')).toBe('¥0.00');
  });

  it('places the decimal point by the currency\'s own digits (JPY has none)', () => {
    expect(minorDigits('JPY')).toBe(0);
    expect(minorDigits('CNY')).toBe(2);
    expect(formatMoney(1500, 'JPY', 'en')).toBe('¥1,500');
  });

  it('shows refunds and credits below zero with a minus sign', () => {
    expect(formatMoney(-1250, 'CNY', 'zh-CN')).toBe('-¥12.50');
  });

  it('is exact for amounts beyond float precision in major units', () => {
    expect(formatMoney(9007199254740991, 'CNY', 'en')).toBe('CN¥90,071,992,547,409.91');
    expect(formatMoney(10, 'CNY', 'en')).toBe('CN¥0.10');
    expect(formatMoney(30, 'CNY', 'en')).toBe('CN¥0.30');
  });

  it('reads what a person types in major units back into minor units', () => {
    expect(parseMoney('19.99')).toBe(1999);
    expect(parseMoney('19.9')).toBe(1990);
    expect(parseMoney('1,999')).toBe(199900);
    expect(parseMoney(' 0.07 ')).toBe(7);
    expect(parseMoney('1500', 'JPY')).toBe(1500);
  });

  it('gives an amount back as the text to edit, which reads back to the same minor units', () => {
    expect(toMajorText(1999)).toBe('19.99');
    expect(toMajorText(5)).toBe('0.05');
    expect(toMajorText(1500, 'JPY')).toBe('1500');
    for (const minor of [0, 1, 10, 99, 100, 123456789]) expect(parseMoney(toMajorText(minor))).toBe(minor);
  });

  it('refuses what is not an amount in the currency rather than rounding it', () => {
    expect(parseMoney('19.999')).toBeUndefined();
    expect(parseMoney('1.5', 'JPY')).toBeUndefined();
    expect(parseMoney('abc')).toBeUndefined();
    expect(parseMoney('')).toBeUndefined();
    expect(parseMoney('1e3')).toBeUndefined();
  });
});
