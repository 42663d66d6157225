import { Button, Form, Input, Radio, Table, Tag, Typography } from 'antd';
import type { ColumnsType } from 'antd/es/table';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { useSearchParams } from 'react-router';

import { ErrorAlert } from '../../app/errors';
import { useApi } from '../../app/session';
import { useFormat } from '../../format/use-format';
import { MoreButton, useCursorList } from '../audit/cursor-list';
import type { Page } from '../../api/client';
import { currencyOf, type StockLevel, valueTotals } from './types';
import { useWarehouses, WarehouseSelect } from './warehouses';

type AlertFilter = 'all' | 'low' | 'high';

interface Filters {
  /** One SKU (GET /api/stock/:sku; the list has no SKU filter): its position in the warehouse (default main). */
  readonly sku?: string;
  readonly warehouseId?: string;
  readonly alert: AlertFilter;
}

/** The alert of a position as a tag: red below min (on available), orange above max (on hand). */
function AlertTag({ alert }: { alert: StockLevel['alert'] }) {
  const { t } = useTranslation('stock');
  if (alert === 'low') return <Tag color="red">{t('alert.low')}</Tag>;
  if (alert === 'high') return <Tag color="orange">{t('alert.high')}</Tag>;
  return <Tag>{t('alert.none')}</Tag>;
}

function useColumns(): ColumnsType<StockLevel> {
  const { t } = useTranslation('stock');
  const format = useFormat();
  const money = (key: 'unitCost' | 'value', title: string) => ({
    key,
    title,
    align: 'right' as const,
    // Cost and value are in the business currency; a position with nothing on hand has no unit cost.
    render: (_: unknown, level: StockLevel) => (level[key] === undefined || (key === 'unitCost' && level.onHand === 0) ? '—' : format.money(level[key], currencyOf(level))),
  });
  const number = (key: keyof StockLevel, title: string) => ({ key, dataIndex: key, title, align: 'right' as const });
  return [
    { key: 'sku', dataIndex: 'sku', title: t('fields.sku') },
    { key: 'warehouseId', dataIndex: 'warehouseId', title: t('fields.warehouse') },
    number('onHand', t('fields.onHand')),
    number('available', t('fields.available')),
    number('reserved', t('fields.reserved')),
    number('incoming', t('fields.incoming')),
    { ...number('inTransit', t('fields.inTransit')), render: (value: number | undefined) => value ?? 0 },
    money('unitCost', t('fields.unitCost')),
    money('value', t('fields.value')),
    { ...number('min', t('fields.min')), render: (value: number | null) => value ?? '—' },
    { ...number('max', t('fields.max')), render: (value: number | null) => value ?? '—' },
    { key: 'alert', dataIndex: 'alert', title: t('fields.alert'), render: (alert: StockLevel['alert']) => <AlertTag alert={alert} /> },
  ];
}

/** Stock levels per warehouse and SKU, alerts highlighted; `minPosition` reads a write just made. */
export function StockLevels({ reload, minPosition }: { reload: number; minPosition?: string }) {
  const { t } = useTranslation('stock');
  const api = useApi();
  // `/stock?sku=TEA-1` (a product's link) opens on that SKU; `/stock?warehouseId=north` (a warehouse's) on that warehouse.
  const [searchParams] = useSearchParams();
  const [filters, setFilters] = useState<Filters>(() => ({ alert: 'all', sku: searchParams.get('sku')?.trim() || undefined, warehouseId: searchParams.get('warehouseId')?.trim() || undefined }));
  const [form] = Form.useForm<Filters>();
  const columns = useColumns();
  const format = useFormat();
  const { warehouses } = useWarehouses();
  const alert = filters.alert === 'all' ? undefined : filters.alert;
  const list = useCursorList(
    async (cursor, signal): Promise<Page<StockLevel>> => {
      if (filters.sku === undefined) return api.get<Page<StockLevel>>('/stock', { warehouseId: filters.warehouseId, alert, cursor, limit: 50, minPosition }, { signal });
      const level = await api.get<StockLevel>(`/stock/${encodeURIComponent(filters.sku)}`, { warehouseId: filters.warehouseId, minPosition }, { signal });
      return { items: alert === undefined || level.alert === alert ? [level] : [], nextCursor: null };
    },
    [filters.sku, filters.warehouseId, filters.alert, reload],
  );

  return (
    <>
      <Form<Filters>
        name="stock-levels"
        form={form}
        layout="inline"
        initialValues={filters}
        onFinish={(values) => setFilters({ sku: values.sku?.trim() || undefined, warehouseId: values.warehouseId?.trim() || undefined, alert: values.alert })}
        style={{ marginBottom: 16, rowGap: 8 }}
      >
        <Form.Item name="sku" label={t('fields.sku')}>
          <Input placeholder={t('filters.allSkus')} allowClear autoComplete="off" />
        </Form.Item>
        <Form.Item name="warehouseId" label={t('fields.warehouse')}>
          {/* Choosing a warehouse shows its positions at once, like Search. */}
          <WarehouseSelect warehouses={warehouses} allowClear placeholder={t('filters.allWarehouses')} onChange={() => form.submit()} />
        </Form.Item>
        <Form.Item name="alert" label={t('filters.alert')}>
          <Radio.Group
            optionType="button"
            // Choosing what to show applies the whole filter as typed, like Search.
            onChange={() => form.submit()}
            options={[
              { value: 'all', label: t('filters.all') },
              { value: 'low', label: t('filters.onlyLow') },
              { value: 'high', label: t('filters.onlyHigh') },
            ]}
          />
        </Form.Item>
        <Form.Item>
          <Button htmlType="submit">{t('common:actions.search')}</Button>
        </Form.Item>
      </Form>
      <ErrorAlert error={list.error} />
      <Table<StockLevel>
        rowKey={(level) => `${level.warehouseId}/${level.sku}`}
        columns={columns}
        dataSource={[...list.items]}
        loading={list.loading}
        pagination={false}
        size="middle"
        locale={{ emptyText: t('empty') }}
        onRow={(level) => ({ style: level.alert === null ? undefined : { background: level.alert === 'low' ? '#fff1f0' : '#fff7e6' } })}
      />
      <MoreButton list={list} />
      {list.items.length > 0 && (
        <Typography.Paragraph style={{ marginTop: 8 }} data-testid="stock-value-total">
          {t('valueTotal', { value: valueTotals(list.items).map((total) => format.money(total.value, total.currency)).join(' + ') || '—' })}
        </Typography.Paragraph>
      )}
    </>
  );
}
