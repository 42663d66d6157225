import { Inject, Injectable } from '@nestjs/common';
import { CommandBus } from '@nestjs/cqrs';
import { createHash } from 'node:crypto';
import { v5 as uuidv5 } from 'uuid';

import { customerStream, isDomainError, productStream, stockStream, supplierStream } from '../../domain/index.js';
import { type RegisterCustomer } from '../../domain/party/commands.js';
import { DEFAULT_WAREHOUSE_ID } from '../../domain/shared/defaults.js';
import { type DomainEvent } from '../../domain/shared/event.js';
import { ExecuteMasterDataWrite } from '../master-data/commands.js';
import { WarehouseRegistry } from '../master-data/warehouses.js';
import { PersonalDataVault } from '../platform/personal-data/personal-data-vault.js';
import { EVENT_STORE, type EventStore } from '../platform/event-store/event-store.port.js';
import { ApiError } from '../platform/http/api-error.js';
import { newId } from '../platform/ids.js';
import { AggregateRepository, CommandIdReused } from '../platform/write-model/aggregate-repository.js';
import { type AggregateType } from '../platform/write-model/aggregate-type.js';
import { customerAggregate, productAggregate, supplierAggregate } from '../platform/write-model/aggregates.js';
import { eventIdOf } from '../platform/write-model/command-events.js';
import { type CommandMetadata, type EventMetadata } from '../platform/write-model/command-metadata.js';
import { canonicalJson } from '../platform/write-model/canonical-json.js';
import { ExecuteStockWrite } from '../stock/commands.js';
import { type ImportKind, KIND_SPECS, type RowFields, type RowProblem } from './import-kinds.js';

const IMPORT_NAMESPACE = '6b1f0c8e-2d4a-4f7b-9e35-0a8c7d2e5f91';

/** A row the command path refused: its problems, reported with the row number instead of failing the import. */
export class RowRefused extends Error {
  constructor(readonly problems: readonly RowProblem[]) {
    super(problems.map((problem) => `${problem.field} ${problem.problem}`).join('; '));
    this.name = 'RowRefused';
  }
}

/** What a valid row did (or, in a dry run, would do). */
export type RowOutcome = 'applied' | 'unchanged';

/**
 * One valid row through the normal command path (the CommandBus handlers every POST uses), idempotent:
 * - products, customers, suppliers: a registration, which the domain answers with nothing when the same one is
 *   there already (`unchanged`); another registration under the same sku or id is refused (`already_exists`).
 *   A party row without `id` gets an id derived from its cells by a keyed digest (PersonalDataVault.pseudonym),
 *   so the same row again names the same party and the id does not reveal the person after an erasure;
 * - opening stock: a receipt whose command id derives from (warehouse, sku): the same row again is found in the
 *   stock stream (`unchanged`); another quantity for a position imported before is refused, never a second receipt.
 * The check runs first (a dry run stops there); a refusal by the domain or the handler becomes the row's problems.
 */
@Injectable()
export class ImportRows {
  constructor(
    private readonly commands: CommandBus,
    private readonly repository: AggregateRepository,
    @Inject(EVENT_STORE) private readonly store: EventStore,
    private readonly vault: PersonalDataVault,
    private readonly warehouses: WarehouseRegistry,
  ) {}

  /** The highest position this service's appends have reached (the rows' events and their processes' included). */
  position(): string | null {
    return this.repository.highWatermark() ?? null;
  }

  async apply(kind: ImportKind, fields: RowFields, base: CommandMetadata, dryRun: boolean): Promise<RowOutcome> {
    try {
      return kind === 'opening-stock' ? await this.openingStock(fields, base, dryRun) : await this.registration(kind, fields, base, dryRun);
    } catch (error) {
      throw asRowRefusal(error, KIND_SPECS[kind].key);
    }
  }

