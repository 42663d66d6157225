// A product's history (GET /api/products/:sku/history): its registration and each change, price changes
// included, with who made it and when. Placed orders keep the price they were placed at.
import { Drawer, Table, Typography } from 'antd';
import { useTranslation } from 'react-i18next';

import { ErrorAlert } from '../../app/errors';
import { useSession } from '../../app/session';
import { useLoad } from '../../app/use-load';
import { useFormat } from '../../format/use-format';

interface ProductEvent {
  readonly position: string;
  readonly type: string;
  readonly occurredAt: string | null;
  readonly actor: { id: string } | null;
  readonly data: { price?: number; changes?: Record<string, unknown> };
}

export function ProductHistoryDrawer({ sku, minPosition, onClose }: { sku: string; minPosition?: string; onClose(): void }) {
  const { t } = useTranslation('masterData');
  const { api } = useSession();
  const format = useFormat();
  const history = useLoad((signal) => api.get<{ events: ProductEvent[] }>(`/products/${encodeURIComponent(sku)}/history`, { minPosition }, { signal }), [api, sku, minPosition]);
  const value = (field: string, raw: unknown): string => {
    if (raw === null || raw === undefined || raw === '') return '—';
    if (field === 'price' && typeof raw === 'number') return format.money(raw, 'CNY');
    if (field === 'active') return raw ? t('status.active') : t('status.inactive');
    return String(raw);
  };
  const details = (event: ProductEvent): string => {
    const fields = event.type === 'ProductChanged' ? Object.entries(event.data.changes ?? {}) : event.data.price !== undefined ? [['price', event.data.price] as const] : [];
    return fields.map(([field, raw]) => `${t(`history.fields.${field}`, { defaultValue: field })}: ${value(field, raw)}`).join(' · ');
  };
  return (
    <Drawer open title={t('history.title', { sku })} onClose={onClose} size="large" destroyOnHidden>
      <Typography.Paragraph type="secondary">{t('product.priceNote')}</Typography.Paragraph>
      <ErrorAlert error={history.error} />
      <Table<ProductEvent>
        rowKey="position"
        size="small"
        pagination={false}
        loading={history.loading}
        dataSource={history.data?.events ?? []}
        columns={[
          { key: 'at', title: t('history.at'), render: (_, event) => format.time(event.occurredAt) },
          { key: 'type', title: t('history.what'), render: (_, event) => t(`history.types.${event.type}`, { defaultValue: event.type }) },
          { key: 'details', title: t('history.details'), render: (_, event) => details(event) },
          { key: 'by', title: t('history.by'), render: (_, event) => event.actor?.id ?? '' },
        ]}
      />
    </Drawer>
  );
}
