// Form fields shared by the order actions: a quantity per order line, amended lines, amounts in major units.
import { Button, Form, Input, InputNumber, Space, Typography } from 'antd';
import { useTranslation } from 'react-i18next';

import type { SkuQuantity } from '../../api/types';
import { useFormat } from '../../format/use-format';

/** The rows of a quantities form: one per SKU, with the most that may be entered. */
export interface QuantityRow {
  readonly sku: string;
  readonly max: number;
}

export type Quantities = Record<string, number | null | undefined>;

/** `{TEA-1: 2, TEA-2: 0}` -> `[{sku: 'TEA-1', quantity: 2}]`. */
export function linesFrom(quantities: Quantities | undefined): SkuQuantity[] {
  return Object.entries(quantities ?? {})
    .filter(([, quantity]) => typeof quantity === 'number' && quantity > 0)
    .map(([sku, quantity]) => ({ sku, quantity: quantity as number }));
}

/** One whole-number field per SKU, named `[name, sku]`, labelled with the SKU. */
export function QuantityFields({ rows, name = 'quantities', label }: { rows: readonly QuantityRow[]; name?: string; label?: string }) {
  const { t } = useTranslation('orders');
  return (
    <fieldset style={{ border: 0, padding: 0, margin: 0 }}>
      <legend style={{ fontSize: 14, marginBottom: 8 }}>{label ?? t('form.lines')}</legend>
      {rows.map((row) => (
        <Form.Item key={row.sku} name={[name, row.sku]} label={`${row.sku} (≤ ${row.max})`} rules={[{ type: 'integer', min: 0, max: row.max }]} style={{ marginBottom: 8 }}>
          <InputNumber min={0} max={row.max} precision={0} aria-label={`${label ?? t('form.quantity')} ${row.sku}`} style={{ width: 160 }} />
        </Form.Item>
      ))}
    </fieldset>
  );
}

/** An amount typed in major units (`19.99`), checked to fit the currency; the form value stays the text. */
export function MoneyField({ name, label, currency, required = true }: { name: string | (string | number)[]; label: string; currency: string; required?: boolean }) {
  const { t } = useTranslation('common');
  const format = useFormat();
  return (
    <Form.Item
      name={name}
      label={label}
      rules={[
        { required, message: t('errors.amount') },
        {
          validator: async (_rule, value: string | undefined) => {
            if (!value && !required) return;
            const minor = format.parseMoney(value ?? '', currency);
            if (minor === undefined || minor <= 0) throw new Error(t('errors.amount'));
          },
        },
      ]}
    >
      <Input inputMode="decimal" style={{ width: 200 }} />
    </Form.Item>
  );
}

export interface AmendLine {
  sku: string;
  quantity: number;
  unitPrice: string;
}

/** The amended lines of a sale: SKU, quantity and unit price per row, rows added and removed. */
export function AmendLinesField({ currency }: { currency: string }) {
  const { t } = useTranslation('orders');
  return (
    <Form.List name="lines">
      {(fields, { add, remove }) => (
        <>
          <Typography.Text type="secondary">{t('form.amendHelp')}</Typography.Text>
          {fields.map((field, index) => (
            <Space key={field.key} align="start" wrap style={{ display: 'flex', marginTop: 8 }}>
              <Form.Item name={[field.name, 'sku']} label={t('form.sku')} rules={[{ required: true, whitespace: true }]}>
                <Input style={{ width: 180 }} />
              </Form.Item>
              <Form.Item name={[field.name, 'quantity']} label={t('form.quantity')} rules={[{ required: true, type: 'integer', min: 0 }]}>
                <InputNumber min={0} precision={0} style={{ width: 120 }} />
              </Form.Item>
              <MoneyField name={[field.name, 'unitPrice']} label={t('form.unitPrice', { currency })} currency={currency} />
              <Button onClick={() => remove(field.name)} style={{ marginTop: 30 }} aria-label={t('form.removeLine', { index: index + 1 })}>
                −
              </Button>
            </Space>
          ))}
          <Button onClick={() => add({ sku: '', quantity: 1, unitPrice: '' })}>{t('form.addLine')}</Button>
        </>
      )}
    </Form.List>
  );
}
