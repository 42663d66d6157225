// 调拨: stock leaves one warehouse (never below what is reserved there) and is in transit at the other until
// it is received there. The transfers still on the way are listed with a receive button each (GET
// /api/stock/transfers?status=in_transit); one can also be received by its number.
import { Alert, Button, Form, Input, InputNumber, Space, Table, Typography } from 'antd';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';

import { ApiRequestError, type Page } from '../../api/client';
import { ActionModal } from '../../app/ActionModal';
import { ErrorAlert } from '../../app/errors';
import { useApi } from '../../app/session';
import { useLoad } from '../../app/use-load';
import { useFormat } from '../../format/use-format';
import { stillInTransit, type Transfer, warehouseOf } from './types';
import { type Warehouse, WarehouseSelect } from './warehouses';

interface TransferValues {
  readonly sku: string;
  readonly quantity: number;
  readonly from?: string;
  readonly to: string;
  readonly note?: string;
}

/** The position of what a command appended, whatever the answer's shape. */
const positionOf = (answer: unknown): string | null => (answer as { position?: string | null } | undefined)?.position ?? null;

/** Sending a transfer (POST /api/stock/transfers): answers its `transferId`. */
function SendTransfer({ warehouses, onSent }: { warehouses: readonly Warehouse[]; onSent: (transfer: Transfer) => void }) {
  const { t } = useTranslation('stock');
  const api = useApi();
  const [form] = Form.useForm<TransferValues>();
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<unknown>();
  const [done, setDone] = useState<string>();

  const submit = async (values: TransferValues) => {
    setBusy(true);
    setError(undefined);
    setDone(undefined);
    try {
      const body = { sku: values.sku.trim(), quantity: values.quantity, from: warehouseOf(values.from), to: values.to, note: values.note?.trim() || undefined };
      const transfer = await api.post<Transfer>('/stock/transfers', body);
      setDone(t('transfer.done', { transferId: transfer.transferId, quantity: body.quantity, sku: body.sku, from: body.from, to: body.to }));
      form.resetFields();
      onSent(transfer);
    } catch (failure) {
      setError(failure);
    } finally {
      setBusy(false);
    }
  };

  return (
    <Form<TransferValues> name="stock-transfer" form={form} layout="vertical" onFinish={submit} style={{ maxWidth: 480 }} initialValues={{ from: 'main' }}>
      <Form.Item name="sku" label={t('fields.sku')} rules={[{ required: true, whitespace: true, message: t('common:errors.required', { field: t('fields.sku') }) }]}>
        <Input autoComplete="off" />
      </Form.Item>
      <Form.Item name="quantity" label={t('fields.quantity')} rules={[{ required: true, type: 'integer', min: 1, message: t('common:errors.positiveInteger') }]}>
        <InputNumber min={1} precision={0} style={{ width: '100%' }} />
      </Form.Item>
      <Form.Item name="from" label={t('fields.from')} rules={[{ required: true, message: t('common:errors.required', { field: t('fields.from') }) }]}>
        <WarehouseSelect warehouses={warehouses} />
      </Form.Item>
      <Form.Item
        name="to"
        label={t('fields.to')}
        dependencies={['from']}
        rules={[
          { required: true, message: t('common:errors.required', { field: t('fields.to') }) },
          ({ getFieldValue }) => ({ validator: async (_rule, value?: string) => { if (value && value === warehouseOf(getFieldValue('from') as string | undefined)) throw new Error(t('transfer.sameWarehouse')); } }),
        ]}
      >
        <WarehouseSelect warehouses={warehouses} />
      </Form.Item>
      <Form.Item name="note" label={t('fields.note')}>
        <Input autoComplete="off" />
      </Form.Item>
      <ErrorAlert error={error} />
      {done && <Alert type="success" showIcon title={done} />}
      <Button type="primary" htmlType="submit" loading={busy} style={{ marginTop: 16 }}>
        {t('transfer.submit')}
      </Button>
    </Form>
  );
}

/**
 * Every transfer still on the way, read at least at `minPosition` (the last transfer sent or received here);
 * null when the API offers no such list (then receive by number).
 */
function useInTransit(reload: number, minPosition: string | undefined) {
  const api = useApi();
  return useLoad(async (signal): Promise<Transfer[] | null> => {
    const transfers: Transfer[] = [];
    let cursor: string | null | undefined;
    try {
      do {
        const page = await api.get<Page<Transfer>>('/stock/transfers', { status: 'in_transit', cursor, limit: 100, minPosition: cursor ? undefined : minPosition }, { signal });
        transfers.push(...page.items);
        cursor = page.nextCursor;
      } while (cursor);
    } catch (error) {
      if (error instanceof ApiRequestError && (error.status === 404 || error.status === 405)) return null;
      throw error;
    }
    return transfers.filter((transfer) => stillInTransit(transfer) > 0);
  }, [api, reload, minPosition]);
}

