import { DomainError } from './domain-error.js';

/** One bad input field, as `validation_failed` lists them in `details.fields` (the HTTP layer's shape too). */
export interface FieldProblem {
  readonly field: string;
  readonly problems: readonly string[];
}

/** Collects every bad field of a command before refusing it, so the caller learns them all at once. */
export class FieldChecks {
  private readonly problems = new Map<string, string[]>();

  require(condition: boolean, field: string, problem: string): this {
    if (!condition) this.problems.set(field, [...(this.problems.get(field) ?? []), problem]);
    return this;
  }

  /** Throws `validation_failed` with `details.fields` when any check failed. */
  throwIfAny(): void {
    if (this.problems.size === 0) return;
    const fields: FieldProblem[] = [...this.problems].map(([field, problems]) => ({ field, problems }));
    const summary = fields.map((entry) => `${entry.field} ${entry.problems.join(', ')}`).join('; ');
    throw new DomainError('validation_failed', `invalid command: ${summary}`, { fields });
  }
}

/** Quantities and money are integers (money in minor units): never a float. */
export const isPositiveInteger = (value: unknown): value is number => Number.isSafeInteger(value) && (value as number) > 0;
export const isNonNegativeInteger = (value: unknown): value is number => Number.isSafeInteger(value) && (value as number) >= 0;
export const isNonEmptyText = (value: unknown): value is string => typeof value === 'string' && value.trim().length > 0;
export const isOptionalText = (value: unknown): boolean => value === undefined || value === null || typeof value === 'string';
/** ISO 4217 style: three upper-case letters. */
export const isCurrencyCode = (value: unknown): value is string => typeof value === 'string' && /^[A-Z]{3}$/.test(value);

/** `undefined`, `null` and blank strings become `null`; other text is trimmed. */
export function optionalText(value: string | null | undefined): string | null {
  if (value === undefined || value === null) return null;
  const trimmed = value.trim();
  return trimmed.length > 0 ? trimmed : null;
}
