import { Alert, Button, Space, Table, Typography } from 'antd';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';

import { ErrorAlert } from '../../app/errors';
import { useApi } from '../../app/session';
import type { ChainBreak, Verification } from './types';

/** "Verify the log": GET /api/audit/verify recomputes every hash chain; the answer shown as it is. */
export function VerifyLog() {
  const { t } = useTranslation('audit');
  const api = useApi();
  const [busy, setBusy] = useState(false);
  const [result, setResult] = useState<Verification>();
  const [error, setError] = useState<unknown>();

  const verify = async () => {
    setBusy(true);
    setError(undefined);
    setResult(undefined);
    try {
      setResult(await api.get<Verification>('/audit/verify'));
    } catch (failure) {
      setError(failure);
    } finally {
      setBusy(false);
    }
  };

  const checked = result && t('verify.checked', { events: result.eventsChecked, streams: result.streamsChecked });
  const brokenAt = result?.brokenAt;
  return (
    <Space orientation="vertical" style={{ width: '100%' }}>
      <Typography.Paragraph>{t('verify.help')}</Typography.Paragraph>
      <Button type="primary" onClick={verify} loading={busy}>
        {t('verify.run')}
      </Button>
      <ErrorAlert error={error} />
      {result?.ok && <Alert type="success" showIcon title={t('verify.ok')} description={checked} />}
      {result && !result.ok && (
        <Alert
          type="error"
          showIcon
          title={t('verify.broken')}
          description={
            <>
              {checked}
              {brokenAt && <div>{t('verify.brokenAt', { streamId: brokenAt.streamId ?? '—', revision: brokenAt.revision ?? '—', position: brokenAt.position ?? '—', reason: brokenAt.reason })}</div>}
            </>
          }
        />
      )}
      {result && result.breaks.length > 0 && (
        <Table<ChainBreak>
          caption={t('verify.breaks')}
          rowKey={(item) => `${item.streamId}/${item.revision}/${item.position}`}
          size="small"
          pagination={false}
          dataSource={result.breaks}
          columns={[
            { key: 'streamId', dataIndex: 'streamId', title: t('timeline.columns.stream') },
            { key: 'revision', dataIndex: 'revision', title: t('state.revision') },
            { key: 'position', dataIndex: 'position', title: t('timeline.columns.position') },
            { key: 'reason', dataIndex: 'reason', title: t('timeline.columns.reason') },
          ]}
        />
      )}
    </Space>
  );
}
