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
