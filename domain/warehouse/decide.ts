import { type Context } from '../shared/context.js';
import { DEFAULT_WAREHOUSE_ID } from '../shared/defaults.js';
import { DomainError } from '../shared/domain-error.js';
import { FieldChecks, isNonEmptyText, isOptionalText, optionalText } from '../shared/validation.js';
import { type WarehouseCommand } from './commands.js';
import { type WarehouseEvent, type WarehouseRegistered } from './events.js';
import { isWarehouseId, type WarehouseState } from './state.js';

/**
 * Register once; the same registration again is a repeat (nothing appended), a different one under a known id is
 * `already_exists`. `main` is known from the start, so it is never registered.
 */
export function decide(command: WarehouseCommand, state: WarehouseState, _context: Context): WarehouseEvent[] {
  new FieldChecks()
    .require(isWarehouseId(command.warehouseId), 'id', 'must be 1 to 32 letters, digits or _')
    .require(isNonEmptyText(command.name), 'name', 'is required')
    .require(isOptionalText(command.address), 'address', 'must be text')
    .throwIfAny();
  if (command.warehouseId === DEFAULT_WAREHOUSE_ID) {
    throw new DomainError('already_exists', `warehouse ${DEFAULT_WAREHOUSE_ID} exists from the start`, { id: command.warehouseId });
  }
  const registered: WarehouseRegistered = {
    type: 'WarehouseRegistered',
    data: { warehouseId: command.warehouseId, name: command.name.trim(), address: optionalText(command.address) },
  };
  if (state === null) return [registered];
  if (state.name === registered.data.name && state.address === registered.data.address) return [];
  throw new DomainError('already_exists', `warehouse ${command.warehouseId} already exists`, { id: command.warehouseId });
}
