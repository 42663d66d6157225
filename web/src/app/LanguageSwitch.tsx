import { Segmented } from 'antd';
import { useTranslation } from 'react-i18next';

import { type Language, switchLanguage } from '../i18n';

const LABELS: Record<Language, string> = { 'zh-CN': '中文', en: 'English' };

/** 中文 | English, remembered in localStorage (`jxc.lang`). */
export function LanguageSwitch() {
  const { t, i18n } = useTranslation('common');
  return (
    <Segmented<Language>
      aria-label={t('language')}
      size="small"
      value={i18n.language === 'zh-CN' ? 'zh-CN' : 'en'}
      options={(Object.keys(LABELS) as Language[]).map((language) => ({ value: language, label: <span lang={language}>{LABELS[language]}</span> }))}
      onChange={(language) => switchLanguage(i18n, language)}
    />
  );
}
