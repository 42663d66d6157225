import { Card, Col, Empty, Radio, Row, Space, Table, Typography } from 'antd';
import type { ColumnsType } from 'antd/es/table';
import { useMemo, useState } from 'react';
import { useTranslation } from 'react-i18next';

import { Chart } from '../../app/Chart';
import { ErrorAlert } from '../../app/errors';
import { useApi } from '../../app/session';
import { useLoad } from '../../app/use-load';
import { useFormat } from '../../format/use-format';
import { moneyChart } from './charts';
import { ExportButtons } from './ExportButtons';
import { currencyOf, type Groups, inChartOrder, type Period, periodQuery, type SalesGroup, type SalesGrouping } from './types';

const GROUPINGS: readonly SalesGrouping[] = ['day', 'week', 'sku', 'customer'];

function useColumns(grouping: SalesGrouping): ColumnsType<SalesGroup> {
  const { t } = useTranslation('analytics');
  const format = useFormat();
  return [
    { key: 'key', dataIndex: 'key', title: t(`fields.${grouping}`) },
    { key: 'quantity', dataIndex: 'quantity', title: t('fields.quantity'), align: 'right' },
    { key: 'value', dataIndex: 'value', title: t('fields.value'), align: 'right', render: (value: number, group) => format.money(value, currencyOf(group)) },
    { key: 'orders', dataIndex: 'orders', title: t('fields.orders'), align: 'right' },
  ];
}

/** Sales (`GET /api/analytics/sales?groupBy=`), by day unless another grouping is chosen: value and orders charted, the numbers in a table. */
export function SalesSection({ period }: { period: Period }) {
  const { t } = useTranslation('analytics');
  const api = useApi();
  const format = useFormat();
  const [grouping, setGrouping] = useState<SalesGrouping>('day');
  const answer = useLoad((signal) => api.get<Groups<SalesGroup>>('/analytics/sales', { groupBy: grouping, ...periodQuery(period) }, { signal }), [api, grouping, period?.[0], period?.[1]]);
  const byTime = grouping === 'day' || grouping === 'week';
  const groups = useMemo(() => inChartOrder(answer.data?.groups ?? [], byTime), [answer.data, byTime]);
  const columns = useColumns(grouping);
  const title = t(`sales.title.${grouping}`);
  const chart = useMemo(
    () => moneyChart(groups, (group) => group.value, { name: t('fields.value'), format: format.money, line: byTime, count: { name: t('fields.orders'), of: (group) => group.orders } }),
    [groups, byTime, t, format],
  );

  return (
    <section aria-label={title}>
      <Card
        title={title}
        size="small"
        extra={
          <Space wrap>
            <span id="sales-group-by">{t('sales.groupBy')}</span>
            <Radio.Group
              aria-labelledby="sales-group-by"
              optionType="button"
              size="small"
              value={grouping}
              onChange={(event) => setGrouping(event.target.value as SalesGrouping)}
              options={GROUPINGS.map((value) => ({ value, label: t(`sales.by.${value}`) }))}
            />
            {answer.data && <ExportButtons path="/orders/export" query={{ kind: 'sale', from: answer.data.from, to: answer.data.to }} label={t('export.salesOrders')} fallbackName="orders" />}
          </Space>
        }
      >
        <ErrorAlert error={answer.error} />
        {groups.length === 0 ? (
          answer.error === undefined && !answer.loading && <Empty description={t('sales.empty')} />
        ) : (
          <Row gutter={[16, 16]}>
            <Col xs={24} xl={14}>
              <Chart option={chart} label={title} />
              {byTime && answer.data && <Typography.Text type="secondary">{t('timeZone', { zone: answer.data.timeZone })}</Typography.Text>}
            </Col>
            <Col xs={24} xl={10}>
              <Table<SalesGroup> rowKey={(group) => `${group.key}/${currencyOf(group)}`} columns={columns} dataSource={groups} pagination={{ pageSize: 20, hideOnSinglePage: true }} size="small" />
            </Col>
          </Row>
        )}
      </Card>
    </section>
  );
}
