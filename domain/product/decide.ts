import { type Context } from '../shared/context.js';
import { DomainError } from '../shared/domain-error.js';
import { assertNever } from '../shared/event.js';
import { FieldChecks, isNonEmptyText, isNonNegativeInteger, isOptionalText, optionalText } from '../shared/validation.js';
import { type ProductCommand, type RegisterProduct } from './commands.js';
import { type ProductEvent, type ProductRegistered } from './events.js';
import { DEFAULT_UNIT, type ProductState } from './state.js';

export function decide(command: ProductCommand, state: ProductState, _context: Context): ProductEvent[] {
  switch (command.type) {
    case 'RegisterProduct': return registerProduct(command, state);
    default: return assertNever(command.type);
  }
}

const isOptionalQuantity = (value: unknown): boolean => value === undefined || value === null || isNonNegativeInteger(value);

function registerProduct(command: RegisterProduct, state: ProductState): ProductEvent[] {
  new FieldChecks()
    .require(isNonEmptyText(command.sku), 'sku', 'is required')
    .require(isNonEmptyText(command.name), 'name', 'is required')
    .require(isOptionalText(command.spec), 'spec', 'must be text')
    .require(isOptionalText(command.unit), 'unit', 'must be text')
    .require(isNonNegativeInteger(command.price), 'price', 'must be a non-negative integer (minor units)')
    .require(isOptionalQuantity(command.minStock), 'minStock', 'must be a non-negative integer')
    .require(isOptionalQuantity(command.maxStock), 'maxStock', 'must be a non-negative integer')
    .require(command.minStock == null || command.maxStock == null || command.minStock <= command.maxStock, 'maxStock', 'must not be less than minStock')
    .throwIfAny();
  const registered: ProductRegistered = {
    type: 'ProductRegistered',
    data: {
      sku: command.sku,
      name: command.name.trim(),
      spec: optionalText(command.spec),
      unit: optionalText(command.unit) ?? DEFAULT_UNIT,
      price: command.price,
      minStock: command.minStock ?? null,
      maxStock: command.maxStock ?? null,
    },
  };
  if (state === null) return [registered];
  const fields = Object.keys(registered.data) as (keyof ProductRegistered['data'])[];
  if (fields.every((field) => state[field] === registered.data[field])) return [];
  throw new DomainError('already_exists', `product ${command.sku} already exists`, { sku: command.sku });
}
