import { type CallHandler, type ExecutionContext, Inject, Injectable, type NestInterceptor } from '@nestjs/common';
import { from, mergeMap, type Observable } from 'rxjs';

import { type JxcRequest } from '../http/request-context.js';
import { type Disclosure, PersonalDataVault } from './personal-data-vault.js';

/** Roles that need no personal data (API.md): a caller with only these sees them as null. */
const WITHOUT_PERSONAL_DATA: ReadonlySet<string> = new Set(['analyst']);

export function disclosureFor(roles: readonly string[] | undefined): Disclosure {
  return roles !== undefined && roles.some((role) => !WITHOUT_PERSONAL_DATA.has(role)) ? 'reveal' : 'mask';
}

/**
 * The one place personal data leave the service: every response body, whatever route built it (views, history,
 * audit trail, an Idempotency-Key replay), has its sealed fields opened for the caller, or masked. It is the
 * outermost interceptor, so what the idempotency interceptor records is still sealed.
 */
@Injectable()
export class PersonalDataInterceptor implements NestInterceptor {
  constructor(@Inject(PersonalDataVault) private readonly vault: PersonalDataVault) {}

  intercept(context: ExecutionContext, next: CallHandler): Observable<unknown> {
    if (context.getType() !== 'http') return next.handle();
    const disclosure = disclosureFor(context.switchToHttp().getRequest<JxcRequest>().actor?.roles);
    return next.handle().pipe(mergeMap((body: unknown) => from(this.vault.disclose(body, disclosure))));
  }
}
