import { type ArgumentMetadata, type CanActivate, type ExecutionContext, Injectable, ValidationPipe } from '@nestjs/common';
import { ROUTE_ARGS_METADATA } from '@nestjs/common/constants.js';
import { RouteParamtypes } from '@nestjs/common/enums/route-paramtypes.enum.js';
import { getMetadataStorage, type ValidationError, type ValidatorOptions } from 'class-validator';

import { ApiError } from './api-error.js';

export interface FieldProblem {
  readonly field: string;
  readonly problems: readonly string[];
}

/** How many objects and arrays a request body may nest (the body itself is level 1). */
const MAX_BODY_DEPTH = 32;

/**
 * Keys no route defines that NestJS's ValidationPipe (and class-transformer) delete silently before
 * class-validator looks for unknown fields, so they must be refused on the raw body.
 */
const PROTOTYPE_KEYS: ReadonlySet<string> = new Set(['__proto__', 'constructor', 'prototype']);

/**
 * class-validator looks up a class's rules anew on every `validate` (0.15: a filter over every rule of the class and a
 * scan of every other class for inherited ones, then a grouping by property), about a quarter of its time on a
 * place-order request. The rules are fixed once the DTO modules are loaded, so both answers are memoised here, per
 * class and options; any rule added later (a class defined at run time) clears the memo. The arrays are only read
 * by class-validator (ValidationExecutor), never changed.
 */
type ValidationMetadata = ReturnType<ReturnType<typeof getMetadataStorage>['getTargetValidationMetadatas']>[number];

function memoiseRuleLookups(): void {
  type Storage = ReturnType<typeof getMetadataStorage> & { [memoised]?: true };
  const storage = getMetadataStorage() as Storage;
  if (storage[memoised]) return;
  storage[memoised] = true;
  const lookups = new Map<unknown, Map<string, ValidationMetadata[]>>();
  const grouped = new WeakMap<ValidationMetadata[], Record<string, ValidationMetadata[]>>();
  const lookup = storage.getTargetValidationMetadatas.bind(storage);
  const group = storage.groupByPropertyName.bind(storage);
  const addValidation = storage.addValidationMetadata.bind(storage);
  const addConstraint = storage.addConstraintMetadata.bind(storage);
  storage.addValidationMetadata = (metadata) => {
    lookups.clear();
    addValidation(metadata);
  };
  storage.addConstraintMetadata = (metadata) => {
    lookups.clear();
    addConstraint(metadata);
  };
  storage.getTargetValidationMetadatas = (target, schema, always, strictGroups, groups) => {
    const key = `${schema}\0${always}\0${strictGroups}\0${groups?.join('\0') ?? '-'}`;
    let byOptions = lookups.get(target);
    if (!byOptions) lookups.set(target, (byOptions = new Map()));
    let found = byOptions.get(key);
    if (!found) byOptions.set(key, (found = lookup(target, schema, always, strictGroups, groups)));
    return found;
  };
  storage.groupByPropertyName = (metadatas) => {
    let found = grouped.get(metadatas);
    if (!found) grouped.set(metadatas, (found = group(metadatas)));
    return found;
  };
}
const memoised = Symbol.for('jxc.class-validator.memoised');
memoiseRuleLookups();

/** 400 validation_failed whose details list every bad field by its path (e.g. `lines[1].quantity`). */
export function validationFailed(fields: readonly FieldProblem[]): ApiError {
  const summary = fields.map((f) => `${f.field}: ${f.problems.join(', ')}`).join('; ');
  return new ApiError(400, 'validation_failed', `invalid request: ${summary}`, { fields });
}

/** class-validator's error tree as field paths. Iterative: the tree is as deep as the body (at most MAX_BODY_DEPTH). */
function flatten(errors: readonly ValidationError[]): FieldProblem[] {
  const problems: FieldProblem[] = [];
  const pending: { error: ValidationError; parent: string }[] = errors.map((error) => ({ error, parent: '' })).reverse();
  for (let next = pending.pop(); next; next = pending.pop()) {
    const { error, parent } = next;
    const field = /^\d+$/.test(error.property) ? `${parent}[${error.property}]` : parent ? `${parent}.${error.property}` : error.property;
    if (error.constraints) problems.push({ field, problems: Object.values(error.constraints).map((m) => m.replace(/^\S+ /, '')) });
    for (const child of [...(error.children ?? [])].reverse()) pending.push({ error: child, parent: field });
  }
  return problems;
}

