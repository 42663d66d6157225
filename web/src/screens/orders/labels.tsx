import { Space, Tag } from 'antd';
import { useTranslation } from 'react-i18next';

import type { CancellationState, Order, OrderStatus } from '../../api/types';

const STATUS_COLORS: Record<OrderStatus, string> = {
  placed: 'blue', processing: 'geekblue', partially_shipped: 'cyan', shipped: 'cyan', delivered: 'green', rejected: 'red', returning: 'orange',
  partially_received: 'cyan', received: 'green', closed: 'default', cancelled: 'default',
};
const CANCELLATION_COLORS: Record<CancellationState, string> = { requested: 'gold', approved: 'red', rejected: 'default', withdrawn: 'default' };

function StatusTag({ status }: { status: OrderStatus }) {
  const { t } = useTranslation('orders');
  return <Tag color={STATUS_COLORS[status]}>{t(`status.${status}`)}</Tag>;
}

export function CancellationTag({ state }: { state: CancellationState }) {
  const { t } = useTranslation('orders');
  return <Tag color={CANCELLATION_COLORS[state]}>{t(`cancellationState.${state}`)}</Tag>;
}

/** The status, and "on hold" when it is. */
export function OrderStatusTags({ order }: { order: Order }) {
  const { t } = useTranslation('orders');
  return (
    <Space size={4} wrap>
      <StatusTag status={order.status} />
      {order.onHold ? <Tag color="volcano">{t('onHold')}</Tag> : null}
    </Space>
  );
}
