import { type IncomingMessage } from 'node:http';
import { type Readable, Transform } from 'node:stream';

import { ApiError } from '../platform/http/api-error.js';

/** The largest import body: 512 MiB (a 100,000-row CSV is a few MiB). Every other route keeps the JSON parser's limit. */
export const MAX_IMPORT_BYTES = 512 * 1024 * 1024;

/**
 * The request body as a stream that fails past `limit` bytes; a Content-Length above it is refused before
 * anything is read (413, nothing applied). `request` is the Node request, left unread by the body parsers (http/json-body.ts).
 */
export function limitedBody(request: IncomingMessage, limit: number): Readable {
  const declared = Number(request.headers['content-length'] ?? NaN);
  if (Number.isFinite(declared) && declared > limit) throw tooLarge(limit);
  let received = 0;
  const counted = new Transform({
    transform(chunk: Buffer, _encoding, done) {
      received += chunk.length;
      done(received > limit ? tooLarge(limit) : null, chunk);
    },
  });
  request.once('error', (error) => counted.destroy(error));
  return request.pipe(counted);
}

function tooLarge(limit: number): ApiError {
  return new ApiError(413, 'payload_too_large', `the file is larger than ${limit} bytes`, { limit });
}