interface Visit {
  readonly value: unknown;
  readonly depth: number;
  readonly parent?: Visit;
  readonly key?: string | number;
}

function pathOf(visit: Visit | undefined): string {
  const parts: (string | number)[] = [];
  for (let at = visit; at?.key !== undefined; at = at.parent) parts.push(at.key);
  let path = '';
  for (const part of parts.reverse()) path += typeof part === 'number' ? `[${part}]` : path ? `.${part}` : part;
  return path || 'body';
}

/**
 * What every JSON body must be, whatever the route: nested at most MAX_BODY_DEPTH levels, no prototype
 * keys (`__proto__`, `constructor`, `prototype`) at any depth, every string and key well-formed Unicode
 * (a lone surrogate parses as JSON but cannot be hashed canonically, RFC 8785, or stored faithfully).
 * Walked with an explicit stack, so no body can overflow the call stack. Returns the first problem.
 */
function bodyProblem(body: unknown): FieldProblem | undefined {
  const stack: Visit[] = [{ value: body, depth: typeof body === 'object' && body !== null ? 1 : 0 }];
  for (let visit = stack.pop(); visit; visit = stack.pop()) {
    const { value, depth } = visit;
    if (typeof value === 'string') {
      if (!value.isWellFormed()) return { field: pathOf(visit), problems: ['is not well-formed Unicode (a lone surrogate)'] };
      continue;
    }
    if (typeof value !== 'object' || value === null) continue;
    if (depth > MAX_BODY_DEPTH) return { field: 'body', problems: [`is nested deeper than ${MAX_BODY_DEPTH} levels of objects and arrays`] };
    if (Array.isArray(value)) {
      for (let i = value.length - 1; i >= 0; i--) stack.push({ value: value[i], depth: depth + 1, parent: visit, key: i });
      continue;
    }
    const keys = Object.keys(value);
    for (let i = keys.length - 1; i >= 0; i--) {
      const key = keys[i]!;
      if (!key.isWellFormed()) return { field: pathOf(visit), problems: ['has a key that is not well-formed Unicode (a lone surrogate)'] };
      if (PROTOTYPE_KEYS.has(key)) return { field: pathOf({ value: undefined, depth, parent: visit, key }), problems: ['should not exist'] };
      stack.push({ value: (value as Record<string, unknown>)[key], depth: depth + 1, parent: visit, key });
    }
  }
  return undefined;
}

const BODY_PARAMS: ReadonlySet<string> = new Set([String(RouteParamtypes.BODY), String(RouteParamtypes.RAW_BODY)]);
const routesTakingBody = new WeakMap<object, boolean>();

/** Whether the route's handler has a @Body() (or raw body) parameter: read from Nest's metadata once per handler. */
function takesBody(context: ExecutionContext): boolean {
  const handler = context.getHandler();
  let takes = routesTakingBody.get(handler);
  if (takes === undefined) {
    const params = (Reflect.getMetadata(ROUTE_ARGS_METADATA, context.getClass(), handler.name) ?? {}) as Record<string, unknown>;
    takes = Object.keys(params).some((key) => BODY_PARAMS.has(key.split(':')[0]!));
    routesTakingBody.set(handler, takes);
  }
  return takes;
}

/** Bodies RequestBodyGuard found sound: the pipe does not walk them again (a body is parsed once per request). */
const checkedBodies = new WeakSet<object>();

/**
 * The first check of a request body, as a global guard (registered in createApp, so it runs after the
 * API-key and role guard and before the idempotency interceptor and any pipe): a body that breaks
 * bodyProblem's rules is a 400, and a route that takes no body defines no keys, so a JSON body with any
 * key (or any array) is refused there rather than ignored. Routes with a @Body() are left to the pipe.
 */
