import { applyDecorators, createParamDecorator, type ExecutionContext, HttpCode } from '@nestjs/common';
import { ApiHeader, ApiOkResponse, ApiOperation } from '@nestjs/swagger';
import { type CommandBus } from '@nestjs/cqrs';
import { type FastifyReply } from 'fastify';

import { ApiErrors } from '../../platform/http/openapi.js';
import { commandMetadataOf, type JxcRequest } from '../../platform/http/request-context.js';
import { validationFailed } from '../../platform/http/validation.js';
import { type CommandMetadata } from '../../platform/write-model/command-metadata.js';
import { ExecuteOrderWrite, type OrderWrite } from '../commands.js';
import { type OpenedId, OrderAnswer, type OrderResult, type OrderWriteResult } from './order-answer.js';

/** What an order write takes from its request besides the route's parameters and body. */
export interface OrderRequest {
  /** The command's metadata: actor, ids, time (as `@CommandContext()` gives it). */
  readonly metadata: CommandMetadata;
  /** The If-Match header as sent; parsed by `parseIfMatch`. */
  readonly ifMatch: string | undefined;
  /** Where the answer's ETag is set. */
  readonly response: FastifyReply;
}

/** The request of an order write (see `OrderRequest`). */
export const OrderRequest = createParamDecorator((_unused: unknown, context: ExecutionContext): OrderRequest => {
  const request = context.switchToHttp().getRequest<JxcRequest>();
  return { metadata: commandMetadataOf(request), ifMatch: request.headers['if-match'], response: context.switchToHttp().getResponse<FastifyReply>() };
});

/** `If-Match: 3` or `"3"` or `W/"3"` -> 3n; absent -> undefined; anything else is a 400 naming the header. */
function parseIfMatch(header: string | undefined): bigint | undefined {
  if (header === undefined || header.trim() === '') return undefined;
  const match = /^(?:W\/)?"?(\d{1,15})"?$/.exec(header.trim());
  if (!match) throw validationFailed([{ field: 'If-Match', problems: ['must be the order revision, e.g. "3"'] }]);
  return BigInt(match[1]);
}

const IF_MATCH = { name: 'If-Match', required: false, description: 'the order revision the client saw; a stale one is 412 revision_mismatch' };

/** A command on an existing order: 200 with the order (or `answer`, the order with the id of what it opened), If-Match honoured, 404 and 412 documented. */
export const OnExistingOrder = (summary: string, answer: typeof OrderAnswer = OrderAnswer) =>
  applyDecorators(HttpCode(200), ApiHeader(IF_MATCH), ApiErrors(404, 412), ApiOperation({ summary }), ApiOkResponse({ type: answer }));

/**
 * Sends an order write on the CommandBus and sets the answer's ETag (the order revision). A placement takes no
 * If-Match. With `opens`, the answer must carry that id (the shipment or return the command opened).
 */
export async function sendOrderWrite(commands: CommandBus, request: OrderRequest, write: OrderWrite): Promise<OrderWriteResult> {
  const ifMatch = write.kind === 'place' ? undefined : parseIfMatch(request.ifMatch);
  const result = await commands.execute(new ExecuteOrderWrite(write, request.metadata, ifMatch));
  request.response.header('ETag', `"${result.revision}"`);
  return result;
}

/** `sendOrderWrite` for a command that opens a shipment or a return: its answer carries the id. */
export async function sendOpeningWrite<Id extends OpenedId>(commands: CommandBus, request: OrderRequest, write: OrderWrite & { kind: 'order'; opens: Id }): Promise<OrderResult & Record<Id, string>> {
  const result = await sendOrderWrite(commands, request, write);
  const id = result[write.opens];
  if (id === undefined) throw new Error(`${write.command.type} answered no ${write.opens}`);
  return { ...result, [write.opens]: id } as OrderResult & Record<Id, string>;
}
