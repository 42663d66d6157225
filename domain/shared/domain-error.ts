/** Codes of API.md: each maps to one HTTP status in the application's exception filter. */
export type DomainErrorCode =
  | 'validation_failed'
  | 'forbidden'
  | 'not_found'
  | 'insufficient_stock'
  | 'invalid_transition'
  | 'cancellation_pending'
  | 'not_cancellable'
  | 'self_approval'
  | 'overpayment'
  | 'refund_exceeds_paid'
  | 'exceeds_ordered'
  | 'exceeds_shipped'
  | 'already_exists'
  | 'below_shipped'
  | 'on_hold'
  | 'inactive'
  | 'insufficient_credit';

export class DomainError extends Error {
  constructor(
    readonly code: DomainErrorCode,
    message: string,
    readonly details: Record<string, unknown> = {},
  ) {
    super(message);
    this.name = 'DomainError';
  }
}

export function isDomainError(error: unknown): error is DomainError {
  return error instanceof DomainError;
}
