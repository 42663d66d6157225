import { Descriptions, Table, Tag } from 'antd';
import { useTranslation } from 'react-i18next';

import type { OrderLine } from '../../api/types';
import { useFormat } from '../../format/use-format';
import type { OrderState } from './types';

/** The lines of an order as they were: ordered, reserved, moved, returned and cancelled units. */
function StateLines({ state }: { state: OrderState }) {
  const { t } = useTranslation('audit');
  const format = useFormat();
  const count = (key: keyof OrderLine) => ({ key, dataIndex: key, title: t(`state.lines.${key}`), align: 'right' as const });
  const moved = state.kind === 'sale' ? [count('shipped'), count('delivered')] : [count('received')];
  return (
    <Table<OrderLine>
      rowKey="sku"
      size="small"
      pagination={false}
      dataSource={state.lines}
      columns={[
        { key: 'sku', dataIndex: 'sku', title: t('state.lines.sku') },
        count('quantity'),
        { ...count('unitPrice'), render: (price: number) => format.money(price, state.currency) },
        count('reserved'),
        ...moved,
        count('returned'),
        count('cancelled'),
      ]}
    />
  );
}

/** An order rebuilt from the log (GET /api/orders/:id/state): what it looked like at that moment. */
export function OrderStateView({ state }: { state: OrderState }) {
  const { t } = useTranslation('audit');
  const format = useFormat();
  const cancellation = state.cancellation;
  return (
    <>
      <Descriptions
        size="small"
        bordered
        column={{ xs: 1, md: 2 }}
        style={{ marginBottom: 12 }}
        items={[
          { key: 'status', label: t('state.status'), children: <Tag color="blue" data-testid="state-status">{t(`orders:status.${state.status}`)}</Tag> },
          { key: 'kind', label: t('state.kind'), children: t(`orders:kind.${state.kind}`) },
          { key: 'party', label: t('state.party'), children: state.partyId },
          { key: 'total', label: t('state.total'), children: format.money(state.total, state.currency) },
          { key: 'paid', label: t('state.paid'), children: format.money(state.paid, state.currency) },
          { key: 'refunded', label: t('state.refunded'), children: format.money(state.refunded, state.currency) },
          {
            key: 'cancellation',
            label: t('state.cancellation'),
            children: cancellation ? `${t(`orders:cancellationState.${cancellation.state}`)}: ${cancellation.reason}` : t('orders:cancellationState.none'),
          },
          { key: 'onHold', label: t('state.onHold'), children: state.onHold ? `${state.onHold.reason} (${state.onHold.by})` : t('common:no') },
          { key: 'position', label: t('state.position'), children: state.position ?? '—' },
          { key: 'revision', label: t('state.revision'), children: state.revision },
        ]}
      />
      <StateLines state={state} />
    </>
  );
}
