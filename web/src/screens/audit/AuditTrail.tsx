import { Button, Form, Input, Table, Tag } from 'antd';
import type { ColumnsType } from 'antd/es/table';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router';

import type { Page } from '../../api/client';
import { ErrorAlert } from '../../app/errors';
import { hasRole } from '../../app/roles';
import { useApi, useSession } from '../../app/session';
import { MoreButton, useCursorList } from './cursor-list';
import { ActorCell, EventDetails } from './EventDetails';
import { type AuditEntry, eventTime, parseTypedTime, TIMELINE_READERS } from './types';
import { useTimeRule } from './time-rule';

interface TrailFilters {
  readonly streamId?: string;
  readonly actor?: string;
  readonly type?: string;
  readonly orderId?: string;
  readonly from?: string;
  readonly to?: string;
}

function useColumns(): ColumnsType<AuditEntry> {
  const { t, i18n } = useTranslation('audit');
  // The order's timeline is for the roles that may read its history; an analyst sees the id only.
  const timeline = hasRole(useSession().me, ...TIMELINE_READERS);
  return [
    { key: 'time', title: t('timeline.columns.time'), render: (_, entry) => eventTime(entry.occurredAt, i18n.language) },
    { key: 'type', title: t('timeline.columns.type'), render: (_, entry) => <Tag color="geekblue">{entry.type}</Tag> },
    { key: 'actor', title: t('timeline.columns.actor'), render: (_, entry) => <ActorCell actor={entry.actor} /> },
    { key: 'stream', title: t('timeline.columns.stream'), dataIndex: 'streamId' },
    { key: 'order', title: t('trail.orderId'), render: (_, entry) => (entry.orderId && timeline ? <Link to={`/audit/orders/${encodeURIComponent(entry.orderId)}`}>{entry.orderId}</Link> : entry.orderId ?? '') },
    { key: 'summary', title: t('timeline.columns.summary'), dataIndex: 'summary' },
    { key: 'reason', title: t('timeline.columns.reason'), render: (_, entry) => entry.reason ?? '' },
  ];
}

const TEXT_FILTERS = ['streamId', 'actor', 'type', 'orderId'] as const;

/** The audit trail (GET /api/audit), newest first, filtered, a page at a time. */
export function AuditTrail() {
  const { t } = useTranslation('audit');
  const api = useApi();
  const columns = useColumns();
  const timeRule = useTimeRule();
  const [filters, setFilters] = useState<TrailFilters>({});
  const list = useCursorList(
    (cursor, signal) => api.get<Page<AuditEntry>>('/audit', { ...filters, limit: 50, cursor }, { signal }),
    [filters.streamId, filters.actor, filters.type, filters.orderId, filters.from, filters.to],
  );

  const apply = (values: Record<string, string | undefined>) => {
    const next: Record<string, string | undefined> = {};
    for (const name of TEXT_FILTERS) next[name] = values[name]?.trim() || undefined;
    setFilters({ ...next, from: parseTypedTime(values.from), to: parseTypedTime(values.to) });
  };

  return (
    <>
      <Form name="audit-trail" layout="inline" onFinish={apply} style={{ marginBottom: 16, rowGap: 8 }}>
        {TEXT_FILTERS.map((name) => (
          <Form.Item key={name} name={name} label={t(`trail.${name}`)}>
            <Input allowClear autoComplete="off" />
          </Form.Item>
        ))}
        <Form.Item name="from" label={t('trail.from')} rules={[timeRule]}>
          <Input allowClear autoComplete="off" placeholder="2026-12-01 00:00" />
        </Form.Item>
        <Form.Item name="to" label={t('trail.to')} rules={[timeRule]}>
          <Input allowClear autoComplete="off" placeholder="2026-12-02 00:00" />
        </Form.Item>
        <Form.Item>
          <Button type="primary" htmlType="submit">
            {t('common:actions.search')}
          </Button>
        </Form.Item>
      </Form>
      <ErrorAlert error={list.error} />
      <Table<AuditEntry>
        rowKey="position"
        size="small"
        loading={list.loading}
        pagination={false}
        columns={columns}
        dataSource={[...list.items]}
        expandable={{ expandedRowRender: (entry) => <EventDetails entry={entry} /> }}
        locale={{ emptyText: t('trail.empty') }}
      />
      <MoreButton list={list} />
    </>
  );
}
