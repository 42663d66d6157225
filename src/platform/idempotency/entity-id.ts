import { v5 as uuidv5 } from 'uuid';

import { newId } from '../ids.js';
import { type CommandMetadata } from '../write-model/command-metadata.js';

const ENTITY_ID_NAMESPACE = '3f9d2a64-8c1b-4e57-a0d3-5b7e9c14f268';

/**
 * The id of what a command creates when the caller names none (an order, a customer, a supplier, an API key).
 * For an Idempotency-Key request it is derived from the command id, so a retry of the request names the same
 * entity and finds its own events instead of creating a second one; otherwise a new UUIDv7.
 */
export function newEntityId(metadata: CommandMetadata, kind: string): string {
  return metadata.deterministicEventIds ? uuidv5(`${metadata.commandId}:${kind}`, ENTITY_ID_NAMESPACE) : newId();
}
