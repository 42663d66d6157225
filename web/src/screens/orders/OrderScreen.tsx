// One order: its lines (ordered / reserved / shipped / delivered / returned / cancelled), money, shipments,
// returns, the cancellation, and the actions this user may take now.
import { Alert, Button, Card, Descriptions, Empty, Result, Space, Spin, Table, Typography } from 'antd';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link, useLocation, useParams } from 'react-router';

import { ApiRequestError } from '../../api/client';
import type { Order, OrderLine, OrderReturn, Shipment } from '../../api/types';
import { ErrorAlert } from '../../app/errors';
import { hasRole } from '../../app/roles';
import { useSession } from '../../app/session';
import { useLoad } from '../../app/use-load';
import { useFormat } from '../../format/use-format';
import { outstanding } from './actions';
import { CancellationTag, OrderStatusTags } from './labels';
import { MoneyMovements, PaymentsAndRefunds } from './MoneyMovements';
import { OrderActions } from './OrderActions';

export function OrderScreen() {
  const { orderId = '' } = useParams();
  const { t } = useTranslation('orders');
  const { api } = useSession();
  const format = useFormat();
  // After a command (here, or the placement that led here): read the view at least at the position it answered
  // (read-your-writes).
  const placedAt = (useLocation().state as { minPosition?: string | null } | null)?.minPosition ?? null;
  const [minPosition, setMinPosition] = useState<string | null>(placedAt);
  const loaded = useLoad((signal) => api.get<Order>(`/orders/${encodeURIComponent(orderId)}`, { minPosition }, { signal }), [api, orderId, minPosition]);

  if (loaded.error instanceof ApiRequestError && loaded.error.status === 404) {
    return <Result status="404" title={t('notFound')} extra={<Link to="/orders">{t('backToList')}</Link>} />;
  }
  if (!loaded.data) return loaded.error ? <ErrorAlert error={loaded.error} /> : <Spin tip={t('common:loading')}><div style={{ minHeight: 120 }} /></Spin>;
  const order = loaded.data;
  const changed = (position: string | null) => {
    if (position && position !== minPosition) setMinPosition(position);
    else loaded.reload();
  };

  return (
    <Space direction="vertical" size="large" style={{ width: '100%' }}>
      <Space wrap align="center">
        <Link to="/orders">← {t('backToList')}</Link>
        <Typography.Title level={1} style={{ margin: 0, fontSize: 22 }}>
          {t(`kind.${order.kind}`)} {order.number}
        </Typography.Title>
        <OrderStatusTags order={order} />
        {order.cancellation?.state === 'requested' ? <CancellationTag state="requested" /> : null}
        <Button size="small" onClick={loaded.reload}>{t('common:actions.refresh')}</Button>
      </Space>
      <ErrorAlert error={loaded.error} />
      {order.onHold ? <Alert type="warning" showIcon title={t('onHoldSince', { by: order.onHold.by, at: format.time(order.onHold.at), reason: order.onHold.reason })} /> : null}
      <Summary order={order} />
      <OrderActions order={order} onChanged={changed} />
      <Lines order={order} />
      <Shipments order={order} />
      {order.kind === 'sale' ? <Returns order={order} /> : null}
      <CancellationCard order={order} />
    </Space>
  );
}

