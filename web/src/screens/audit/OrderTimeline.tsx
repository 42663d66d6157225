import { Button, Card, Empty, Form, Input, Slider, Space, Table, Tag, Typography } from 'antd';
import type { ColumnsType } from 'antd/es/table';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';

import { ErrorAlert } from '../../app/errors';
import { useApi } from '../../app/session';
import { useLoad } from '../../app/use-load';
import { ActorCell, EventDetails } from './EventDetails';
import { OrderStateView } from './OrderStateView';
import { eventTime, type HistoryEntry, type OrderHistory, type OrderState, parseTypedTime } from './types';
import { useTimeRule } from './time-rule';

/** Which past the user looks at: right after one event of the timeline, or a moment they picked. */
type Moment = { readonly afterEvent: number } | { readonly asOf: string };

function useColumns(choose: (index: number) => void): ColumnsType<HistoryEntry> {
  const { t, i18n } = useTranslation('audit');
  return [
    { key: 'time', title: t('timeline.columns.time'), render: (_, entry) => eventTime(entry.occurredAt, i18n.language) },
    { key: 'type', title: t('timeline.columns.type'), render: (_, entry) => <Tag color="geekblue">{entry.type}</Tag> },
    { key: 'actor', title: t('timeline.columns.actor'), render: (_, entry) => <ActorCell actor={entry.actor} /> },
    { key: 'reason', title: t('timeline.columns.reason'), render: (_, entry) => entry.reason ?? '' },
    { key: 'summary', title: t('timeline.columns.summary'), dataIndex: 'summary' },
    { key: 'cause', title: t('timeline.columns.cause'), render: (_, entry) => <Typography.Text code>{entry.causationId ?? '—'}</Typography.Text> },
    {
      key: 'state',
      title: '',
      render: (_, entry, index) => (
        <Button size="small" onClick={() => choose(index)} aria-label={`${t('timeline.showState')}: ${index + 1} ${entry.type}`}>
          {t('timeline.showState')}
        </Button>
      ),
    },
  ];
}

/** The order as it was at `moment` (GET /api/orders/:id/state?atPosition= or ?asOf=), rebuilt from the log. */
function StateAt({ orderId, moment, events }: { orderId: string; moment: Moment; events: readonly HistoryEntry[] }) {
  const { t, i18n } = useTranslation('audit');
  const api = useApi();
  const query = 'asOf' in moment ? { asOf: moment.asOf } : { atPosition: events[moment.afterEvent]?.position };
  const state = useLoad((signal) => api.get<OrderState>(`/orders/${encodeURIComponent(orderId)}/state`, query, { signal }), [orderId, query.asOf, query.atPosition]);
  const event = 'afterEvent' in moment ? events[moment.afterEvent] : undefined;
  const caption = event
    ? t('asOf.afterEvent', { n: ('afterEvent' in moment ? moment.afterEvent : 0) + 1, total: events.length, type: event.type, time: eventTime(event.occurredAt, i18n.language) })
    : t('asOf.asOfTime', { time: eventTime('asOf' in moment ? moment.asOf : null, i18n.language) });
  return (
    <section aria-label={t('asOf.title')}>
      <Typography.Paragraph strong data-testid="as-of-caption">{caption}</Typography.Paragraph>
      <ErrorAlert error={state.error} />
      {state.data && !state.error && <OrderStateView state={state.data} />}
    </section>
  );
}

/** Pick the past: a slider over the events (keyboard: arrows) or a time typed in the browser's zone (or UTC). */
function MomentPicker({ events, moment, onChange }: { events: readonly HistoryEntry[]; moment: Moment; onChange: (moment: Moment) => void }) {
  const { t } = useTranslation('audit');
  const timeRule = useTimeRule();
  return (
    <Space orientation="vertical" style={{ width: '100%' }}>
      <Slider
        min={1}
        max={Math.max(events.length, 1)}
        value={'afterEvent' in moment ? moment.afterEvent + 1 : events.length}
        onChange={(value) => onChange({ afterEvent: value - 1 })}
        tooltip={{ formatter: (value) => (value ? events[value - 1]?.type : '') }}
        ariaLabelForHandle={t('asOf.slider')}
        ariaValueTextFormatterForHandle={(value) => (value ? `${value} / ${events.length}: ${events[value - 1]?.type ?? ''}` : '')}
        disabled={events.length < 2}
      />
      <Form<{ asOf: string }> name="audit-as-of" layout="inline" onFinish={({ asOf }) => onChange({ asOf: parseTypedTime(asOf)! })}>
        <Form.Item name="asOf" label={t('asOf.at')} extra={t('asOf.help')} rules={[{ required: true, message: t('asOf.invalid') }, timeRule]}>
          <Input autoComplete="off" placeholder="2026-12-01 16:30:00" style={{ width: 240 }} />
        </Form.Item>
        <Form.Item>
          <Button htmlType="submit">{t('asOf.show')}</Button>
        </Form.Item>
      </Form>
    </Space>
  );
}

/** An order's timeline: every event of it and of what it caused, with actor, reason and cause; and the order as it was at any of them. */
export function OrderTimeline({ orderId }: { orderId: string }) {
  const { t } = useTranslation('audit');
  const api = useApi();
  const history = useLoad((signal) => api.get<OrderHistory>(`/orders/${encodeURIComponent(orderId)}/history`, {}, { signal }), [orderId]);
  const events = history.data?.orderId === orderId ? history.data.events : [];
  const [chosen, setChosen] = useState<{ orderId: string; moment: Moment }>();
  const moment: Moment = chosen?.orderId === orderId ? chosen.moment : { afterEvent: Math.max(events.length - 1, 0) };
  const choose = (next: Moment) => setChosen({ orderId, moment: next });
  const columns = useColumns((index) => choose({ afterEvent: index }));

  if (history.error) return <ErrorAlert error={history.error} />;
  return (
    <Space orientation="vertical" size="large" style={{ width: '100%' }}>
      <Typography.Title level={2} style={{ fontSize: 20 }}>
        {t('timeline.title', { orderId })}
      </Typography.Title>
      <Table<HistoryEntry>
        rowKey="position"
        size="small"
        loading={history.loading}
        pagination={false}
        columns={columns}
        dataSource={events}
        expandable={{ expandedRowRender: (entry) => <EventDetails entry={entry} /> }}
        locale={{ emptyText: <Empty description={t('timeline.notFound')} /> }}
      />
      {events.length > 0 && (
        <Card title={t('asOf.title')} size="small">
          <MomentPicker events={events} moment={moment} onChange={choose} />
          <StateAt orderId={orderId} moment={moment} events={events} />
        </Card>
      )}
    </Space>
  );
}
