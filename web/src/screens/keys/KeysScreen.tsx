import { App, Button, Space, Table, Tag, Typography } from 'antd';
import type { ColumnsType } from 'antd/es/table';
import { useTranslation } from 'react-i18next';

import { ErrorAlert, useShowError } from '../../app/errors';
import { useApi } from '../../app/session';
import { useLoad } from '../../app/use-load';
import { useFormat } from '../../format/use-format';
import { CreateKeyDialog } from './CreateKeyDialog';
import { type KeyListing, keyStatus } from './types';

const STATUS_COLOURS = { active: 'green', expired: 'default', revoked: 'red' } as const;

/**
 * Revoke, after a confirmation dialog (DELETE /api/keys/:keyId): the dialog takes the focus (Enter revokes,
 * Escape keeps the key); the API's refusal is shown as it is.
 */
function RevokeButton({ listing, onRevoked }: { listing: KeyListing; onRevoked: () => void }) {
  const { t } = useTranslation('keys');
  const api = useApi();
  const { message, modal } = App.useApp();
  const showError = useShowError();
  const revoke = async () => {
    try {
      await api.delete(`/keys/${encodeURIComponent(listing.keyId)}`);
      void message.success(t('revokedDone', { userId: listing.userId }));
      onRevoked();
    } catch (error) {
      showError(error);
    }
  };
  const confirm = () =>
    modal.confirm({
      title: t('revokeConfirm', { userId: listing.userId }),
      okText: t('revoke'),
      okButtonProps: { danger: true },
      cancelText: t('common:actions.cancel'),
      autoFocusButton: 'ok',
      onOk: revoke,
    });
  return (
    <Button danger size="small" onClick={confirm} aria-label={`${t('revoke')} ${listing.userId} ${listing.keyId}`}>
      {t('revoke')}
    </Button>
  );
}

function useColumns(onRevoked: () => void): ColumnsType<KeyListing> {
  const { t } = useTranslation('keys');
  const format = useFormat();
  const now = Date.now();
  return [
    { key: 'userId', dataIndex: 'userId', title: t('columns.userId') },
    { key: 'roles', title: t('columns.roles'), render: (_, key) => key.roles.map((role) => <Tag key={role}>{t(`common:roles.${role}`)}</Tag>) },
    { key: 'status', title: t('columns.status'), render: (_, key) => { const status = keyStatus(key, now); return <Tag color={STATUS_COLOURS[status]}>{t(`status.${status}`)}</Tag>; } },
    { key: 'createdAt', title: t('columns.createdAt'), render: (_, key) => format.time(key.createdAt) },
    { key: 'lastUsedAt', title: t('columns.lastUsedAt'), render: (_, key) => format.time(key.lastUsedAt) },
    { key: 'expiresAt', title: t('columns.expiresAt'), render: (_, key) => (key.expiresAt ? format.time(key.expiresAt) : t('never')) },
    // The first characters of the id, like a short hash (the whole id on hover): enough to match the audit trail's entries.
    { key: 'keyId', title: t('columns.keyId'), render: (_, key) => <Typography.Text type="secondary" title={key.keyId}>{`${key.keyId.slice(0, 8)}…`}</Typography.Text> },
    { key: 'actions', title: t('columns.actions'), render: (_, key) => (key.revoked ? null : <RevokeButton listing={key} onRevoked={onRevoked} />) },
  ];
}

/** 密钥 (admin): every issued key (never the key itself), creating one (shown once), revoking one. */
export function KeysScreen() {
  const { t } = useTranslation('keys');
  const api = useApi();
  const keys = useLoad((signal) => api.get<{ items: KeyListing[] }>('/keys', {}, { signal }), []);
  const columns = useColumns(keys.reload);
  return (
    <>
      <Space style={{ width: '100%', justifyContent: 'space-between' }} align="center">
        <Typography.Title level={1}>{t('title')}</Typography.Title>
        <CreateKeyDialog onCreated={keys.reload} />
      </Space>
      <ErrorAlert error={keys.error} />
      <Table<KeyListing> rowKey="keyId" columns={columns} dataSource={keys.data?.items ?? []} loading={keys.loading} pagination={false} size="middle" locale={{ emptyText: t('empty') }} />
    </>
  );
}