function Summary({ order }: { order: Order }) {
  const { t } = useTranslation('orders');
  const { me } = useSession();
  const format = useFormat();
  const money = (minor: number) => format.money(minor, order.currency);
  return (
    <Card>
      <Descriptions column={{ xs: 1, sm: 2, lg: 3 }} size="small">
        <Descriptions.Item label={t('detail.party')}>{order.partyId}</Descriptions.Item>
        <Descriptions.Item label={t('detail.warehouse')}>{order.warehouseId}</Descriptions.Item>
        <Descriptions.Item label={t('detail.owner')}>{order.ownerId}</Descriptions.Item>
        <Descriptions.Item label={t('detail.placedAt')}>{format.time(order.placedAt)}</Descriptions.Item>
        <Descriptions.Item label={t('detail.updatedAt')}>{format.time(order.updatedAt)}</Descriptions.Item>
        <Descriptions.Item label={t('detail.currency')}>{order.currency}</Descriptions.Item>
      </Descriptions>
      <Typography.Title level={2} style={{ fontSize: 16, marginTop: 16 }}>
        {t('detail.money')}
      </Typography.Title>
      <Descriptions column={{ xs: 1, sm: 2, lg: 5 }} size="small">
        <Descriptions.Item label={t('detail.total')}>{money(order.total)}</Descriptions.Item>
        <Descriptions.Item label={t('detail.paid')}>{money(order.paid)}</Descriptions.Item>
        <Descriptions.Item label={t('detail.refunded')}>{money(order.refunded)}</Descriptions.Item>
        <Descriptions.Item label={t('detail.outstanding')}>{money(outstanding(order))}</Descriptions.Item>
        {order.supplierRefundDue !== null ? <Descriptions.Item label={t('detail.supplierRefundDue')}>{money(order.supplierRefundDue)}</Descriptions.Item> : null}
      </Descriptions>
      <Typography.Paragraph type="secondary">{t('detail.moneyNote')}</Typography.Paragraph>
      {order.payments !== undefined ? <PaymentsAndRefunds order={order} /> : hasRole(me, 'approver', 'finance', 'auditor') ? <MoneyMovements order={order} /> : null}
    </Card>
  );
}

function Lines({ order }: { order: Order }) {
  const { t } = useTranslation('orders');
  const format = useFormat();
  const sale = order.kind === 'sale';
  const count = (key: keyof OrderLine, title: string) => ({ key, title, dataIndex: key, align: 'right' as const });
  const columns = [
    { key: 'sku', title: t('line.sku'), dataIndex: 'sku' },
    { key: 'unitPrice', title: t('line.unitPrice'), align: 'right' as const, render: (_: unknown, line: OrderLine) => format.money(line.unitPrice, order.currency) },
    count('quantity', t('line.ordered')),
    ...(sale
      ? [count('reserved', t('line.reserved')), count('shipped', t('line.shipped')), count('delivered', t('line.delivered')), count('returned', t('line.returned')), count('returnPending', t('line.returnPending'))]
      : [count('received', t('line.received')), count('returned', t('line.returned'))]),
    count('cancelled', t('line.cancelled')),
    { key: 'amount', title: t('line.amount'), align: 'right' as const, render: (_: unknown, line: OrderLine) => format.money(line.unitPrice * line.quantity, order.currency) },
  ];
  return (
    <section aria-labelledby="order-lines">
      <Typography.Title level={2} id="order-lines" style={{ fontSize: 16 }}>
        {t('detail.lines')}
      </Typography.Title>
      <Table<OrderLine> rowKey="sku" size="small" pagination={false} columns={columns} dataSource={order.lines} scroll={{ x: true }} />
    </section>
  );
}

const skuList = (lines: readonly { sku: string; quantity: number }[]) => lines.map((line) => `${line.sku} × ${line.quantity}`).join(', ');

function Shipments({ order }: { order: Order }) {
  const { t } = useTranslation('orders');
  const format = useFormat();
  return (
    <section aria-labelledby="order-shipments">
      <Typography.Title level={2} id="order-shipments" style={{ fontSize: 16 }}>
        {t('detail.shipments')}
      </Typography.Title>
      {order.shipments.length === 0 ? (
        <Empty image={Empty.PRESENTED_IMAGE_SIMPLE} description={t('detail.noShipments')} />
      ) : (
        <Table<Shipment>
          rowKey="shipmentId"
          size="small"
          pagination={false}
          dataSource={order.shipments}
          columns={[
            { key: 'id', title: t('shipment.id'), dataIndex: 'shipmentId' },
            { key: 'lines', title: t('shipment.lines'), render: (_, shipment) => skuList(shipment.lines) },
            { key: 'carrier', title: t('shipment.carrier'), render: (_, shipment) => shipment.carrier ?? '' },
            { key: 'tracking', title: t('shipment.tracking'), render: (_, shipment) => shipment.trackingNumber ?? '' },
            { key: 'shippedAt', title: t('shipment.shippedAt'), render: (_, shipment) => format.time(shipment.shippedAt) },
            { key: 'deliveredAt', title: t('shipment.deliveredAt'), render: (_, shipment) => (shipment.deliveredAt ? format.time(shipment.deliveredAt) : t('shipment.notDelivered')) },
          ]}
        />
      )}
    </section>
  );
}