@Injectable()
export class RequestBodyGuard implements CanActivate {
  canActivate(context: ExecutionContext): boolean {
    if (context.getType() !== 'http') return true;
    const body: unknown = context.switchToHttp().getRequest<{ body?: unknown }>().body;
    if (body === undefined || body === null) return true;
    const problem = bodyProblem(body);
    if (problem) throw validationFailed([problem]);
    if (typeof body === 'object') checkedBodies.add(body);
    if (typeof body === 'object' && !Array.isArray(body) && Object.keys(body).length === 0) return true;
    if (takesBody(context)) return true;
    if (typeof body !== 'object' || Array.isArray(body)) throw validationFailed([{ field: 'body', problems: ['this route takes no body'] }]);
    throw validationFailed(Object.keys(body).map((field) => ({ field, problems: ['should not exist (this route takes no body)'] })));
  }
}

/**
 * class-validator on every DTO: unknown fields refused, no implicit type conversion ("2" is not 2),
 * a body that is not a JSON object (an array, a number) refused before it reaches a DTO, and null
 * refused for an optional field (omit it instead; null is accepted only where a field is nullable).
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
    // Also checked by RequestBodyGuard for every request; repeated here so that the pipe is safe on its own.
    const problem = metadata.type === 'body' && !(typeof value === 'object' && value !== null && checkedBodies.has(value)) ? bodyProblem(value) : undefined;
    if (problem) throw validationFailed([problem]);
    return super.transform(value, metadata);
  }

  // A body RequestBodyGuard walked has no prototype keys at any depth, and JSON has no array gaps: nothing to strip
  // or close, so those two walks are skipped for it (any other value gets them).
  protected override stripProtoKeys(value: unknown): void {
    if (!(typeof value === 'object' && value !== null && checkedBodies.has(value))) super.stripProtoKeys(value);
  }

  protected override closeArrayGaps(value: unknown): void {
    if (!(typeof value === 'object' && value !== null && checkedBodies.has(value))) super.closeArrayGaps(value);
  }

  protected override async validate(object: object, options?: ValidatorOptions): Promise<ValidationError[]> {
    const errors = await super.validate(object, options);
    return [...errors, ...nullsForOptionalFields(object)];
  }
}

function isPlainObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

type DtoClass = abstract new (...args: never[]) => unknown;

const optionalFields = new Map<DtoClass, readonly string[]>();

/** The properties of a DTO class marked @IsOptional (inherited ones included). */
function optionalFieldsOf(type: DtoClass): readonly string[] {
  let fields = optionalFields.get(type);
  if (!fields) {
    const metadatas = getMetadataStorage().getTargetValidationMetadatas(type, '', true, false);
    fields = [...new Set(metadatas.filter((m) => m.type === 'conditionalValidation' && m.name === 'isOptional').map((m) => m.propertyName))];
    optionalFields.set(type, fields);
  }
  return fields;
}

/**
 * class-validator's @IsOptional skips every rule for null as for a missing field, so `{"note": null}`
 * would reach the command as a null it does not expect. jxc refuses it instead: an optional field is
 * omitted, never null. Walks the transformed DTO (nested DTOs are class instances) with a stack.
 */
function nullsForOptionalFields(root: object): ValidationError[] {
  const errors: ValidationError[] = [];
  const stack: Visit[] = [{ value: root, depth: 1 }];
  for (let visit = stack.pop(); visit; visit = stack.pop()) {
    const { value, depth } = visit;
    if (typeof value !== 'object' || value === null || depth > MAX_BODY_DEPTH) continue;
    if (Array.isArray(value)) {
      value.forEach((item, i) => stack.push({ value: item, depth: depth + 1, parent: visit, key: i }));
      continue;
    }
    const record = value as Record<string, unknown>;
    const type = Object.getPrototypeOf(value)?.constructor as DtoClass | undefined;
    if (type && type !== Object) {
      for (const field of optionalFieldsOf(type)) {
        if (record[field] === null) {
          const path = pathOf({ value: null, depth, parent: visit, key: field });
          errors.push({ property: path, constraints: { isNotNull: `${path} must be omitted rather than null (it is optional, not nullable)` }, children: [] });
        }
      }
    }
    for (const [key, item] of Object.entries(record)) stack.push({ value: item, depth: depth + 1, parent: visit, key });
  }
  return errors;
}
