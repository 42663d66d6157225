// The approver's queue: pending cancellation requests, oldest first, with what approving each will do;
// approve (refund route, coupon or penalty) or reject with a reason. The requester's own requests are
// shown but offer no decision (the API refuses them as self_approval anyway).
import { Button, DatePicker, Form, type FormInstance, Input, Radio, Space, Table, Tag, Typography } from 'antd';
import type { Dayjs } from 'dayjs';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router';

import type { ApiClient, Page } from '../../api/client';
import type { Order, RefundMethod } from '../../api/types';
import { ActionModal } from '../../app/ActionModal';
import { ErrorAlert } from '../../app/errors';
import { useSession } from '../../app/session';
import { useLoad } from '../../app/use-load';
import { useFormat } from '../../format/use-format';
import { type ApprovalChoice, type Effect, approvalPreview } from './effect';
import type { RefundPart } from './refund-routes';
import { MoneyField } from '../orders/fields';

/**
 * Every order with a pending request (the API lists newest first; the queue is oldest request first). After a
 * decision, `minPosition` is the decision's position, so the queue no longer lists the order decided.
 */
async function pendingRequests(api: ApiClient, minPosition: string | undefined, signal: AbortSignal): Promise<Order[]> {
  const orders: Order[] = [];
  let cursor: string | null | undefined;
  do {
    const page = await api.get<Page<Order>>('/orders', { cancellation: 'requested', limit: 200, cursor, minPosition: cursor ? undefined : minPosition }, { signal });
    orders.push(...page.items);
    cursor = page.nextCursor;
  } while (cursor);
  return orders.sort((a, b) => (a.cancellation?.requestedAt ?? '').localeCompare(b.cancellation?.requestedAt ?? ''));
}

/** What approving will do, as a list; the refund broken down by route (and payment), a goodwill credit if chosen. */
function EffectList({ order, choice = {} }: { order: Order; choice?: ApprovalChoice }) {
  const { t } = useTranslation('approvals');
  const format = useFormat();
  const money = (minor: number) => format.money(minor, order.currency);
  const method = (name: string) => t(`orders:form.methods.${name}`, { defaultValue: name });
  const part = (refund: RefundPart) => {
    if (refund.paymentId !== null) return t('effect.refundPartOf', { amount: money(refund.amount), method: method(refund.method), paymentId: refund.paymentId });
    if (refund.method === 'original') return t('effect.refundUnassigned', { amount: money(refund.amount) });
    return t('effect.refundPart', { amount: money(refund.amount), method: method(refund.method) });
  };
  const text = (effect: Effect): string => {
    switch (effect.kind) {
      case 'release':
      case 'returnGoods':
      case 'stopIncoming':
        return t(`effect.${effect.kind}`, { count: effect.lines.reduce((total, line) => total + line.quantity, 0), lines: effect.lines.map((line) => `${line.sku} × ${line.quantity}`).join(', ') });
      case 'refund':
        return t('effect.refund', { amount: money(effect.amount), paid: money(effect.paid) });
      case 'depositDue':
        return t('effect.depositDue', { amount: money(effect.amount) });
      case 'goodwill':
        return effect.expiresAt ? t('effect.goodwillUntil', { amount: money(effect.amount), date: format.date(effect.expiresAt) }) : t('effect.goodwill', { amount: money(effect.amount) });
      default:
        return t(`effect.${effect.kind}`);
    }
  };
  return (
    <ul style={{ margin: 0, paddingInlineStart: 18 }} aria-label={t('columns.effect')}>
      {approvalPreview(order, choice).effects.map((effect) => (
        <li key={effect.kind}>
          {text(effect)}
          {effect.kind === 'refund' ? (
            <ul aria-label={t('refundRoutes')} style={{ paddingInlineStart: 18 }}>
              {effect.parts.map((refund) => (
                <li key={`${refund.method}/${refund.paymentId ?? ''}`}>{part(refund)}</li>
              ))}
            </ul>
          ) : null}
        </li>
      ))}
    </ul>
  );
}

type Decision = { kind: 'approve' | 'reject'; order: Order };

