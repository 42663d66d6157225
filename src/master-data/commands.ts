import { Command, CommandHandler, type ICommandHandler } from '@nestjs/cqrs';

import { customerStream, productStream, supplierStream } from '../../domain/index.js';
import { type ChangeCustomer, type ChangeSupplier, type EraseCustomer, type RegisterCustomer, type RegisterSupplier } from '../../domain/party/commands.js';
import { type Party } from '../../domain/party/state.js';
import { type ChangeProduct, type RegisterProduct } from '../../domain/product/commands.js';
import { type Product } from '../../domain/product/state.js';
import { validationFailed } from '../platform/http/validation.js';
import { newEntityId } from '../platform/idempotency/entity-id.js';
import { PersonalDataVault } from '../platform/personal-data/personal-data-vault.js';
import { AggregateRepository } from '../platform/write-model/aggregate-repository.js';
import { customerAggregate, productAggregate, supplierAggregate } from '../platform/write-model/aggregates.js';
import { type CommandMetadata } from '../platform/write-model/command-metadata.js';
import { ProductProcessRunner } from '../stock/product-process-runner.js';

/** A party's id may be left to the handler: derived from the command for a keyed request, a new one otherwise. */
type WithChosenId<C extends { readonly id: string }> = Omit<C, 'id'> & { readonly id?: string };

/** Every master-data write: a registration or a change of a product, a customer or a supplier; a customer's erasure. */
export type MasterDataWrite = RegisterProduct | WithChosenId<RegisterCustomer> | WithChosenId<RegisterSupplier> | EraseCustomer | ChangeProduct | ChangeCustomer | ChangeSupplier;

/**
 * What a master-data write answers: the product or party as the write side now has it, and `position`, the log
 * position of the event it appended (null when it appended nothing), to read the views at (read-your-writes).
 */
export type MasterDataAnswer = (Product | Party) & { readonly position: string | null };

/** The message a controller sends on the CommandBus for any master-data write; answered with what is registered. */
export class ExecuteMasterDataWrite extends Command<MasterDataAnswer> {
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
 * A party is answered with its personal fields sealed: the response may be kept (Idempotency-Key) and is
 * opened for the caller on the way out (PersonalDataInterceptor).
 * Erasure destroys the customer's data key first, then records CustomerErased: a crash between the two leaves
 * the data unreadable and the request to be retried, never the record without the effect.
 */
@CommandHandler(ExecuteMasterDataWrite)
export class MasterDataWriteHandler implements ICommandHandler<ExecuteMasterDataWrite> {
  constructor(
    private readonly repository: AggregateRepository,
    private readonly products: ProductProcessRunner,
    private readonly vault: PersonalDataVault,
  ) {}

  async execute({ command, metadata }: ExecuteMasterDataWrite): Promise<MasterDataAnswer> {
    switch (command.type) {
      case 'RegisterProduct': {
        const executed = await this.repository.execute(productAggregate, productStream(command.sku), command, metadata);
        await this.products.run(command.sku, { correlationId: metadata.correlationId, causationId: metadata.commandId, now: metadata.now });
        return answer(executed.aggregate.state!, executed.position);
      }
      case 'RegisterCustomer': {
        const id = command.id ?? newEntityId(metadata, 'customer');
        const executed = await this.repository.execute(customerAggregate, customerStream(id), { ...command, id }, metadata);
        return answer(await this.vault.sealRecord(customerStream(id), executed.aggregate.state!), executed.position);
      }
      case 'RegisterSupplier': {
        const id = command.id ?? newEntityId(metadata, 'supplier');
        const executed = await this.repository.execute(supplierAggregate, supplierStream(id), { ...command, id }, metadata);
        return answer(await this.vault.sealRecord(supplierStream(id), executed.aggregate.state!), executed.position);
      }
      case 'EraseCustomer': {
        const stream = customerStream(command.id);
        const precondition = async (): Promise<void> => {
          const { state } = await this.repository.load(customerAggregate, stream);
          if (state?.kind === 'customer') await this.vault.erase(stream);
        };
        const executed = await this.repository.execute(customerAggregate, stream, command, metadata, { precondition });
        return answer(executed.aggregate.state!, executed.position);
      }
      case 'ChangeProduct': {
        const supplierId = command.changes.preferredSupplierId;
        if (typeof supplierId === 'string' && (await this.repository.load(supplierAggregate, supplierStream(supplierId))).state === null) {
          throw validationFailed([{ field: 'preferredSupplierId', problems: [`no supplier ${supplierId}`] }]);
        }
        const executed = await this.repository.execute(productAggregate, productStream(command.sku), command, metadata);
        // New default thresholds reach the main-warehouse position if it has none yet (the product's process).
        await this.products.run(command.sku, { correlationId: metadata.correlationId, causationId: metadata.commandId, now: metadata.now });
        return answer(executed.aggregate.state!, executed.position);
      }
      case 'ChangeCustomer': {
        const executed = await this.repository.execute(customerAggregate, customerStream(command.id), command, metadata);
        return answer(await this.vault.sealRecord(customerStream(command.id), executed.aggregate.state!), executed.position);
      }
      case 'ChangeSupplier': {
        const executed = await this.repository.execute(supplierAggregate, supplierStream(command.id), command, metadata);
        return answer(await this.vault.sealRecord(supplierStream(command.id), executed.aggregate.state!), executed.position);
      }
    }
  }
}

function answer(record: Product | Party, position: string | undefined): MasterDataAnswer {
  return { ...record, position: position ?? null };
}
