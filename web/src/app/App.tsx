import { App as AntApp, ConfigProvider, Spin } from 'antd';
import enUS from 'antd/locale/en_US';
import zhCN from 'antd/locale/zh_CN';
import dayjs from 'dayjs';
import 'dayjs/locale/zh-cn';
import { type i18n } from 'i18next';
import { useEffect, useState } from 'react';
import { I18nextProvider, useTranslation } from 'react-i18next';
import { BrowserRouter } from 'react-router';

import { SessionProvider, useSessionState } from './session';
import { Shell } from './Shell';
import { SignIn } from './SignIn';

/** Sign-in until a key is accepted; then the console. */
function Gate() {
  const { state } = useSessionState();
  const { t } = useTranslation('common');
  if (state.status === 'checking') return <Spin fullscreen tip={t('loading')} />;
  if (state.status === 'signed-out') return <SignIn initialError={state.error} />;
  return <Shell />;
}

/** antd's and dayjs's language follow the console's. */
function Localized({ i18n }: { i18n: i18n }) {
  const [language, setLanguage] = useState(i18n.language);
  useEffect(() => {
    const changed = (next: string) => setLanguage(next);
    i18n.on('languageChanged', changed);
    return () => i18n.off('languageChanged', changed);
  }, [i18n]);
  dayjs.locale(language === 'zh-CN' ? 'zh-cn' : 'en');
  return (
    // autoInsertSpace off: antd would render 刷新 as "刷 新" (and name the button so).
    <ConfigProvider locale={language === 'zh-CN' ? zhCN : enUS} button={{ autoInsertSpace: false }}>
      <AntApp>
        <SessionProvider>
          <Gate />
        </SessionProvider>
      </AntApp>
    </ConfigProvider>
  );
}

export function App({ i18n }: { i18n: i18n }) {
  return (
    <I18nextProvider i18n={i18n}>
      <BrowserRouter>
        <Localized i18n={i18n} />
      </BrowserRouter>
    </I18nextProvider>
  );
}
