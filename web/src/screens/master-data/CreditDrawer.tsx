// A customer's store credit (储值/余额) in a drawer: the balance, every grant, spend and expiry, and granting
// credit (补偿) for approvers and finance. Reading: finance and auditors, and a clerk for its own orders'
// customers (the API decides that one).
import { Alert, Button, DatePicker, Descriptions, Drawer, Form, Input, Space, Table, Tag, Typography } from 'antd';
import type { Dayjs } from 'dayjs';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router';

import { ErrorAlert } from '../../app/errors';
import { hasRole } from '../../app/roles';
import { useSession } from '../../app/session';
import { useLoad } from '../../app/use-load';
import { useFormat } from '../../format/use-format';
import { MoneyField } from '../orders/fields';
import { type CreditEntry, type CustomerCredit, signedCredit, withRunningBalance } from './credit';
import { useRequiredRule } from './rules';
import type { Party } from './types';

interface GrantValues {
  readonly amount: string;
  readonly reason: string;
  readonly orderId?: string;
  readonly expiresAt?: Dayjs | null;
}

function GrantForm({ customerId, currency, onGranted }: { customerId: string; currency: string; onGranted: (position: string | null) => void }) {
  const { t } = useTranslation('masterData');
  const required = useRequiredRule();
  const { api } = useSession();
  const format = useFormat();
  const [form] = Form.useForm<GrantValues>();
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<unknown>();
  const [done, setDone] = useState<string>();

  const submit = async (values: GrantValues) => {
    setBusy(true);
    setError(undefined);
    setDone(undefined);
    try {
      const amount = format.parseMoney(values.amount, currency);
      const answer = await api.post<{ position?: string | null }>(`/customers/${encodeURIComponent(customerId)}/credits`, {
        amount,
        reason: values.reason.trim(),
        ...(values.orderId?.trim() ? { orderId: values.orderId.trim() } : {}),
        ...(values.expiresAt ? { expiresAt: values.expiresAt.endOf('day').toISOString() } : {}),
      });
      setDone(t('credit.granted', { amount: format.money(amount ?? 0, currency) }));
      form.resetFields();
      onGranted(answer?.position ?? null);
    } catch (failure) {
      setError(failure);
    } finally {
      setBusy(false);
    }
  };

  return (
    <Form<GrantValues> name="grant-credit" form={form} layout="vertical" onFinish={submit}>
      <Typography.Title level={3} style={{ fontSize: 16 }}>
        {t('credit.grant')}
      </Typography.Title>
      <Space wrap align="start">
        <MoneyField name="amount" label={t('credit.amount', { currency })} currency={currency} />
        <Form.Item name="expiresAt" label={t('credit.expiresAt')}>
          <DatePicker />
        </Form.Item>
      </Space>
      <Form.Item name="reason" label={t('credit.reason')} rules={[required(t('credit.reason'))]}>
        <Input autoComplete="off" />
      </Form.Item>
      <Form.Item name="orderId" label={t('credit.orderId')}>
        <Input autoComplete="off" />
      </Form.Item>
      <ErrorAlert error={error} />
      {done && <Alert type="success" showIcon title={done} />}
      <Button type="primary" htmlType="submit" loading={busy} style={{ marginTop: 8 }}>
        {t('credit.grantSubmit')}
      </Button>
    </Form>
  );
}

export function CreditDrawer({ customer, onClose }: { customer: Party; onClose(): void }) {
  const { t } = useTranslation('masterData');
  const { api, me } = useSession();
  const format = useFormat();
  const [minPosition, setMinPosition] = useState<string>();
  const [reload, setReload] = useState(0);
  const credit = useLoad(
    (signal) => api.get<CustomerCredit>(`/customers/${encodeURIComponent(customer.id)}/credits`, { minPosition }, { signal }),
    [api, customer.id, minPosition, reload],
  );
  const currency = credit.data?.currency ?? 'CNY';
  const money = (minor: number) => format.money(minor, currency);
  const kindColor: Record<CreditEntry['kind'], string> = { grant: 'green', spend: 'blue', expiry: 'default' };

  return (
    <Drawer open title={t('credit.title', { name: customer.name ?? customer.id })} onClose={onClose} size="large" destroyOnHidden>
      <ErrorAlert error={credit.error} />
      <Descriptions
        bordered
        size="small"
        column={1}
        items={[
          { key: 'customer', label: t('party.id'), children: customer.id },
          { key: 'balance', label: t('credit.balance'), children: <Typography.Text strong data-testid="credit-balance">{credit.data ? money(credit.data.balance) : '—'}</Typography.Text> },
        ]}
      />
      <Table<CreditEntry & { balanceAfter: number }>
        style={{ marginTop: 16 }}
        rowKey="entryId"
        size="small"
        pagination={false}
        loading={credit.loading}
        aria-label={t('credit.entries')}
        dataSource={credit.data ? withRunningBalance(credit.data) : []}
        locale={{ emptyText: t('credit.none') }}
        columns={[
          { key: 'at', title: t('credit.at'), render: (_, entry) => format.time(entry.at) },
          { key: 'kind', title: t('credit.kind'), render: (_, entry) => <Tag color={kindColor[entry.kind]}>{t(`credit.kinds.${entry.kind}`)}</Tag> },
          { key: 'amount', title: t('credit.amountColumn'), align: 'right', render: (_, entry) => money(signedCredit(entry)) },
          { key: 'balanceAfter', title: t('credit.balanceAfter'), align: 'right', render: (_, entry) => money(entry.balanceAfter) },
          { key: 'reason', title: t('credit.reason'), render: (_, entry) => entry.reason ?? '' },
          { key: 'orderId', title: t('credit.order'), render: (_, entry) => (entry.orderId ? <Link to={`/orders/${encodeURIComponent(entry.orderId)}`}>{entry.orderId}</Link> : '') },
          { key: 'expiresAt', title: t('credit.validUntil'), render: (_, entry) => (entry.expiresAt ? format.date(entry.expiresAt) : '') },
        ]}
      />
      {hasRole(me, 'approver', 'finance') && (
        <div style={{ marginTop: 24 }}>
          <GrantForm
            customerId={customer.id}
            currency={currency}
            onGranted={(position) => {
              if (position) setMinPosition(position);
              setReload((value) => value + 1);
            }}
          />
        </div>
      )}
    </Drawer>
  );
}
