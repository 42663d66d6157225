import { validationFailed } from '../../platform/http/validation.js';

/** `If-Match: 3` or `"3"` or `W/"3"` -> 3n; absent -> undefined; anything else is a 400 naming the header. */
export function parseIfMatch(header: string | undefined): bigint | undefined {
  if (header === undefined || header.trim() === '') return undefined;
  const match = /^(?:W\/)?"?(\d{1,15})"?$/.exec(header.trim());
  if (!match) throw validationFailed([{ field: 'If-Match', problems: ['must be the order revision, e.g. "3"'] }]);
  return BigInt(match[1]);
}
