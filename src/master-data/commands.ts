import { Command, CommandHandler, type ICommandHandler } from '@nestjs/cqrs';

import { customerStream, productStream, supplierStream } from '../../domain/index.js';
import { type RegisterCustomer, type RegisterSupplier } from '../../domain/party/commands.js';
import { type Party } from '../../domain/party/state.js';
import { type RegisterProduct } from '../../domain/product/commands.js';
import { type Product } from '../../domain/product/state.js';
import { newEntityId } from '../platform/idempotency/entity-id.js';
import { AggregateRepository } from '../platform/write-model/aggregate-repository.js';
import { customerAggregate, productAggregate, supplierAggregate } from '../platform/write-model/aggregates.js';
import { type CommandMetadata } from '../platform/write-model/command-metadata.js';
import { ProductProcessRunner } from '../stock/product-process-runner.js';

/** A party's id may be left to the handler: derived from the command for a keyed request, a new one otherwise. */
type WithChosenId<C extends { readonly id: string }> = Omit<C, 'id'> & { readonly id?: string };

/** Every master-data write: a registration of a product, a customer or a supplier. */
export type MasterDataWrite = RegisterProduct | WithChosenId<RegisterCustomer> | WithChosenId<RegisterSupplier>;

/** The message a controller sends on the CommandBus for any master-data write; answered with what is registered. */
export class ExecuteMasterDataWrite extends Command<Product | Party> {
  constructor(
    readonly command: MasterDataWrite,
    readonly metadata: CommandMetadata,
  ) {
    super();
  }
}

/**
 * Registers a product, customer or supplier once (a repeat of the same registration answers the same); a
 * product's minStock/maxStock then become its main-warehouse stock thresholds (the product's process, inline).
 */
@CommandHandler(ExecuteMasterDataWrite)
export class MasterDataWriteHandler implements ICommandHandler<ExecuteMasterDataWrite> {
  constructor(
    private readonly repository: AggregateRepository,
    private readonly products: ProductProcessRunner,
  ) {}

  async execute({ command, metadata }: ExecuteMasterDataWrite): Promise<Product | Party> {
    switch (command.type) {
      case 'RegisterProduct': {
        const executed = await this.repository.execute(productAggregate, productStream(command.sku), command, metadata);
        await this.products.run(command.sku, { correlationId: metadata.correlationId, causationId: metadata.commandId, now: metadata.now });
        return executed.aggregate.state!;
      }
      case 'RegisterCustomer': {
        const id = command.id ?? newEntityId(metadata, 'customer');
        return (await this.repository.execute(customerAggregate, customerStream(id), { ...command, id }, metadata)).aggregate.state!;
      }
      case 'RegisterSupplier': {
        const id = command.id ?? newEntityId(metadata, 'supplier');
        return (await this.repository.execute(supplierAggregate, supplierStream(id), { ...command, id }, metadata)).aggregate.state!;
      }
    }
  }
}
