import { Alert, Button, Form, Input, InputNumber } from 'antd';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';

import { ErrorAlert } from '../../app/errors';
import { parseMoney } from '../../format/money';
import { MoneyField } from '../orders/fields';
import { useApi } from '../../app/session';
import { type Warehouse, WarehouseSelect } from './warehouses';
import type { StockLevel } from './types';

interface ReceiptValues {
  readonly sku: string;
  readonly quantity: number;
  readonly warehouseId?: string;
  readonly note?: string;
  /** Major units as typed (e.g. `12.50`); empty: at the current average cost. */
  readonly unitCost?: string;
}

/** 入库: an opening or manual receipt (POST /api/stock/receipts). */
export function ReceiptForm({ onDone, warehouses }: { onDone: (position: string | null) => void; warehouses: readonly Warehouse[] }) {
  const { t } = useTranslation('stock');
  const api = useApi();
  const [form] = Form.useForm<ReceiptValues>();
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<unknown>();
  const [done, setDone] = useState<string>();

  const submit = async (values: ReceiptValues) => {
    setBusy(true);
    setError(undefined);
    setDone(undefined);
    try {
      const body = { sku: values.sku.trim(), quantity: values.quantity, warehouseId: values.warehouseId || undefined, note: values.note?.trim() || undefined, unitCost: values.unitCost?.trim() ? parseMoney(values.unitCost) : undefined };
      const level = await api.post<StockLevel>('/stock/receipts', body);
      setDone(t('receipt.done', { quantity: values.quantity, sku: level.sku, warehouse: level.warehouseId, onHand: level.onHand }));
      form.resetFields();
      onDone(level.position);
    } catch (failure) {
      setError(failure);
    } finally {
      setBusy(false);
    }
  };

  return (
    <Form<ReceiptValues> name="stock-receipt" form={form} layout="vertical" onFinish={submit} style={{ maxWidth: 480 }}>
      <Form.Item name="sku" label={t('fields.sku')} rules={[{ required: true, whitespace: true, message: t('common:errors.required', { field: t('fields.sku') }) }]}>
        <Input autoComplete="off" />
      </Form.Item>
      <Form.Item name="quantity" label={t('fields.quantity')} rules={[{ required: true, type: 'integer', min: 1, message: t('common:errors.positiveInteger') }]}>
        <InputNumber min={1} precision={0} style={{ width: '100%' }} />
      </Form.Item>
      <Form.Item name="warehouseId" label={t('fields.warehouse')} extra={t('warehouseHelp')}>
        <WarehouseSelect warehouses={warehouses} allowClear placeholder="main" />
      </Form.Item>
      <MoneyField name="unitCost" label={t('fields.unitCostOptional', { currency: 'CNY' })} currency="CNY" required={false} />
      <Form.Item name="note" label={t('fields.note')}>
        <Input autoComplete="off" />
      </Form.Item>
      <ErrorAlert error={error} />
      {done && <Alert type="success" showIcon title={done} />}
      <Button type="primary" htmlType="submit" loading={busy} style={{ marginTop: 16 }}>
        {t('receipt.submit')}
      </Button>
    </Form>
  );
}
