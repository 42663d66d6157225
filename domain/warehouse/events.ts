import { type DomainEvent } from '../shared/event.js';

export type WarehouseRegistered = DomainEvent<'WarehouseRegistered', {
  readonly warehouseId: string;
  readonly name: string;
  readonly address: string | null;
}>;

export type WarehouseEvent = WarehouseRegistered;
export type WarehouseEventType = WarehouseEvent['type'];

export const WAREHOUSE_EVENT_SCHEMA_VERSIONS: Readonly<Record<WarehouseEventType, number>> = {
  WarehouseRegistered: 1,
};
