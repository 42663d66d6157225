import { describe, expect, it } from '@jest/globals';

import { createI18n, detectLanguage } from './index';
import { namespaces } from './namespaces';

/** Every `a.b.c` key of a messages object with its text. */
function entries(messages: object, prefix = ''): [string, string][] {
  return Object.entries(messages).flatMap(([key, value]) =>
    typeof value === 'string' ? [[`${prefix}${key}`, value] as [string, string]] : entries(value as object, `${prefix}${key}.`),
  );
}

const placeholders = (text: string) => [...text.matchAll(/\{\{\s*(\w+)\s*\}\}/g)].map((match) => match[1]).sort();

describe('translations: every screen in Chinese and English', () => {
  it.each(Object.entries(namespaces))('%s: both languages have the same keys, none empty, with the same placeholders', (_name, messages) => {
    const en = new Map(entries(messages.en));
    const zh = new Map(entries(messages['zh-CN']));
    expect([...zh.keys()].sort()).toEqual([...en.keys()].sort());
    for (const [key, text] of en) {
      expect({ key, en: text.trim().length > 0, zh: (zh.get(key) ?? '').trim().length > 0 }).toEqual({ key, en: true, zh: true });
      expect({ key, placeholders: placeholders(zh.get(key) ?? '') }).toEqual({ key, placeholders: placeholders(text) });
    }
  });

  it('uses the business terms Chinese users say', () => {
    const zh = createI18n('zh-CN');
    expect(zh.t('common:nav.orders')).toBe('订单');
    expect(zh.t('common:nav.approvals')).toBe('审批');
    expect(zh.t('orders:kind.sale')).toBe('销售单');
    expect(zh.t('orders:kind.purchase')).toBe('采购单');
    expect(zh.t('orders:status.shipped')).toBe('已发货');
    expect(zh.t('common:signIn.key')).toBe('API 密钥');
  });

  it('switches language at once: the same key reads in English after a change', async () => {
    const i18n = createI18n('zh-CN');
    expect(i18n.t('common:signOut')).toBe('退出登录');
    await i18n.changeLanguage('en');
    expect(i18n.t('common:signOut')).toBe('Sign out');
    expect(i18n.t('common:signedInAs', { userId: 'alice' })).toBe('Signed in as alice');
  });

  it('starts in the remembered language, else Chinese for any Chinese browser, else English', () => {
    expect(detectLanguage('en', ['zh-CN'])).toBe('en');
    expect(detectLanguage('zh-CN', ['en-US'])).toBe('zh-CN');
    expect(detectLanguage(null, ['zh-TW', 'en'])).toBe('zh-CN');
    expect(detectLanguage(null, ['zh'])).toBe('zh-CN');
    expect(detectLanguage(null, ['en-GB'])).toBe('en');
    expect(detectLanguage('fr', ['de-DE'])).toBe('en');
    expect(detectLanguage(null, [])).toBe('en');
  });
});