export function ApprovalsScreen() {
  const { t } = useTranslation('approvals');
  const { api, me } = useSession();
  const format = useFormat();
  // The position of the last decision taken here: the queue is read at least there (read-your-writes).
  const [decidedAt, setDecidedAt] = useState<string>();
  const queue = useLoad((signal) => pendingRequests(api, decidedAt, signal), [api, decidedAt]);
  const [deciding, setDeciding] = useState<Decision>();
  const orders = queue.data ?? [];

  return (
    <Space direction="vertical" size="middle" style={{ width: '100%' }}>
      <Typography.Title level={1} style={{ fontSize: 22, margin: 0 }}>
        {t('title')}
      </Typography.Title>
      <Typography.Paragraph type="secondary" style={{ margin: 0 }}>
        {t('intro')}
      </Typography.Paragraph>
      <Space>
        <Typography.Text>{t('count', { count: orders.length })}</Typography.Text>
        <Button size="small" onClick={queue.reload}>
          {t('common:actions.refresh')}
        </Button>
      </Space>
      <ErrorAlert error={queue.error} />
      <Table<Order>
        rowKey="orderId"
        loading={queue.loading}
        dataSource={orders}
        pagination={false}
        scroll={{ x: true }}
        locale={{ emptyText: t('empty') }}
        columns={[
          { key: 'requestedAt', title: t('columns.requestedAt'), render: (_, order) => format.time(order.cancellation?.requestedAt) },
          {
            key: 'order',
            title: t('columns.order'),
            render: (_, order) => (
              <Space direction="vertical" size={0}>
                <Link to={`/orders/${encodeURIComponent(order.orderId)}`}>{order.number}</Link>
                <Typography.Text type="secondary">{t(`orders:kind.${order.kind}`)} · {t(`orders:scope.${order.cancellation?.scope ?? 'whole'}`)}</Typography.Text>
              </Space>
            ),
          },
          { key: 'party', title: t('columns.party'), dataIndex: 'partyId' },
          { key: 'value', title: t('columns.value'), align: 'right', render: (_, order) => format.money(approvalPreview(order).value, order.currency) },
          { key: 'reason', title: t('columns.reason'), render: (_, order) => order.cancellation?.reason },
          { key: 'initiatedBy', title: t('columns.initiatedBy'), render: (_, order) => (order.cancellation ? t(`orders:initiator.${order.cancellation.initiatedBy}`) : null) },
          { key: 'requestedBy', title: t('columns.requestedBy'), render: (_, order) => order.cancellation?.requestedBy },
          { key: 'effect', title: t('columns.effect'), render: (_, order) => <EffectList order={order} /> },
          {
            key: 'decide',
            title: t('columns.decide'),
            render: (_, order) =>
              order.cancellation?.requestedBy === me.userId ? (
                <Tag>{t('ownRequest')}</Tag>
              ) : (
                <Space>
                  <Button type="primary" aria-label={`${t('approve')} ${order.number}`} onClick={() => setDeciding({ kind: 'approve', order })}>
                    {t('approve')}
                  </Button>
                  <Button danger aria-label={`${t('reject')} ${order.number}`} onClick={() => setDeciding({ kind: 'reject', order })}>
                    {t('reject')}
                  </Button>
                </Space>
              ),
          },
        ]}
      />
      {deciding ? (
        <DecisionDialog
          decision={deciding}
          onClose={() => setDeciding(undefined)}
          onDone={(position) => {
            setDeciding(undefined);
            if (position && position !== decidedAt) setDecidedAt(position);
            else queue.reload();
          }}
        />
      ) : null}
    </Space>
  );
}

interface ApproveValues {
  note?: string;
  refundMethod?: RefundMethod;
  couponCode?: string;
  couponAmount?: string;
  couponExpires?: Dayjs | null;
  penaltyAmount?: string;
  penaltyPayer?: 'company' | 'supplier';
}

/** A decision's answer: the order, with the log position of what the decision appended. */
type DecisionAnswer = { readonly position: string | null };

