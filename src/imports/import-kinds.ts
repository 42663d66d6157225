import { plainToInstance } from 'class-transformer';
import { validate } from 'class-validator';

import { RegisterPartyDto, RegisterProductDto } from '../master-data/http/master-data.dto.js';
import { ReceiveStockDto } from '../stock/http/stock.dto.js';

/** What `POST /api/import/:kind` takes (API.md "Integrations"). */
export const IMPORT_KINDS = ['products', 'customers', 'suppliers', 'opening-stock'] as const;
export type ImportKind = (typeof IMPORT_KINDS)[number];

/** One problem of one row: the column (or `row`, `file`) and what is wrong, as the answer lists it with the row number. */
export interface RowProblem {
  readonly field: string;
  readonly problem: string;
}

/** A row's fields as the matching POST's body would carry them (integers as numbers, empty cells left out). */
export type RowFields = Readonly<Record<string, string | number>>;

/** The opening stock row: a receipt's fields, and `unitCost` (minor units). */
class OpeningStockRowDto extends ReceiveStockDto {}

interface KindSpec {
  /** The body class of the matching POST: its class-validator rules check each row. */
  readonly dto: new () => object;
  /** Columns the file may have: the POST's fields (opening stock: `sku, quantity, warehouseId?, unitCost?`, and `note?`). */
  readonly columns: readonly string[];
  readonly required: readonly string[];
  /** Columns holding integers (money in minor units, quantities). */
  readonly integers: readonly string[];
  /** The column naming what a row registers; a later row of the file naming it again is refused. */
  readonly key: string;
}

const PARTY: KindSpec = { dto: RegisterPartyDto, columns: ['id', 'name', 'phone', 'email', 'address'], required: ['name'], integers: [], key: 'id' };

export const KIND_SPECS: Readonly<Record<ImportKind, KindSpec>> = {
  products: { dto: RegisterProductDto, columns: ['sku', 'name', 'spec', 'unit', 'price', 'minStock', 'maxStock'], required: ['sku', 'name', 'price'], integers: ['price', 'minStock', 'maxStock'], key: 'sku' },
  customers: PARTY,
  suppliers: PARTY,
  'opening-stock': { dto: OpeningStockRowDto, columns: ['sku', 'quantity', 'warehouseId', 'unitCost', 'note'], required: ['sku', 'quantity'], integers: ['quantity', 'unitCost'], key: 'sku' },
};

/** The header's problems: a column the kind does not have, a required one missing, a column twice. */
export function headerProblems(kind: ImportKind, header: readonly string[]): RowProblem[] {
  const spec = KIND_SPECS[kind];
  const problems: RowProblem[] = [];
  header.forEach((column, index) => {
    if (!spec.columns.includes(column)) problems.push({ field: column || `column ${index + 1}`, problem: `is not a column of ${kind} (columns: ${spec.columns.join(', ')})` });
    else if (header.indexOf(column) !== index) problems.push({ field: column, problem: 'appears twice in the header' });
  });
  for (const column of spec.required) if (!header.includes(column)) problems.push({ field: column, problem: 'is a required column' });
  return problems;
}

/** A row's cells as the POST's fields: trimmed, empty left out, integer columns as numbers when they are integers. */
export function rowFields(kind: ImportKind, header: readonly string[], values: readonly string[]): RowFields {
  const { integers } = KIND_SPECS[kind];
  const fields: Record<string, string | number> = {};
  header.forEach((column, index) => {
    const text = (values[index] ?? '').trim();
    if (text === '') return;
    fields[column] = integers.includes(column) && /^-?\d{1,16}$/.test(text) ? Number(text) : text;
  });
  return fields;
}

/** The row checked by the POST's own rules (class-validator on its DTO), plus the import's: unitCost, cells beyond the header. */
export async function rowProblems(kind: ImportKind, fields: RowFields, cellCount: number, headerLength: number): Promise<RowProblem[]> {
  const spec = KIND_SPECS[kind];
  const problems: RowProblem[] = [];
  if (cellCount > headerLength) problems.push({ field: 'row', problem: `has ${cellCount} cells, the header ${headerLength}` });
  const { unitCost, ...body } = fields;
  if (unitCost !== undefined) problems.push({ field: 'unitCost', problem: 'unit costs of receipts are not recorded yet: leave the column empty' });
  const errors = await validate(plainToInstance(spec.dto, body), { whitelist: true, forbidNonWhitelisted: true, stopAtFirstError: true, validationError: { target: false, value: false } });
  for (const error of errors) {
    for (const message of Object.values(error.constraints ?? {})) problems.push({ field: error.property, problem: message.replace(/^\S+ /, '') });
  }
  return problems;
}
