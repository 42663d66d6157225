// A new sales or purchase order (POST /api/orders): kind, customer or supplier, warehouse, lines. A sale
// that stock cannot cover is refused with the API's message (the order is kept as rejected).
import { Button, Form, Input, InputNumber, Radio, Space, Typography } from 'antd';
import { useTranslation } from 'react-i18next';
import { useNavigate } from 'react-router';

import type { Order } from '../../api/types';
import { ActionModal } from '../../app/ActionModal';
import { useSession } from '../../app/session';
import { useFormat } from '../../format/use-format';
import { MoneyField } from './fields';

interface Values {
  kind: 'sale' | 'purchase';
  partyId: string;
  warehouseId?: string;
  currency: string;
  lines: { sku: string; quantity: number; unitPrice?: string }[];
}

export function PlaceOrderDialog({ onClose }: { onClose(): void }) {
  const { t } = useTranslation('orders');
  const { api } = useSession();
  const format = useFormat();
  const navigate = useNavigate();

  const submit = (values: Values) =>
    api.post<Order>('/orders', {
      kind: values.kind,
      partyId: values.partyId.trim(),
      ...(values.warehouseId?.trim() ? { warehouseId: values.warehouseId.trim() } : {}),
      currency: values.currency,
      lines: (values.lines ?? []).map((line) => ({
        sku: line.sku.trim(),
        quantity: line.quantity,
        ...(line.unitPrice ? { unitPrice: format.parseMoney(line.unitPrice, values.currency) } : {}),
      })),
    });

  return (
    <ActionModal<Values, Order>
      open
      title={t('place.button')}
      initialValues={{ kind: 'sale', currency: 'CNY', lines: [{ sku: '', quantity: 1 }] }}
      onClose={onClose}
      onSubmit={submit}
      // The order page reads the view at least at the placement's position (else it may not have the order yet).
      onDone={(order) => navigate(`/orders/${encodeURIComponent(order.orderId)}`, { state: { minPosition: order.position } })}
    >
      {(form) => (
        <>
          <Form.Item name="kind" label={t('place.kind')}>
            <Radio.Group options={(['sale', 'purchase'] as const).map((kind) => ({ value: kind, label: t(`kind.${kind}`) }))} />
          </Form.Item>
          <Space wrap>
            <Form.Item name="partyId" label={t('place.partyId')} rules={[{ required: true, whitespace: true }]}>
              <Input style={{ width: 200 }} />
            </Form.Item>
            <Form.Item name="warehouseId" label={t('place.warehouseId')}>
              <Input style={{ width: 140 }} placeholder="main" />
            </Form.Item>
            <Form.Item name="currency" label={t('place.currency')} rules={[{ required: true, pattern: /^[A-Z]{3}$/ }]}>
              <Input style={{ width: 90 }} maxLength={3} />
            </Form.Item>
          </Space>
          <Typography.Paragraph type="secondary">{t('place.priceHelp')}</Typography.Paragraph>
          <Form.List name="lines">
            {(fields, { add, remove }) => (
              <>
                {fields.map((field, index) => (
                  <Space key={field.key} align="start" wrap style={{ display: 'flex' }}>
                    <Form.Item name={[field.name, 'sku']} label={t('form.sku')} rules={[{ required: true, whitespace: true }]}>
                      <Input style={{ width: 180 }} />
                    </Form.Item>
                    <Form.Item name={[field.name, 'quantity']} label={t('form.quantity')} rules={[{ required: true, type: 'integer', min: 1 }]}>
                      <InputNumber min={1} precision={0} style={{ width: 110 }} />
                    </Form.Item>
                    <MoneyField name={[field.name, 'unitPrice']} label={t('place.unitPrice', { currency: form.getFieldValue('currency') ?? 'CNY' })} currency={form.getFieldValue('currency') ?? 'CNY'} required={false} />
                    {fields.length > 1 ? (
                      <Button onClick={() => remove(field.name)} style={{ marginTop: 30 }} aria-label={t('form.removeLine', { index: index + 1 })}>
                        −
                      </Button>
                    ) : null}
                  </Space>
                ))}
                <Button onClick={() => add({ sku: '', quantity: 1 })} style={{ marginBottom: 16 }}>
                  {t('form.addLine')}
                </Button>
              </>
            )}
          </Form.List>
        </>
      )}
    </ActionModal>
  );
}
