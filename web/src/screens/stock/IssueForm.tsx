import { Alert, AutoComplete, Button, Form, Input, InputNumber } from 'antd';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';

import { ErrorAlert } from '../../app/errors';
import { useApi } from '../../app/session';
import { useFormat } from '../../format/use-format';
import { currencyOf, type StockLevel, warehouseOf } from './types';
import { useStockLevel } from './use-stock-level';
import { type Warehouse, WarehouseSelect } from './warehouses';

interface IssueValues {
  readonly sku: string;
  readonly quantity: number;
  readonly warehouseId?: string;
  readonly reason: string;
}

/** 出库/领用/报废: stock leaves without an order (POST /api/stock/issues); never below what is reserved. */
export function IssueForm({ onDone, warehouses }: { onDone: (position: string | null) => void; warehouses: readonly Warehouse[] }) {
  const { t } = useTranslation('stock');
  const api = useApi();
  const format = useFormat();
  const [form] = Form.useForm<IssueValues>();
  const sku = Form.useWatch('sku', form);
  const warehouseId = Form.useWatch('warehouseId', form);
  const [issued, setIssued] = useState(0);
  const now = useStockLevel(sku, warehouseOf(warehouseId), issued);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<unknown>();
  const [done, setDone] = useState<string>();

  const submit = async (values: IssueValues) => {
    setBusy(true);
    setError(undefined);
    setDone(undefined);
    try {
      const body = { sku: values.sku.trim(), quantity: values.quantity, reason: values.reason.trim(), warehouseId: values.warehouseId || undefined };
      const level = await api.post<StockLevel>('/stock/issues', body);
      setDone(t('issue.done', { quantity: values.quantity, sku: body.sku, warehouse: warehouseOf(values.warehouseId), onHand: level.onHand ?? '—' }));
      form.resetFields();
      setIssued((value) => value + 1);
      onDone(level.position ?? null);
    } catch (failure) {
      setError(failure);
    } finally {
      setBusy(false);
    }
  };

  // What may leave: on hand less reserved (the API refuses more as insufficient_stock).
  const available = now.level ? t('issue.available', { available: now.level.available, reserved: now.level.reserved, unitCost: now.level.unitCost === undefined ? '—' : format.money(now.level.unitCost, currencyOf(now.level)) }) : undefined;
  const reasons = ['scrap', 'internalUse', 'sample', 'damaged'] as const;
  return (
    <Form<IssueValues> name="stock-issue" form={form} layout="vertical" onFinish={submit} style={{ maxWidth: 480 }}>
      <Form.Item name="sku" label={t('fields.sku')} extra={available} rules={[{ required: true, whitespace: true, message: t('common:errors.required', { field: t('fields.sku') }) }]}>
        <Input autoComplete="off" />
      </Form.Item>
      <Form.Item name="warehouseId" label={t('fields.warehouse')} extra={t('warehouseHelp')}>
        <WarehouseSelect warehouses={warehouses} allowClear placeholder="main" />
      </Form.Item>
      <Form.Item name="quantity" label={t('fields.quantity')} rules={[{ required: true, type: 'integer', min: 1, message: t('common:errors.positiveInteger') }]}>
        <InputNumber min={1} precision={0} style={{ width: '100%' }} />
      </Form.Item>
      <Form.Item name="reason" label={t('fields.reason')} extra={t('issue.reasonHelp')} rules={[{ required: true, whitespace: true, message: t('common:errors.required', { field: t('fields.reason') }) }]}>
        <AutoComplete options={reasons.map((reason) => ({ value: t(`issue.reasons.${reason}`) }))} />
      </Form.Item>
      <ErrorAlert error={error} />
      {done && <Alert type="success" showIcon title={done} />}
      <Button type="primary" htmlType="submit" loading={busy} style={{ marginTop: 16 }}>
        {t('issue.submit')}
      </Button>
    </Form>
  );
}
