import { Alert, Button, Form, Input, InputNumber } from 'antd';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';

import { ErrorAlert } from '../../app/errors';
import { useApi } from '../../app/session';
import { type Warehouse, WarehouseSelect } from './warehouses';
import { type StockLevel, warehouseOf } from './types';
import { useStockLevel } from './use-stock-level';

interface ThresholdValues {
  readonly sku: string;
  readonly warehouseId?: string;
  readonly min?: number | null;
  readonly max?: number | null;
}

/** The min/max of a position (PUT /api/stock/:sku/thresholds): an empty field clears that threshold (null). */
export function ThresholdsForm({ onDone, warehouses }: { onDone: (position: string | null) => void; warehouses: readonly Warehouse[] }) {
  const { t } = useTranslation('stock');
  const api = useApi();
  const [form] = Form.useForm<ThresholdValues>();
  const sku = Form.useWatch('sku', form);
  const warehouseId = Form.useWatch('warehouseId', form);
  const [saved, setSaved] = useState(0);
  const now = useStockLevel(sku, warehouseOf(warehouseId), saved);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<unknown>();
  const [done, setDone] = useState<string>();
  const current = (value: number | null | undefined) => (now.level ? t('thresholds.current', { value: value ?? '—' }) : t('thresholds.help'));

  const submit = async (values: ThresholdValues) => {
    setBusy(true);
    setError(undefined);
    setDone(undefined);
    try {
      const code = values.sku.trim();
      const body = { min: values.min ?? null, max: values.max ?? null, warehouseId: values.warehouseId || undefined };
      const level = await api.put<StockLevel>(`/stock/${encodeURIComponent(code)}/thresholds`, body);
      setDone(t('thresholds.done', { sku: level.sku, warehouse: level.warehouseId }));
      setSaved((value) => value + 1);
      onDone(level.position);
    } catch (failure) {
      setError(failure);
    } finally {
      setBusy(false);
    }
  };

  return (
    <Form<ThresholdValues> name="stock-thresholds" form={form} layout="vertical" onFinish={submit} style={{ maxWidth: 480 }}>
      <Form.Item name="sku" label={t('fields.sku')} rules={[{ required: true, whitespace: true, message: t('common:errors.required', { field: t('fields.sku') }) }]}>
        <Input autoComplete="off" />
      </Form.Item>
      <Form.Item name="warehouseId" label={t('fields.warehouse')} extra={t('warehouseHelp')}>
        <WarehouseSelect warehouses={warehouses} allowClear placeholder="main" />
      </Form.Item>
      <Form.Item name="min" label={t('fields.min')} extra={current(now.level?.min)}>
        <InputNumber min={0} precision={0} style={{ width: '100%' }} />
      </Form.Item>
      <Form.Item name="max" label={t('fields.max')} extra={current(now.level?.max)}>
        <InputNumber min={0} precision={0} style={{ width: '100%' }} />
      </Form.Item>
      <ErrorAlert error={error} />
      {done && <Alert type="success" showIcon title={done} />}
      <Button type="primary" htmlType="submit" loading={busy} style={{ marginTop: 16 }}>
        {t('thresholds.submit')}
      </Button>
    </Form>
  );
}
