import { DatePicker, Form, Space, Tabs, Typography } from 'antd';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';

import { CancellationSection } from './CancellationSection';
import { SalesSection } from './SalesSection';
import type { CancellationGrouping, Period } from './types';

const CANCELLATION_GROUPINGS: readonly CancellationGrouping[] = ['reason', 'initiator', 'week', 'sku'];

/** 经营分析: why and when orders are cancelled, and what sells, over a period (analyst, auditor, finance). */
export function AnalyticsScreen() {
  const { t } = useTranslation('analytics');
  const [period, setPeriod] = useState<Period>(null);

  const items = [
    {
      key: 'cancellations',
      label: t('tabs.cancellations'),
      children: (
        <Space direction="vertical" size="middle" style={{ width: '100%' }}>
          {CANCELLATION_GROUPINGS.map((grouping, index) => (
            <CancellationSection key={grouping} grouping={grouping} period={period} exportable={index === 0} />
          ))}
        </Space>
      ),
    },
    { key: 'sales', label: t('tabs.sales'), children: <SalesSection period={period} /> },
  ];

  return (
    <>
      <Typography.Title level={1}>{t('title')}</Typography.Title>
      <Form layout="inline" style={{ marginBottom: 16, rowGap: 8 }}>
        <Form.Item label={t('period')} extra={t('periodHelp')}>
          <DatePicker.RangePicker
            allowEmpty={[false, false]}
            onChange={(_dates, texts) => setPeriod(texts[0] && texts[1] ? [texts[0], texts[1]] : null)}
            format="YYYY-MM-DD"
          />
        </Form.Item>
      </Form>
      <Tabs items={items} />
    </>
  );
}