/** Receiving a transfer at its destination (POST /api/stock/transfers/:id/receive): all of it, or part. */
function ReceiveDialog({ transfer, onClose, onDone }: { transfer: { transferId: string; left?: number }; onClose(): void; onDone(position: string | null): void }) {
  const { t } = useTranslation('stock');
  const api = useApi();
  return (
    <ActionModal<{ quantity?: number | null }, unknown>
      open
      title={t('transfer.receiveTitle', { transferId: transfer.transferId })}
      submitLabel={t('transfer.receive')}
      doneText={t('transfer.received', { transferId: transfer.transferId })}
      initialValues={{ quantity: transfer.left }}
      onClose={onClose}
      onDone={(answer) => onDone(positionOf(answer))}
      onSubmit={({ quantity }) => api.post(`/stock/transfers/${encodeURIComponent(transfer.transferId)}/receive`, quantity ? { quantity } : {})}
    >
      <Form.Item name="quantity" label={t('transfer.receiveQuantity')} extra={t('transfer.receiveQuantityHelp')} rules={[{ type: 'integer', min: 1, max: transfer.left }]}>
        <InputNumber min={1} max={transfer.left} precision={0} style={{ width: '100%' }} />
      </Form.Item>
    </ActionModal>
  );
}

/** 调拨 tab: send a transfer, see those on the way, receive them. */
export function TransferForm({ onDone, warehouses }: { onDone: (position: string | null) => void; warehouses: readonly Warehouse[] }) {
  const { t } = useTranslation('stock');
  const format = useFormat();
  const [changed, setChanged] = useState(0);
  const [writtenAt, setWrittenAt] = useState<string>();
  const [receiving, setReceiving] = useState<{ transferId: string; left?: number }>();
  const [byNumber] = Form.useForm<{ transferId: string }>();
  const inTransit = useInTransit(changed, writtenAt);
  const written = (position: string | null) => {
    if (position) setWrittenAt(position);
    setChanged((value) => value + 1);
    onDone(position);
  };

  return (
    <Space direction="vertical" size="large" style={{ width: '100%' }}>
      <SendTransfer warehouses={warehouses} onSent={(transfer) => written(transfer.position ?? null)} />
      <section aria-label={t('transfer.inTransitTitle')}>
        <Typography.Title level={2} style={{ fontSize: 18 }}>
          {t('transfer.inTransitTitle')}
        </Typography.Title>
        <ErrorAlert error={inTransit.error} />
        {inTransit.data !== null && (
          <Table<Transfer>
            rowKey="transferId"
            size="middle"
            pagination={false}
            loading={inTransit.loading}
            dataSource={inTransit.data ?? []}
            locale={{ emptyText: t('transfer.noneInTransit') }}
            columns={[
              { key: 'transferId', dataIndex: 'transferId', title: t('fields.transferId') },
              { key: 'sku', dataIndex: 'sku', title: t('fields.sku') },
              { key: 'from', dataIndex: 'from', title: t('fields.from') },
              { key: 'to', dataIndex: 'to', title: t('fields.to') },
              { key: 'quantity', title: t('fields.inTransit'), align: 'right', render: (_, transfer) => stillInTransit(transfer) },
              { key: 'sentAt', title: t('fields.sentAt'), render: (_, transfer) => format.time(transfer.sentAt ?? transfer.at) },
              { key: 'note', title: t('fields.note'), render: (_, transfer) => transfer.note ?? '' },
              {
                key: 'receive',
                title: '',
                render: (_, transfer) => (
                  <Button aria-label={`${t('transfer.receive')} ${transfer.transferId}`} onClick={() => setReceiving({ transferId: transfer.transferId, left: stillInTransit(transfer) })}>
                    {t('transfer.receive')}
                  </Button>
                ),
              },
            ]}
          />
        )}
        <Form<{ transferId: string }> name="receive-transfer" form={byNumber} layout="inline" style={{ marginTop: 16 }} onFinish={({ transferId }) => setReceiving({ transferId: transferId.trim() })}>
          <Form.Item name="transferId" label={t('transfer.byNumber')} rules={[{ required: true, whitespace: true, message: t('common:errors.required', { field: t('fields.transferId') }) }]}>
            <Input autoComplete="off" />
          </Form.Item>
          <Form.Item>
            <Button htmlType="submit">{t('transfer.receive')}</Button>
          </Form.Item>
        </Form>
      </section>
      {receiving && (
        <ReceiveDialog
          transfer={receiving}
          onClose={() => setReceiving(undefined)}
          onDone={(position) => {
            setReceiving(undefined);
            byNumber.resetFields();
            written(position);
          }}
        />
      )}
    </Space>
  );
}
