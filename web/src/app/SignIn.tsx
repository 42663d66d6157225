import { Button, Card, Form, Input, Typography } from 'antd';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';

import { ErrorAlert } from './errors';
import { LanguageSwitch } from './LanguageSwitch';
import { useSessionState } from './session';

/** The sign-in page: an API key, checked with GET /api/me before it is kept (sessionStorage, this tab only). */
export function SignIn({ initialError }: { initialError?: unknown }) {
  const { t } = useTranslation('common');
  const { signIn } = useSessionState();
  const [error, setError] = useState<unknown>(initialError);
  const [busy, setBusy] = useState(false);

  const submit = async ({ key }: { key: string }) => {
    setBusy(true);
    setError(undefined);
    try {
      await signIn(key.trim());
    } catch (failure) {
      setError(failure);
      setBusy(false);
    }
  };

  return (
    <main style={{ minHeight: '100vh', display: 'grid', placeItems: 'center', padding: 16 }}>
      <Card style={{ width: 420, maxWidth: '100%' }} title={<Typography.Title level={1} style={{ fontSize: 20, margin: 0 }}>{t('appName')}</Typography.Title>} extra={<LanguageSwitch />}>
        <Form layout="vertical" onFinish={submit} requiredMark={false}>
          <Typography.Title level={2} style={{ fontSize: 16 }}>{t('signIn.title')}</Typography.Title>
          <Form.Item name="key" label={t('signIn.key')} extra={t('signIn.keyHelp')} rules={[{ required: true, whitespace: true, message: t('signIn.required') }]}>
            <Input.Password autoFocus autoComplete="off" />
          </Form.Item>
          <ErrorAlert error={error} />
          <Button type="primary" htmlType="submit" loading={busy} block style={{ marginTop: 16 }}>
            {t('signIn.submit')}
          </Button>
        </Form>
      </Card>
    </main>
  );
}
