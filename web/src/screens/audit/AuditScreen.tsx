import { Button, Form, Input, Tabs, Typography } from 'antd';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { useNavigate, useParams } from 'react-router';

import type { Page } from '../../api/client';
import type { Order } from '../../api/types';
import { hasRole } from '../../app/roles';
import { useApi, useSession } from '../../app/session';
import { useShowError } from '../../app/errors';
import { AuditTrail } from './AuditTrail';
import { OrderTimeline } from './OrderTimeline';
import { TIMELINE_READERS } from './types';
import { VerifyLog } from './VerifyLog';

/** The order to show: typed as its id or its document number (SO-2026-000001), resolved by GET /api/orders?number=. */
function OrderPicker({ initial }: { initial?: string }) {
  const { t } = useTranslation('audit');
  const api = useApi();
  const navigate = useNavigate();
  const showError = useShowError();
  const [busy, setBusy] = useState(false);

  const open = async ({ order }: { order: string }) => {
    const typed = order.trim();
    setBusy(true);
    try {
      const found = await api.get<Page<Order>>('/orders', { number: typed, limit: 1 });
      const orderId = found.items[0]?.orderId ?? typed;
      void navigate(`/audit/orders/${encodeURIComponent(orderId)}`);
    } catch (error) {
      showError(error);
    } finally {
      setBusy(false);
    }
  };

  return (
    <Form name="audit-order" layout="inline" onFinish={open} initialValues={{ order: initial ?? '' }} style={{ marginBottom: 16 }}>
      <Form.Item name="order" label={t('timeline.order')} rules={[{ required: true, whitespace: true, message: t('common:errors.required', { field: t('timeline.order') }) }]}>
        <Input autoComplete="off" placeholder="SO-2026-000001" />
      </Form.Item>
      <Form.Item>
        <Button type="primary" htmlType="submit" loading={busy}>
          {t('timeline.show')}
        </Button>
      </Form.Item>
    </Form>
  );
}

/** 审计: an order's timeline and state as of a time, the audit trail, and the hash-chain verification, each for the roles that may read it. */
export function AuditScreen() {
  const { t } = useTranslation('audit');
  const { me } = useSession();
  const { orderId } = useParams();
  const items = [
    ...(hasRole(me, ...TIMELINE_READERS)
      ? [{ key: 'timeline', label: t('tabs.timeline'), children: (
          <>
            <OrderPicker key={orderId} initial={orderId} />
            {orderId && <OrderTimeline orderId={orderId} />}
          </>
        ) }]
      : []),
    ...(hasRole(me, 'auditor', 'analyst') ? [{ key: 'trail', label: t('tabs.trail'), children: <AuditTrail /> }] : []),
    ...(hasRole(me, 'auditor') ? [{ key: 'verify', label: t('tabs.verify'), children: <VerifyLog /> }] : []),
  ];
  return (
    <>
      <Typography.Title level={1}>{t('title')}</Typography.Title>
      <Tabs items={items} defaultActiveKey={orderId ? 'timeline' : items[0]?.key} />
    </>
  );
}
