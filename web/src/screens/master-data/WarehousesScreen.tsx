import { Form, Input, Space, Table, Typography } from 'antd';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router';

import { ErrorAlert } from '../../app/errors';
import { hasRole } from '../../app/roles';
import { useSession } from '../../app/session';
import { useWrittenAt } from '../../app/use-written-at';
import { useFormat } from '../../format/use-format';
import { type Warehouse, useWarehouses } from '../stock/warehouses';
import { RegisterDialog } from './RegisterDialog';
import { useRequiredRule } from './rules';
import { optionalText } from './types';

interface WarehouseValues {
  readonly id: string;
  readonly name: string;
  readonly address?: string;
}

/** 仓库: every warehouse (`main` always, first); warehouse staff register new ones (POST /api/warehouses). */
export function WarehousesScreen() {
  const { t } = useTranslation('masterData');
  const { me, api } = useSession();
  const format = useFormat();
  const { minPosition, reload, written: readAt } = useWrittenAt();
  const list = useWarehouses(reload, minPosition);
  const register = async (values: WarehouseValues) => {
    const id = values.id.trim();
    const answer = await api.post<{ position: string | null }>('/warehouses', { id, name: values.name.trim(), address: optionalText(values.address) });
    return { id, position: answer.position };
  };
  const required = useRequiredRule();

  return (
    <>
      <Typography.Title level={1}>{t('common:nav.warehouses')}</Typography.Title>
      <Space style={{ width: '100%', justifyContent: 'flex-end', marginBottom: 16 }}>
        {hasRole(me, 'warehouse') && (
          <RegisterDialog<WarehouseValues> name="register-warehouse" label={t('register.warehouses')} register={register} done={(id) => t('registered.warehouses', { id })} onDone={readAt}>
            {() => (
              <>
                <Form.Item name="id" label={t('warehouse.id')} extra={t('warehouse.idHelp')} rules={[required(t('warehouse.id')), { pattern: /^[A-Za-z0-9_]{1,32}$/, message: t('warehouse.idHelp') }]}>
                  <Input autoComplete="off" />
                </Form.Item>
                <Form.Item name="name" label={t('warehouse.name')} rules={[required(t('warehouse.name'))]}>
                  <Input autoComplete="off" />
                </Form.Item>
                <Form.Item name="address" label={t('warehouse.address')}>
                  <Input autoComplete="off" />
                </Form.Item>
              </>
            )}
          </RegisterDialog>
        )}
      </Space>
      <ErrorAlert error={list.error} />
      <Table<Warehouse>
        rowKey="id"
        dataSource={[...list.warehouses]}
        loading={list.loading}
        pagination={false}
        size="middle"
        columns={[
          { key: 'id', title: t('warehouse.id'), render: (_, warehouse) => <Link to={`/stock?warehouseId=${encodeURIComponent(warehouse.id)}`}>{warehouse.id}</Link> },
          { key: 'name', dataIndex: 'name', title: t('warehouse.name') },
          { key: 'address', title: t('warehouse.address'), render: (_, warehouse) => warehouse.address ?? '' },
          { key: 'registeredAt', title: t('warehouse.registeredAt'), render: (_, warehouse) => (warehouse.registeredAt ? format.time(warehouse.registeredAt) : warehouse.id === 'main' ? t('warehouse.fromStart') : '') },
        ]}
      />
    </>
  );
}