function DecisionDialog({ decision, onClose, onDone }: { decision: Decision; onClose(): void; onDone(position: string | null): void }) {
  const { t } = useTranslation('approvals');
  const { api } = useSession();
  const format = useFormat();
  const { order } = decision;
  const path = `/orders/${encodeURIComponent(order.orderId)}/cancellation`;

  if (decision.kind === 'reject') {
    return (
      <ActionModal<{ reason: string }, DecisionAnswer>
        open
        danger
        title={t('rejectTitle', { number: order.number })}
        submitLabel={t('reject')}
        doneText={t('rejected', { number: order.number })}
        onClose={onClose}
        onDone={(answer) => onDone(answer.position)}
        onSubmit={({ reason }) => api.post<DecisionAnswer>(`${path}/reject`, { reason })}
      >
        <Form.Item name="reason" label={t('form.reason')} rules={[{ required: true, whitespace: true }]}>
          <Input.TextArea autoSize={{ minRows: 2 }} maxLength={500} />
        </Form.Item>
      </ActionModal>
    );
  }

  const sale = order.kind === 'sale';
  const submit = (values: ApproveValues) => {
    // A goodwill credit (补偿) for any initiator: its amount, an optional end of validity and code.
    const coupon = values.couponAmount?.trim()
      ? {
          amount: format.parseMoney(values.couponAmount, order.currency),
          ...(values.couponExpires ? { expiresAt: values.couponExpires.endOf('day').toISOString() } : {}),
          ...(values.couponCode?.trim() ? { code: values.couponCode.trim() } : {}),
        }
      : undefined;
    const penalty = values.penaltyAmount ? { amount: format.parseMoney(values.penaltyAmount, order.currency), payer: values.penaltyPayer ?? 'supplier' } : undefined;
    return api.post<DecisionAnswer>(`${path}/approve`, {
      ...(values.note ? { note: values.note } : {}),
      ...(sale && values.refundMethod ? { refundMethod: values.refundMethod } : {}),
      ...(sale && coupon ? { goodwillCoupon: coupon } : {}),
      ...(!sale && penalty ? { penalty } : {}),
    });
  };
  return (
    <ActionModal<ApproveValues, DecisionAnswer>
      open
      title={t('approveTitle', { number: order.number })}
      submitLabel={t('approve')}
      doneText={t('approved', { number: order.number })}
      initialValues={{ refundMethod: 'original', penaltyPayer: 'supplier' }}
      onClose={onClose}
      onDone={(answer) => onDone(answer.position)}
      onSubmit={submit}
    >
      {(form) => <ApproveFields order={order} form={form} />}
    </ActionModal>
  );
}

/** The approval form, its preview following what is chosen (the refund's route, a goodwill credit). */
function ApproveFields({ order, form }: { order: Order; form: FormInstance<ApproveValues> }) {
  const { t } = useTranslation('approvals');
  const format = useFormat();
  const sale = order.kind === 'sale';
  const refundMethod = Form.useWatch('refundMethod', form);
  const couponAmount = Form.useWatch('couponAmount', form);
  const couponExpires = Form.useWatch('couponExpires', form);
  const goodwill = couponAmount ? format.parseMoney(couponAmount, order.currency) : undefined;
  const choice: ApprovalChoice = { refundMethod, goodwill: goodwill ? { amount: goodwill, expiresAt: couponExpires?.endOf('day').toISOString() ?? null } : undefined };
  return (
    <>
      <section aria-label={t('preview')}>
        <Typography.Text strong>{t('preview')}</Typography.Text>
        <EffectList order={order} choice={choice} />
      </section>
      <Form.Item name="note" label={t('form.note')} style={{ marginTop: 16 }}>
        <Input maxLength={500} />
      </Form.Item>
      {sale ? (
        <>
          <Form.Item name="refundMethod" label={t('form.refundMethod')}>
            <Radio.Group options={(['original', 'cash', 'store_credit'] as const).map((method) => ({ value: method, label: t(`form.refundMethods.${method}`) }))} />
          </Form.Item>
          <fieldset style={{ border: 0, padding: 0, margin: 0 }}>
            <legend style={{ fontSize: 14 }}>{t('form.coupon')}</legend>
            <Space wrap>
              <MoneyField name="couponAmount" label={t('form.couponAmount', { currency: order.currency })} currency={order.currency} required={false} />
              <Form.Item name="couponExpires" label={t('form.couponExpires')}>
                <DatePicker />
              </Form.Item>
              <Form.Item name="couponCode" label={t('form.couponCode')} rules={[{ pattern: /^[A-Za-z0-9_-]{1,32}$/ }]}>
                <Input style={{ width: 180 }} />
              </Form.Item>
            </Space>
          </fieldset>
        </>
      ) : (
        <fieldset style={{ border: 0, padding: 0, margin: 0 }}>
          <legend style={{ fontSize: 14 }}>{t('form.penalty')}</legend>
          <Space wrap>
            <MoneyField name="penaltyAmount" label={t('form.penaltyAmount', { currency: order.currency })} currency={order.currency} required={false} />
            <Form.Item name="penaltyPayer" label={t('form.penaltyPayer')}>
              <Radio.Group options={(['supplier', 'company'] as const).map((payer) => ({ value: payer, label: t(`form.payers.${payer}`) }))} />
            </Form.Item>
          </Space>
        </fieldset>
      )}
    </>
  );
}
