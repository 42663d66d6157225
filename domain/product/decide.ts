import { type Context } from '../shared/context.js';
import { DomainError } from '../shared/domain-error.js';
import { assertNever } from '../shared/event.js';
import { FieldChecks, isNonEmptyText, isNonNegativeInteger, isOptionalText, optionalText } from '../shared/validation.js';
import { type ChangeProduct, type ProductChanges, type ProductCommand, type RegisterProduct } from './commands.js';
import { type ProductEvent, type ProductRegistered } from './events.js';
import { DEFAULT_UNIT, MAX_LEAD_TIME_DAYS, type Product, type ProductState } from './state.js';

export function decide(command: ProductCommand, state: ProductState, context: Context): ProductEvent[] {
  switch (command.type) {
    case 'RegisterProduct': return registerProduct(command, state);
    case 'ChangeProduct': return changeProduct(command, state, context);
    default: return assertNever(command);
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

/**
 * A PATCH: each field given is checked, then only those that differ from the product now are recorded
 * (a change that changes nothing appends nothing). Placed orders keep their line prices: they copied them.
 */
function changeProduct(command: ChangeProduct, state: ProductState, context: Context): ProductEvent[] {
  if (state === null) throw new DomainError('not_found', `no product ${command.sku}`, { sku: command.sku });
  const given = command.changes;
  const has = (field: keyof ProductChanges): boolean => given[field] !== undefined;
  const next = { ...state, ...normalised(given) };
  new FieldChecks()
    .require(!has('name') || isNonEmptyText(given.name), 'name', 'must not be blank')
    .require(!has('spec') || isOptionalText(given.spec), 'spec', 'must be text or null')
    .require(!has('unit') || isNonEmptyText(given.unit), 'unit', 'must not be blank')
    .require(!has('price') || isNonNegativeInteger(given.price), 'price', 'must be a non-negative integer (minor units)')
    .require(isOptionalQuantity(given.minStock), 'minStock', 'must be a non-negative integer or null')
    .require(isOptionalQuantity(given.maxStock), 'maxStock', 'must be a non-negative integer or null')
    .require(next.minStock === null || next.maxStock === null || next.minStock <= next.maxStock, has('maxStock') ? 'maxStock' : 'minStock', 'must keep minStock ≤ maxStock')
    .require(!has('preferredSupplierId') || given.preferredSupplierId === null || isNonEmptyText(given.preferredSupplierId), 'preferredSupplierId', 'must be a supplier id or null')
    .require(
      !has('leadTimeDays') || given.leadTimeDays === null || (isNonNegativeInteger(given.leadTimeDays) && given.leadTimeDays <= MAX_LEAD_TIME_DAYS),
      'leadTimeDays',
      `must be an integer from 0 to ${MAX_LEAD_TIME_DAYS} or null`,
    )
    .require(!has('active') || typeof given.active === 'boolean', 'active', 'must be true or false')
    .throwIfAny();
  const changes = Object.fromEntries(
    (Object.keys(next) as (keyof Product)[]).filter((field) => field !== 'sku' && next[field] !== state[field]).map((field) => [field, next[field]]),
  ) as ProductChanges;
  if (Object.keys(changes).length === 0) return [];
  return [{ type: 'ProductChanged', data: { sku: state.sku, changes, changedBy: context.actor.id } }];
}

/** The given fields as the product keeps them: names trimmed, a blank spec absent; fields not given left out. */
function normalised(given: ProductChanges): ProductChanges {
  const known: (keyof ProductChanges)[] = ['name', 'spec', 'unit', 'price', 'minStock', 'maxStock', 'preferredSupplierId', 'leadTimeDays', 'active'];
  const entries = known.filter((field) => given[field] !== undefined).map((field) => {
    const value = given[field];
    if (field === 'spec') return [field, optionalText(value as string | null)];
    if ((field === 'name' || field === 'unit' || field === 'preferredSupplierId') && typeof value === 'string') return [field, value.trim()];
    return [field, value];
  });
  return Object.fromEntries(entries) as ProductChanges;
}
