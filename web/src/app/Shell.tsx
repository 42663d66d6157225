// The signed-in console: header (who, language, sign out), the menu of the screens this user's roles may
// open, and the screen of the current route. Screens come from screens/index.ts.
import { Button, Layout, Menu, Result, Space, Tag, Typography } from 'antd';
import { useMemo } from 'react';
import { useTranslation } from 'react-i18next';
import { Link, Navigate, Route, Routes, useLocation } from 'react-router';

import { screens } from '../screens';
import type { ScreenDefinition } from '../screens/types';
import { LanguageSwitch } from './LanguageSwitch';
import { hasRole } from './roles';
import { useSession } from './session';

/** The screens `me` may open, in registry order. */
function visibleScreens(roles: Parameters<typeof hasRole>[0]): ScreenDefinition[] {
  return screens.filter((screen) => hasRole(roles, ...screen.roles));
}

export function Shell() {
  const { t } = useTranslation('common');
  const { me, signOut } = useSession();
  const location = useLocation();
  const mine = useMemo(() => visibleScreens(me), [me]);
  const menu = mine.filter((screen) => screen.menu !== false);
  const selected = menu.find((screen) => location.pathname === `/${screen.path}` || location.pathname.startsWith(`/${screen.path}/`));

  return (
    <Layout style={{ minHeight: '100vh' }}>
      <Layout.Header style={{ display: 'flex', alignItems: 'center', gap: 16, paddingInline: 24 }}>
        <Typography.Text strong style={{ color: '#fff', fontSize: 16, whiteSpace: 'nowrap' }}>
          {t('appName')}
        </Typography.Text>
        <span style={{ flex: 1 }} />
        <Space wrap>
          <Typography.Text style={{ color: '#fff' }} data-testid="signed-in-user">
            {t('signedInAs', { userId: me.userId })}
          </Typography.Text>
          {me.roles.map((role) => (
            <Tag key={role} color="blue">
              {t(`roles.${role}`)}
            </Tag>
          ))}
          <LanguageSwitch />
          <Button onClick={signOut}>{t('signOut')}</Button>
        </Space>
      </Layout.Header>
      <Layout>
        <Layout.Sider width={200} theme="light" breakpoint="lg" collapsedWidth={0}>
          <nav aria-label={t('appName')}>
            <Menu
              mode="inline"
              selectedKeys={selected ? [selected.path] : []}
              items={menu.map((screen) => ({ key: screen.path, label: <Link to={`/${screen.path}`}>{t(screen.titleKey)}</Link> }))}
            />
          </nav>
        </Layout.Sider>
        {/* antd's Layout.Content is the page's one <main> landmark. */}
        <Layout.Content style={{ padding: 24 }}>
          <div>
            <Routes>
              {mine.map((screen) => (
                <Route key={screen.path} path={`/${screen.path}`} element={screen.element} />
              ))}
              <Route path="/" element={menu[0] ? <Navigate to={`/${menu[0].path}`} replace /> : <Result status="info" title={t('noScreens')} />} />
              <Route path="*" element={<Result status="404" title={t('notFound')} />} />
            </Routes>
          </div>
        </Layout.Content>
      </Layout>
    </Layout>
  );
}
