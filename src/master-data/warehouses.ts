import { Injectable } from '@nestjs/common';

import { DEFAULT_WAREHOUSE_ID, warehouseStream } from '../../domain/index.js';
import { type RegisterWarehouse } from '../../domain/warehouse/commands.js';
import { isWarehouseId, MAIN_WAREHOUSE, type Warehouse } from '../../domain/warehouse/state.js';
import { type FieldProblem, validationFailed } from '../platform/http/validation.js';
import { AggregateRepository } from '../platform/write-model/aggregate-repository.js';
import { warehouseAggregate } from '../platform/write-model/aggregates.js';
import { type CommandMetadata } from '../platform/write-model/command-metadata.js';

/** A warehouse id as a request gave it, and the request field that named it (`warehouseId`, `from`, `to`). */
export interface NamedWarehouse {
  readonly warehouseId: string | undefined;
  readonly field: string;
}

/**
 * The warehouses (仓库) the business has: `main` from the start, every other one once its `WarehouseRegistered`
 * is in its `warehouse-<id>` stream. Read from the write side (never a view that may lag), so a warehouse is
 * usable as soon as its registration is acknowledged. A warehouse is never removed, so one found is remembered.
 *
 * Every route that takes a warehouse id asks `assertKnown` before it appends anything: an unknown one is
 * `400 validation_failed` naming the field.
 */
@Injectable()
export class WarehouseRegistry {
  private readonly known = new Set<string>([DEFAULT_WAREHOUSE_ID]);

  constructor(private readonly repository: AggregateRepository) {}

  /** The warehouse, or null when there is none by that id. */
  async find(warehouseId: string): Promise<Warehouse | null> {
    if (warehouseId === DEFAULT_WAREHOUSE_ID) return MAIN_WAREHOUSE;
    if (!isWarehouseId(warehouseId)) return null;
    const { state } = await this.repository.load(warehouseAggregate, warehouseStream(warehouseId));
    if (state !== null) this.known.add(warehouseId);
    return state;
  }

  async isKnown(warehouseId: string): Promise<boolean> {
    return this.known.has(warehouseId) || (await this.find(warehouseId)) !== null;
  }

  /** The problem of one named warehouse (none when it is known, or not given: it defaults to `main`). */
  async problemOf({ warehouseId, field }: NamedWarehouse): Promise<FieldProblem | null> {
    if (warehouseId === undefined || (await this.isKnown(warehouseId))) return null;
    return { field, problems: [`no warehouse ${warehouseId}`] };
  }

  /** `400 validation_failed` naming each field whose warehouse is unknown. */
  async assertKnown(...named: readonly NamedWarehouse[]): Promise<void> {
    const problems = (await Promise.all(named.map((entry) => this.problemOf(entry)))).filter((problem) => problem !== null);
    if (problems.length > 0) throw validationFailed(problems);
  }

  /** Registers a warehouse once (a repeat of the same registration answers the same). */
  async register(command: RegisterWarehouse, metadata: CommandMetadata): Promise<{ warehouse: Warehouse; position: string | null; appended: boolean }> {
    const executed = await this.repository.execute(warehouseAggregate, warehouseStream(command.warehouseId), command, metadata);
    this.known.add(command.warehouseId);
    return { warehouse: executed.aggregate.state!, position: executed.position ?? null, appended: executed.events.length > 0 };
  }
}
