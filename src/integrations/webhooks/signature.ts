import { createHmac } from 'node:crypto';

/** `X-Jxc-Signature`: `sha256=` + hex HMAC-SHA256(secret, timestamp + "." + body), timestamp in Unix seconds. */
export function signatureOf(secret: string, timestamp: number, body: string): string {
  return `sha256=${createHmac('sha256', secret).update(`${timestamp}.${body}`, 'utf8').digest('hex')}`;
}
