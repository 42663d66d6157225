import { Inject, Injectable, Logger } from '@nestjs/common';

import { DEFAULT_WAREHOUSE_ID, productStream, stockStream } from '../../domain/index.js';
import { type StockPosition, transferEntry, transferKey } from '../../domain/stock/state.js';
import { type StockTransferView } from '../../projections/index.js';
import { WarehouseRegistry } from '../master-data/warehouses.js';
import { ApiError } from '../platform/http/api-error.js';
import { validationFailed } from '../platform/http/validation.js';
import { newEntityId } from '../platform/idempotency/entity-id.js';
import { EVENT_STORE, type EventStore } from '../platform/event-store/event-store.port.js';
import { ProjectionService } from '../platform/projection-runner/projection.service.js';
import { READ_STORE, type ReadStore, type ViewDocument } from '../platform/read-store/read-store.port.js';
import { AggregateRepository } from '../platform/write-model/aggregate-repository.js';
import { productAggregate, stockAggregate } from '../platform/write-model/aggregates.js';
import { type CommandMetadata } from '../platform/write-model/command-metadata.js';
import { TransferProcessRunner } from './transfer-process-runner.js';

/** A transfer as the routes answer it: the `stock_transfers` view's fields, without its id. */
export type TransferAnswer = Omit<StockTransferView, 'id' | 'position'> & { readonly position: string | null };

export interface SendTransfer {
  readonly sku: string;
  readonly quantity: number;
  readonly from?: string;
  readonly to: string;
  readonly note?: string | null;
}

/** How long a receipt waits for the transfers view to know a transfer sent just before (API.md: up to 5 s). */
const LOOKUP_WAIT_MS = 5000;

/**
 * Transfers (调拨) between warehouses: sending decides on the `from` position (StockTransferredOut, refused below
 * what is reserved there), then the transfer's process records it in transit at `to` (inline here, and by the
 * recovery after a crash); receiving moves units in transit to on hand at `to`.
 */
@Injectable()
export class StockTransfers {
  private readonly logger = new Logger('StockTransfers');

  constructor(
    private readonly repository: AggregateRepository,
    private readonly warehouses: WarehouseRegistry,
    private readonly process: TransferProcessRunner,
    private readonly projections: ProjectionService,
    @Inject(EVENT_STORE) private readonly events: EventStore,
    @Inject(READ_STORE) private readonly views: ReadStore,
  ) {}

  async send(request: SendTransfer, metadata: CommandMetadata): Promise<TransferAnswer> {
    const from = request.from ?? DEFAULT_WAREHOUSE_ID;
    await this.warehouses.assertKnown({ warehouseId: request.from, field: 'from' }, { warehouseId: request.to, field: 'to' });
    await this.assertProduct(request.sku);
    const transferId = newEntityId(metadata, 'transfer');
    const command = { type: 'TransferStockOut' as const, warehouseId: from, sku: request.sku, transferId, to: request.to, quantity: request.quantity, note: request.note ?? null };
    const executed = await this.repository.execute(stockAggregate, stockStream(from, request.sku), command, metadata);
    // The decision is recorded: the arrival at `to` is the process's. Should it fail now, the recovery finishes it.
    const arrivedAt = await this.process.run({ from, sku: request.sku, transferId }, { correlationId: metadata.correlationId, causationId: metadata.commandId, now: metadata.now })
      .catch((error: unknown) => {
        this.logger.warn(`transfer ${transferId}: arrival at ${request.to} left to the recovery: ${String(error)}`);
        return undefined;
      });
    const sent = transferEntry(executed.aggregate.state, transferId);
    if (sent === undefined) throw new Error(`transfer ${transferId} not recorded on ${from}`);
    const quantity = sent.quantity;
    return {
      transferId, sku: request.sku, from, to: sent.counterpart, quantity, received: 0, status: 'in_transit', value: sent.value, receivedValue: 0,
      note: command.note?.trim() || null, sentBy: metadata.actor.id, sentAt: metadata.now, arrived: arrivedAt !== undefined || (await this.hasArrived(sent.counterpart, request.sku, transferId)),
      receivedAt: null, position: arrivedAt ?? executed.position ?? null,
    };
  }

  async receive(transferId: string, quantity: number | undefined, metadata: CommandMetadata): Promise<TransferAnswer> {
    const known = await this.lookup(transferId);
    if (known === undefined) throw new ApiError(404, 'not_found', `no transfer ${transferId}`, { transferId });
    // A transfer whose arrival the recovery has not recorded yet is recorded now (the step is idempotent).
    const arrivedAt = await this.process.run({ from: known.from, sku: known.sku, transferId }, { correlationId: metadata.correlationId, causationId: metadata.commandId, now: metadata.now });
    const command = { type: 'ReceiveTransfer' as const, warehouseId: known.to, sku: known.sku, transferId, quantity: quantity ?? null };
    const executed = await this.repository.execute(stockAggregate, stockStream(known.to, known.sku), command, metadata);
    return { ...this.answerAt(known, executed.aggregate.state, metadata), position: executed.position ?? arrivedAt ?? null };
  }

  /** The transfer as the view holds it, once the view has caught up with the log as it is now (up to 5 s). */
  async lookup(transferId: string): Promise<(StockTransferView & ViewDocument) | undefined> {
    const head = await this.events.headPosition();
    if (head !== undefined) await this.projections.waitFor('stock_transfers', head, LOOKUP_WAIT_MS);
    return this.views.get<StockTransferView & ViewDocument>('stock_transfers', transferId);
  }

  private answerAt(known: StockTransferView, to: StockPosition, metadata: CommandMetadata): Omit<TransferAnswer, 'position'> {
    const entry = transferEntry(to, known.transferId);
    const received = entry?.received ?? known.received;
    const done = received >= known.quantity;
    return {
      transferId: known.transferId, sku: known.sku, from: known.from, to: known.to, quantity: known.quantity, received, status: done ? 'received' : 'in_transit',
      value: known.value, receivedValue: entry?.receivedValue ?? known.receivedValue, note: known.note, sentBy: known.sentBy, sentAt: known.sentAt,
      arrived: entry !== undefined, receivedAt: received > known.received ? metadata.now : known.receivedAt,
    };
  }

  private async hasArrived(to: string, sku: string, transferId: string): Promise<boolean> {
    return transferEntry((await this.repository.load(stockAggregate, stockStream(to, sku), [transferKey(transferId)])).state, transferId) !== undefined;
  }

  private async assertProduct(sku: string): Promise<void> {
    const product = await this.repository.load(productAggregate, productStream(sku));
    if (product.state === null) throw validationFailed([{ field: 'sku', problems: [`no product ${sku}`] }]);
  }
}
