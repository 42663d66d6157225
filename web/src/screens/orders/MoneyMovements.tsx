// Each payment and refund of an order, from its history (GET /api/orders/:id/history: approver, finance,
// auditor). Other roles see the totals only.
import { Table } from 'antd';
import { useTranslation } from 'react-i18next';

import type { Order } from '../../api/types';
import { ErrorAlert } from '../../app/errors';
import { useSession } from '../../app/session';
import { useLoad } from '../../app/use-load';
import { useFormat } from '../../format/use-format';

const MONEY_EVENTS = ['PaymentReceived', 'RefundIssued', 'DepositPaid', 'SupplierRefundReceived', 'PenaltyRecorded'] as const;
type MoneyEvent = (typeof MONEY_EVENTS)[number];

interface HistoryEntry {
  readonly position: string;
  readonly type: string;
  readonly occurredAt: string | null;
  readonly actor: { id: string } | null;
  readonly data: { amount?: number; currency?: string; method?: string };
}

export function MoneyMovements({ order }: { order: Order }) {
  const { t } = useTranslation('orders');
  const { api } = useSession();
  const format = useFormat();
  const history = useLoad(
    (signal) => api.get<{ events: HistoryEntry[] }>(`/orders/${encodeURIComponent(order.orderId)}/history`, { minPosition: order.position }, { signal }),
    [api, order.orderId, order.position],
  );
  const movements = (history.data?.events ?? []).filter((entry) => (MONEY_EVENTS as readonly string[]).includes(entry.type));
  return (
    <>
      <ErrorAlert error={history.error} />
      <Table<HistoryEntry>
        rowKey="position"
        size="small"
        pagination={false}
        loading={history.loading}
        dataSource={movements}
        locale={{ emptyText: t('detail.movements.none') }}
        columns={[
          { key: 'at', title: t('detail.movements.at'), render: (_, entry) => format.time(entry.occurredAt) },
          { key: 'type', title: t('detail.movements.type'), render: (_, entry) => t(`detail.movementTypes.${entry.type as MoneyEvent}`) },
          { key: 'method', title: t('detail.movements.method'), render: (_, entry) => (entry.data.method ? t(`form.methods.${entry.data.method}`, { defaultValue: entry.data.method }) : '') },
          { key: 'amount', title: t('detail.movements.amount'), align: 'right', render: (_, entry) => format.money(entry.data.amount ?? 0, entry.data.currency ?? order.currency) },
          { key: 'by', title: t('detail.movements.by'), render: (_, entry) => entry.actor?.id ?? '' },
        ]}
      />
    </>
  );
}

interface ViewMovement {
  readonly key: string;
  readonly kind: 'payment' | 'refund';
  readonly at: string;
  readonly method: string;
  readonly amount: number;
  /** A payment's own id; for a refund, the payment it reverses (null: cash or store credit chosen). */
  readonly paymentId: string | null;
}

/** The order view's `payments` and `refunds` (API.md "Money"), oldest first: each refund names its route and the payment it reverses. */
export function PaymentsAndRefunds({ order }: { order: Order }) {
  const { t } = useTranslation('orders');
  const format = useFormat();
  const rows: ViewMovement[] = [
    ...(order.payments ?? []).map((payment) => ({ key: `p/${payment.paymentId}`, kind: 'payment' as const, ...payment })),
    ...(order.refunds ?? []).map((refund, index) => ({ key: `r/${index}`, kind: 'refund' as const, ...refund })),
  ].sort((a, b) => a.at.localeCompare(b.at));
  return (
    <Table<ViewMovement>
      rowKey="key"
      size="small"
      pagination={false}
      dataSource={rows}
      aria-label={t('detail.money')}
      locale={{ emptyText: t('detail.movements.none') }}
      columns={[
        { key: 'at', title: t('detail.movements.at'), render: (_, row) => format.time(row.at) },
        { key: 'type', title: t('detail.movements.type'), render: (_, row) => t(`detail.movementTypes.${row.kind === 'payment' ? 'PaymentReceived' : 'RefundIssued'}`) },
        { key: 'method', title: t('detail.movements.method'), render: (_, row) => t(`form.methods.${row.method}`, { defaultValue: row.method }) },
        { key: 'amount', title: t('detail.movements.amount'), align: 'right', render: (_, row) => format.money(row.kind === 'refund' ? -row.amount : row.amount, order.currency) },
        {
          key: 'payment',
          title: t('detail.movements.payment'),
          render: (_, row) => (row.kind === 'payment' ? row.paymentId : row.paymentId ? t('detail.movements.reverses', { paymentId: row.paymentId }) : '—'),
        },
      ]}
    />
  );
}
