// Orders, newest first, with the API's filters (kept in the address, so a reload or a shared link shows the
// same list), quick search by number, and cursor paging ("Load more").
import { Button, DatePicker, Form, Input, Select, Space, Table, Typography } from 'antd';
import dayjs, { type Dayjs } from 'dayjs';
import { useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link, useSearchParams } from 'react-router';

import type { Page } from '../../api/client';
import { ORDER_STATUSES, type Order } from '../../api/types';
import { ErrorAlert, useShowError } from '../../app/errors';
import { hasRole } from '../../app/roles';
import { useSession } from '../../app/session';
import { useLoad } from '../../app/use-load';
import { useFormat } from '../../format/use-format';
import { CancellationTag, OrderStatusTags } from './labels';
import { PlaceOrderDialog } from './PlaceOrderDialog';

/** The filters of GET /api/orders the list offers, as they sit in the address. */
const FILTERS = ['number', 'kind', 'status', 'partyId', 'cancellation', 'onHold', 'from', 'to'] as const;
type Filter = (typeof FILTERS)[number];
type Filters = Partial<Record<Filter, string>>;
const PAGE_SIZE = 50;

interface FormValues {
  number?: string;
  kind?: string;
  status?: string;
  partyId?: string;
  cancellation?: string;
  onHold?: string;
  from?: Dayjs | null;
  to?: Dayjs | null;
}

function filtersOf(params: URLSearchParams): Filters {
  return Object.fromEntries(FILTERS.flatMap((name) => (params.get(name) ? [[name, params.get(name) as string]] : [])));
}

function formValues(filters: Filters): FormValues {
  // `to` is exclusive (the start of the day after the one picked): the picker shows the day picked.
  return { ...filters, from: filters.from ? dayjs(filters.from) : null, to: filters.to ? dayjs(filters.to).subtract(1, 'day') : null };
}

function filtersFrom(values: FormValues): Filters {
  const filters: Filters = {};
  for (const name of ['number', 'kind', 'status', 'partyId', 'cancellation', 'onHold'] as const) {
    const value = values[name]?.trim();
    if (value) filters[name] = value;
  }
  // Dates picked in the browser's zone: from the start of that day, to the start of the day after `to`.
  if (values.from) filters.from = values.from.startOf('day').toISOString();
  if (values.to) filters.to = values.to.add(1, 'day').startOf('day').toISOString();
  return filters;
}

