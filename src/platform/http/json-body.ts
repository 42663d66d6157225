import { HttpException } from '@nestjs/common';
import { type NestFastifyApplication } from '@nestjs/platform-fastify';
import { type FastifyRequest } from 'fastify';
import { type IncomingMessage } from 'node:http';
import { PassThrough, type Readable, type Transform } from 'node:stream';
import { createBrotliDecompress, createGunzip, createInflate } from 'node:zlib';

/** The largest JSON body: 100 kB (102,400 bytes), the limit the service always had. Imports have their own (imports/upload-limit.ts). */
export const JSON_BODY_LIMIT = 100 * 1024;

const FIRST_CHAR = /^[ \t\n\r]*([^ \t\n\r])/;
const SYNTAX_CHAR = '#';
const SYNTAX_RUN = /#+/g;

/**
 * A JSON request body as the service has always read it (body-parser's `json()` under Express, kept on Fastify):
 * an empty body is `{}`; only an object or an array at the top (a bare string, number or null is a 400); only a
 * UTF charset (415 otherwise); `__proto__` and `constructor` keys are kept as plain keys, for RequestBodyGuard to
 * refuse by name (Fastify's own parser would refuse them with a message naming no field). Every refusal is an
 * HttpException, which the error filter answers in the API's error format.
 */
function parseJsonBody(body: Buffer, contentType: string | undefined): unknown {
  const charset = charsetOf(contentType);
  if (charset !== undefined && !charset.startsWith('utf-')) throw new HttpException(`unsupported charset "${charset.toUpperCase()}"`, 415);
  const text = body.toString('utf8');
  if (text.length === 0) return {};
  const first = FIRST_CHAR.exec(text)?.[1];
  if (first !== undefined && first !== '{' && first !== '[') throw new HttpException(strictViolation(text, first), 400);
  try {
    return JSON.parse(text) as unknown;
  } catch (error) {
    throw new HttpException((error as Error).message, 400);
  }
}

/** JSON.parse's own message for the first character, as body-parser words a top level that is not an object or array. */
function strictViolation(text: string, char: string): string {
  const index = text.indexOf(char);
  const partial = index === -1 ? '' : text.slice(0, index) + SYNTAX_CHAR.repeat(text.length - index);
  try {
    JSON.parse(partial);
    return 'strict violation';
  } catch (error) {
    return (error as Error).message.replace(SYNTAX_RUN, (placeholder) => text.slice(index, index + placeholder.length));
  }
}

function charsetOf(contentType: string | undefined): string | undefined {
  const match = /;\s*charset\s*=\s*"?([^";\s]+)"?/i.exec(contentType ?? '');
  return match?.[1]?.toLowerCase();
}

/**
 * How the service reads request bodies on Fastify, as it did on Express:
 * - `application/json`: parseJsonBody, at most JSON_BODY_LIMIT bytes (413 beyond);
 * - a GET or HEAD with a JSON body is read too (Fastify reads bodies of those methods for no route): a route that
 *   takes no body refuses its keys by name (RequestBodyGuard) rather than ignoring them;
 * - any other type (and none) is left unread, the body undefined: a route with a @Body() says `must be a JSON
 *   object`, and the import route streams the Node request itself (imports/upload-limit.ts).
 * `application/x-www-form-urlencoded` is NestJS's own parser (registered by Nest after this). A JSON or form body
 * sent with `Content-Encoding` gzip, deflate or br is decompressed first (the limit counts decompressed bytes);
 * another encoding is 415, as body-parser answered.
 */
export function registerBodyParsers(app: NestFastifyApplication): void {
  app.useBodyParser('application/json', { bodyLimit: JSON_BODY_LIMIT }, (request, body, done) => {
    try {
      done(null, parseJsonBody(body, request.headers['content-type']));
    } catch (error) {
      // Refused after the whole body was read: answered from the hook below, so that the connection stays open
      // (Fastify closes it after a parser's error, in case the client is still sending).
      done(null, new RefusedBody(error as Error));
    }
  });
  const fastify = app.getHttpAdapter().getInstance();
  fastify.removeContentTypeParser('text/plain');
  fastify.addContentTypeParser('text/plain', (_request, _payload, done) => done(null, undefined));
  fastify.addContentTypeParser('*', (_request, _payload, done) => done(null, undefined));
  fastify.addHook('preParsing', async (request: FastifyRequest, _reply, payload) => decoded(request, payload));
  fastify.addHook('preValidation', async (request: FastifyRequest) => {
    if (request.body instanceof RefusedBody) throw request.body.error;
    if ((request.method !== 'GET' && request.method !== 'HEAD') || !hasBody(request.raw) || !isJson(request.headers['content-type'])) return;
    request.body = parseJsonBody(await readBody(request.raw, JSON_BODY_LIMIT), request.headers['content-type']);
  });
}

/** A JSON body parseJsonBody refused, in place of the body until the request's first hook throws its error. */
class RefusedBody {
  constructor(readonly error: Error) {}
}

const DECOMPRESSORS: Record<string, () => Transform> = { gzip: createGunzip, 'x-gzip': createGunzip, deflate: createInflate, br: createBrotliDecompress };

/** The body of a JSON or form request as sent, decompressed when it carries a Content-Encoding. */
function decoded(request: FastifyRequest, payload: Readable): Readable {
  const encoding = request.headers['content-encoding']?.trim().toLowerCase();
  if (encoding === undefined || encoding === '' || encoding === 'identity') return payload;
  const type = (request.headers['content-type'] ?? '').split(';')[0]!.trim().toLowerCase();
  if (type !== 'application/json' && type !== 'application/x-www-form-urlencoded') return payload;
  const decompressor = DECOMPRESSORS[encoding];
  if (decompressor === undefined) throw new HttpException(`unsupported content encoding "${encoding}"`, 415);
  const inflate = decompressor();
  const output = new PassThrough() as PassThrough & { receivedEncodedLength: number };
  // Fastify checks Content-Length against the bytes received, not the decompressed ones.
  output.receivedEncodedLength = 0;
  payload.on('data', (chunk: Buffer) => {
    output.receivedEncodedLength += chunk.length;
  });
  payload.once('error', (error) => output.destroy(error));
  // A body that is not what its encoding says is a 400 naming the body, as body-parser answered.
  inflate.once('error', (error) => output.destroy(new HttpException(`the request body is not valid ${encoding}: ${error.message}`, 400)));
  return payload.pipe(inflate).pipe(output);
}

function hasBody(request: IncomingMessage): boolean {
  return request.headers['transfer-encoding'] !== undefined || (request.headers['content-length'] !== undefined && request.headers['content-length'] !== '0');
}

function isJson(contentType: string | undefined): boolean {
  return (contentType ?? '').split(';')[0]!.trim().toLowerCase() === 'application/json';
}

function readBody(request: IncomingMessage, limit: number): Promise<Buffer> {
  const declared = Number(request.headers['content-length'] ?? NaN);
  if (Number.isFinite(declared) && declared > limit) return Promise.reject(new HttpException('request entity too large', 413));
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let received = 0;
    request.on('data', (chunk: Buffer) => {
      received += chunk.length;
      if (received > limit) {
        request.removeAllListeners('data');
        request.resume();
        reject(new HttpException('request entity too large', 413));
        return;
      }
      chunks.push(chunk);
    });
    request.once('end', () => resolve(Buffer.concat(chunks)));
    request.once('error', reject);
  });
}
