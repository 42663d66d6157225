import { type FastifyReply } from 'fastify';
import { PassThrough } from 'node:stream';

/**
 * A file answer streamed through a Fastify reply: the sheet is written into `out`, which the reply sends (status
 * 200 and `headers`) once `start` is called, at the sheet's first byte; before that an error is answered as any
 * other (400, 503). Fastify pipes `out` to the client as fast as it takes it (a full pipe makes the writer wait)
 * and destroys it when the client goes away (the writer then stops with SheetAborted).
 */
export class SheetReply {
  readonly out = new PassThrough();
  private sent = false;

  constructor(private readonly reply: FastifyReply) {}

  get started(): boolean {
    return this.sent;
  }

  start(headers: Record<string, string>): void {
    this.sent = true;
    void this.reply.code(200).headers(headers).send(this.out);
  }

  /** After the first byte a failure can only cut the transfer short. */
  abort(): void {
    this.out.destroy();
    this.reply.raw.destroy();
  }
}
