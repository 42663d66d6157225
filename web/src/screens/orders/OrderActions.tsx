// The actions this user may take on this order now (actions.ts), each a dialog that sends one command to
// the API and shows its refusal as the API worded it.
import { Button, Form, Input, Radio, Select, Space, Typography } from 'antd';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';

import type { Order } from '../../api/types';
import { ActionModal } from '../../app/ActionModal';
import { useSession } from '../../app/session';
import { toMajorText } from '../../format/money';
import { useFormat } from '../../format/use-format';
import { availableActions, type OrderAction } from './actions';
import { type AmendLine, AmendLinesField, linesFrom, MoneyField, type Quantities, QuantityFields } from './fields';

const PAYMENT_METHODS = ['bank_transfer', 'cash', 'card', 'alipay', 'wechat_pay', 'store_credit'] as const;

/** What a command answers: the order, with the log position to read the view at. */
interface CommandAnswer {
  readonly position: string | null;
}

interface Props {
  readonly order: Order;
  /** After a command: reload the order at least at `position`. */
  onChanged(position: string | null): void;
}

export function OrderActions({ order, onChanged }: Props) {
  const { t } = useTranslation('orders');
  const { me } = useSession();
  const [open, setOpen] = useState<OrderAction>();
  const actions = availableActions(order, me);
  if (actions.length === 0) return null;
  return (
    <section aria-labelledby="order-actions">
      <Typography.Title level={2} id="order-actions" style={{ fontSize: 16 }}>
        {t('detail.actions')}
      </Typography.Title>
      <Space wrap>
        {actions.map((action) => (
          <Button key={action} onClick={() => setOpen(action)} danger={action === 'cancel'} type={action === actions[0] ? 'primary' : 'default'}>
            {t(`action.${action}`)}
          </Button>
        ))}
      </Space>
      {open ? (
        <ActionDialog
          action={open}
          order={order}
          onClose={() => setOpen(undefined)}
          onDone={(position) => {
            setOpen(undefined);
            onChanged(position);
          }}
        />
      ) : null}
    </section>
  );
}

interface DialogProps {
  readonly action: OrderAction;
  readonly order: Order;
  onClose(): void;
  onDone(position: string | null): void;
}

/** The rows of each quantities form: what is left to ship, receive, return or take back, per line. */
function rowsFor(action: OrderAction, order: Order) {
  const lines = order.lines;
  switch (action) {
    case 'ship':
      return lines.map((line) => ({ sku: line.sku, max: line.reserved })).filter((row) => row.max > 0);
    case 'receive':
      return lines.map((line) => ({ sku: line.sku, max: Math.max(0, line.quantity - line.received - line.cancelled) })).filter((row) => row.max > 0);
    case 'return':
      return lines.map((line) => ({ sku: line.sku, max: Math.max(0, line.delivered - line.returned - line.returnPending) })).filter((row) => row.max > 0);
    default:
      return lines.map((line) => ({ sku: line.sku, max: Math.max(0, line.quantity - line.cancelled) }));
  }
}

function defaults(rows: readonly { sku: string; max: number }[]): Quantities {
  return Object.fromEntries(rows.map((row) => [row.sku, row.max]));
}