  private async registration(kind: Exclude<ImportKind, 'opening-stock'>, fields: RowFields, base: CommandMetadata, dryRun: boolean): Promise<RowOutcome> {
    const metadata = { ...base, commandId: newId(), causationId: base.commandId };
    if (kind === 'products') {
      const command = { type: 'RegisterProduct', ...fields } as const as Parameters<typeof productAggregate.decide>[0];
      if (await this.unchanged(productAggregate, productStream(command.sku), command, metadata)) return 'unchanged';
      if (!dryRun) await this.commands.execute(new ExecuteMasterDataWrite(command, metadata));
      return 'applied';
    }
    // Keyed, not a plain hash of the cells: the id stays in the log after an erasure and must not confirm whose it was.
    const id = typeof fields.id === 'string' ? fields.id : uuidv5(await this.vault.pseudonym(`${kind}:${canonicalJson(fields)}`), IMPORT_NAMESPACE);
    const details = { ...fields, id } as Omit<RegisterCustomer, 'type'>;
    const command = kind === 'customers' ? ({ ...details, type: 'RegisterCustomer' } as const) : ({ ...details, type: 'RegisterSupplier' } as const);
    const unchanged =
      command.type === 'RegisterCustomer'
        ? await this.unchanged(customerAggregate, customerStream(id), command, metadata)
        : await this.unchanged(supplierAggregate, supplierStream(id), command, metadata);
    if (unchanged) return 'unchanged';
    if (!dryRun) await this.commands.execute(new ExecuteMasterDataWrite(command, metadata));
    return 'applied';
  }

  /** The domain's answer on the stream as it is: nothing to record (true), something (false), or a refusal (thrown). */
  private async unchanged<State, Command, Event extends DomainEvent>(type: AggregateType<State, Command, Event>, streamId: string, command: Command, metadata: CommandMetadata): Promise<boolean> {
    const { state } = await this.repository.load(type, streamId);
    return type.decide(command, state, { actor: metadata.actor, now: metadata.now }).length === 0;
  }

  private async openingStock(fields: RowFields, base: CommandMetadata, dryRun: boolean): Promise<RowOutcome> {
    const sku = String(fields.sku);
    const warehouseId = typeof fields.warehouseId === 'string' ? fields.warehouseId : DEFAULT_WAREHOUSE_ID;
    const command = { type: 'ReceiveStock', sku, warehouseId, quantity: Number(fields.quantity), note: typeof fields.note === 'string' ? fields.note : 'opening stock' } as const;
    const requestFingerprint = createHash('sha256').update(canonicalJson(command)).digest('hex');
    const metadata: CommandMetadata = { ...base, commandId: uuidv5(`opening-stock:${warehouseId}:${sku}`, IMPORT_NAMESPACE), causationId: base.commandId, deterministicEventIds: true, requestFingerprint };
    const stream = stockStream(warehouseId, sku);
    const before = await this.store.findEvent(stream, eventIdOf(metadata.commandId, stream, 0));
    if (before) {
      if ((before.metadata as Partial<EventMetadata>).requestFingerprint === requestFingerprint) return 'unchanged';
      throw new CommandIdReused(stream, metadata.commandId);
    }
    if ((await this.repository.load(productAggregate, productStream(sku))).state === null) throw new RowRefused([{ field: 'sku', problem: `no product ${sku}` }]);
    if (!(await this.warehouses.isKnown(warehouseId))) throw new RowRefused([{ field: 'warehouseId', problem: `no warehouse ${warehouseId}` }]);
    if (!dryRun) await this.commands.execute(new ExecuteStockWrite(command, metadata));
    return 'applied';
  }
}

/** A refusal as the row's problems; anything else (the store unavailable) is not the row's fault and stops the import. */
function asRowRefusal(error: unknown, keyField: string): unknown {
  if (error instanceof RowRefused) return error;
  if (error instanceof CommandIdReused) return new RowRefused([{ field: 'quantity', problem: 'the opening stock of this sku and warehouse was imported before with other values (record a stock count instead)' }]);
  const refusal = isDomainError(error) || (error instanceof ApiError && error.status < 500) ? error : undefined;
  if (refusal === undefined) return error;
  const fields = (refusal.details.fields ?? []) as { field: string; problems: string[] }[];
  if (fields.length > 0) return new RowRefused(fields.flatMap(({ field, problems }) => problems.map((problem) => ({ field, problem }))));
  return new RowRefused([{ field: keyField, problem: refusal.message }]);
}
