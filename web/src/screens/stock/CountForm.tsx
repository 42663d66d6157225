import { Alert, Button, Descriptions, Form, Input, InputNumber, Typography } from 'antd';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';

import { ErrorAlert } from '../../app/errors';
import { useApi } from '../../app/session';
import { type Warehouse, WarehouseSelect } from './warehouses';
import { signed, type StockCount, warehouseOf } from './types';
import { useStockLevel } from './use-stock-level';

interface CountValues {
  readonly sku: string;
  readonly countedQuantity: number;
  readonly warehouseId?: string;
  readonly reason: string;
}

/** The variance before it is recorded: what was counted against what the stock view holds on hand now. */
function VariancePreview({ sku, warehouseId, counted, reload }: { sku?: string; warehouseId: string; counted?: number | null; reload: number }) {
  const { t, i18n } = useTranslation('stock');
  const now = useStockLevel(sku, warehouseId, reload);
  if (now.error !== undefined) return <ErrorAlert error={now.error} />;
  if (now.level === undefined || counted === undefined || counted === null) {
    return <Typography.Paragraph type="secondary">{now.loading ? t('common:loading') : t('count.hint')}</Typography.Paragraph>;
  }
  const onHand = now.level?.onHand ?? 0;
  const variance = counted - onHand;
  return (
    <section aria-label={t('count.preview')}>
      {now.level === null && <Alert type="info" showIcon title={t('count.noPosition')} style={{ marginBottom: 8 }} />}
      <Descriptions
        title={t('count.preview')}
        bordered
        size="small"
        column={1}
        items={[
          { key: 'onHand', label: t('count.onHandNow'), children: onHand },
          { key: 'counted', label: t('fields.counted'), children: counted },
          {
            key: 'variance',
            label: t('count.variance'),
            children: (
              <Typography.Text strong type={variance < 0 ? 'danger' : variance > 0 ? 'success' : undefined} data-testid="count-variance">
                {signed(variance, i18n.language)}
              </Typography.Text>
            ),
          },
        ]}
      />
    </section>
  );
}

/** 盘点: record a stocktake (POST /api/stock/counts), its variance shown before it is submitted. */
export function CountForm({ onDone, warehouses }: { onDone: (position: string | null) => void; warehouses: readonly Warehouse[] }) {
  const { t, i18n } = useTranslation('stock');
  const api = useApi();
  const [form] = Form.useForm<CountValues>();
  const sku = Form.useWatch('sku', form);
  const warehouseId = Form.useWatch('warehouseId', form);
  const counted = Form.useWatch('countedQuantity', form);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<unknown>();
  const [done, setDone] = useState<string>();
  const [recorded, setRecorded] = useState(0);

  const submit = async (values: CountValues) => {
    setBusy(true);
    setError(undefined);
    setDone(undefined);
    try {
      const body = { sku: values.sku.trim(), countedQuantity: values.countedQuantity, warehouseId: values.warehouseId || undefined, reason: values.reason.trim() };
      const count = await api.post<StockCount>('/stock/counts', body);
      setDone(t('count.done', { sku: count.sku, variance: signed(count.variance, i18n.language), onHand: count.onHand }));
      form.resetFields();
      setRecorded((value) => value + 1);
      onDone(count.position);
    } catch (failure) {
      setError(failure);
    } finally {
      setBusy(false);
    }
  };

  return (
    <Form<CountValues> name="stock-count" form={form} layout="vertical" onFinish={submit} style={{ maxWidth: 480 }}>
      <Form.Item name="sku" label={t('fields.sku')} rules={[{ required: true, whitespace: true, message: t('common:errors.required', { field: t('fields.sku') }) }]}>
        <Input autoComplete="off" />
      </Form.Item>
      <Form.Item name="warehouseId" label={t('fields.warehouse')} extra={t('warehouseHelp')}>
        <WarehouseSelect warehouses={warehouses} allowClear placeholder="main" />
      </Form.Item>
      <Form.Item name="countedQuantity" label={t('fields.counted')} rules={[{ required: true, type: 'integer', min: 0, message: t('common:errors.required', { field: t('fields.counted') }) }]}>
        <InputNumber min={0} precision={0} style={{ width: '100%' }} />
      </Form.Item>
      <Form.Item name="reason" label={t('fields.reason')} rules={[{ required: true, whitespace: true, message: t('common:errors.required', { field: t('fields.reason') }) }]}>
        <Input autoComplete="off" />
      </Form.Item>
      <VariancePreview sku={sku} warehouseId={warehouseOf(warehouseId)} counted={counted} reload={recorded} />
      <ErrorAlert error={error} />
      {done && <Alert type="success" showIcon title={done} />}
      <Button type="primary" htmlType="submit" loading={busy} style={{ marginTop: 16 }}>
        {t('count.submit')}
      </Button>
    </Form>
  );
}
