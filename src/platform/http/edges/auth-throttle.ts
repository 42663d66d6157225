import { Global, Inject, Injectable, Module } from '@nestjs/common';
import { createHash } from 'node:crypto';
import { RateLimiterMemory, RateLimiterRes } from 'rate-limiter-flexible';

import { CONFIG, type Config } from '../../config/config.js';
import { ApiError } from '../api-error.js';

/** The request parts the throttle reads: the client address as Fastify gives it (the socket's peer: trustProxy is off). */
export interface ClientRequest {
  readonly ip?: string;
  readonly socket?: { readonly remoteAddress?: string };
}

/**
 * Counts failed authentications per client address and requests per API key (API.md "Operations") with
 * rate-limiter-flexible's in-memory limiter (@nestjs/throttler 6.x is CommonJS that requires the ESM-only
 * @nestjs/common 12, which jest cannot load). A window starts at an address's (or key's) first counted
 * request and lasts its length; the count is per process (a restart forgets it, instances count apart).
 */
@Injectable()
export class AuthThrottle {
  private readonly failures: RateLimiterMemory;
  private readonly perKey: RateLimiterMemory | undefined;

  constructor(@Inject(CONFIG) private readonly config: Config) {
    const { limit, windowMs } = config.failedAuthentications;
    this.failures = new RateLimiterMemory({ keyPrefix: 'auth-failure', points: limit, duration: windowMs / 1000 });
    const perMinute = config.rateLimitPerMinute;
    this.perKey = perMinute === undefined ? undefined : new RateLimiterMemory({ keyPrefix: 'key', points: perMinute, duration: 60 });
  }

  /**
   * A request without a valid key: counts the failure and answers what the client gets, the 401 given or,
   * from the (limit + 1)th failure within the window, `429 too_many_requests` with `Retry-After`.
   */
  async refusal(request: ClientRequest, unauthenticated: ApiError): Promise<ApiError> {
    const address = request.ip ?? request.socket?.remoteAddress ?? 'unknown';
    const retryAfter = await overLimit(this.failures, address);
    if (retryAfter === undefined) return unauthenticated;
    return new ApiError(429, 'too_many_requests', `too many failed authentications from this address; retry in ${retryAfter} s with a valid API key`, { retryAfterSeconds: retryAfter }, { 'Retry-After': String(retryAfter) });
  }

  /** A request with a valid key: `429 too_many_requests` when the key is over JXC_RATE_LIMIT_PER_MINUTE. */
  async keyUsed(key: string): Promise<void> {
    if (this.perKey === undefined) return;
    // The key itself is never kept, only its hash.
    const retryAfter = await overLimit(this.perKey, createHash('sha256').update(key).digest('base64url'));
    if (retryAfter === undefined) return;
    const limit = this.config.rateLimitPerMinute;
    throw new ApiError(429, 'too_many_requests', `this API key made more than ${limit} requests in the last minute; retry in ${retryAfter} s`, { limitPerMinute: limit, retryAfterSeconds: retryAfter }, { 'Retry-After': String(retryAfter) });
  }
}

/** Counts one request; undefined while within the limit, else the seconds until the window ends (1 at least). */
async function overLimit(limiter: RateLimiterMemory, key: string): Promise<number | undefined> {
  try {
    await limiter.consume(key);
    return undefined;
  } catch (rejection) {
    if (!(rejection instanceof RateLimiterRes)) throw rejection;
    return Math.max(1, Math.ceil(rejection.msBeforeNext / 1000));
  }
}

/** Global so that the API-key guard (AccessModule) can count its refusals. */
@Global()
@Module({ providers: [AuthThrottle], exports: [AuthThrottle] })
export class EdgesModule {}
