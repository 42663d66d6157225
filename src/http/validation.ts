import { type ArgumentMetadata, Injectable, ValidationPipe } from '@nestjs/common';
import { type ValidationError } from 'class-validator';

import { ApiError } from './api-error.js';

export interface FieldProblem {
  readonly field: string;
  readonly problems: readonly string[];
}

/** 400 validation_failed whose details list every bad field by its path (e.g. `lines[1].quantity`). */
export function validationFailed(fields: readonly FieldProblem[]): ApiError {
  const summary = fields.map((f) => `${f.field}: ${f.problems.join(', ')}`).join('; ');
  return new ApiError(400, 'validation_failed', `invalid request: ${summary}`, { fields });
}

function flatten(errors: readonly ValidationError[], parent = ''): FieldProblem[] {
  return errors.flatMap((error) => {
    const field = /^\d+$/.test(error.property) ? `${parent}[${error.property}]` : parent ? `${parent}.${error.property}` : error.property;
    const own = error.constraints ? [{ field, problems: Object.values(error.constraints).map((m) => m.replace(/^\S+ /, '')) }] : [];
    return [...own, ...flatten(error.children ?? [], field)];
  });
}

/**
 * class-validator on every DTO: unknown fields refused, no implicit type conversion ("2" is not 2),
 * and a body that is not a JSON object (an array, a number) refused before it reaches a DTO.
 */
@Injectable()
export class StrictValidationPipe extends ValidationPipe {
  constructor() {
    super({
      whitelist: true,
      forbidNonWhitelisted: true,
      transform: true,
      transformOptions: { enableImplicitConversion: false },
      validationError: { target: false, value: false },
      exceptionFactory: (errors) => validationFailed(flatten(errors)),
    });
  }

  override async transform(value: unknown, metadata: ArgumentMetadata): Promise<unknown> {
    if (metadata.type === 'body' && metadata.metatype && metadata.metatype !== Object && !isPlainObject(value)) {
      throw validationFailed([{ field: 'body', problems: ['must be a JSON object'] }]);
    }
    if (metadata.type === 'body' && hasIllFormedString(value)) {
      throw validationFailed([{ field: 'body', problems: ['contains a string that is not well-formed Unicode'] }]);
    }
    return super.transform(value, metadata);
  }
}

function isPlainObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

// A lone surrogate ("\ud800") parses as JSON but cannot be hashed canonically (RFC 8785) or stored faithfully.
function hasIllFormedString(value: unknown): boolean {
  if (typeof value === 'string') return !value.isWellFormed();
  if (Array.isArray(value)) return value.some(hasIllFormedString);
  if (isPlainObject(value)) return Object.entries(value).some(([key, item]) => !key.isWellFormed() || hasIllFormedString(item));
  return false;
}
