import { Button, Form, Input, InputNumber, Space, Table, Typography } from 'antd';
import type { ColumnsType } from 'antd/es/table';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router';

import type { Page } from '../../api/client';
import { ErrorAlert } from '../../app/errors';
import { hasRole } from '../../app/roles';
import { useSession } from '../../app/session';
import { useWrittenAt } from '../../app/use-written-at';
import { useFormat } from '../../format/use-format';
import { MoreButton, useCursorList } from '../audit/cursor-list';
import { EditProductDialog, InactiveTag } from './EditDialogs';
import { ProductHistoryDrawer } from './ProductHistoryDrawer';
import { RegisterDialog } from './RegisterDialog';
import { SearchBar } from './SearchBar';
import { useRequiredRule } from './rules';
import { optionalText, type Product } from './types';

interface ProductValues {
  readonly sku: string;
  readonly name: string;
  readonly spec?: string;
  readonly unit?: string;
  readonly price: string;
  readonly minStock?: number | null;
  readonly maxStock?: number | null;
}

function useColumns(onEdit: ((product: Product) => void) | undefined, onHistory: (product: Product) => void): ColumnsType<Product> {
  const { t } = useTranslation('masterData');
  const format = useFormat();
  return [
    // Every role that reads products reads stock too: the SKU opens its stock level.
    { key: 'sku', title: t('product.sku'), render: (_, product) => <Link to={`/stock?sku=${encodeURIComponent(product.sku)}`}>{product.sku}</Link> },
    { key: 'name', dataIndex: 'name', title: t('product.name') },
    { key: 'spec', dataIndex: 'spec', title: t('product.spec') },
    { key: 'unit', dataIndex: 'unit', title: t('product.unit') },
    { key: 'price', title: t('product.priceColumn'), align: 'right', render: (_, product) => format.money(product.price, 'CNY') },
    { key: 'minStock', title: t('product.minStock'), align: 'right', render: (_, product) => product.minStock ?? '—' },
    { key: 'maxStock', title: t('product.maxStock'), align: 'right', render: (_, product) => product.maxStock ?? '—' },
    { key: 'registeredAt', title: t('product.registeredAt'), render: (_, product) => format.time(product.registeredAt) },
    { key: 'status', title: t('status.title'), render: (_, product) => <InactiveTag active={product.active} /> },
    {
      key: 'actions',
      title: '',
      render: (_, product) => (
        <Space size="small">
          {onEdit && (
            <Button size="small" aria-label={`${t('edit.action')} ${product.sku}`} onClick={() => onEdit(product)}>
              {t('edit.action')}
            </Button>
          )}
          <Button size="small" aria-label={`${t('history.open')} ${product.sku}`} onClick={() => onHistory(product)}>
            {t('history.open')}
          </Button>
        </Space>
      ),
    },
  ];
}

/** The fields of a new product; the price is typed in major units (yuan) and sent in minor units. */
function ProductFields() {
  const { t } = useTranslation('masterData');
  const format = useFormat();
  const required = useRequiredRule();
  return (
    <>
      <Form.Item name="sku" label={t('product.sku')} rules={[required(t('product.sku'))]}>
        <Input autoComplete="off" />
      </Form.Item>
      <Form.Item name="name" label={t('product.name')} rules={[required(t('product.name'))]}>
        <Input autoComplete="off" />
      </Form.Item>
      <Form.Item name="spec" label={t('product.spec')}>
        <Input autoComplete="off" />
      </Form.Item>
      <Form.Item name="unit" label={t('product.unit')}>
        <Input autoComplete="off" placeholder="pcs" />
      </Form.Item>
      <Form.Item
        name="price"
        label={t('product.price')}
        rules={[
          required(t('product.price')),
          { validator: async (_rule, value: string | undefined) => { if (value?.trim() && !((format.parseMoney(value) ?? -1) >= 0)) throw new Error(t('common:errors.amount')); } },
        ]}
      >
        <Input inputMode="decimal" autoComplete="off" placeholder="19.99" />
      </Form.Item>
      <Space>
        <Form.Item name="minStock" label={t('product.minStock')}>
          <InputNumber min={0} precision={0} />
        </Form.Item>
        <Form.Item name="maxStock" label={t('product.maxStock')}>
          <InputNumber min={0} precision={0} />
        </Form.Item>
      </Space>
    </>
  );
}

/** 商品: the products (search by the start of the SKU or name); warehouse staff and integrations register new ones. */
export function ProductsScreen() {
  const { t } = useTranslation('masterData');
  const { me, api } = useSession();
  const format = useFormat();
  const [editing, setEditing] = useState<Product>();
  const [inHistory, setInHistory] = useState<Product>();
  // Product changes: warehouse staff (API.md "Access"; admin always may); the history: whoever reads products.
  const columns = useColumns(hasRole(me, 'warehouse') ? setEditing : undefined, setInHistory);
  const [q, setQ] = useState<string>();
  const { minPosition, reload, written: readAt } = useWrittenAt();
  const list = useCursorList((cursor, signal) => api.get<Page<Product>>('/products', { q, cursor, limit: 50, minPosition }, { signal }), [q, reload, minPosition]);
  const register = async (values: ProductValues) => {
    const product = await api.post<Product>('/products', {
      sku: values.sku.trim(),
      name: values.name.trim(),
      spec: optionalText(values.spec),
      unit: optionalText(values.unit),
      price: format.parseMoney(values.price),
      minStock: values.minStock ?? undefined,
      maxStock: values.maxStock ?? undefined,
    });
    return { id: product.sku, position: product.position ?? null };
  };

  return (
    <>
      <Typography.Title level={1}>{t('common:nav.products')}</Typography.Title>
      <Space style={{ width: '100%', justifyContent: 'space-between' }} align="start" wrap>
        <SearchBar help={t('searchHelp.products')} onSearch={setQ} />
        {hasRole(me, 'warehouse', 'integration') && (
          <RegisterDialog<ProductValues> name="register-product" label={t('register.products')} register={register} done={(id) => t('registered.products', { id })} onDone={readAt}>
            {() => <ProductFields />}
          </RegisterDialog>
        )}
      </Space>
      <ErrorAlert error={list.error} />
      <Table<Product> rowKey="sku" columns={columns} dataSource={[...list.items]} loading={list.loading} pagination={false} size="middle" locale={{ emptyText: t('empty.products') }} />
      <MoreButton list={list} />
      {inHistory && <ProductHistoryDrawer sku={inHistory.sku} minPosition={minPosition} onClose={() => setInHistory(undefined)} />}
      {editing && (
        <EditProductDialog
          product={editing}
          onClose={() => setEditing(undefined)}
          onDone={(position) => {
            setEditing(undefined);
            readAt(position);
          }}
        />
      )}
    </>
  );
}
