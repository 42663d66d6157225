import { Card, Col, Empty, Row, Table, Typography } from 'antd';
import type { ColumnsType } from 'antd/es/table';
import { useMemo } from 'react';
import { type TFunction } from 'i18next';
import { useTranslation } from 'react-i18next';

import { Chart } from '../../app/Chart';
import { ErrorAlert } from '../../app/errors';
import { useApi } from '../../app/session';
import { useLoad } from '../../app/use-load';
import { useFormat } from '../../format/use-format';
import { countChart, moneyChart } from './charts';
import { ExportButtons } from './ExportButtons';
import { type CancellationGroup, type CancellationGrouping, currencyOf, formatRate, type Groups, inChartOrder, type Period, periodQuery } from './types';

const TITLES: Record<CancellationGrouping, string> = { reason: 'cancellations.byReason', initiator: 'cancellations.byInitiator', week: 'cancellations.byWeek', sku: 'cancellations.bySku' };

const INITIATORS = ['customer', 'company', 'supplier'];

/** A group's key as people read it: initiators translated, reasons, weeks and SKUs as they are. */
function keyLabel(grouping: CancellationGrouping, key: string, t: TFunction): string {
  return grouping === 'initiator' && INITIATORS.includes(key) ? t(`initiator.${key}`) : key;
}

function useColumns(grouping: CancellationGrouping): ColumnsType<CancellationGroup> {
  const { t, i18n } = useTranslation('analytics');
  const format = useFormat();
  const number = (key: 'count' | 'orders') => ({ key, dataIndex: key, title: t(`fields.${key}`), align: 'right' as const });
  return [
    { key: 'key', dataIndex: 'key', title: t(`fields.${grouping}`), render: (key: string) => keyLabel(grouping, key, t) },
    number('count'),
    number('orders'),
    { key: 'rate', dataIndex: 'rate', title: t('fields.rate'), align: 'right', render: (rate: number | null) => formatRate(rate, i18n.language) },
    { key: 'refunded', dataIndex: 'refunded', title: t('fields.refunded'), align: 'right', render: (refunded: number, group) => format.money(refunded, currencyOf(group)) },
  ];
}

/**
 * Cancellations grouped one way (`GET /api/analytics/cancellations?groupBy=`): a chart of the counts and,
 * beside it, the numbers in a table; by week also the refunded value per week.
 */
export function CancellationSection({ grouping, period, exportable = false }: { grouping: CancellationGrouping; period: Period; exportable?: boolean }) {
  const { t } = useTranslation('analytics');
  const api = useApi();
  const format = useFormat();
  const answer = useLoad((signal) => api.get<Groups<CancellationGroup>>('/analytics/cancellations', { groupBy: grouping, ...periodQuery(period) }, { signal }), [api, grouping, period?.[0], period?.[1]]);
  const columns = useColumns(grouping);
  const title = t(TITLES[grouping]);
  const groups = useMemo(() => inChartOrder(answer.data?.groups ?? [], grouping === 'week').map((group) => ({ ...group, key: keyLabel(grouping, group.key, t) })), [answer.data, grouping, t]);
  const counts = useMemo(() => countChart(groups, (group) => group.count, t('fields.count')), [groups, t]);
  const refunded = useMemo(
    () => (grouping === 'week' ? moneyChart(groups, (group) => group.refunded, { name: t('fields.refunded'), format: format.money, line: false }) : undefined),
    [groups, grouping, t, format],
  );

  return (
    <section aria-label={title}>
      <Card
        title={title}
        size="small"
        loading={answer.loading && answer.data === undefined}
        extra={
          exportable &&
          answer.data && (
            // The orders of the period whose cancellation was approved, as the API applied the period (its business time zone).
            <ExportButtons path="/orders/export" query={{ kind: 'sale', cancellation: 'approved', from: answer.data.from, to: answer.data.to }} label={t('export.cancelledOrders')} fallbackName="orders" />
          )
        }
      >
        <ErrorAlert error={answer.error} />
        {groups.length === 0 ? (
          answer.error === undefined && <Empty description={t('cancellations.empty')} />
        ) : (
          <Row gutter={[16, 16]}>
            <Col xs={24} xl={12}>
              <Chart option={counts} label={title} />
              {refunded && <Chart option={refunded} label={t('cancellations.refundedByWeek')} />}
              {grouping === 'week' && answer.data && <Typography.Text type="secondary">{t('timeZone', { zone: answer.data.timeZone })}</Typography.Text>}
            </Col>
            <Col xs={24} xl={12}>
              <Table<CancellationGroup>
                rowKey={(group) => `${group.key}/${currencyOf(group)}`}
                columns={columns}
                dataSource={answer.data ? inChartOrder(answer.data.groups, grouping === 'week') : []}
                pagination={{ pageSize: 20, hideOnSinglePage: true }}
                size="small"
              />
            </Col>
          </Row>
        )}
      </Card>
    </section>
  );
}