function Returns({ order }: { order: Order }) {
  const { t } = useTranslation('orders');
  const format = useFormat();
  return (
    <section aria-labelledby="order-returns">
      <Typography.Title level={2} id="order-returns" style={{ fontSize: 16 }}>
        {t('detail.returns')}
      </Typography.Title>
      {order.returns.length === 0 ? (
        <Empty image={Empty.PRESENTED_IMAGE_SIMPLE} description={t('detail.noReturns')} />
      ) : (
        <Table<OrderReturn>
          rowKey="returnId"
          size="small"
          pagination={false}
          dataSource={order.returns}
          columns={[
            { key: 'id', title: t('returnInfo.id'), dataIndex: 'returnId' },
            { key: 'origin', title: t('returnInfo.origin'), render: (_, entry) => t(`returnInfo.origins.${entry.origin}`) },
            { key: 'lines', title: t('shipment.lines'), render: (_, entry) => skuList(entry.lines) },
            { key: 'received', title: t('returnInfo.received'), render: (_, entry) => entry.lines.map((line) => `${line.sku}: ${line.receivedResellable} / ${line.receivedDamaged}`).join(', ') },
            { key: 'reason', title: t('returnInfo.reason'), dataIndex: 'reason' },
            { key: 'requestedAt', title: t('returnInfo.requestedAt'), render: (_, entry) => format.time(entry.requestedAt) },
            { key: 'closedAt', title: t('returnInfo.closedAt'), render: (_, entry) => format.time(entry.closedAt) },
          ]}
        />
      )}
    </section>
  );
}

function CancellationCard({ order }: { order: Order }) {
  const { t } = useTranslation('orders');
  const format = useFormat();
  const cancellation = order.cancellation;
  return (
    <section aria-labelledby="order-cancellation">
      <Typography.Title level={2} id="order-cancellation" style={{ fontSize: 16 }}>
        {t('detail.cancellation')}
      </Typography.Title>
      {!cancellation ? (
        <Typography.Text type="secondary">{t('detail.noCancellation')}</Typography.Text>
      ) : (
        <Descriptions column={{ xs: 1, sm: 2 }} size="small" bordered>
          <Descriptions.Item label={t('cancellation.state')}>
            <CancellationTag state={cancellation.state} />
          </Descriptions.Item>
          <Descriptions.Item label={t('cancellation.scope')}>
            {t(`scope.${cancellation.scope}`)}
            {cancellation.scope === 'lines' ? ` (${skuList(cancellation.lines)})` : ''}
          </Descriptions.Item>
          <Descriptions.Item label={t('cancellation.reason')}>{cancellation.reason}</Descriptions.Item>
          <Descriptions.Item label={t('cancellation.initiatedBy')}>{t(`initiator.${cancellation.initiatedBy}`)}</Descriptions.Item>
          <Descriptions.Item label={t('cancellation.requestedBy')}>{cancellation.requestedBy}</Descriptions.Item>
          <Descriptions.Item label={t('cancellation.requestedAt')}>{format.time(cancellation.requestedAt)}</Descriptions.Item>
          {cancellation.note ? <Descriptions.Item label={t('cancellation.note')}>{cancellation.note}</Descriptions.Item> : null}
          {cancellation.decidedBy ? <Descriptions.Item label={t('cancellation.decidedBy')}>{cancellation.decidedBy}</Descriptions.Item> : null}
          {cancellation.decidedAt ? <Descriptions.Item label={t('cancellation.decidedAt')}>{format.time(cancellation.decidedAt)}</Descriptions.Item> : null}
          {cancellation.decisionNote ? <Descriptions.Item label={t('cancellation.decisionNote')}>{cancellation.decisionNote}</Descriptions.Item> : null}
        </Descriptions>
      )}
    </section>
  );
}
