import { Alert, App, Button, Checkbox, Form, Input, Modal, Space, Typography } from 'antd';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';

import type { Role } from '../../api/types';
import { ErrorAlert } from '../../app/errors';
import { useApi } from '../../app/session';
import { parseTypedTime } from '../audit/types';
import type { IssuedKey } from './types';

const ROLES: readonly Role[] = ['admin', 'clerk', 'warehouse', 'approver', 'finance', 'auditor', 'analyst', 'integration'];

interface KeyValues {
  readonly userId: string;
  readonly roles: Role[];
  readonly expiresAt?: string;
}

/** The new key, shown once: it lives only in this dialog's state and is gone when the dialog closes. */
function ShownOnce({ issued }: { issued: IssuedKey }) {
  const { t } = useTranslation('keys');
  const { message } = App.useApp();
  const copy = async (key: string) => {
    try {
      await navigator.clipboard.writeText(key);
      void message.success(t('copied'));
    } catch {
      void message.warning(t('copyRefused'));
    }
  };
  if (issued.key === null) return <Alert type="info" showIcon title={t('notShown')} />;
  const key = issued.key;
  return (
    <Space orientation="vertical" style={{ width: '100%' }}>
      <Alert type="warning" showIcon title={t('shownOnce', { userId: issued.userId })} />
      <Typography.Text code copyable={false} style={{ fontSize: 15, wordBreak: 'break-all', userSelect: 'all' }} data-testid="issued-key">
        {key}
      </Typography.Text>
      <Button onClick={() => void copy(key)}>{t('copy')}</Button>
    </Space>
  );
}

/** "Create key": user id, roles and an optional expiry; then the key, once. */
export function CreateKeyDialog({ onCreated }: { onCreated: () => void }) {
  const { t } = useTranslation('keys');
  const api = useApi();
  const [form] = Form.useForm<KeyValues>();
  const [open, setOpen] = useState(false);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<unknown>();
  const [issued, setIssued] = useState<IssuedKey>();

  const close = () => {
    setOpen(false);
    setIssued(undefined);
    setError(undefined);
    form.resetFields();
  };
  const submit = async (values: KeyValues) => {
    setBusy(true);
    setError(undefined);
    try {
      setIssued(await api.post<IssuedKey>('/keys', { userId: values.userId.trim(), roles: values.roles, expiresAt: parseTypedTime(values.expiresAt) }));
      onCreated();
    } catch (failure) {
      setError(failure);
    } finally {
      setBusy(false);
    }
  };

  const footer = issued
    ? [<Button key="done" type="primary" onClick={close}>{t('done')}</Button>]
    : [
        <Button key="cancel" onClick={close}>{t('common:actions.cancel')}</Button>,
        <Button key="create" type="primary" loading={busy} onClick={() => form.submit()}>{t('create')}</Button>,
      ];
  return (
    <>
      <Button type="primary" onClick={() => setOpen(true)}>
        {t('create')}
      </Button>
      {/* No closing animation: a dialog keeps its content on screen while it fades, and the key must be gone at once. */}
      <Modal
        title={issued ? t('created', { userId: issued.userId }) : t('create')}
        open={open}
        onCancel={close}
        footer={footer}
        destroyOnHidden
        maskClosable={false}
        transitionName=""
        maskTransitionName=""
      >
        {issued ? (
          <ShownOnce issued={issued} />
        ) : (
          <Form<KeyValues> name="create-key" form={form} layout="vertical" onFinish={submit}>
            <Form.Item name="userId" label={t('userId')} extra={t('userIdHelp')} rules={[{ required: true, whitespace: true, message: t('common:errors.required', { field: t('userId') }) }]}>
              <Input autoComplete="off" />
            </Form.Item>
            <Form.Item name="roles" label={t('roles')} rules={[{ required: true, type: 'array', min: 1, message: t('common:errors.required', { field: t('roles') }) }]}>
              {/* Checkboxes, not a multiple select: every role in sight, each reachable by Tab and toggled by Space. */}
              <Checkbox.Group role="group" aria-label={t('roles')} options={ROLES.map((role) => ({ value: role, label: t(`common:roles.${role}`) }))} />
            </Form.Item>
            <Form.Item
              name="expiresAt"
              label={t('expiresAt')}
              extra={t('expiresHelp')}
              rules={[{ validator: async (_rule, value: string | undefined) => { if (value?.trim() && !parseTypedTime(value)) throw new Error(t('expiresInvalid')); } }]}
            >
              <Input autoComplete="off" placeholder="2027-01-31 00:00" />
            </Form.Item>
            <ErrorAlert error={error} />
            <Button htmlType="submit" hidden aria-hidden tabIndex={-1} />
          </Form>
        )}
      </Modal>
    </>
  );
}
