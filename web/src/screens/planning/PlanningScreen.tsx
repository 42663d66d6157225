import { Button, Card, Form, Input, Space, Table, Tag, Typography } from 'antd';
import type { ColumnsType } from 'antd/es/table';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';

import type { Page } from '../../api/client';
import { ErrorAlert } from '../../app/errors';
import { useApi } from '../../app/session';
import { useLoad } from '../../app/use-load';
import { ExportButtons } from '../analytics/ExportButtons';
import type { StockLevel } from '../stock/types';
import { byUrgency, formatDemand, type ReorderItem, type ReorderPlan, type Urgency, urgencyOf } from './types';

const ROW_COLOURS: Record<Urgency, string | undefined> = { due: '#fff1f0', suggested: '#fffbe6', ok: undefined };

function UrgencyTag({ urgency }: { urgency: Urgency }) {
  const { t } = useTranslation('planning');
  if (urgency === 'due') return <Tag color="red">{t('urgency.due')}</Tag>;
  if (urgency === 'suggested') return <Tag color="gold">{t('urgency.suggested')}</Tag>;
  return <Tag>{t('urgency.ok')}</Tag>;
}

function useColumns(): ColumnsType<ReorderItem> {
  const { t, i18n } = useTranslation('planning');
  const number = (key: keyof ReorderItem) => ({ key, dataIndex: key, title: t(`fields.${key}`), align: 'right' as const });
  return [
    { key: 'sku', dataIndex: 'sku', title: t('fields.sku') },
    { key: 'warehouseId', dataIndex: 'warehouseId', title: t('fields.warehouseId') },
    { ...number('dailyDemand'), render: (value: number) => formatDemand(value, i18n.language) },
    number('leadTimeDays'),
    number('safetyStock'),
    number('reorderPoint'),
    number('position'),
    { ...number('suggestedQuantity'), render: (value: number) => (value > 0 ? <strong>{value}</strong> : value) },
    { key: 'supplierId', dataIndex: 'supplierId', title: t('fields.supplierId'), render: (value: string | null) => value ?? '—' },
    { key: 'urgency', title: t('fields.urgency'), render: (_value: unknown, item) => <UrgencyTag urgency={urgencyOf(item)} /> },
  ];
}

/** Positions below their minimum (`GET /api/stock?alert=low`): what the stock screen highlights red. */
function LowStock({ warehouseId }: { warehouseId?: string }) {
  const { t } = useTranslation('planning');
  const api = useApi();
  const low = useLoad((signal) => api.get<Page<StockLevel>>('/stock', { alert: 'low', warehouseId, limit: 200 }, { signal }), [api, warehouseId]);
  const columns: ColumnsType<StockLevel> = [
    { key: 'sku', dataIndex: 'sku', title: t('fields.sku') },
    { key: 'warehouseId', dataIndex: 'warehouseId', title: t('fields.warehouseId') },
    { key: 'available', dataIndex: 'available', title: t('fields.available'), align: 'right' },
    { key: 'min', dataIndex: 'min', title: t('fields.min'), align: 'right' },
  ];
  return (
    <section aria-label={t('lowStock.title')}>
      <Card title={t('lowStock.title')} size="small" extra={<ExportButtons path="/stock/export" query={{ alert: 'low', warehouseId }} label={t('lowStock.export')} fallbackName="stock" />}>
        <ErrorAlert error={low.error} />
        <Table<StockLevel>
          rowKey={(level) => `${level.warehouseId}/${level.sku}`}
          columns={columns}
          dataSource={low.data?.items ?? []}
          loading={low.loading}
          pagination={{ pageSize: 20, hideOnSinglePage: true }}
          size="small"
          locale={{ emptyText: t('lowStock.empty') }}
          onRow={() => ({ style: { background: ROW_COLOURS.due } })}
        />
      </Card>
    </section>
  );
}

/** 补货计划: the reorder suggestions per SKU and warehouse, what is below its reorder point first and red. */
export function PlanningScreen() {
  const { t } = useTranslation('planning');
  const api = useApi();
  const [warehouseId, setWarehouseId] = useState<string>();
  const plan = useLoad((signal) => api.get<ReorderPlan>('/planning/reorder', { warehouseId }, { signal }), [api, warehouseId]);
  const columns = useColumns();

  return (
    <Space direction="vertical" size="middle" style={{ width: '100%' }}>
      <Typography.Title level={1} style={{ margin: 0 }}>
        {t('title')}
      </Typography.Title>
      <Typography.Paragraph type="secondary" style={{ margin: 0 }}>
        {t('intro')}
      </Typography.Paragraph>
      <Form<{ warehouseId?: string }> name="reorder-filter" layout="inline" onFinish={(values) => setWarehouseId(values.warehouseId?.trim() || undefined)}>
        <Form.Item name="warehouseId" label={t('fields.warehouseId')} extra={<span id="reorder-warehouse-help">{t('warehouseHelp')}</span>}>
          <Input placeholder="main" aria-describedby="reorder-warehouse-help" allowClear />
        </Form.Item>
        <Form.Item>
          <Button htmlType="submit">{t('common:actions.search')}</Button>
        </Form.Item>
        <Form.Item>
          <Button onClick={plan.reload}>{t('common:actions.refresh')}</Button>
        </Form.Item>
      </Form>
      <section aria-label={t('suggestions.title')}>
        <Card title={t('suggestions.title')} size="small">
          <ErrorAlert error={plan.error} />
          <Table<ReorderItem>
            rowKey={(item) => `${item.warehouseId}/${item.sku}`}
            columns={columns}
            dataSource={byUrgency(plan.data?.items ?? [])}
            loading={plan.loading}
            pagination={{ pageSize: 50, hideOnSinglePage: true }}
            size="small"
            scroll={{ x: true }}
            locale={{ emptyText: t('suggestions.empty') }}
            onRow={(item) => ({ style: { background: ROW_COLOURS[urgencyOf(item)] } })}
          />
        </Card>
      </section>
      <LowStock warehouseId={warehouseId} />
    </Space>
  );
}