export function OrderListScreen() {
  const { t } = useTranslation('orders');
  const { api, me } = useSession();
  const format = useFormat();
  const [placing, setPlacing] = useState(false);
  const showError = useShowError();
  const [params, setParams] = useSearchParams();
  const filters = filtersOf(params);
  const key = JSON.stringify(filters);
  const [form] = Form.useForm<FormValues>();
  const first = useLoad((signal) => api.get<Page<Order>>('/orders', { ...filters, limit: PAGE_SIZE }, { signal }), [api, key]);
  const [more, setMore] = useState<{ items: Order[]; nextCursor: string | null }>({ items: [], nextCursor: null });
  const [loadingMore, setLoadingMore] = useState(false);

  useEffect(() => {
    form.setFieldsValue({ number: undefined, kind: undefined, status: undefined, partyId: undefined, cancellation: undefined, onHold: undefined, ...formValues(JSON.parse(key) as Filters) });
    setMore({ items: [], nextCursor: null });
  }, [form, key]);
  useEffect(() => setMore({ items: [], nextCursor: first.data?.nextCursor ?? null }), [first.data]);

  const items = [...(first.data?.items ?? []), ...more.items];
  const apply = (values: FormValues) => setParams(new URLSearchParams(filtersFrom(values) as Record<string, string>));
  const loadMore = async () => {
    if (!more.nextCursor) return;
    setLoadingMore(true);
    try {
      const page = await api.get<Page<Order>>('/orders', { ...filters, limit: PAGE_SIZE, cursor: more.nextCursor });
      setMore((previous) => ({ items: [...previous.items, ...page.items], nextCursor: page.nextCursor ?? null }));
    } catch (error) {
      showError(error);
    } finally {
      setLoadingMore(false);
    }
  };
  const any = { value: '', label: t('filters.any') };

  return (
    <Space direction="vertical" size="middle" style={{ width: '100%' }}>
      <Space wrap align="center">
        <Typography.Title level={1} style={{ fontSize: 22, margin: 0 }}>
          {t('title')}
        </Typography.Title>
        {hasRole(me, 'clerk', 'integration') ? (
          <Button type="primary" onClick={() => setPlacing(true)}>
            {t('place.button')}
          </Button>
        ) : null}
      </Space>
      {placing ? <PlaceOrderDialog onClose={() => setPlacing(false)} /> : null}
      <Input.Search
        aria-label={t('filters.quickSearch')}
        placeholder={t('filters.quickSearch')}
        allowClear
        enterButton={t('common:actions.search')}
        style={{ maxWidth: 420 }}
        defaultValue={filters.number}
        key={`quick-${filters.number ?? ''}`}
        onSearch={(number) => setParams(new URLSearchParams(number.trim() ? { number: number.trim() } : {}))}
      />
      <Form<FormValues> form={form} name="order-filters" layout="inline" onFinish={apply} aria-label={t('filters.label')} role="search" style={{ rowGap: 8 }}>
        <Form.Item name="kind" label={t('filters.kind')}>
          <Select style={{ width: 140 }} options={[any, { value: 'sale', label: t('kind.sale') }, { value: 'purchase', label: t('kind.purchase') }]} />
        </Form.Item>
        <Form.Item name="status" label={t('filters.status')}>
          <Select style={{ width: 150 }} options={[any, ...ORDER_STATUSES.map((status) => ({ value: status, label: t(`status.${status}`) }))]} />
        </Form.Item>
        <Form.Item name="cancellation" label={t('filters.cancellation')}>
          <Select style={{ width: 140 }} options={[any, ...(['requested', 'approved', 'rejected', 'withdrawn', 'none'] as const).map((state) => ({ value: state, label: t(`cancellationState.${state}`) }))]} />
        </Form.Item>
        <Form.Item name="onHold" label={t('filters.onHold')}>
          <Select style={{ width: 100 }} options={[any, { value: 'true', label: t('common:yes') }, { value: 'false', label: t('common:no') }]} />
        </Form.Item>
        <Form.Item name="partyId" label={t('filters.partyId')}>
          <Input style={{ width: 160 }} />
        </Form.Item>
        <Form.Item name="number" label={t('filters.number')}>
          <Input style={{ width: 170 }} />
        </Form.Item>
        <Form.Item name="from" label={t('filters.from')}>
          <DatePicker />
        </Form.Item>
        <Form.Item name="to" label={t('filters.to')}>
          <DatePicker />
        </Form.Item>
        <Form.Item>
          <Space>
            <Button type="primary" htmlType="submit">
              {t('common:actions.search')}
            </Button>
            <Button onClick={() => setParams(new URLSearchParams())}>{t('common:actions.reset')}</Button>
          </Space>
        </Form.Item>
      </Form>
      <ErrorAlert error={first.error} />
      <Table<Order>
        rowKey="orderId"
        size="middle"
        loading={first.loading}
        dataSource={items}
        pagination={false}
        scroll={{ x: true }}
        locale={{ emptyText: t('empty') }}
        columns={[
          { key: 'number', title: t('columns.number'), render: (_, order) => <Link to={`/orders/${encodeURIComponent(order.orderId)}`}>{order.number}</Link> },
          { key: 'kind', title: t('columns.kind'), render: (_, order) => t(`kind.${order.kind}`) },
          { key: 'status', title: t('columns.status'), render: (_, order) => <OrderStatusTags order={order} /> },
          { key: 'party', title: t('columns.party'), dataIndex: 'partyId' },
          { key: 'total', title: t('columns.total'), align: 'right', render: (_, order) => format.money(order.total, order.currency) },
          { key: 'paid', title: t('columns.paid'), align: 'right', render: (_, order) => format.money(order.paid, order.currency) },
          { key: 'placedAt', title: t('columns.placedAt'), render: (_, order) => format.time(order.placedAt) },
          { key: 'owner', title: t('columns.owner'), dataIndex: 'ownerId' },
          { key: 'cancellation', title: t('columns.cancellation'), render: (_, order) => (order.cancellation ? <CancellationTag state={order.cancellation.state} /> : null) },
        ]}
      />
      <Space>
        <Typography.Text type="secondary">{t('count', { count: items.length })}</Typography.Text>
        {more.nextCursor ? (
          <Button onClick={loadMore} loading={loadingMore}>
            {t('common:actions.more')}
          </Button>
        ) : null}
      </Space>
    </Space>
  );
}