/** The dialog of one action: its fields and the command it sends. */
function ActionDialog({ action, order, onClose, onDone }: DialogProps) {
  const { t } = useTranslation('orders');
  const { api } = useSession();
  const format = useFormat();
  const path = `/orders/${encodeURIComponent(order.orderId)}`;
  const title = t(`action.${action}`);
  const common = {
    open: true,
    title,
    onClose,
    onDone: (answer: CommandAnswer | void) => onDone(answer ? answer.position : null),
    doneText: t('action.done', { action: title }),
  };
  const reason = (
    <Form.Item name="reason" label={t('form.reason')} rules={[{ required: true, whitespace: true }]}>
      <Input.TextArea autoSize={{ minRows: 2 }} maxLength={500} />
    </Form.Item>
  );
  const nothing = () => Promise.reject(new Error(t('form.nothingToSend')));

  switch (action) {
    case 'process':
      return (
        <ActionModal<object, CommandAnswer> {...common} onSubmit={() => api.post(`${path}/process`)}>
          {t('action.confirmProcess')}
        </ActionModal>
      );
    case 'deliver': {
      // One shipment delivered, or (the default) every one still in transit.
      const inTransit = order.shipments.filter((shipment) => shipment.deliveredAt === null);
      return (
        <ActionModal<{ shipmentId: string }, CommandAnswer>
          {...common}
          initialValues={{ shipmentId: '' }}
          onSubmit={({ shipmentId }) => api.post(`${path}/deliver`, shipmentId ? { shipmentId } : {})}
        >
          <Form.Item name="shipmentId" label={t('shipment.id')}>
            <Radio.Group
              options={[
                { value: '', label: t('form.allInTransit') },
                ...inTransit.map((shipment) => ({ value: shipment.shipmentId, label: `${shipment.shipmentId} (${shipment.lines.map((line) => `${line.sku} × ${line.quantity}`).join(', ')})` })),
              ]}
            />
          </Form.Item>
        </ActionModal>
      );
    }
    case 'withdraw':
      return (
        <ActionModal<object, CommandAnswer> {...common} danger onSubmit={() => api.post(`${path}/cancellation/withdraw`)}>
          {t('action.confirmWithdraw')}
        </ActionModal>
      );
    case 'ship': {
      const rows = rowsFor('ship', order);
      return (
        <ActionModal<{ quantities: Quantities; carrier?: string; trackingNumber?: string }, CommandAnswer>
          {...common}
          initialValues={{ quantities: defaults(rows) }}
          onSubmit={({ quantities, carrier, trackingNumber }) => {
            const lines = linesFrom(quantities);
            if (lines.length === 0) return nothing();
            return api.post(`${path}/ship`, { lines, ...(carrier ? { carrier } : {}), ...(trackingNumber ? { trackingNumber } : {}) });
          }}
        >
          <Typography.Paragraph type="secondary">{t('form.shipHelp')}</Typography.Paragraph>
          <QuantityFields rows={rows} />
          <Form.Item name="carrier" label={t('form.carrier')}>
            <Input maxLength={100} />
          </Form.Item>
          <Form.Item name="trackingNumber" label={t('form.trackingNumber')}>
            <Input maxLength={100} />
          </Form.Item>
        </ActionModal>
      );
    }
    case 'receive': {
      const rows = rowsFor('receive', order);
      return (
        <ActionModal<{ quantities: Quantities }, CommandAnswer>
          {...common}
          initialValues={{ quantities: defaults(rows) }}
          onSubmit={({ quantities }) => {
            const lines = linesFrom(quantities);
            return lines.length === 0 ? nothing() : api.post(`${path}/receive`, { lines });
          }}
        >
          <QuantityFields rows={rows} />
        </ActionModal>
      );
    }
    case 'return': {
      const rows = rowsFor('return', order);
      return (
        <ActionModal<{ quantities: Quantities; reason: string }, CommandAnswer>
          {...common}
          onSubmit={({ quantities, reason: why }) => {
            const lines = linesFrom(quantities);
            return lines.length === 0 ? nothing() : api.post(`${path}/returns`, { lines, reason: why });
          }}
        >
          <QuantityFields rows={rows} />
          {reason}
        </ActionModal>
      );
    }
    case 'receiveReturn':
      return <ReceiveReturnDialog order={order} common={common} path={path} />;
    case 'hold':
      return (
        <ActionModal<{ reason: string }, CommandAnswer> {...common} onSubmit={(values) => api.post(`${path}/hold`, values)}>
          {reason}
        </ActionModal>
      );
    case 'release':
      return (
        <ActionModal<{ note?: string }, CommandAnswer> {...common} onSubmit={({ note }) => api.post(`${path}/hold/release`, note ? { note } : {})}>
          <Form.Item name="note" label={t('form.note')}>
            <Input maxLength={500} />
          </Form.Item>
        </ActionModal>
      );
    case 'pay':
      return (
        <ActionModal<{ amount: string; method: string }, CommandAnswer>
          {...common}
          initialValues={{ method: 'bank_transfer' }}
          onSubmit={({ amount, method }) => api.post(`${path}/payments`, { amount: format.parseMoney(amount, order.currency), method })}
        >
          <MoneyField name="amount" label={t('form.amount', { currency: order.currency })} currency={order.currency} />
          <Form.Item name="method" label={t('form.method')} rules={[{ required: true }]}>
            <Select style={{ width: 200 }} options={PAYMENT_METHODS.map((method) => ({ value: method, label: t(`form.methods.${method}`) }))} />
          </Form.Item>
        </ActionModal>
      );
    case 'amend':
      return (
        <ActionModal<{ lines: AmendLine[]; reason: string }, CommandAnswer>
          {...common}
          initialValues={{ lines: order.lines.map((line) => ({ sku: line.sku, quantity: line.quantity - line.cancelled, unitPrice: toMajorText(line.unitPrice, order.currency) })) }}
          onSubmit={({ lines, reason: why }) =>
            api.post(`${path}/amend`, {
              lines: (lines ?? []).map((line) => ({ sku: line.sku.trim(), quantity: line.quantity, unitPrice: format.parseMoney(line.unitPrice, order.currency) })),
              reason: why,
            })
          }
        >
          <AmendLinesField currency={order.currency} />
          {reason}
        </ActionModal>
      );
    case 'cancel':
      return <CancelDialog order={order} common={common} path={path} />;
  }
}

