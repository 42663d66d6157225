// Changing master data (PATCH /api/products/:sku, /api/customers/:id, /api/suppliers/:id): the form starts
// from the record as listed and sends only the fields that changed; a cleared optional field is sent as null.
import { Form, Input, InputNumber, Space, Switch, Tag } from 'antd';
import { useTranslation } from 'react-i18next';

import { ActionModal } from '../../app/ActionModal';
import { useSession } from '../../app/session';
import { toMajorText } from '../../format/money';
import { useFormat } from '../../format/use-format';
import { useRequiredRule } from './rules';
import { changedFields, type Party, type Product } from './types';

/** The log position of what a PATCH appended (read the list after it with minPosition). */
const positionOf = (answer: unknown): string | null => (answer as { position?: string | null } | undefined)?.position ?? null;

/** Typed text, trimmed; empty means cleared (null). */
const textOrNull = (value: string | undefined | null) => value?.trim() || null;

interface ProductEditValues {
  readonly name: string;
  readonly spec?: string;
  readonly unit: string;
  readonly price: string;
  readonly minStock?: number | null;
  readonly maxStock?: number | null;
  readonly preferredSupplierId?: string;
  readonly leadTimeDays?: number | null;
  readonly active: boolean;
}

export function EditProductDialog({ product, onClose, onDone }: { product: Product; onClose(): void; onDone(position: string | null): void }) {
  const { t } = useTranslation('masterData');
  const { api } = useSession();
  const format = useFormat();
  const required = useRequiredRule();

  const submit = async (values: ProductEditValues) => {
    const changes = changedFields(product, {
      name: values.name.trim(),
      spec: textOrNull(values.spec),
      unit: values.unit.trim(),
      price: format.parseMoney(values.price),
      minStock: values.minStock ?? null,
      maxStock: values.maxStock ?? null,
      preferredSupplierId: textOrNull(values.preferredSupplierId),
      leadTimeDays: values.leadTimeDays ?? null,
      active: values.active,
    });
    if (Object.keys(changes).length === 0) throw new Error(t('edit.nothing'));
    return api.patch(`/products/${encodeURIComponent(product.sku)}`, changes);
  };

  return (
    <ActionModal<ProductEditValues, unknown>
      open
      title={t('edit.products', { id: product.sku })}
      submitLabel={t('edit.save')}
      doneText={t('edit.saved', { id: product.sku })}
      initialValues={{
        name: product.name,
        spec: product.spec ?? '',
        unit: product.unit,
        price: toMajorText(product.price),
        minStock: product.minStock,
        maxStock: product.maxStock,
        preferredSupplierId: product.preferredSupplierId ?? '',
        leadTimeDays: product.leadTimeDays ?? null,
        active: product.active !== false,
      }}
      onClose={onClose}
      onDone={(answer) => onDone(positionOf(answer))}
      onSubmit={submit}
    >
      <Form.Item name="name" label={t('product.name')} rules={[required(t('product.name'))]}>
        <Input autoComplete="off" />
      </Form.Item>
      <Space wrap>
        <Form.Item name="spec" label={t('product.spec')}>
          <Input autoComplete="off" />
        </Form.Item>
        <Form.Item name="unit" label={t('product.unit')} rules={[required(t('product.unit'))]}>
          <Input autoComplete="off" />
        </Form.Item>
      </Space>
      <Form.Item
        name="price"
        label={t('product.price')}
        extra={t('product.priceNote')}
        rules={[
          required(t('product.price')),
          { validator: async (_rule, value: string | undefined) => { if (value?.trim() && !((format.parseMoney(value) ?? -1) >= 0)) throw new Error(t('common:errors.amount')); } },
        ]}
      >
        <Input inputMode="decimal" autoComplete="off" />
      </Form.Item>
      <Space wrap>
        <Form.Item name="minStock" label={t('product.minStock')}>
          <InputNumber min={0} precision={0} />
        </Form.Item>
        <Form.Item name="maxStock" label={t('product.maxStock')}>
          <InputNumber min={0} precision={0} />
        </Form.Item>
        <Form.Item name="leadTimeDays" label={t('product.leadTimeDays')}>
          <InputNumber min={0} precision={0} />
        </Form.Item>
      </Space>
      <Form.Item name="preferredSupplierId" label={t('product.preferredSupplierId')}>
        <Input autoComplete="off" />
      </Form.Item>
      <Form.Item name="active" label={t('status.activeField')} valuePropName="checked">
        <Switch />
      </Form.Item>
    </ActionModal>
  );
}

interface PartyEditValues {
  readonly name: string;
  readonly phone?: string;
  readonly email?: string;
  readonly address?: string;
  readonly active: boolean;
}

/** A party's contact fields: those a registration and an edit share (`withId`: the registration's chosen id first). */
export function PartyFields({ withId = false }: { withId?: boolean }) {
  const { t } = useTranslation('masterData');
  const required = useRequiredRule();
  return (
    <>
      {withId ? (
        <Form.Item name="id" label={t('party.id')} extra={t('party.idHelp')}>
          <Input autoComplete="off" />
        </Form.Item>
      ) : null}
      <Form.Item name="name" label={t('party.name')} rules={[required(t('party.name'))]}>
        <Input autoComplete="off" />
      </Form.Item>
      <Form.Item name="phone" label={t('party.phone')}>
        <Input autoComplete="off" />
      </Form.Item>
      <Form.Item name="email" label={t('party.email')}>
        <Input autoComplete="off" />
      </Form.Item>
      <Form.Item name="address" label={t('party.address')}>
        <Input autoComplete="off" />
      </Form.Item>
    </>
  );
}

export function EditPartyDialog({ kind, party, onClose, onDone }: { kind: 'customers' | 'suppliers'; party: Party; onClose(): void; onDone(position: string | null): void }) {
  const { t } = useTranslation('masterData');
  const { api } = useSession();

  const submit = async (values: PartyEditValues) => {
    const changes = changedFields(party, {
      name: values.name.trim(),
      phone: textOrNull(values.phone),
      email: textOrNull(values.email),
      address: textOrNull(values.address),
      active: values.active,
    });
    if (Object.keys(changes).length === 0) throw new Error(t('edit.nothing'));
    return api.patch(`/${kind}/${encodeURIComponent(party.id)}`, changes);
  };

  return (
    <ActionModal<PartyEditValues, unknown>
      open
      title={t(`edit.${kind}`, { id: party.id })}
      submitLabel={t('edit.save')}
      doneText={t('edit.saved', { id: party.id })}
      initialValues={{ name: party.name ?? '', phone: party.phone ?? '', email: party.email ?? '', address: party.address ?? '', active: party.active !== false }}
      onClose={onClose}
      onDone={(answer) => onDone(positionOf(answer))}
      onSubmit={submit}
    >
      <PartyFields />
      <Form.Item name="active" label={t('status.activeField')} valuePropName="checked">
        <Switch />
      </Form.Item>
    </ActionModal>
  );
}

/** The status of a product or party: a tag only when it is inactive. */
export function InactiveTag({ active }: { active?: boolean }) {
  const { t } = useTranslation('masterData');
  return active === false ? <Tag color="red">{t('status.inactive')}</Tag> : null;
}