type Common = Omit<Parameters<typeof ActionModal<object, CommandAnswer | void>>[0], 'onSubmit' | 'children'>;

function CancelDialog({ order, common, path }: { order: Order; common: Common; path: string }) {
  const { t } = useTranslation('orders');
  const { api } = useSession();
  const rows = rowsFor('cancel', order);
  type Values = { reason: string; initiatedBy: string; note?: string; scope: 'whole' | 'remainder' | 'lines'; quantities?: Quantities };
  return (
    <ActionModal<Values, CommandAnswer>
      {...common}
      danger
      initialValues={{ initiatedBy: order.kind === 'sale' ? 'customer' : 'company', scope: 'whole' }}
      onSubmit={({ reason, initiatedBy, note, scope, quantities }) => {
        const lines = scope === 'lines' ? linesFrom(quantities) : [];
        if (scope === 'lines' && lines.length === 0) return Promise.reject(new Error(t('form.nothingToSend')));
        return api.post(`${path}/cancellation`, {
          reason,
          initiatedBy,
          ...(note ? { note } : {}),
          ...(scope === 'remainder' ? { scope: 'remainder' } : {}),
          ...(scope === 'lines' ? { lines } : {}),
        });
      }}
    >
      <Form.Item name="reason" label={t('form.reason')} rules={[{ required: true, whitespace: true }]}>
        <Input.TextArea autoSize={{ minRows: 2 }} maxLength={500} />
      </Form.Item>
      <Form.Item name="initiatedBy" label={t('form.initiatedBy')} rules={[{ required: true }]}>
        <Radio.Group options={(['customer', 'company', 'supplier'] as const).map((who) => ({ value: who, label: t(`initiator.${who}`) }))} />
      </Form.Item>
      <Form.Item name="scope" label={t('form.scope')}>
        <Radio.Group options={(['whole', 'remainder', 'lines'] as const).map((scope) => ({ value: scope, label: t(`scope.${scope}`) }))} />
      </Form.Item>
      <Form.Item noStyle shouldUpdate={(before: Values, after: Values) => before.scope !== after.scope}>
        {({ getFieldValue }) => (getFieldValue('scope') === 'lines' ? <QuantityFields rows={rows} /> : null)}
      </Form.Item>
      <Form.Item name="note" label={t('form.note')}>
        <Input maxLength={500} />
      </Form.Item>
    </ActionModal>
  );
}

function ReceiveReturnDialog({ order, common, path }: { order: Order; common: Common; path: string }) {
  const { t } = useTranslation('orders');
  const { api } = useSession();
  const open = order.returns.filter((entry) => entry.closedAt === null && entry.lines.some((line) => line.quantity > line.receivedResellable + line.receivedDamaged));
  type Values = { returnId: string; resellable?: Quantities; damaged?: Quantities };
  return (
    <ActionModal<Values, CommandAnswer>
      {...common}
      initialValues={{ returnId: open[0]?.returnId }}
      onSubmit={({ returnId, resellable, damaged }) => {
        const lines = [
          ...linesFrom(resellable).map((line) => ({ ...line, condition: 'resellable' })),
          ...linesFrom(damaged).map((line) => ({ ...line, condition: 'damaged' })),
        ];
        if (lines.length === 0) return Promise.reject(new Error(t('form.nothingToSend')));
        return api.post(`${path}/returns/receive`, { returnId, lines });
      }}
    >
      <Form.Item name="returnId" label={t('form.returnId')} rules={[{ required: true }]}>
        <Select style={{ width: 200 }} options={open.map((entry) => ({ value: entry.returnId, label: `${entry.returnId} · ${entry.reason}` }))} />
      </Form.Item>
      <Form.Item noStyle shouldUpdate>
        {({ getFieldValue }) => {
          const chosen = open.find((entry) => entry.returnId === getFieldValue('returnId'));
          const rows = (chosen?.lines ?? []).map((line) => ({ sku: line.sku, max: Math.max(0, line.quantity - line.receivedResellable - line.receivedDamaged) })).filter((row) => row.max > 0);
          return (
            <Space align="start" size={32} wrap>
              <QuantityFields rows={rows} name="resellable" label={t('form.conditions.resellable')} />
              <QuantityFields rows={rows} name="damaged" label={t('form.conditions.damaged')} />
            </Space>
          );
        }}
      </Form.Item>
    </ActionModal>
  );
}
